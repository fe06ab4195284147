/*
 * Tasks on the loop: which task a callback serves, its lane, and what it
 * waits on after each of its steps. On 3.11 a task's step reaches the
 * loop as a TaskStepMethWrapper (its first step, and each yield) or as its
 * wakeup method bound to it (when what it awaited is done): either names
 * the task, so no profiler is needed. After a step the task's _fut_waiter
 * says what it waits on, and its coroutine's cr_await chain which of the
 * program's coroutines it awaits in place (each a lane of its own).
 */
#include "config.h"

#include "ptrmap.h"
#include "pyclock.h"
#include "pycoro.h"
#include "pyemit.h"
#include "pytask.h"
#include "pytrace.h"

#define PYTASK_HIDDEN	UINT32_MAX	/* a task without a lane */

/* What a TaskStepMethWrapper is on 3.11 (Modules/_asynciomodule.c). */
struct pytask_step_wrapper {
	PyObject_HEAD
	PyObject	*task;
	PyObject	*arg;
};

static struct {
	PyTypeObject	*task_type;	/* asyncio.Task (C) */
	PyTypeObject	*pytask_type;	/* asyncio.tasks._PyTask */
	PyTypeObject	*step_type;	/* learned at its first sight */
	bool		 step_direct;	/* its layout is the one above */
	PyTypeObject	*gather_type;	/* tasks._GatheringFuture */
	PyObject	*sleep_cb;	/* futures._set_result_unless_cancelled */
	PyObject	*s_self, *s_state, *s_waiter, *s_exception, *s_coro,
			*s_await, *s_frame, *s_children, *s_finished,
			*s_cancelled;
	struct ptrmap	 tasks;		/* task -> lane */
	/* The step running now. */
	uint32_t	 step;		/* the task's lane */
	PyObject	*sleep_fut;	/* the sleep it started, borrowed */
	vtime_t		 sleep_due;
	bool		 in_timer;	/* a sleep's timer callback runs */
} pytask;

static PyObject *
pytask_import(const char *module, const char *name)
{
	PyObject	*m, *o;

	if ((m = PyImport_ImportModule(module)) == NULL)
		return NULL;
	o = PyObject_GetAttrString(m, name);
	Py_DECREF(m);
	return o;
}

int
pytask_init(void)
{
	PyObject	*o;

#define PYTASK_STR(field, text) \
	if ((pytask.field = PyUnicode_InternFromString(text)) == NULL) \
		return -1
	PYTASK_STR(s_self, "__self__");
	PYTASK_STR(s_state, "_state");
	PYTASK_STR(s_waiter, "_fut_waiter");
	PYTASK_STR(s_exception, "_exception");
	PYTASK_STR(s_coro, "_coro");
	PYTASK_STR(s_await, "cr_await");
	PYTASK_STR(s_frame, "cr_frame");
	PYTASK_STR(s_children, "_children");
	PYTASK_STR(s_finished, "FINISHED");
	PYTASK_STR(s_cancelled, "CANCELLED");
#undef PYTASK_STR
	if ((o = pytask_import("asyncio", "Task")) == NULL)
		return -1;
	pytask.task_type = (PyTypeObject *)o;
	if ((o = pytask_import("asyncio.tasks", "_PyTask")) == NULL)
		return -1;
	pytask.pytask_type = (PyTypeObject *)o;
	if ((o = pytask_import("asyncio.tasks", "_GatheringFuture")) == NULL)
		return -1;
	pytask.gather_type = (PyTypeObject *)o;
	if ((pytask.sleep_cb = pytask_import("asyncio.futures",
	    "_set_result_unless_cancelled")) == NULL)
		return -1;
	return 0;
}

/* The task a callback steps or wakes (borrowed), or NULL. */
PyObject *
pytask_of(PyObject *cb)
{
	PyTypeObject	*tp = Py_TYPE(cb);
	PyObject	*self;

	if (tp == pytask.step_type) {
		if (pytask.step_direct)
			return ((struct pytask_step_wrapper *)cb)->task;
		if ((self = PyObject_GetAttr(cb, pytask.s_self)) == NULL) {
			PyErr_Clear();
			return NULL;
		}
		Py_DECREF(self);	/* the wrapper keeps it */
		return self;
	}
	if (PyCFunction_Check(cb)) {
		self = PyCFunction_GET_SELF(cb);
		if (self != NULL && (Py_IS_TYPE(self, pytask.task_type) ||
		    PyObject_TypeCheck(self, pytask.task_type)))
			return self;
		return NULL;
	}
	if (PyMethod_Check(cb)) {
		self = PyMethod_GET_SELF(cb);
		if (PyObject_TypeCheck(self, pytask.pytask_type))
			return self;
		return NULL;
	}
	if (pytask.step_type == NULL &&
	    strcmp(tp->tp_name, "TaskStepMethWrapper") == 0) {
		pytask.step_type = tp;
		if ((self = PyObject_GetAttr(cb, pytask.s_self)) == NULL) {
			PyErr_Clear();
			return NULL;
		}
		pytask.step_direct = tp->tp_basicsize >= (Py_ssize_t)sizeof(
		    struct pytask_step_wrapper) &&
		    ((struct pytask_step_wrapper *)cb)->task == self;
		Py_DECREF(self);
		return self;
	}
	return NULL;
}

/* The innermost lane of a task: the coroutine it runs in, or itself. */
static uint32_t
pytask_active(uint32_t lane)
{
	struct pylane	*l = pytrace_lane(lane);

	return l != NULL && l->nchain > 0 ? l->chain[l->nchain - 1] : lane;
}

/*
 * asyncio's own tasks (asyncio.run's clean-up: shutdown_asyncgens and
 * shutdown_default_executor) are no lanes: nobody wrote them.
 */
static bool
pytask_hidden(PyObject *coro)
{
	PyObject	*code;
	const char	*f = NULL;
	size_t		 n;
	bool		 hide = false;

	if ((code = PyObject_GetAttrString(coro, "cr_code")) == NULL) {
		PyErr_Clear();
		return false;
	}
	if (PyCode_Check(code))
		f = PyUnicode_AsUTF8(((PyCodeObject *)code)->co_filename);
	if (f != NULL && (n = strlen(f)) > 0)
		hide = (n >= 22 && strcmp(f + n - 22, "asyncio/base_events.py")
		    == 0) || (n >= 18 && strcmp(f + n - 18,
		    "asyncio/runners.py") == 0);
	PyErr_Clear();
	Py_DECREF(code);
	return hide;
}

/* The lane of a task, made at its first sight. */
uint32_t
pytask_lane(PyObject *task)
{
	PyObject	*coro;
	struct pylane	*l;
	uint32_t	 id;
	char		*name;

	if ((id = ptrmap_get(&pytask.tasks, task)) != 0)
		return id != PYTASK_HIDDEN ? id : 0;
	if ((coro = PyObject_GetAttr(task, pytask.s_coro)) == NULL) {
		PyErr_Clear();
		return 0;
	}
	if (pytask_hidden(coro)) {
		Py_DECREF(coro);
		ptrmap_put(&pytask.tasks, task, PYTASK_HIDDEN);
		return 0;
	}
	if ((id = pycoro_lane(coro)) != 0 &&
	    (l = pytrace_lane(id)) != NULL && l->state == TASK_CREATED) {
		/* One of the program's coroutines becomes a task: its ready
		 * state says so (pytask_scheduled). */
		l->kind = TASK_KIND_TASK;
	} else {
		name = pytrace_coro_name(coro);
		id = pytrace_lane_new(TASK_KIND_TASK, name, pytrace_current(),
		    pytrace_frame_line());
		free(name);
	}
	Py_DECREF(coro);
	if (id == 0)
		return 0;
	pytrace_lane(id)->flags |= PYLANE_F_TASK;
	ptrmap_put(&pytask.tasks, task, id);
	return id;
}

/*
 * call_soon was given callback: when it steps or wakes a task, the task
 * is ready (first: it was just made).
 */
void
pytask_scheduled(PyObject *cb, bool first)
{
	PyObject		*task;
	struct pylane		*l;
	uint32_t		 lane, who;
	enum trace_reason	 why;

	if ((task = pytask_of(cb)) == NULL)
		return;
	first = first || ptrmap_get(&pytask.tasks, task) == 0;
	if ((lane = pytask_lane(task)) == 0)
		return;
	l = pytrace_lane(lane);
	who = pytask_active(lane);
	if (lane == pytask.step) {
		l->flags |= PYLANE_F_READIED;
		why = REASON_YIELD;
	} else if (first)
		why = REASON_SCHEDULED;
	else if (pytask.in_timer) {
		if (pytrace_lane(who)->state == TASK_READY)
			return;		/* ready since its timer fired */
		why = REASON_TIMER;
	} else
		why = REASON_WOKEN;
	pytrace_lane(who)->wake = first ? REASON_START : REASON_RESUME;
	pytrace_state(who, TASK_READY, why, 0, 0, first &&
	    pytrace_lane(who)->kind == TASK_KIND_TASK &&
	    pytrace_lane(who)->coro != NULL ? TASK_KIND_TASK : 0);
}

static uint16_t	pytask_coro_line(PyObject *coro);

/* A step of task (lane) begins; a first one, on its def's line. */
void
pytask_step_begin(PyObject *task, uint32_t lane)
{
	uint32_t	 who = pytask_active(lane);
	struct pylane	*l = pytrace_lane(who);
	PyObject	*coro;

	if (l->wake == REASON_START &&
	    (coro = PyObject_GetAttr(task, pytask.s_coro)) != NULL) {
		l->line = pytask_coro_line(coro);
		Py_DECREF(coro);
	}
	PyErr_Clear();
	(void)pytrace_now();		/* the step's time, for its events */
	pytrace_loop_runs(lane);
	pytask.step = lane;
	pytask.sleep_fut = NULL;
	pytrace_set_running(who);
	pytrace_state(who, TASK_RUNNING, l->wake ? l->wake : REASON_RESUME,
	    0, 0, 0);
	pytrace_lane(lane)->flags &= (uint8_t)~PYLANE_F_READIED;
}

/* The line a coroutine stands on, 0 when it has no frame. */
static uint16_t
pytask_coro_line(PyObject *coro)
{
	PyObject	*frame;
	int		 line = 0;

	if ((frame = PyObject_GetAttr(coro, pytask.s_frame)) == NULL) {
		PyErr_Clear();
		return 0;
	}
	if (frame != Py_None)
		line = PyFrame_GetLineNumber((PyFrameObject *)frame);
	Py_DECREF(frame);
	return line > 0 && line < 65536 ? (uint16_t)line : 0;
}

/*
 * The program's coroutines the task awaits in place, outermost first,
 * into chain (at most 8); their lines into lines.
 */
static uint8_t
pytask_chain(PyObject *task, uint32_t lane, uint32_t *chain, uint16_t *lines,
    uint16_t *task_line)
{
	PyObject	*coro, *next;
	uint32_t	 id;
	uint8_t		 n = 0;

	*task_line = 0;
	if ((coro = PyObject_GetAttr(task, pytask.s_coro)) == NULL) {
		PyErr_Clear();
		return 0;
	}
	*task_line = pytask_coro_line(coro);
	while (n < 8) {
		if ((next = PyObject_GetAttr(coro, pytask.s_await)) == NULL) {
			PyErr_Clear();
			break;
		}
		Py_DECREF(coro);
		coro = next;
		if (!PyCoro_CheckExact(coro) ||
		    (id = pycoro_lane(coro)) == 0 || id == lane)
			break;
		lines[n] = pytask_coro_line(coro);
		chain[n++] = id;
	}
	Py_DECREF(coro);
	return n;
}

/* What a task's lane ends as: done, failed (with why) or cancelled. */
static void
pytask_final(PyObject *task, PyObject *state, uint32_t lane)
{
	PyObject	*exc;
	char		*why;

	if (state == pytask.s_cancelled ||
	    PyUnicode_Compare(state, pytask.s_cancelled) == 0) {
		pytrace_state(lane, TASK_CANCELLED, REASON_NONE, 0, 0, 0);
		return;
	}
	if ((exc = PyObject_GetAttr(task, pytask.s_exception)) == NULL) {
		PyErr_Clear();
		pytrace_state(lane, TASK_DONE, REASON_RETURN, 0, 0, 0);
		return;
	}
	if (exc == Py_None) {
		Py_DECREF(exc);
		pytrace_state(lane, TASK_DONE, REASON_RETURN, 0, 0, 0);
		return;
	}
	why = pytrace_exc_text(exc);
	pytrace_failed(lane, why != NULL ? why : Py_TYPE(exc)->tp_name);
	free(why);
	Py_DECREF(exc);
}

/* What a task waits on: its innermost lane's state. */
static void
pytask_waits(uint32_t who, PyObject *waiter, uint16_t line)
{
	PyObject	*kids;
	Py_ssize_t	 n = 0;

	if (waiter == pytask.sleep_fut && waiter != NULL) {
		pytrace_state(who, TASK_WAITING_TIMER, REASON_SLEEP, line, 0,
		    pytask.sleep_due);
		return;
	}
	if (waiter != NULL && (Py_IS_TYPE(waiter, pytask.task_type) ||
	    PyObject_TypeCheck(waiter, pytask.task_type) ||
	    PyObject_TypeCheck(waiter, pytask.pytask_type))) {
		pytrace_state(who, TASK_WAITING_TASK, REASON_AWAIT, line,
		    pytask_lane(waiter), 0);
		return;
	}
	if (waiter != NULL && PyObject_TypeCheck(waiter, pytask.gather_type)) {
		if ((kids = PyObject_GetAttr(waiter, pytask.s_children)) !=
		    NULL) {
			n = PyObject_Length(kids);
			Py_DECREF(kids);
		}
		PyErr_Clear();
		pytrace_state(who, TASK_WAITING_TASK, REASON_GATHER, line, 0,
		    n > 0 ? n : 0);
		return;
	}
	/* A future of no task: a socket's answer, a thread's result. */
	if (waiter != NULL)
		pytrace_state(who, TASK_WAITING_IO, REASON_FUTURE, line, 0, 0);
	else
		pytrace_state(who, TASK_WAITING_TASK, REASON_AWAIT, line, 0,
		    0);
}

/* A step of task (lane) ended: what it waits on now, or how it ended. */
void
pytask_step_end(PyObject *task, uint32_t lane)
{
	struct pylane	*l = pytrace_lane(lane);
	PyObject	*state, *waiter;
	uint32_t	 chain[8];
	uint16_t	 lines[8], line;
	uint8_t		 n, i, k;

	pytrace_set_running(0);
	pytask.step = 0;
	if (pycoro_gone_waiting())
		pycoro_flush_gone();
	if (l == NULL)
		return;
	if (l->flags & PYLANE_F_READIED)
		return;		/* it yielded: ready again already */
	(void)pytrace_now();		/* its waits start after its CPU */
	if ((state = PyObject_GetAttr(task, pytask.s_state)) == NULL) {
		PyErr_Clear();
		return;
	}
	if (state == pytask.s_finished || state == pytask.s_cancelled ||
	    PyUnicode_Compare(state, pytask.s_finished) == 0 ||
	    PyUnicode_Compare(state, pytask.s_cancelled) == 0) {
		for (i = l->nchain; i > 0; i--)
			pytask_final(task, state, l->chain[i - 1]);
		l->nchain = 0;
		pytask_final(task, state, lane);
		Py_DECREF(state);
		ptrmap_del(&pytask.tasks, task);
		return;
	}
	Py_DECREF(state);
	n = pytask_chain(task, lane, chain, lines, &line);
	/* Coroutines that left the chain returned to their awaiter. */
	for (i = 0; i < l->nchain; i++) {
		for (k = 0; k < n && chain[k] != l->chain[i]; k++)
			;
		if (k == n)
			pytrace_state(l->chain[i], TASK_DONE, REASON_RETURN, 0,
			    0, 0);
	}
	for (i = 0; i < n; i++)
		if (i + 1 < n && pytrace_lane(chain[i])->state !=
		    TASK_WAITING_TASK)
			pytrace_state(chain[i], TASK_WAITING_TASK,
			    REASON_AWAIT, lines[i], chain[i + 1], 0);
	memcpy(l->chain, chain, n * sizeof *chain);
	l->nchain = n;
	if (n > 0)
		pytrace_state(lane, TASK_WAITING_TASK, REASON_AWAIT, line,
		    chain[0], 0);
	if ((waiter = PyObject_GetAttr(task, pytask.s_waiter)) == NULL)
		PyErr_Clear();
	pytask_waits(n > 0 ? chain[n - 1] : lane, waiter != Py_None ? waiter :
	    NULL, n > 0 ? lines[n - 1] : line);
	Py_XDECREF(waiter);
}

/*
 * call_at was given callback(args): asyncio.sleep's timer, made by the
 * step running now, is what that task waits on until due.
 */
void
pytask_sleep_timer(PyObject *cb, PyObject *const *args, size_t nargs,
    vtime_t due)
{
	if (cb != pytask.sleep_cb || nargs < 1 || pytask.step == 0)
		return;
	pytask.sleep_fut = args[0];
	pytask.sleep_due = due;
}

/* Whether a timer's callback is a sleep's: its task's lane, or 0. */
uint32_t
pytask_timer_lane(PyObject *cb, PyObject *args)
{
	(void)args;
	if (cb != pytask.sleep_cb)
		return 0;
	return pytask.step;
}

/* Whether callback is asyncio.sleep's timer callback. */
bool
pytask_is_sleep(PyObject *cb)
{
	return cb == pytask.sleep_cb;
}

/* A task's sleep timer (made in its step, lane) was taken off the heap. */
void
pytask_timer_fired(uint32_t lane, vtime_t due)
{
	struct trace_event	ev = { 0 };

	ev.type = TRACE_TIMER_FIRE;
	ev.task = pytask_active(lane);
	trace_set_due(&ev, due);
	pytrace_push_event(&ev);
	/*
	 * Its sleep is over: the task is ready from now, though asyncio runs
	 * the timer's callback first, which schedules the task's wakeup.
	 */
	pytrace_lane(ev.task)->wake = REASON_RESUME;
	pytrace_state(ev.task, TASK_READY, REASON_TIMER, 0, 0, 0);
}

/* A sleep's timer callback runs (true) or ran (false). */
void
pytask_in_timer(bool on)
{
	pytask.in_timer = on;
}
