/*
 * The loop type: its queues, and the methods asyncio calls on every
 * callback (call_soon, call_at, time). Its run (_run_once) is in
 * engine/pyloop-run.c.
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

/*
 * An asyncio Handle (or TimerHandle, when when is not NULL) for
 * cb(*args) in ctx (NULL: a copy of the current context). In debug mode
 * asyncio's own __init__ makes it, for the source traceback it keeps:
 * that starts at the Python code that called us, as asyncio's call_soon
 * leaves it once it has trimmed its own frames (we have none).
 */
static PyObject *
pyloop_handle(struct pyloop *self, PyObject *cb, PyObject *args,
    PyObject *ctx, PyObject *when)
{
	PyTypeObject	*tp = when != NULL ? pyloop_types.timer :
			    pyloop_types.handle;
	PyObject	*h, *own = NULL;

	if (self->debug) {
		if (when != NULL)
			return PyObject_CallFunctionObjArgs((PyObject *)tp,
			    when, cb, args, self, ctx != NULL ? ctx : Py_None,
			    NULL);
		return PyObject_CallFunctionObjArgs((PyObject *)tp, cb, args,
		    self, ctx != NULL ? ctx : Py_None, NULL);
	}
	if (ctx == NULL || ctx == Py_None) {
		if ((own = PyContext_CopyCurrent()) == NULL)
			return NULL;
		ctx = own;
	}
	if ((h = tp->tp_alloc(tp, 0)) == NULL) {
		Py_XDECREF(own);
		return NULL;
	}
	pyloop_set_slot(h, pyloop_types.callback, cb);
	pyloop_set_slot(h, pyloop_types.args, args);
	pyloop_set_slot(h, pyloop_types.cancelled, Py_False);
	pyloop_set_slot(h, pyloop_types.loop, (PyObject *)self);
	pyloop_set_slot(h, pyloop_types.source_tb, Py_None);
	pyloop_set_slot(h, pyloop_types.repr, Py_None);
	pyloop_set_slot(h, pyloop_types.context, ctx);
	if (when != NULL) {
		pyloop_set_slot(h, pyloop_types.when, when);
		pyloop_set_slot(h, pyloop_types.scheduled, Py_False);
	}
	Py_XDECREF(own);
	return h;
}

static int
pyloop_check_closed(struct pyloop *self)
{
	if (self->closed) {
		PyErr_SetString(PyExc_RuntimeError, "Event loop is closed");
		return -1;
	}
	return 0;
}

int
pyloop_push_ready(struct pyloop *self, PyObject *h)
{
	PyObject	**nr;
	size_t		  ncap, i;

	if (self->rlen == self->rcap) {
		ncap = self->rcap ? self->rcap * 2 : 256;
		if ((nr = PyMem_Malloc(ncap * sizeof *nr)) == NULL) {
			PyErr_NoMemory();
			return -1;
		}
		for (i = 0; i < self->rlen; i++)
			nr[i] = self->ready[(self->rhead + i) % self->rcap];
		PyMem_Free(self->ready);
		self->ready = nr;
		self->rcap = ncap;
		self->rhead = 0;
	}
	Py_INCREF(h);
	self->ready[(self->rhead + self->rlen++) % self->rcap] = h;
	return 0;
}

/* The arguments after the first `skip` as a tuple (new reference). */
static PyObject *
pyloop_rest(PyObject *const *args, Py_ssize_t nargs, Py_ssize_t skip)
{
	PyObject	*t;
	Py_ssize_t	 i;

	if (nargs <= skip) {
		Py_INCREF(pyloop_types.empty);
		return pyloop_types.empty;
	}
	if ((t = PyTuple_New(nargs - skip)) == NULL)
		return NULL;
	for (i = skip; i < nargs; i++) {
		Py_INCREF(args[i]);
		PyTuple_SET_ITEM(t, i - skip, args[i]);
	}
	return t;
}

/* The context= keyword of call_soon and kin; -1 on anything else. */
static int
pyloop_kw_context(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
    const char *method, PyObject **ctx)
{
	Py_ssize_t	i, n = kwnames != NULL ? PyTuple_GET_SIZE(kwnames) : 0;

	*ctx = NULL;
	for (i = 0; i < n; i++) {
		if (PyUnicode_CompareWithASCIIString(PyTuple_GET_ITEM(kwnames,
		    i), "context") != 0) {
			PyErr_Format(PyExc_TypeError, "%s() got an unexpected "
			    "keyword argument '%U'", method,
			    PyTuple_GET_ITEM(kwnames, i));
			return -1;
		}
		*ctx = args[nargs + i];
	}
	return 0;
}

/* Queue cb(args) in ctx: _call_soon's work, without the checks. */
static PyObject *
pyloop_soon(struct pyloop *self, PyObject *cb, PyObject *args, PyObject *ctx)
{
	PyObject	*h;

	if ((h = pyloop_handle(self, cb, args, ctx, NULL)) == NULL)
		return NULL;
	if (pyloop_push_ready(self, h) != 0) {
		Py_DECREF(h);
		return NULL;
	}
	if (pytrace_on())
		pytask_scheduled(cb, false);
	return h;
}

/* In debug mode, asyncio's own checks of a callback and its thread. */
static int
pyloop_debug_checks(struct pyloop *self, PyObject *cb, const char *method,
    bool thread)
{
	PyObject	*r;

	if (thread && (r = PyObject_CallMethod((PyObject *)self,
	    "_check_thread", NULL)) == NULL)
		return -1;
	if (thread)
		Py_DECREF(r);
	if ((r = PyObject_CallMethod((PyObject *)self, "_check_callback",
	    "Os", cb, method)) == NULL)
		return -1;
	Py_DECREF(r);
	return 0;
}

static PyObject *
pyloop_call_soon(struct pyloop *self, PyObject *const *args, Py_ssize_t nargsf,
    PyObject *kwnames)
{
	Py_ssize_t	 nargs = PyVectorcall_NARGS(nargsf);
	PyObject	*ctx, *rest, *h;

	if (nargs < 1) {
		PyErr_SetString(PyExc_TypeError, "call_soon() missing 1 "
		    "required positional argument: 'callback'");
		return NULL;
	}
	if (pyloop_kw_context(args, nargs, kwnames, "call_soon", &ctx) != 0 ||
	    pyloop_check_closed(self) != 0)
		return NULL;
	if (self->debug && pyloop_debug_checks(self, args[0], "call_soon",
	    true) != 0)
		return NULL;
	if ((rest = pyloop_rest(args, nargs, 1)) == NULL)
		return NULL;
	h = pyloop_soon(self, args[0], rest, ctx);
	Py_DECREF(rest);
	return h;
}

static PyObject *
pyloop__call_soon(struct pyloop *self, PyObject *const *args, Py_ssize_t nargs)
{
	if (nargs != 3) {
		PyErr_SetString(PyExc_TypeError, "_call_soon() takes callback, "
		    "args, context");
		return NULL;
	}
	return pyloop_soon(self, args[0], args[1], args[2]);
}

static PyObject *
pyloop_call_soon_threadsafe(struct pyloop *self, PyObject *const *args,
    Py_ssize_t nargsf, PyObject *kwnames)
{
	Py_ssize_t	 nargs = PyVectorcall_NARGS(nargsf);
	PyObject	*ctx, *rest, *h;

	if (nargs < 1) {
		PyErr_SetString(PyExc_TypeError, "call_soon_threadsafe() "
		    "missing 1 required positional argument: 'callback'");
		return NULL;
	}
	if (pyloop_kw_context(args, nargs, kwnames, "call_soon_threadsafe",
	    &ctx) != 0 || pyloop_check_closed(self) != 0)
		return NULL;
	if (self->debug && pyloop_debug_checks(self, args[0],
	    "call_soon_threadsafe", false) != 0)
		return NULL;
	if ((rest = pyloop_rest(args, nargs, 1)) == NULL)
		return NULL;
	h = pyloop_soon(self, args[0], rest, ctx);
	Py_DECREF(rest);
	if (h != NULL)
		ev_async_send(self->ev, &self->wake);
	return h;
}

/* Heap order: by when, then by arrival (FIFO among equal deadlines). */
static bool
pyloop_before(const struct pyloop_timer *a, const struct pyloop_timer *b)
{
	return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void
pyloop_sift_up(struct pyloop *self, size_t i)
{
	struct pyloop_timer	t = self->heap[i];

	while (i > 0 && pyloop_before(&t, &self->heap[(i - 1) / 2])) {
		self->heap[i] = self->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	self->heap[i] = t;
}

static void
pyloop_sift_down(struct pyloop *self, size_t i)
{
	struct pyloop_timer	t = self->heap[i];
	size_t			c;

	while ((c = 2 * i + 1) < self->nheap) {
		if (c + 1 < self->nheap &&
		    pyloop_before(&self->heap[c + 1], &self->heap[c]))
			c++;
		if (!pyloop_before(&self->heap[c], &t))
			break;
		self->heap[i] = self->heap[c];
		i = c;
	}
	self->heap[i] = t;
}

/* Take the earliest timer off the heap into *out (its reference too). */
void
pyloop_heap_pop(struct pyloop *self, struct pyloop_timer *out)
{
	*out = self->heap[0];
	if (--self->nheap > 0) {
		self->heap[0] = self->heap[self->nheap];
		pyloop_sift_down(self, 0);
	}
}

/* Rebuild the heap after entries were dropped from it. */
void
pyloop_heap_fix(struct pyloop *self)
{
	size_t	i;

	for (i = self->nheap / 2; i-- > 0;)
		pyloop_sift_down(self, i);
}

static PyObject *
pyloop_call_at_when(struct pyloop *self, PyObject *when, PyObject *const *args,
    Py_ssize_t nargs, PyObject *kwnames, const char *method)
{
	struct pyloop_timer	*nh, *t;
	PyObject		*ctx, *rest, *h, *fwhen;
	double			 w;
	size_t			 ncap;

	if (pyloop_kw_context(args, nargs, kwnames, method, &ctx) != 0 ||
	    pyloop_check_closed(self) != 0)
		return NULL;
	if (self->debug && pyloop_debug_checks(self, args[0], method,
	    true) != 0)
		return NULL;
	if ((w = PyFloat_AsDouble(when)) == -1.0 && PyErr_Occurred())
		return NULL;
	if (self->nheap == self->heapcap) {
		ncap = self->heapcap ? self->heapcap * 2 : 64;
		if ((nh = PyMem_Realloc(self->heap, ncap * sizeof *nh)) ==
		    NULL)
			return PyErr_NoMemory();
		self->heap = nh;
		self->heapcap = ncap;
	}
	if ((rest = pyloop_rest(args, nargs, 1)) == NULL)
		return NULL;
	fwhen = PyFloat_CheckExact(when) ? (Py_INCREF(when), when) :
	    PyFloat_FromDouble(w);
	h = fwhen != NULL ? pyloop_handle(self, args[0], rest, ctx, fwhen) :
	    NULL;
	Py_XDECREF(fwhen);
	if (h == NULL) {
		Py_DECREF(rest);
		return NULL;
	}
	t = &self->heap[self->nheap];
	t->when = w;
	t->seq = self->seq++;
	t->handle = h;
	t->lane = 0;
	if (pytrace_on()) {
		pytask_sleep_timer(args[0], args + 1, (size_t)nargs - 1,
		    pyloop_vtime(w));
		t->lane = pytask_timer_lane(args[0], rest);
	}
	Py_DECREF(rest);
	pyloop_set_slot(h, pyloop_types.scheduled, Py_True);
	pyloop_sift_up(self, self->nheap++);
	Py_INCREF(h);
	return h;
}

static PyObject *
pyloop_call_at(struct pyloop *self, PyObject *const *args, Py_ssize_t nargsf,
    PyObject *kwnames)
{
	Py_ssize_t	nargs = PyVectorcall_NARGS(nargsf);

	if (nargs < 2) {
		PyErr_SetString(PyExc_TypeError, "call_at() missing required "
		    "positional arguments: 'when' and 'callback'");
		return NULL;
	}
	if (args[0] == Py_None) {
		PyErr_SetString(PyExc_TypeError, "when cannot be None");
		return NULL;
	}
	return pyloop_call_at_when(self, args[0], args + 1, nargs - 1,
	    kwnames, "call_at");
}

static PyObject *
pyloop_call_later(struct pyloop *self, PyObject *const *args,
    Py_ssize_t nargsf, PyObject *kwnames)
{
	Py_ssize_t	 nargs = PyVectorcall_NARGS(nargsf);
	PyObject	*when, *h;
	double		 d;

	if (nargs < 2) {
		PyErr_SetString(PyExc_TypeError, "call_later() missing "
		    "required positional arguments: 'delay' and 'callback'");
		return NULL;
	}
	if (args[0] == Py_None) {
		PyErr_SetString(PyExc_TypeError, "delay must not be None");
		return NULL;
	}
	if (PyFloat_CheckExact(args[0]))
		d = PyFloat_AS_DOUBLE(args[0]);
	else if (PyLong_CheckExact(args[0]))
		d = PyLong_AsDouble(args[0]);
	else {
		/* As asyncio adds it to time(): whatever + does. */
		PyObject *now = PyFloat_FromDouble(pyloop_seconds());

		when = now != NULL ? PyNumber_Add(now, args[0]) : NULL;
		Py_XDECREF(now);
		if (when == NULL)
			return NULL;
		h = pyloop_call_at_when(self, when, args + 1, nargs - 1,
		    kwnames, "call_later");
		Py_DECREF(when);
		return h;
	}
	if (d == -1.0 && PyErr_Occurred())
		return NULL;
	if ((when = PyFloat_FromDouble(pyloop_seconds() + d)) == NULL)
		return NULL;
	h = pyloop_call_at_when(self, when, args + 1, nargs - 1, kwnames,
	    "call_later");
	Py_DECREF(when);
	return h;
}

static PyObject *
pyloop_time(struct pyloop *self, PyObject *unused)
{
	(void)self;
	(void)unused;
	return PyFloat_FromDouble(pyloop_seconds());
}

static PyObject *
pyloop_add_callback(struct pyloop *self, PyObject *h)
{
	PyObject	*c;
	int		 cancelled;

	if (Py_IS_TYPE(h, pyloop_types.handle) ||
	    Py_IS_TYPE(h, pyloop_types.timer))
		cancelled = PYLOOP_SLOT(h, pyloop_types.cancelled) == Py_True;
	else {
		if ((c = PyObject_GetAttrString(h, "_cancelled")) == NULL)
			return NULL;
		cancelled = PyObject_IsTrue(c);
		Py_DECREF(c);
		if (cancelled < 0)
			return NULL;
	}
	if (!cancelled && pyloop_push_ready(self, h) != 0)
		return NULL;
	Py_RETURN_NONE;
}

static PyObject *
pyloop_timer_handle_cancelled(struct pyloop *self, PyObject *h)
{
	PyObject	*s = PyObject_GetAttrString(h, "_scheduled");
	int		 on;

	if (s == NULL)
		return NULL;
	on = PyObject_IsTrue(s);
	Py_DECREF(s);
	if (on < 0)
		return NULL;
	if (on)
		self->ncancelled++;
	Py_RETURN_NONE;
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
