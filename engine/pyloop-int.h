/*
 * Inside the loop type: shared by engine/pyloop.c (the type),
 * engine/pyloop-call.c (its queues and the calls that fill them) and
 * engine/pyloop-run.c (its run), and by nothing else.
 */
#ifndef LOOPSCOPE_PYLOOP_INT_H
#define LOOPSCOPE_PYLOOP_INT_H

#include <ev.h>
#include <stdbool.h>
#include <stdint.h>

#include "pyloop.h"
#include "vtime.h"

/* A scheduled TimerHandle: by when, then in the order they came. */
struct pyloop_timer {
	double		 when;		/* the handle's _when */
	uint64_t	 seq;
	PyObject	*handle;
	uint32_t	 lane;		/* a task's sleep: its lane, else 0 */
};

/* One descriptor the loop watches for asyncio's selector. */
struct pyloop_io {
	ev_io		 w;
	struct pyloop	*loop;
	bool		 virtual;	/* a client of the page server */
};

struct pyloop {
	PyObject_HEAD
	struct ev_loop		*ev;
	ev_async		 wake;		/* call_soon_threadsafe */
	ev_timer		 timer;		/* the wait's end */
	bool			 timed_out;
	int64_t			 settle_t0;	/* threads busy since, real ns */
	/* Callbacks to run, oldest first: a ring of handles. */
	PyObject		**ready;
	size_t			 rhead;
	size_t			 rlen;
	size_t			 rcap;
	/* TimerHandles, a binary heap. */
	struct pyloop_timer	*heap;
	size_t			 nheap;
	size_t			 heapcap;
	uint64_t		 seq;
	Py_ssize_t		 ncancelled;
	/* Descriptors: watchers by fd, and what fired in the last poll. */
	struct pyloop_io	**io;
	size_t			 niocap;
	size_t			 nwatched;
	size_t			 nvirtual;	/* of them, the page server's */
	int			 self_fd;	/* asyncio's self-pipe */
	int			*fired;		/* fd, events, fd, events... */
	size_t			 nfired;
	size_t			 firedcap;
	/* asyncio's attributes, kept here for C and Python both. */
	bool			 stopping;
	bool			 closed;
	bool			 debug;
	PyObject		*thread_id;
	uint64_t		 iteration;
	long			 busy;		/* executor jobs in flight */
};

/* asyncio's handle types and where their slots are. */
struct pyloop_types {
	PyTypeObject	*handle;
	PyTypeObject	*timer;
	Py_ssize_t	 callback, args, cancelled, loop, source_tb, repr,
			 context, scheduled, when;
	PyObject	*empty;		/* () */
	PyObject	*run_in_executor;	/* BaseEventLoop's */
	PyObject	*run_forever;
};

extern struct pyloop_types pyloop_types;

#define PYLOOP_SLOT(o, off)	(*(PyObject **)((char *)(o) + (off)))

/* pyloop.c: the loop's time, and a slot of asyncio's handles set. */
vtime_t		 pyloop_vtime(double when);
double		 pyloop_seconds(void);
void		 pyloop_set_slot(PyObject *o, Py_ssize_t off, PyObject *v);

/* pyloop-call.c: the queues, and the methods that fill them. */
int		 pyloop_push_ready(struct pyloop *self, PyObject *handle);
void		 pyloop_heap_pop(struct pyloop *self, struct pyloop_timer *out);
void		 pyloop_heap_fix(struct pyloop *self);
PyObject	*pyloop_call_soon(struct pyloop *self, PyObject *const *args,
		     Py_ssize_t nargsf, PyObject *kwnames);
PyObject	*pyloop__call_soon(struct pyloop *self, PyObject *const *args,
		     Py_ssize_t nargs);
PyObject	*pyloop_call_soon_threadsafe(struct pyloop *self,
		     PyObject *const *args, Py_ssize_t nargsf,
		     PyObject *kwnames);
PyObject	*pyloop_call_at(struct pyloop *self, PyObject *const *args,
		     Py_ssize_t nargsf, PyObject *kwnames);
PyObject	*pyloop_call_later(struct pyloop *self, PyObject *const *args,
		     Py_ssize_t nargsf, PyObject *kwnames);
PyObject	*pyloop_time(struct pyloop *self, PyObject *unused);
PyObject	*pyloop_add_callback(struct pyloop *self, PyObject *handle);
PyObject	*pyloop_timer_handle_cancelled(struct pyloop *self,
		     PyObject *handle);

/* pyloop-run.c: one turn, and the descriptors watched. */
PyObject	*pyloop_run_once(struct pyloop *self, PyObject *unused);
void		 pyloop_io_cb(struct ev_loop *ev, ev_io *w, int revents);
PyObject	*pyloop_io_set(struct pyloop *self, PyObject *const *args,
		     Py_ssize_t nargs);
void		 pyloop_io_free(struct pyloop *self);

#endif
