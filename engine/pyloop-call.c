/*
 * What asyncio calls on every callback: the handles the loop makes, its
 * ready queue and its timer heap, and the methods that fill them
 * (call_soon, call_soon_threadsafe, call_at, call_later, time). The type
 * that holds them is in engine/pyloop.c, its run in engine/pyloop-run.c.
 */
#include "config.h"

#include "pyloop-int.h"
#include "pytask.h"
#include "pytrace.h"

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

PyObject *
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

PyObject *
pyloop__call_soon(struct pyloop *self, PyObject *const *args, Py_ssize_t nargs)
{
	if (nargs != 3) {
		PyErr_SetString(PyExc_TypeError, "_call_soon() takes callback, "
		    "args, context");
		return NULL;
	}
	return pyloop_soon(self, args[0], args[1], args[2]);
}

PyObject *
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

PyObject *
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

PyObject *
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

PyObject *
pyloop_time(struct pyloop *self, PyObject *unused)
{
	(void)self;
	(void)unused;
	return PyFloat_FromDouble(pyloop_seconds());
}

PyObject *
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

PyObject *
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
