/*
 * The child's tracer: the lanes of a Python program (its tasks, the
 * coroutines it awaits in place, the calls of the functions of its own
 * files) and their states, sent as trace events (engine/pyemit.h).
 * Everything here runs with the GIL held.
 */
#ifndef LOOPSCOPE_PYTRACE_H
#define LOOPSCOPE_PYTRACE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdbool.h>
#include <stdint.h>

#include "trace.h"

/* A lane: what the tracer remembers of one. */
struct pylane {
	uint32_t	 parent;
	uint8_t		 kind;		/* enum task_kind */
	uint8_t		 state;		/* the last one sent */
	uint8_t		 wake;		/* reason of its next running */
	uint8_t		 flags;		/* PYLANE_F_* */
	uint16_t	 line;
	uint8_t		 nchain;	/* coroutines it awaits in place */
	uint32_t	 chain[8];
	PyObject	*coro;		/* a coroutine's own, borrowed */
	PyObject	*ref;		/* a weak reference to it */
};

#define PYLANE_F_READIED	0x01	/* made ready during its own step */
#define PYLANE_F_TASK		0x02	/* is (or runs as) a task */

/*
 * What the tracer asks of the modules above it (the coroutines gone,
 * the other threads), which tell it at their own init: it includes none
 * of them.
 */
void		 pytrace_on_gone(bool (*waiting)(void), void (*flush)(void));
void		 pytrace_on_threads(uint32_t (*lane)(void), vtime_t (*now)(void));

int		 pytrace_init(PyObject *user_files);
bool		 pytrace_on(void);
void		 pytrace_off(void);
void		 pytrace_resume(void);
struct pylane	*pytrace_lane(uint32_t id);
uint32_t	 pytrace_lane_new(enum task_kind kind, const char *name,
		     uint32_t parent, uint16_t line);
uint32_t	 pytrace_lane_at(enum task_kind kind, const char *name,
		     uint32_t parent, uint16_t line, vtime_t now);
void		 pytrace_state(uint32_t id, enum task_state state,
		     enum trace_reason reason, uint16_t line, uint32_t other,
		     int64_t a);
void		 pytrace_state_at(uint32_t id, enum task_state state,
		    enum trace_reason reason, uint16_t line, uint32_t other,
		    int64_t a, vtime_t at);
void		 pytrace_failed(uint32_t id, const char *why);
void		 pytrace_module_done(void);
char		*pytrace_exc_text(PyObject *exc);
void		 pytrace_push_event(struct trace_event *ev);
void		 pytrace_emit(enum trace_type type, uint32_t task,
		     const char *text, uint8_t flags, int64_t a, int64_t b);
uint32_t	 pytrace_current(void);
uint32_t	 pytrace_here(void);
void		 pytrace_loop_runs(uint32_t task);
vtime_t		 pytrace_now(void);
void		 pytrace_wait(void);
void		 pytrace_set_running(uint32_t id);
bool		 pytrace_user_code(PyCodeObject *code);
uint16_t	 pytrace_frame_line(void);
char		*pytrace_coro_name(PyObject *coro);
char		*pytrace_call_name(PyObject *func, PyObject *const *args,
		     size_t nargs, PyObject *kwnames);

/* Calls of the program's own functions (the wrapper, engine/pycall.c). */
int		 pytrace_call_enter(PyObject *func, PyObject *const *args,
		     size_t nargs, PyObject *kwnames);
void		 pytrace_call_exit(int frame, bool failed);

/* Output and blocking calls. */
void		 pytrace_print(const char *text, size_t len, bool is_stderr);
vtime_t		 pytrace_block(vtime_t length);
void		 pytrace_unblock(void);
void		 pytrace_join(void);
void		 pytrace_stuck(uint32_t running, bool in_call);
void		 pytrace_look(void);
void		 pytrace_watch(int fd, int events);
void		 pytrace_loop_iter(uint32_t nready, uint32_t ntimers,
		     uint32_t nio);
void		 pytrace_loop_end(void);

#endif
