/*
 * The program's coroutines: each one its functions made has a lane, found
 * here by the coroutine's pointer, and how it ends when it never runs. A
 * coroutine that goes away unawaited is said so when Python warns of it;
 * one that goes away having run returned within a step: which it was is
 * known by the next event (pycoro_flush_gone).
 */
#include "config.h"

#include "ptrmap.h"
#include "pycoro.h"
#include "pytrace.h"

#define PYCORO_GONE	256	/* coroutines gone since the last event */

static struct {
	struct ptrmap	 coros;		/* the program's coroutines -> lane */
	uint32_t	 gone[PYCORO_GONE];	/* lanes, never run? */
	int		 ngone;
} pycoro;

static int	pycoro_hook_warnings(void);

/*
 * Make ready: Python's warning of a coroutine never awaited is heard, and
 * the tracer shows the coroutines gone before its next event.
 */
int
pycoro_init(void)
{
	pytrace_on_gone(pycoro_gone_waiting, pycoro_flush_gone);
	return pycoro_hook_warnings();
}

/* The lane of one of the program's coroutines, or 0. */
uint32_t
pycoro_lane(PyObject *coro)
{
	return ptrmap_get(&pycoro.coros, coro);
}

/*
 * A coroutine with a lane is going away. If it never ran, Python says it
 * was never awaited right after (pycoro_unawaited); if it ran, it ran
 * within a step and returned there. Which it was is known by the next
 * event (pycoro_flush_gone). Its pointer leaves the map then, so that
 * the map never holds a pointer to freed memory.
 */
static PyObject *
pycoro_gone(PyObject *lane, PyObject *ref)
{
	uint32_t	 id = (uint32_t)PyLong_AsUnsignedLong(lane);
	struct pylane	*l = pytrace_lane(id);

	(void)ref;
	if (l == NULL)
		Py_RETURN_NONE;
	Py_CLEAR(l->ref);
	if (l->state == TASK_CREATED && pycoro.ngone < PYCORO_GONE) {
		pycoro.gone[pycoro.ngone++] = id;
		Py_RETURN_NONE;
	}
	if (l->coro != NULL && ptrmap_get(&pycoro.coros, l->coro) == id)
		ptrmap_del(&pycoro.coros, l->coro);
	l->coro = NULL;
	Py_RETURN_NONE;
}

/* Whether coroutines gone wait for pycoro_flush_gone. */
bool
pycoro_gone_waiting(void)
{
	return pycoro.ngone > 0;
}

/* The coroutines gone without Python's warning ran: they are done. */
void
pycoro_flush_gone(void)
{
	uint32_t	 ids[PYCORO_GONE];
	struct pylane	*l;
	int		 i, n = pycoro.ngone;

	memcpy(ids, pycoro.gone, (size_t)n * sizeof *ids);
	pycoro.ngone = 0;
	for (i = 0; i < n; i++) {
		if ((l = pytrace_lane(ids[i])) == NULL)
			continue;
		if (l->coro != NULL &&
		    ptrmap_get(&pycoro.coros, l->coro) == ids[i])
			ptrmap_del(&pycoro.coros, l->coro);
		l->coro = NULL;
		if (l->state == TASK_CREATED) {
			pytrace_state(ids[i], TASK_RUNNING, REASON_START, 0, 0,
			    0);
			pytrace_state(ids[i], TASK_DONE, REASON_RETURN, 0, 0,
			    0);
		}
	}
}

/*
 * warnings._warn_unawaited_coroutine, wrapped (self: asyncio's own): a
 * coroutine that never ran is going away. In C, so that the warning's
 * stack level still names the program's line.
 */
static PyObject *
pycoro_unawaited(PyObject *orig, PyObject *coro)
{
	uint32_t	id = ptrmap_get(&pycoro.coros, coro);
	struct pylane	*l = pytrace_lane(id);
	int		i;

	if (l != NULL && l->state == TASK_CREATED) {
		for (i = 0; i < pycoro.ngone; i++)
			if (pycoro.gone[i] == id)
				pycoro.gone[i] = pycoro.gone[--pycoro.ngone];
		ptrmap_del(&pycoro.coros, coro);
		l->coro = NULL;
		pytrace_state(id, TASK_CANCELLED, REASON_NEVER_AWAITED, 0, 0,
		    0);
	}
	return PyObject_CallOneArg(orig, coro);
}

static PyMethodDef pycoro_unawaited_def = {
	"_warn_unawaited_coroutine", pycoro_unawaited, METH_O, NULL
};

/*
 * The program ended: a coroutine of its that never ran never will. It
 * goes away as the interpreter ends, when Python may no longer find the
 * hook above: it is said never awaited now.
 */
void
pycoro_finish(void)
{
	struct pylane	*l;
	uint32_t	 id;

	pycoro_flush_gone();
	for (id = 1; (l = pytrace_lane(id)) != NULL; id++)
		if (l->kind == TASK_KIND_COROUTINE &&
		    l->state == TASK_CREATED && l->coro != NULL)
			pytrace_state(id, TASK_CANCELLED,
			    REASON_NEVER_AWAITED, 0, 0, 0);
}

static PyMethodDef pycoro_gone_def = {
	"coroutine_gone", pycoro_gone, METH_O, NULL
};

/* Put pycoro_unawaited in front of warnings' own hook. */
static int
pycoro_hook_warnings(void)
{
	PyObject	*w, *orig, *hook;
	int		 rc;

	if ((w = PyImport_ImportModule("warnings")) == NULL)
		return -1;
	if ((orig = PyObject_GetAttrString(w, "_warn_unawaited_coroutine")) ==
	    NULL || (hook = PyCFunction_New(&pycoro_unawaited_def, orig)) ==
	    NULL) {
		Py_XDECREF(orig);
		Py_DECREF(w);
		return -1;
	}
	rc = PyObject_SetAttrString(w, "_warn_unawaited_coroutine", hook);
	Py_DECREF(hook);
	Py_DECREF(orig);
	Py_DECREF(w);
	return rc;
}

/* A coroutine of one of the program's async functions was made. */
void
pycoro_made(PyObject *coro, PyObject *func, PyObject *const *args,
    size_t nargs, PyObject *kwnames)
{
	char		*name;
	uint32_t	 id;

	if (!pytrace_on() || !PyCoro_CheckExact(coro))
		return;
	name = pytrace_call_name(func, args, nargs, kwnames);
	id = pytrace_lane_new(TASK_KIND_COROUTINE, name, pytrace_current(),
	    pytrace_frame_line());
	free(name);
	if (id != 0) {
		pytrace_lane(id)->coro = coro;
		pycoro_set_lane(coro, id);
	}
}

/* The program's coroutine coro is lane (made by its function's wrapper). */
void
pycoro_set_lane(PyObject *coro, uint32_t lane)
{
	PyObject	*id, *cb;

	ptrmap_put(&pycoro.coros, coro, lane);
	if ((id = PyLong_FromUnsignedLong(lane)) != NULL &&
	    (cb = PyCFunction_New(&pycoro_gone_def, id)) != NULL) {
		pytrace_lane(lane)->ref = PyWeakref_NewRef(coro, cb);
		Py_DECREF(cb);
	}
	Py_XDECREF(id);
	PyErr_Clear();
}
