/*
 * The loop type, _loopscope.LoopCore: its making and unmaking, asyncio's
 * handle types as C sees them, the attributes asyncio's Python reads
 * (_ready, _scheduled, _stopping...) and its table of methods. What
 * asyncio calls on every callback (call_soon, call_at, time) is in
 * engine/pyloop-call.c, the loop's run (_run_once) in engine/pyloop-run.c.
 */
#include "config.h"

#include "pyclock.h"
#include "pyhold.h"
#include "pyloop-int.h"
#include "pytrace.h"

#include <structmember.h>

struct pyloop_types pyloop_types;

/* The loop's time: monotonic seconds, virtual in the simulated clock. */
double
pyloop_seconds(void)
{
	vtime_t	now = pytrace_on() ? pytrace_now() : pyclock_now();

	return (double)(pyclock_real_base() + now) / 1e9;
}

/* A time of the loop's as virtual nanoseconds. */
vtime_t
pyloop_vtime(double when)
{
	return (vtime_t)(when * 1e9 + 0.5) - pyclock_real_base();
}

/* Where a member slot of asyncio's handle types is. */
static int
pyloop_offset(PyTypeObject *tp, const char *name, Py_ssize_t *off)
{
	PyObject	*d = PyObject_GetAttrString((PyObject *)tp, name);

	if (d == NULL)
		return -1;
	if (!Py_IS_TYPE(d, &PyMemberDescr_Type)) {
		Py_DECREF(d);
		PyErr_Format(PyExc_TypeError, "%s.%s is not a slot",
		    tp->tp_name, name);
		return -1;
	}
	*off = ((PyMemberDescrObject *)d)->d_member->offset;
	Py_DECREF(d);
	return 0;
}

static int
pyloop_types_init(void)
{
	PyObject	*m, *c;
	struct pyloop_types *t = &pyloop_types;

	if ((m = PyImport_ImportModule("asyncio.events")) == NULL)
		return -1;
	t->handle = (PyTypeObject *)PyObject_GetAttrString(m, "Handle");
	t->timer = (PyTypeObject *)PyObject_GetAttrString(m, "TimerHandle");
	Py_DECREF(m);
	if ((m = PyImport_ImportModule("asyncio.base_events")) == NULL)
		return -1;
	if ((c = PyObject_GetAttrString(m, "BaseEventLoop")) != NULL) {
		t->run_in_executor = PyObject_GetAttrString(c,
		    "run_in_executor");
		t->run_forever = PyObject_GetAttrString(c, "run_forever");
		Py_DECREF(c);
	}
	Py_DECREF(m);
	if (t->handle == NULL || t->timer == NULL ||
	    t->run_in_executor == NULL || t->run_forever == NULL ||
	    pyloop_offset(t->handle, "_callback", &t->callback) != 0 ||
	    pyloop_offset(t->handle, "_args", &t->args) != 0 ||
	    pyloop_offset(t->handle, "_cancelled", &t->cancelled) != 0 ||
	    pyloop_offset(t->handle, "_loop", &t->loop) != 0 ||
	    pyloop_offset(t->handle, "_source_traceback",
	    &t->source_tb) != 0 ||
	    pyloop_offset(t->handle, "_repr", &t->repr) != 0 ||
	    pyloop_offset(t->handle, "_context", &t->context) != 0 ||
	    pyloop_offset(t->timer, "_scheduled", &t->scheduled) != 0 ||
	    pyloop_offset(t->timer, "_when", &t->when) != 0 ||
	    (t->empty = PyTuple_New(0)) == NULL)
		return -1;
	return 0;
}

void
pyloop_set_slot(PyObject *o, Py_ssize_t off, PyObject *v)
{
	PyObject	*old = PYLOOP_SLOT(o, off);

	Py_XINCREF(v);
	PYLOOP_SLOT(o, off) = v;
	Py_XDECREF(old);
}

static PyObject *
pyloop_get_debug(struct pyloop *self, PyObject *unused)
{
	(void)unused;
	return PyBool_FromLong(self->debug);
}

/* Drop every queued callback and timer (the loop is closing). */
static PyObject *
pyloop_ls_clear(struct pyloop *self, PyObject *unused)
{
	size_t	i;

	(void)unused;
	for (i = 0; i < self->rlen; i++)
		Py_DECREF(self->ready[(self->rhead + i) % self->rcap]);
	self->rlen = self->rhead = 0;
	for (i = 0; i < self->nheap; i++)
		Py_DECREF(self->heap[i].handle);
	self->nheap = 0;
	self->ncancelled = 0;
	pyloop_io_free(self);
	Py_RETURN_NONE;
}

/* The self-pipe's fd: its watcher is no real work the clock waits for. */
static PyObject *
pyloop_ls_self_fd(struct pyloop *self, PyObject *fd)
{
	self->self_fd = (int)PyLong_AsLong(fd);
	if (PyErr_Occurred())
		return NULL;
	Py_RETURN_NONE;
}

/*
 * asyncio's run_forever, the holds knowing a loop drives the clock while
 * it runs (engine/pyhold.h). In C: no frame of ours in tracebacks.
 */
static PyObject *
pyloop_run_forever(struct pyloop *self, PyObject *unused)
{
	PyObject	*r;

	(void)unused;
	pyhold_set_loop(true);
	r = PyObject_CallOneArg(pyloop_types.run_forever, (PyObject *)self);
	pyhold_set_loop(false);
	return r;
}

/* An executor job ended: one less piece of real work outstanding. */
static PyObject *
pyloop_job_done(struct pyloop *self, PyObject *fut)
{
	(void)fut;
	self->busy--;
	Py_RETURN_NONE;
}

/*
 * asyncio's run_in_executor, counting the job as real work outstanding
 * until its future is done. In C, so that a traceback through it shows
 * asyncio's frame only, as it does on asyncio's own loop.
 */
static PyObject *
pyloop_run_in_executor(struct pyloop *self, PyObject *const *args,
    Py_ssize_t nargs)
{
	PyObject	**all, *fut, *done, *r;
	Py_ssize_t	  i;

	if ((all = PyMem_Malloc((size_t)(nargs + 1) * sizeof *all)) == NULL)
		return PyErr_NoMemory();
	all[0] = (PyObject *)self;
	for (i = 0; i < nargs; i++)
		all[i + 1] = args[i];
	fut = PyObject_Vectorcall(pyloop_types.run_in_executor, all,
	    (size_t)nargs + 1, NULL);
	PyMem_Free(all);
	if (fut == NULL)
		return NULL;
	if ((done = PyObject_GetAttrString((PyObject *)self,
	    "_ls_job_done")) == NULL) {
		Py_DECREF(fut);
		return NULL;
	}
	r = PyObject_CallMethod(fut, "add_done_callback", "O", done);
	Py_DECREF(done);
	if (r == NULL) {
		Py_DECREF(fut);
		return NULL;
	}
	Py_DECREF(r);
	self->busy++;
	return fut;
}

static PyMethodDef pyloop_methods[] = {
	{ "call_soon", (PyCFunction)(void (*)(void))pyloop_call_soon,
	  METH_FASTCALL | METH_KEYWORDS, NULL },
	{ "_call_soon", (PyCFunction)(void (*)(void))pyloop__call_soon,
	  METH_FASTCALL, NULL },
	{ "call_soon_threadsafe",
	  (PyCFunction)(void (*)(void))pyloop_call_soon_threadsafe,
	  METH_FASTCALL | METH_KEYWORDS, NULL },
	{ "call_at", (PyCFunction)(void (*)(void))pyloop_call_at,
	  METH_FASTCALL | METH_KEYWORDS, NULL },
	{ "call_later", (PyCFunction)(void (*)(void))pyloop_call_later,
	  METH_FASTCALL | METH_KEYWORDS, NULL },
	{ "time", (PyCFunction)pyloop_time, METH_NOARGS, NULL },
	{ "get_debug", (PyCFunction)pyloop_get_debug, METH_NOARGS, NULL },
	{ "_add_callback", (PyCFunction)pyloop_add_callback, METH_O, NULL },
	{ "_timer_handle_cancelled", (PyCFunction)pyloop_timer_handle_cancelled,
	  METH_O, NULL },
	{ "_run_once", (PyCFunction)pyloop_run_once, METH_NOARGS, NULL },
	{ "_io_set", (PyCFunction)(void (*)(void))pyloop_io_set, METH_FASTCALL,
	  NULL },
	{ "_ls_clear", (PyCFunction)pyloop_ls_clear, METH_NOARGS, NULL },
	{ "_ls_self_fd", (PyCFunction)pyloop_ls_self_fd, METH_O, NULL },
	{ "run_in_executor", (PyCFunction)(void (*)(void))pyloop_run_in_executor,
	  METH_FASTCALL, NULL },
	{ "_ls_job_done", (PyCFunction)pyloop_job_done, METH_O, NULL },
	{ "run_forever", (PyCFunction)pyloop_run_forever, METH_NOARGS, NULL },
	{ NULL, NULL, 0, NULL }
};

/* _stopping, _closed, _debug: plain flags both sides read and write. */
static PyObject *
pyloop_get_flag(struct pyloop *self, void *which)
{
	bool	*f = (bool *)((char *)self + (size_t)which);

	return PyBool_FromLong(*f);
}

static int
pyloop_set_flag(struct pyloop *self, PyObject *v, void *which)
{
	bool	*f = (bool *)((char *)self + (size_t)which);
	int	 on;

	if (v == NULL) {
		PyErr_SetString(PyExc_AttributeError, "cannot delete it");
		return -1;
	}
	if ((on = PyObject_IsTrue(v)) < 0)
		return -1;
	*f = on;
	return 0;
}

static PyObject *
pyloop_get_thread_id(struct pyloop *self, void *unused)
{
	(void)unused;
	if (self->thread_id == NULL)
		Py_RETURN_NONE;
	Py_INCREF(self->thread_id);
	return self->thread_id;
}

static int
pyloop_set_thread_id(struct pyloop *self, PyObject *v, void *unused)
{
	PyObject	*old = self->thread_id;

	(void)unused;
	if (v == Py_None)
		v = NULL;
	Py_XINCREF(v);
	self->thread_id = v;
	Py_XDECREF(old);
	return 0;
}

/* _ready: a copy of the queue, for readers (tests, debuggers). */
static PyObject *
pyloop_get_ready(struct pyloop *self, void *unused)
{
	PyObject	*l;
	size_t		 i;

	(void)unused;
	if ((l = PyList_New((Py_ssize_t)self->rlen)) == NULL)
		return NULL;
	for (i = 0; i < self->rlen; i++) {
		PyObject *h = self->ready[(self->rhead + i) % self->rcap];

		Py_INCREF(h);
		PyList_SET_ITEM(l, (Py_ssize_t)i, h);
	}
	return l;
}

/* _scheduled: the timers, in heap order. */
static PyObject *
pyloop_get_scheduled(struct pyloop *self, void *unused)
{
	PyObject	*l;
	size_t		 i;

	(void)unused;
	if ((l = PyList_New((Py_ssize_t)self->nheap)) == NULL)
		return NULL;
	for (i = 0; i < self->nheap; i++) {
		Py_INCREF(self->heap[i].handle);
		PyList_SET_ITEM(l, (Py_ssize_t)i, self->heap[i].handle);
	}
	return l;
}

/* asyncio's __init__ sets _ready and _scheduled: they are ours. */
static int
pyloop_set_ignored(struct pyloop *self, PyObject *v, void *unused)
{
	(void)self;
	(void)v;
	(void)unused;
	return 0;
}

static PyObject *
pyloop_get_cancelled_count(struct pyloop *self, void *unused)
{
	(void)unused;
	return PyLong_FromSsize_t(self->ncancelled);
}

static int
pyloop_set_cancelled_count(struct pyloop *self, PyObject *v, void *unused)
{
	(void)unused;
	if (v == NULL)
		return 0;
	self->ncancelled = PyLong_AsSsize_t(v);
	return PyErr_Occurred() ? -1 : 0;
}

static PyGetSetDef pyloop_getset[] = {
	{ "_stopping", (getter)pyloop_get_flag, (setter)pyloop_set_flag, NULL,
	  (void *)offsetof(struct pyloop, stopping) },
	{ "_closed", (getter)pyloop_get_flag, (setter)pyloop_set_flag, NULL,
	  (void *)offsetof(struct pyloop, closed) },
	{ "_debug", (getter)pyloop_get_flag, (setter)pyloop_set_flag, NULL,
	  (void *)offsetof(struct pyloop, debug) },
	{ "_thread_id", (getter)pyloop_get_thread_id,
	  (setter)pyloop_set_thread_id, NULL, NULL },
	{ "_ready", (getter)pyloop_get_ready, (setter)pyloop_set_ignored,
	  NULL, NULL },
	{ "_scheduled", (getter)pyloop_get_scheduled,
	  (setter)pyloop_set_ignored, NULL, NULL },
	{ "_timer_cancelled_count", (getter)pyloop_get_cancelled_count,
	  (setter)pyloop_set_cancelled_count, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

static void
pyloop_wake_cb(struct ev_loop *ev, ev_async *w, int revents)
{
	(void)ev;
	(void)w;
	(void)revents;
}

static void
pyloop_timer_cb(struct ev_loop *ev, ev_timer *w, int revents)
{
	struct pyloop	*self = w->data;

	(void)ev;
	(void)revents;
	self->timed_out = true;
}

static PyObject *
pyloop_new(PyTypeObject *tp, PyObject *args, PyObject *kw)
{
	struct pyloop	*self;

	(void)args;
	(void)kw;
	if ((self = (struct pyloop *)tp->tp_alloc(tp, 0)) == NULL)
		return NULL;
	/* Not the default loop: its SIGCHLD watcher fights asyncio's. */
	self->ev = ev_loop_new(EVFLAG_AUTO | EVFLAG_NOSIGMASK);
	if (self->ev == NULL) {
		Py_DECREF(self);
		PyErr_SetString(PyExc_OSError, "libev: cannot make a loop");
		return NULL;
	}
	self->self_fd = -1;
	ev_async_init(&self->wake, pyloop_wake_cb);
	ev_async_start(self->ev, &self->wake);
	ev_init(&self->timer, pyloop_timer_cb);
	self->timer.data = self;
	return (PyObject *)self;
}

static int
pyloop_traverse(struct pyloop *self, visitproc visit, void *arg)
{
	size_t	i;

	for (i = 0; i < self->rlen; i++)
		Py_VISIT(self->ready[(self->rhead + i) % self->rcap]);
	for (i = 0; i < self->nheap; i++)
		Py_VISIT(self->heap[i].handle);
	Py_VISIT(self->thread_id);
	Py_VISIT(Py_TYPE(self));
	return 0;
}

static int
pyloop_clear(struct pyloop *self)
{
	PyObject	*r = pyloop_ls_clear(self, NULL);

	Py_XDECREF(r);
	Py_CLEAR(self->thread_id);
	return 0;
}

static void
pyloop_dealloc(struct pyloop *self)
{
	PyTypeObject	*tp = Py_TYPE(self);

	PyObject_GC_UnTrack(self);
	if (tp->tp_finalize != NULL && PyObject_CallFinalizerFromDealloc(
	    (PyObject *)self) < 0)
		return;		/* resurrected */
	pyloop_clear(self);
	if (self->ev != NULL) {
		ev_async_stop(self->ev, &self->wake);
		ev_timer_stop(self->ev, &self->timer);
		ev_loop_destroy(self->ev);
	}
	PyMem_Free(self->ready);
	PyMem_Free(self->heap);
	PyMem_Free(self->io);
	PyMem_Free(self->fired);
	tp->tp_free((PyObject *)self);
	Py_DECREF(tp);
}

static PyType_Slot pyloop_slots[] = {
	{ Py_tp_new, pyloop_new },
	{ Py_tp_dealloc, pyloop_dealloc },
	{ Py_tp_traverse, pyloop_traverse },
	{ Py_tp_clear, pyloop_clear },
	{ Py_tp_methods, pyloop_methods },
	{ Py_tp_getset, pyloop_getset },
	{ Py_tp_doc, "The hot path of loopscope's event loop, on libev." },
	{ 0, NULL }
};

static PyType_Spec pyloop_spec = {
	.name = "_loopscope.LoopCore",
	.basicsize = sizeof(struct pyloop),
	.flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
	.slots = pyloop_slots,
};

/* Add LoopCore to the module. */
int
pyloop_add_type(PyObject *module)
{
	PyObject	*tp;

	if (pyloop_types_init() != 0)
		return -1;
	if ((tp = PyType_FromSpec(&pyloop_spec)) == NULL)
		return -1;
	return PyModule_AddObject(module, "LoopCore", tp);
}
