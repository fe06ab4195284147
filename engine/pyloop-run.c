/*
 * The loop's run: one turn (_run_once, called by asyncio's own
 * run_forever), its wait on libev with the GIL released, and the
 * descriptors asyncio's selector registers.
 *
 * In the simulated clock a turn with nothing ready jumps to the next
 * deadline (a timer's, or a hold's: engine/pyhold.h) without waiting,
 * unless real work is outstanding (a watched descriptor, an answer of
 * the page server on its way, another thread at work): then it waits for
 * it in real time, up to that deadline. What comes meanwhile takes no
 * virtual time; a wait that reaches the deadline goes there.
 */
#include "config.h"

#include <time.h>

#include "pyclock.h"
#include "pyemit.h"
#include "pyhold.h"
#include "pyloop-int.h"
#include "pyserve.h"
#include "pytask.h"
#include "pytrace.h"

#define PYLOOP_RESOLUTION	1e-9	/* time.get_clock_info's, monotonic */
#define PYLOOP_MAX_TIMEOUT	(24 * 3600.0)	/* asyncio's select cap */
#define PYLOOP_SETTLE		0.001	/* a look at threads that run, s */
#define PYLOOP_SETTLE_NS	50000000	/* threads run so long: real */
#define PYLOOP_SENT_NS		500000000	/* answers sent in this, real */

enum pyloop_busy {
	PYLOOP_IDLE,		/* nothing runs but the loop */
	PYLOOP_BUSY_IO,		/* a real socket or an answer in flight */
	PYLOOP_BUSY_THREADS,	/* other threads run */
	PYLOOP_BUSY_SERVER	/* the page server takes a request in */
};

/* libev saw fd ready: note it; Python is called after the wait. */
void
pyloop_io_cb(struct ev_loop *ev, ev_io *w, int revents)
{
	struct pyloop_io	*io = (struct pyloop_io *)w;
	struct pyloop		*self = io->loop;
	int			*nf;
	size_t			 ncap;

	(void)ev;
	if (self->nfired + 2 > self->firedcap) {
		ncap = self->firedcap ? self->firedcap * 2 : 64;
		if ((nf = realloc(self->fired, ncap * sizeof *nf)) == NULL)
			return;		/* level-triggered: seen next turn */
		self->fired = nf;
		self->firedcap = ncap;
	}
	self->fired[self->nfired++] = w->fd;
	self->fired[self->nfired++] = revents;
}

/* _io_set(fd, events): watch fd for selectors' EVENT_READ|EVENT_WRITE. */
PyObject *
pyloop_io_set(struct pyloop *self, PyObject *const *args, Py_ssize_t nargs)
{
	struct pyloop_io	**nio, *io;
	long			  fd, events;
	int			  evs;
	size_t			  ncap;

	if (nargs != 2) {
		PyErr_SetString(PyExc_TypeError, "_io_set(fd, events)");
		return NULL;
	}
	fd = PyLong_AsLong(args[0]);
	events = PyLong_AsLong(args[1]);
	if (PyErr_Occurred())
		return NULL;
	if (fd < 0 || fd > INT32_MAX) {
		PyErr_Format(PyExc_ValueError, "bad file descriptor %ld", fd);
		return NULL;
	}
	if ((size_t)fd >= self->niocap) {
		ncap = self->niocap ? self->niocap : 64;
		while (ncap <= (size_t)fd)
			ncap *= 2;
		if ((nio = PyMem_Realloc(self->io, ncap * sizeof *nio)) ==
		    NULL)
			return PyErr_NoMemory();
		memset(nio + self->niocap, 0,
		    (ncap - self->niocap) * sizeof *nio);
		self->io = nio;
		self->niocap = ncap;
	}
	evs = (events & 1 ? EV_READ : 0) | (events & 2 ? EV_WRITE : 0);
	io = self->io[fd];
	if (io != NULL) {
		ev_io_stop(self->ev, &io->w);
		if (evs == 0) {
			if (io->virtual) {
				pyserve_loop_socket((int)fd, false);
				self->nvirtual--;
			}
			PyMem_Free(io);
			self->io[fd] = NULL;
			self->nwatched--;
		} else {
			ev_io_set(&io->w, (int)fd, evs);
			ev_io_start(self->ev, &io->w);
		}
	} else if (evs != 0) {
		if ((io = PyMem_Calloc(1, sizeof *io)) == NULL)
			return PyErr_NoMemory();
		io->loop = self;
		ev_io_init(&io->w, pyloop_io_cb, (int)fd, evs);
		ev_io_start(self->ev, &io->w);
		self->io[fd] = io;
		self->nwatched++;
		/* A socket to the page server waits on virtual time. */
		if ((io->virtual = pyserve_loop_socket((int)fd, true)))
			self->nvirtual++;
	}
	if (pytrace_on() && fd != self->self_fd)
		pytrace_watch((int)fd, (events & 1 ? IO_IN : 0) |
		    (events & 2 ? IO_OUT : 0));
	Py_RETURN_NONE;
}

/* Stop watching everything (the loop closes). */
void
pyloop_io_free(struct pyloop *self)
{
	size_t	i;

	for (i = 0; i < self->niocap; i++)
		if (self->io[i] != NULL) {
			if (self->io[i]->virtual)
				pyserve_loop_socket((int)i, false);
			ev_io_stop(self->ev, &self->io[i]->w);
			PyMem_Free(self->io[i]);
			self->io[i] = NULL;
		}
	self->nwatched = 0;
	self->nvirtual = 0;
}

/* Real work the simulated clock must wait for, in real time. */
static enum pyloop_busy
pyloop_outstanding(struct pyloop *self)
{
	PyThreadState	*ts;
	int		 n = 0;

	if (self->nwatched - self->nvirtual > (self->self_fd >= 0 ? 1u : 0u) ||
	    pyserve_inflight() > 0)
		return PYLOOP_BUSY_IO;
	if (pyserve_busy())
		return PYLOOP_BUSY_SERVER;
	/* Other threads, but for those that wait on a hold or for work. */
	ts = PyInterpreterState_ThreadHead(PyInterpreterState_Get());
	for (; ts != NULL; ts = PyThreadState_Next(ts))
		n++;
	return n - 1 > pyhold_threads() ? PYLOOP_BUSY_THREADS : PYLOOP_IDLE;
}

/*
 * Threads run (one released from a hold, say): for a while, the loop
 * waits for them to wait again, with the clock still, so that what they
 * do next happens at this instant, in the same order every run. A thread
 * that runs on (a real computation, a wait on something else) is then
 * waited for in real time, as any real work. The page server taking a
 * request in is waited for until it has.
 */
static bool
pyloop_settling(struct pyloop *self, enum pyloop_busy busy)
{
	struct timespec	ts;
	int64_t		now;

	if (busy == PYLOOP_BUSY_SERVER)
		return true;
	if (busy != PYLOOP_BUSY_THREADS) {
		self->settle_t0 = 0;
		return false;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	if (self->settle_t0 == 0)
		self->settle_t0 = now;
	return now - self->settle_t0 < PYLOOP_SETTLE_NS;
}

/*
 * Answers of the page server released at this instant are being sent:
 * wait (a while at most, in real time) until all are, so that the loop
 * sees them together, in the order sent, the same every run, and not
 * one or two of them as the timing of the writes falls.
 */
static void
pyloop_wait_sent(void)
{
	struct timespec	ts = { 0, 100000 }, t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* The loop's wait: a look of the page server's finds none stuck. */
	pyclock_wait_begin();
	Py_BEGIN_ALLOW_THREADS
	while (pyserve_inflight() > 0) {
		nanosleep(&ts, NULL);
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000000000 + t.tv_nsec -
		    t0.tv_nsec > PYLOOP_SENT_NS)
			break;
	}
	Py_END_ALLOW_THREADS
	pyclock_wait_end(-1);
}

static int
pyloop_fired_cmp(const void *a, const void *b)
{
	int	x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/*
 * Hand what libev saw to asyncio's _process_events (by way of Python),
 * by descriptor: the order the program opened them in, the same every
 * run, not the order the kernel happened to find them ready in.
 */
static int
pyloop_dispatch(struct pyloop *self)
{
	PyObject	*list, *item, *r;
	size_t		 i;
	int		 mask;

	if ((list = PyList_New(0)) == NULL)
		return -1;
	qsort(self->fired, self->nfired / 2, 2 * sizeof *self->fired,
	    pyloop_fired_cmp);
	for (i = 0; i + 1 < self->nfired; i += 2) {
		mask = (self->fired[i + 1] & EV_READ ? 1 : 0) |
		    (self->fired[i + 1] & EV_WRITE ? 2 : 0);
		if ((item = Py_BuildValue("(ii)", self->fired[i], mask)) ==
		    NULL || PyList_Append(list, item) != 0) {
			Py_XDECREF(item);
			Py_DECREF(list);
			return -1;
		}
		Py_DECREF(item);
	}
	self->nfired = 0;
	r = PyObject_CallMethod((PyObject *)self, "_ls_events", "O", list);
	Py_DECREF(list);
	if (r == NULL)
		return -1;
	Py_DECREF(r);
	return 0;
}

/*
 * Wait for I/O up to timeout seconds (0: only look; <0: until something
 * happens), with the GIL released while libev waits. target is the
 * virtual time of the deadline the wait ends at, or -1.
 */
static int
pyloop_poll(struct pyloop *self, double timeout, vtime_t target)
{
	if (pyclock_sim() && pyserve_inflight() > 0)
		pyloop_wait_sent();
	if (self->nfired > 0)
		;		/* a look of this turn found some already */
	else if (timeout == 0)
		ev_run(self->ev, EVRUN_NOWAIT);
	else {
		pytrace_wait();
		ev_now_update(self->ev);
		self->timed_out = false;
		if (timeout > 0) {
			ev_timer_set(&self->timer, timeout, 0.);
			ev_timer_start(self->ev, &self->timer);
		}
		pyclock_wait_begin();
		Py_BEGIN_ALLOW_THREADS
		ev_run(self->ev, EVRUN_ONCE);
		Py_END_ALLOW_THREADS
		ev_timer_stop(self->ev, &self->timer);
		pyclock_wait_end(self->timed_out && self->nfired == 0 ?
		    target : -1);
		if (self->timed_out && target >= 0)
			pyhold_release(target);
		pyclock_rebase();
		pyemit_tick();
	}
	if (PyErr_CheckSignals() < 0)
		return -1;
	return self->nfired > 0 ? pyloop_dispatch(self) : 0;
}

/* Drop cancelled timers: all of them when they are many, else the top. */
static void
pyloop_prune(struct pyloop *self)
{
	struct pyloop_timer	t;
	size_t			i, k;
	PyObject		*h;

	if (self->nheap > 100 && self->ncancelled * 2 > (Py_ssize_t)self->nheap) {
		for (i = k = 0; i < self->nheap; i++) {
			h = self->heap[i].handle;
			if (PYLOOP_SLOT(h, pyloop_types.cancelled) == Py_True) {
				pyloop_set_slot(h, pyloop_types.scheduled,
				    Py_False);
				Py_DECREF(h);
			} else
				self->heap[k++] = self->heap[i];
		}
		self->nheap = k;
		self->ncancelled = 0;
		pyloop_heap_fix(self);
		return;
	}
	while (self->nheap > 0 && PYLOOP_SLOT(self->heap[0].handle,
	    pyloop_types.cancelled) == Py_True) {
		self->ncancelled--;
		pyloop_heap_pop(self, &t);
		pyloop_set_slot(t.handle, pyloop_types.scheduled, Py_False);
		Py_DECREF(t.handle);
	}
}

/*
 * Handle._run's error path: SystemExit and KeyboardInterrupt go up,
 * anything else to the loop's exception handler (by asyncio's words).
 */
static int
pyloop_error(struct pyloop *self, PyObject *h, PyObject *cb, PyObject *args)
{
	PyObject	*type, *value, *tb, *r;

	if (PyErr_ExceptionMatches(PyExc_SystemExit) ||
	    PyErr_ExceptionMatches(PyExc_KeyboardInterrupt))
		return -1;
	PyErr_Fetch(&type, &value, &tb);
	PyErr_NormalizeException(&type, &value, &tb);
	if (tb != NULL && value != NULL)
		PyException_SetTraceback(value, tb);
	r = PyObject_CallMethod((PyObject *)self, "_ls_callback_error", "OOOO",
	    h, cb, args, value != NULL ? value : Py_None);
	Py_XDECREF(type);
	Py_XDECREF(value);
	Py_XDECREF(tb);
	if (r == NULL)
		return -1;
	Py_DECREF(r);
	return 0;
}

/* Run one handle, traced when it steps a task. */
static int
pyloop_run_handle(struct pyloop *self, PyObject *h)
{
	PyObject	*cb, *args, *ctx, *task = NULL, *r;
	uint32_t	 lane = 0;
	bool		 timer_cb = false;
	int		 rc = 0;

	if (!Py_IS_TYPE(h, pyloop_types.handle) &&
	    !Py_IS_TYPE(h, pyloop_types.timer)) {
		/* A handle of someone else's kind: its own _run. */
		r = PyObject_CallMethod(h, "_run", NULL);
		Py_XDECREF(r);
		return r != NULL ? 0 : -1;
	}
	if (PYLOOP_SLOT(h, pyloop_types.cancelled) == Py_True)
		return 0;
	if (self->debug) {
		r = PyObject_CallMethod((PyObject *)self, "_ls_run_debug", "O",
		    h);
		Py_XDECREF(r);
		return r != NULL ? 0 : -1;
	}
	cb = PYLOOP_SLOT(h, pyloop_types.callback);
	args = PYLOOP_SLOT(h, pyloop_types.args);
	ctx = PYLOOP_SLOT(h, pyloop_types.context);
	if (cb == NULL || args == NULL || ctx == NULL || !PyTuple_Check(args))
		return 0;
	Py_INCREF(cb);
	Py_INCREF(args);
	Py_INCREF(ctx);
	if (pytrace_on()) {
		if ((task = pytask_of(cb)) != NULL) {
			Py_INCREF(task);
			if ((lane = pytask_lane(task)) != 0)
				pytask_step_begin(task, lane);
		} else if ((timer_cb = pytask_is_sleep(cb)))
			pytask_in_timer(true);
	}
	if (PyContext_Enter(ctx) != 0)
		rc = -1;
	else {
		r = PyObject_Vectorcall(cb, &PyTuple_GET_ITEM(args, 0),
		    (size_t)PyTuple_GET_SIZE(args), NULL);
		if (PyContext_Exit(ctx) != 0 && r != NULL) {
			Py_CLEAR(r);
		}
		if (r == NULL)
			rc = pyloop_error(self, h, cb, args);
		Py_XDECREF(r);
	}
	if (timer_cb)
		pytask_in_timer(false);
	if (lane != 0) {
		/* SystemExit or KeyboardInterrupt on its way up stays so. */
		PyObject	*type, *value, *tb;

		PyErr_Fetch(&type, &value, &tb);
		pytask_step_end(task, lane);
		PyErr_Restore(type, value, tb);
	}
	Py_XDECREF(task);
	Py_DECREF(cb);
	Py_DECREF(args);
	Py_DECREF(ctx);
	return rc;
}

/* Move the timers due by now into the ready queue. */
static int
pyloop_due(struct pyloop *self)
{
	struct pyloop_timer	t;
	double			end = pyloop_seconds() + PYLOOP_RESOLUTION;
	int			rc = 0;

	while (self->nheap > 0 && self->heap[0].when < end) {
		pyloop_heap_pop(self, &t);
		pyloop_set_slot(t.handle, pyloop_types.scheduled, Py_False);
		if (t.lane != 0 && pytrace_on() &&
		    PYLOOP_SLOT(t.handle, pyloop_types.cancelled) != Py_True)
			pytask_timer_fired(t.lane, pyloop_vtime(t.when));
		if (rc == 0)
			rc = pyloop_push_ready(self, t.handle);
		Py_DECREF(t.handle);
	}
	return rc;
}

/* Wakes the loop from another thread: a hold came. */
static void
pyloop_wake_hold(void *arg)
{
	struct pyloop	*self = arg;

	ev_async_send(self->ev, &self->wake);
}

/* The loop that runs now is the one a new hold wakes. */
static void
pyloop_waker_set(struct pyloop *self)
{
	static struct pyloop	*current;

	if (current != self) {
		current = self;
		pyhold_set_waker(pyloop_wake_hold, self);
	}
}

/* Now on the child's clock (charging CPU when tracing). */
static vtime_t
pyloop_now_or_clock(void)
{
	return pytrace_on() ? pytrace_now() : pyclock_now();
}

/* One turn of the loop: asyncio's BaseEventLoop._run_once, in C. */
PyObject *
pyloop_run_once(struct pyloop *self, PyObject *unused)
{
	double		timeout = -1;
	vtime_t		target = -1, hold;
	enum pyloop_busy busy;
	size_t		ntodo, i;
	PyObject	*h;
	int		rc = 0;

	(void)unused;
	self->nfired = 0;
	pyloop_prune(self);
	pyloop_waker_set(self);
	if (self->nheap > 0)
		target = pyloop_vtime(self->heap[0].when);
	if ((hold = pyhold_due()) != VTIME_NEVER && (target < 0 ||
	    hold < target))
		target = hold;
	if (self->rlen > 0 || self->stopping)
		timeout = 0;
	else if (target >= 0) {
		timeout = vtime_to_sec(target - pyloop_now_or_clock());
		if (timeout < 0)
			timeout = 0;
		if (timeout > PYLOOP_MAX_TIMEOUT)
			timeout = PYLOOP_MAX_TIMEOUT;
	}
	if (pyclock_sim() && target >= 0 && self->rlen == 0 &&
	    !self->stopping) {
		busy = pyloop_outstanding(self);
		if (pyloop_settling(self, busy)) {
			timeout = PYLOOP_SETTLE;
			target = -1;
		} else if (busy == PYLOOP_IDLE || timeout == 0) {
			/*
			 * Nothing else can happen before the deadline: go
			 * there, once a look finds nothing come meanwhile.
			 */
			ev_run(self->ev, EVRUN_NOWAIT);
			if (self->nfired == 0) {
				pytrace_wait();
				pyclock_jump(target);
				pyhold_release(target);
			}
			timeout = 0;
		}
	}
	if (pyloop_poll(self, timeout, target) != 0)
		return NULL;
	if (!pyclock_sim())
		pyhold_release(pyclock_now());
	if (pyloop_due(self) != 0)
		return NULL;
	ntodo = self->rlen;
	if (ntodo > 0 && pytrace_on()) {
		pyemit_tick();
		pytrace_loop_iter((uint32_t)ntodo,
		    (uint32_t)(self->nheap - (size_t)self->ncancelled),
		    (uint32_t)(self->nwatched - (self->self_fd >= 0)));
	}
	for (i = 0; i < ntodo && self->rlen > 0; i++) {
		h = self->ready[self->rhead];
		self->rhead = (self->rhead + 1) % self->rcap;
		self->rlen--;
		rc = pyloop_run_handle(self, h);
		Py_DECREF(h);
		if (rc != 0)
			break;
	}
	if (pytrace_on())
		pytrace_loop_end();
	if (rc != 0)
		return NULL;
	Py_RETURN_NONE;
}
