/*
 * The calls of the program's own functions (their wrapper is
 * engine/pycall.c): a pending frame each, given a lane only once it
 * matters (engine/pytrace.c says when).
 */
#include "config.h"

#include "pyclock.h"
#include "pyemit.h"
#include "pytrace.h"
#include "pytrace-int.h"

/* The lane of the innermost shown call, or the running step's, or 0. */
static uint32_t
pytrace_outer(int below)
{
	if (below > 0)
		return pytrace.calls[below - 1].lane;
	return pytrace.step;
}

/* Give every pending call its lane, outermost first, at its start. */
void
pytrace_show(void)
{
	struct pytrace_call	*c;
	struct trace_event	 ev = { 0 };
	char			*name;
	uint32_t		 parent, id;
	struct pylane		*l;
	int			 i;

	if (pytrace.iter_pending && pytrace.nshown < pytrace.ncalls)
		pytrace_iter_show(pytrace.calls[pytrace.nshown].start);
	while ((i = pytrace.nshown) < pytrace.ncalls) {
		c = &pytrace.calls[i];
		pytrace.nshown++;
		parent = pytrace_outer(i);
		if (parent == 0 && pytrace.running != 0)
			parent = pytrace.running;
		if ((l = pytrace_lane_alloc(&id)) == NULL)
			return;
		name = pytrace_call_name(c->func, c->args, c->nargs,
		    c->kwnames);
		l->parent = parent;
		l->kind = TASK_KIND_FUNCTION;
		l->state = TASK_RUNNING;
		c->lane = id;
		ev.type = TRACE_TASK_CREATE;
		ev.task = id;
		ev.other = parent;
		trace_set_task_kind(&ev, TASK_KIND_FUNCTION);
		ev.vtime = c->start;
		ev.text = name;
		ev.flags = name != NULL ? TRACE_F_OWNED : 0;
		pyemit_push(&ev);
		memset(&ev, 0, sizeof ev);
		ev.type = TRACE_TASK_STATE;
		ev.vtime = c->start;
		if (parent != 0 && pytrace.lanes[parent].state ==
		    TASK_RUNNING) {
			pytrace.lanes[parent].state = TASK_WAITING_TASK;
			ev.task = parent;
			ev.state = TASK_WAITING_TASK;
			ev.reason = REASON_AWAIT;
			ev.other = id;
			ev.line = pytrace.lanes[parent].line;
			pyemit_push(&ev);
		}
		ev.task = id;
		ev.state = TASK_RUNNING;
		ev.reason = REASON_START;
		ev.other = 0;
		ev.line = 0;
		pyemit_push(&ev);
		pytrace.running = id;
	}
}

/*
 * A call of one of the program's functions begins; returns the frame to
 * give pytrace_call_exit, or -1 when it is not traced (too deep, or the
 * function calls itself: a recursion is one lane).
 */
int
pytrace_call_enter(PyObject *func, PyObject *const *args, size_t nargs,
    PyObject *kwnames)
{
	struct pytrace_call	*c;
	int			 i;

	if (!pytrace.on || !pyclock_main_thread() ||
	    pytrace.ncalls == PYTRACE_DEPTH)
		return -1;
	for (i = 0; i < pytrace.ncalls; i++)
		if (pytrace.calls[i].func == func)
			return -1;
	c = &pytrace.calls[pytrace.ncalls];
	c->func = func;
	c->args = args;
	c->nargs = nargs;
	c->kwnames = kwnames;
	c->lane = 0;
	c->start = pytrace_now();
	c->real = vtime_real_ns();
	return pytrace.ncalls++;
}

/* The call of frame returned (or raised: failed). */
void
pytrace_call_exit(int frame, bool failed)
{
	struct pytrace_call	*c;
	PyObject		*type, *value, *tb;
	char			*why;
	uint32_t		 parent, lane;

	if (frame < 0 || frame != pytrace.ncalls - 1)
		return;
	c = &pytrace.calls[frame];
	/* Short and quiet: it never needed a lane. */
	if (c->lane == 0 && vtime_real_ns() - c->real < PYCLOCK_CPU_MIN &&
	    pytrace_now() == c->start) {
		pytrace.ncalls--;
		return;
	}
	if (c->lane == 0)
		pytrace_show();
	pytrace.ncalls--;
	pytrace.nshown = pytrace.ncalls;
	lane = c->lane;		/* the exception's __str__ may call in */
	if (failed) {
		PyErr_Fetch(&type, &value, &tb);
		PyErr_NormalizeException(&type, &value, &tb);
		why = value != NULL ? pytrace_exc_text(value) : NULL;
		pytrace_failed(lane, why != NULL ? why : "error");
		free(why);
		PyErr_Restore(type, value, tb);
	} else
		pytrace_state(lane, TASK_DONE, REASON_RETURN, 0, 0, 0);
	parent = pytrace_outer(frame);
	if (parent != 0 && pytrace.lanes[parent].state == TASK_WAITING_TASK)
		pytrace_state(parent, TASK_RUNNING, REASON_RESUME, 0, 0, 0);
}
