/*
 * The child's tracer: lanes and their states, for the calls of the
 * program's own functions and for its tasks (engine/pytask.c).
 *
 * A call of one of the program's functions gets a lane only once it
 * matters: when something is traced while it runs (a print, a sleep, a
 * task made, CPU charged, a call inside it that matters), or when it
 * lasted PYCLOCK_CPU_MIN of real time. Until then it is a pending frame,
 * and a function called a million times for a trifle makes no lane. Every
 * event goes out after the pending frames are shown (pytrace_show), at
 * their own start times, so the trace stays in time order.
 */
#include "config.h"

#include "ptrmap.h"
#include "pyclock.h"
#include "pyemit.h"
#include "pytrace.h"
#include "pytrace-int.h"

struct pytrace_state pytrace;


/* The modules above, as they told the tracer (pytrace_on_gone, ...). */
static struct {
	bool		(*gone_waiting)(void);
	void		(*flush_gone)(void);
	uint32_t	(*thread_lane)(void);
	vtime_t		(*thread_now)(void);
} pytrace_up;

/* Coroutines gone wait to be shown done before the next event. */
void
pytrace_on_gone(bool (*waiting)(void), void (*flush)(void))
{
	pytrace_up.gone_waiting = waiting;
	pytrace_up.flush_gone = flush;
}

/* The lane of the calling thread, 0 for the program's, and its time. */
void
pytrace_on_threads(uint32_t (*lane)(void), vtime_t (*now)(void))
{
	pytrace_up.thread_lane = lane;
	pytrace_up.thread_now = now;
}

/* The calling thread's own lane, if it is another thread of the program. */
static uint32_t
pytrace_thread_lane(void)
{
	return pytrace_up.thread_lane != NULL ? pytrace_up.thread_lane() : 0;
}

/* Trace the program whose files are user_files (a tuple of str). */
int
pytrace_init(PyObject *user_files)
{
	Py_INCREF(user_files);
	pytrace.files = user_files;
	pytrace.nlanes = 1;
	pytrace.on = pyemit_on();
	return 0;
}

bool
pytrace_on(void)
{
	return pytrace.on;
}

/* Trace nothing more (a process the program forked). */
void
pytrace_off(void)
{
	pytrace.on = false;
}

/* Trace again after pytrace_off (cells run to set up a traced one). */
void
pytrace_resume(void)
{
	pytrace.on = pyemit_on();
}

struct pylane *
pytrace_lane(uint32_t id)
{
	return id > 0 && id < pytrace.nlanes ? &pytrace.lanes[id] : NULL;
}

/* Whether code is the program's own (one of its files). */
bool
pytrace_user_code(PyCodeObject *code)
{
	Py_ssize_t	i, n = PyTuple_GET_SIZE(pytrace.files);
	PyObject	*f;

	for (i = 0; i < n; i++) {
		f = PyTuple_GET_ITEM(pytrace.files, i);
		if (code->co_filename == f ||
		    PyUnicode_Compare(code->co_filename, f) == 0)
			return true;
	}
	return false;
}

/* The line the running Python code stands on, 0 when unknown. */
uint16_t
pytrace_frame_line(void)
{
	PyFrameObject	*f = PyEval_GetFrame();
	int		 line;

	if (f == NULL)
		return 0;
	line = PyFrame_GetLineNumber(f);
	return line > 0 && line < 65536 ? (uint16_t)line : 0;
}

/* Push an event of the program's, once the pending calls are shown. */
void
pytrace_push(struct trace_event *ev)
{
	if (pytrace_up.gone_waiting != NULL && pytrace_up.gone_waiting())
		pytrace_up.flush_gone();
	if (pytrace.iter_pending)
		pytrace_iter_show(ev->vtime);
	if (pytrace.nshown < pytrace.ncalls)
		pytrace_show();
	pyemit_push(ev);
}

/* Send an event made by a caller (its vtime is set here). */
void
pytrace_push_event(struct trace_event *ev)
{
	if (!pytrace.on) {
		trace_event_clear(ev);
		return;
	}
	ev->vtime = pytrace_now();
	pytrace_push(ev);
}

/*
 * A turn of the loop begins, with work to do. It is shown (numbered from
 * 1) once it runs something of the program's: a turn that runs only
 * asyncio's own callbacks (a timer's, gather's, asyncio.run's clean-up)
 * stays out of the trace. pytrace_loop_end closes it.
 */
void
pytrace_loop_iter(uint32_t nready, uint32_t ntimers, uint32_t nio)
{
	struct trace_event	*ev = &pytrace.iter;

	memset(ev, 0, sizeof *ev);
	ev->type = TRACE_LOOP_ITER;
	ev->n_ready = nready;
	ev->n_timers = ntimers;
	ev->n_io = nio;
	pytrace.iter_pending = true;
}

void
pytrace_loop_end(void)
{
	pytrace.iter_pending = false;
}

/* The turn running now did something of the program's: show it first. */
void
pytrace_iter_show(vtime_t vtime)
{
	pytrace.iter_pending = false;
	trace_set_iteration(&pytrace.iter, ++pytrace.iterations);
	pytrace.iter.vtime = vtime;
	pyemit_push(&pytrace.iter);
}

void
pytrace_emit(enum trace_type type, uint32_t task, const char *text,
    uint8_t flags, int64_t a, int64_t b)
{
	struct trace_event	ev = { 0 };

	if (!pytrace.on)
		return;
	ev.type = (uint8_t)type;
	ev.task = task;
	ev.flags = flags;
	ev.a = a;
	ev.b = b;
	ev.vtime = pytrace_now();
	if (text != NULL) {
		if ((ev.text = strdup(text)) == NULL)
			return;
		ev.flags |= TRACE_F_OWNED;
	}
	pytrace_push(&ev);
}

/* Send a change of state of lane id, now. */
void
pytrace_state(uint32_t id, enum task_state state, enum trace_reason reason,
    uint16_t line, uint32_t other, int64_t a)
{
	pytrace_state_at(id, state, reason, line, other, a, -1);
}

/* The same, at virtual time at (-1: now). */
void
pytrace_state_at(uint32_t id, enum task_state state,
    enum trace_reason reason, uint16_t line, uint32_t other, int64_t a,
    vtime_t at)
{
	struct pylane		*l = pytrace_lane(id);
	struct trace_event	 ev = { 0 };

	if (!pytrace.on || l == NULL)
		return;
	l->state = (uint8_t)state;
	if (line != 0)
		l->line = line;
	if (state == TASK_RUNNING)
		pytrace.running = id;
	else if (pytrace.running == id)
		pytrace.running = 0;
	ev.type = TRACE_TASK_STATE;
	ev.task = id;
	ev.state = (uint8_t)state;
	ev.reason = (uint8_t)reason;
	ev.line = l->line;
	ev.other = other;
	ev.a = a;
	/* In a step, the time its beginning (or the last look) read. */
	ev.vtime = at >= 0 ? at : pytrace.step != 0 ? pytrace.vt :
	    pytrace_now();
	pytrace_push(&ev);
}

/* Lane id raised: failed, with why (the exception, then its traceback). */
void
pytrace_failed(uint32_t id, const char *why)
{
	struct pylane		*l = pytrace_lane(id);
	struct trace_event	 ev = { 0 };

	if (!pytrace.on || l == NULL)
		return;
	l->state = TASK_FAILED;
	if (pytrace.running == id)
		pytrace.running = 0;
	ev.type = TRACE_TASK_STATE;
	ev.task = id;
	ev.state = TASK_FAILED;
	ev.reason = REASON_ERROR;
	ev.line = l->line;
	ev.vtime = pytrace_now();
	if (why != NULL && (ev.text = strdup(why)) != NULL)
		ev.flags |= TRACE_F_OWNED;
	pytrace_push(&ev);
}

/* Room for one more lane: its id, and the lane zeroed (NULL: no memory). */
struct pylane *
pytrace_lane_alloc(uint32_t *id)
{
	struct pylane	*nl, *l;
	size_t		 ncap;

	if (pytrace.nlanes >= pytrace.cap) {
		ncap = pytrace.cap ? pytrace.cap * 2 : 64;
		if (ncap > UINT32_MAX ||
		    (nl = realloc(pytrace.lanes, ncap * sizeof *nl)) == NULL)
			return NULL;
		pytrace.lanes = nl;
		pytrace.cap = ncap;
	}
	*id = (uint32_t)pytrace.nlanes++;
	l = &pytrace.lanes[*id];
	memset(l, 0, sizeof *l);
	l->state = TASK_CREATED;
	return l;
}

/* A new lane, made at time now; its id (0 when untraced). */
uint32_t
pytrace_lane_at(enum task_kind kind, const char *name, uint32_t parent,
    uint16_t line, vtime_t now)
{
	struct trace_event	 ev = { 0 };
	struct pylane		*l;
	uint32_t		 id;

	if (!pytrace.on)
		return 0;
	/* The program's calls are its thread's: another's lane shows none. */
	if (pytrace.nshown < pytrace.ncalls && pyclock_main_thread())
		pytrace_show();
	if ((l = pytrace_lane_alloc(&id)) == NULL)
		return 0;
	l->parent = parent;
	l->kind = (uint8_t)kind;
	l->line = line;
	ev.type = TRACE_TASK_CREATE;
	ev.task = id;
	ev.other = parent;
	trace_set_task_kind(&ev, kind);
	ev.line = line;
	ev.vtime = now;
	if ((ev.text = strdup(name != NULL ? name : "?")) != NULL)
		ev.flags |= TRACE_F_OWNED;
	pyemit_push(&ev);
	return id;
}

/* A new lane, made now; returns its id (0 when untraced). */
uint32_t
pytrace_lane_new(enum task_kind kind, const char *name, uint32_t parent,
    uint16_t line)
{
	vtime_t	now = pytrace_now();

	return pytrace_lane_at(kind, name, parent, line, now);
}

/* The program ended: its top level's lane, if it has one, is done. */
void
pytrace_module_done(void)
{
	if (pytrace.module != 0 &&
	    pytrace.lanes[pytrace.module].state == TASK_RUNNING)
		pytrace_state(pytrace.module, TASK_DONE, REASON_RETURN, 0, 0, 0);
}

/* The top level's lane, made (running) at time at if it has none. */
static uint32_t
pytrace_module_at(vtime_t at)
{
	struct trace_event	ev = { 0 };

	if (pytrace.module != 0 || !pytrace.on)
		return pytrace.module;
	pytrace.module = pytrace_lane_at(TASK_KIND_FUNCTION, "<module>", 0,
	    pytrace_frame_line(), at);
	if (pytrace.module == 0)
		return 0;
	pytrace.lanes[pytrace.module].state = TASK_RUNNING;
	pytrace.running = pytrace.module;
	ev.type = TRACE_TASK_STATE;
	ev.task = pytrace.module;
	ev.state = TASK_RUNNING;
	ev.reason = REASON_START;
	ev.vtime = at;
	ev.line = pytrace.lanes[pytrace.module].line;
	pyemit_push(&ev);
	return pytrace.module;
}

/*
 * The time now, once CPU work since the last look is charged: shown on
 * the lane running it, as running with reason cpu until it ended.
 */
vtime_t
pytrace_now(void)
{
	struct trace_event	 ev = { 0 };
	vtime_t			 now, charged;
	uint32_t		 who;

	now = pytrace.vt = pyclock_settle(&charged);
	if (pytrace.on)
		pytrace_stuck(pytrace.running, pytrace.ncalls > 0);
	if (charged == 0 || !pytrace.on)
		return now;
	if (pytrace.nshown < pytrace.ncalls)
		pytrace_show();
	who = pytrace.running;
	if (who == 0 && pytrace.step == 0 && pytrace.ncalls == 0)
		who = pytrace_module_at(now - charged);
	if (who == 0)
		return now;
	ev.type = TRACE_TASK_STATE;
	ev.task = who;
	ev.state = TASK_RUNNING;
	ev.reason = REASON_CPU;
	ev.line = pytrace.lanes[who].line;
	trace_set_until(&ev, now);
	ev.vtime = now - charged;
	if (pytrace.iter_pending)
		pytrace_iter_show(ev.vtime);
	pyemit_push(&ev);
	return now;
}

/* The program is about to wait: charge or drop what it computed. */
void
pytrace_wait(void)
{
	(void)pytrace_now();
	pyclock_rebase();
	pyemit_tick();
	pyemit_flush();
}

/* Lane id runs now (a task's step begins). */
void
pytrace_set_running(uint32_t id)
{
	pytrace.step = id;
}

/* The lane the program's thread runs in now: a call or a task; 0 at top. */
uint32_t
pytrace_current(void)
{
	if (!pytrace.on)
		return 0;
	if (pytrace.nshown < pytrace.ncalls)
		pytrace_show();
	if (pytrace.ncalls > 0)
		return pytrace.calls[pytrace.ncalls - 1].lane;
	return pytrace.step;
}

/*
 * The lane a state of the running code goes to: pytrace_current(), or at
 * the program's top level its "<module>" lane, made when first needed
 * and running again if a loop had it wait.
 */
uint32_t
pytrace_here(void)
{
	uint32_t	id;

	/* Another thread's code: its own lane. */
	if ((id = pytrace_thread_lane()) != 0)
		return id;
	id = pytrace_current();

	if (id != 0 || !pytrace.on)
		return id;
	if (pytrace.module == 0)
		pytrace_module_at(pytrace_now());
	else if (pytrace.lanes[pytrace.module].state != TASK_RUNNING)
		pytrace_state(pytrace.module, TASK_RUNNING, REASON_RESUME, 0, 0,
		    0);
	return pytrace.module;
}

/* A loop runs a step: the top level, if it had a lane, waits on it. */
void
pytrace_loop_runs(uint32_t task)
{
	if (pytrace.module != 0 &&
	    pytrace.lanes[pytrace.module].state == TASK_RUNNING &&
	    pytrace.ncalls == 0)
		pytrace_state(pytrace.module, TASK_WAITING_TASK, REASON_AWAIT,
		    0, task, 0);
}

/* Printed text (a whole line, or what is left at the end). */
void
pytrace_print(const char *text, size_t len, bool is_stderr)
{
	struct trace_event	ev = { 0 };

	if (!pytrace.on)
		return;
	ev.type = TRACE_PRINT;
	/* Another thread's print: at that thread's own time. */
	ev.vtime = pytrace_thread_lane() != 0 ? pytrace_up.thread_now() :
	    pytrace_now();
	ev.task = pytrace_here();
	ev.line = pytrace_frame_line();
	if ((ev.text = malloc(len + 1)) == NULL)
		return;
	memcpy(ev.text, text, len);
	ev.text[len] = '\0';
	ev.flags = TRACE_F_OWNED | (is_stderr ? TRACE_F_STDERR : 0);
	pytrace_push(&ev);
}

/* A step's events read the time of the last look: look now. */
void
pytrace_look(void)
{
	pytrace.vt = pyclock_now();
}
