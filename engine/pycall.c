/*
 * The wrapper put around each function of the program's own files (by
 * the decorator python/loopscope/run.py adds to every def, innermost):
 * calls go through pytrace_call_enter and _exit, and a coroutine
 * function's coroutines get their lanes as they are made. It passes for
 * the function it wraps: attributes, __class__ (so isinstance, inspect
 * and asyncio.iscoroutinefunction see a function), repr, binding as a
 * method, and pickling by name.
 */
#include "config.h"

#include "pycall.h"
#include "pycell.h"
#include "pycoro.h"
#include "pytrace.h"

#include <structmember.h>

struct pycall {
	PyObject_HEAD
	vectorcallfunc	 vectorcall;
	PyObject	*func;
	bool		 coro;
};

static PyTypeObject *pycall_type;

static PyObject *
pycall_vectorcall(PyObject *callable, PyObject *const *args, size_t nargsf,
    PyObject *kwnames)
{
	struct pycall	*self = (struct pycall *)callable;
	size_t		 nargs = PyVectorcall_NARGS(nargsf);
	PyObject	*r;
	int		 frame;

	if (!pytrace_on())
		return PyObject_Vectorcall(self->func, args, nargsf, kwnames);
	if (self->coro) {
		r = PyObject_Vectorcall(self->func, args, nargsf, kwnames);
		if (r != NULL)
			pycoro_made(r, self->func, args, nargs, kwnames);
		return r;
	}
	frame = pytrace_call_enter(self->func, args, nargs, kwnames);
	r = PyObject_Vectorcall(self->func, args, nargsf, kwnames);
	pytrace_call_exit(frame, r == NULL);
	return r;
}

/* Our own attributes; everything else is the function's. */
static bool
pycall_own(PyObject *name)
{
	static const char *const own[] = { "__get__", "__call__",
	    "__reduce__", "__reduce_ex__", "__loopscope_traced__", NULL };
	size_t	i;

	for (i = 0; own[i] != NULL; i++)
		if (PyUnicode_CompareWithASCIIString(name, own[i]) == 0)
			return true;
	return false;
}

static PyObject *
pycall_getattro(PyObject *o, PyObject *name)
{
	struct pycall	*self = (struct pycall *)o;

	if (pycall_own(name))
		return PyObject_GenericGetAttr(o, name);
	return PyObject_GetAttr(self->func, name);
}

static int
pycall_setattro(PyObject *o, PyObject *name, PyObject *v)
{
	return PyObject_SetAttr(((struct pycall *)o)->func, name, v);
}

static PyObject *
pycall_repr(PyObject *o)
{
	return PyObject_Repr(((struct pycall *)o)->func);
}

/* f.__get__(obj): bound to obj as the function would be. */
static PyObject *
pycall_descr_get(PyObject *o, PyObject *obj, PyObject *type)
{
	(void)type;
	if (obj == NULL || obj == Py_None) {
		Py_INCREF(o);
		return o;
	}
	return PyMethod_New(o, obj);
}

/* Pickled as the function is: by its qualified name. */
static PyObject *
pycall_reduce(PyObject *o, PyObject *unused)
{
	(void)unused;
	return PyObject_GetAttrString(((struct pycall *)o)->func,
	    "__qualname__");
}

static PyObject *
pycall_reduce_ex(PyObject *o, PyObject *proto)
{
	(void)proto;
	return pycall_reduce(o, NULL);
}

static PyObject *
pycall_traced(PyObject *o, void *unused)
{
	(void)o;
	(void)unused;
	Py_RETURN_TRUE;
}

static int
pycall_traverse(PyObject *o, visitproc visit, void *arg)
{
	Py_VISIT(((struct pycall *)o)->func);
	Py_VISIT(Py_TYPE(o));
	return 0;
}

static int
pycall_clear(PyObject *o)
{
	Py_CLEAR(((struct pycall *)o)->func);
	return 0;
}

static void
pycall_dealloc(PyObject *o)
{
	PyTypeObject	*tp = Py_TYPE(o);

	PyObject_GC_UnTrack(o);
	pycall_clear(o);
	tp->tp_free(o);
	Py_DECREF(tp);
}

static PyMethodDef pycall_methods[] = {
	{ "__reduce__", pycall_reduce, METH_NOARGS, NULL },
	{ "__reduce_ex__", pycall_reduce_ex, METH_O, NULL },
	{ NULL, NULL, 0, NULL }
};

static PyGetSetDef pycall_getset[] = {
	{ "__loopscope_traced__", pycall_traced, NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

static PyMemberDef pycall_members[] = {
	{ "__vectorcalloffset__", T_PYSSIZET,
	  offsetof(struct pycall, vectorcall), READONLY, NULL },
	{ NULL, 0, 0, 0, NULL }
};

static PyType_Slot pycall_slots[] = {
	{ Py_tp_call, PyVectorcall_Call },
	{ Py_tp_getattro, pycall_getattro },
	{ Py_tp_setattro, pycall_setattro },
	{ Py_tp_repr, pycall_repr },
	{ Py_tp_descr_get, pycall_descr_get },
	{ Py_tp_traverse, pycall_traverse },
	{ Py_tp_clear, pycall_clear },
	{ Py_tp_dealloc, pycall_dealloc },
	{ Py_tp_methods, pycall_methods },
	{ Py_tp_getset, pycall_getset },
	{ Py_tp_members, pycall_members },
	{ 0, NULL }
};

static PyType_Spec pycall_spec = {
	.name = "_loopscope.traced",
	.basicsize = sizeof(struct pycall),
	.flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
	    Py_TPFLAGS_HAVE_VECTORCALL,
	.slots = pycall_slots,
};

int
pycall_add_type(PyObject *module)
{
	if ((pycall_type = (PyTypeObject *)PyType_FromSpec(&pycall_spec)) ==
	    NULL)
		return -1;
	Py_INCREF(pycall_type);
	return PyModule_AddObject(module, "traced", (PyObject *)pycall_type);
}

/*
 * _loopscope.trace(f): f wrapped, when it is a plain function or a
 * coroutine function of the program's; anything else as it is
 * (generators, async generators, things already wrapped).
 */
PyObject *
pycall_trace(PyObject *module, PyObject *func)
{
	struct pycall	*self;
	PyCodeObject	*code;
	int		 flags;

	(void)module;
	/* Wrapped while cells run quiet too: later cells call them. */
	if (!PyFunction_Check(func) || (!pytrace_on() && !pycell_quiet())) {
		Py_INCREF(func);
		return func;
	}
	code = (PyCodeObject *)PyFunction_GET_CODE(func);
	flags = code->co_flags;
	if (flags & (CO_GENERATOR | CO_ASYNC_GENERATOR |
	    CO_ITERABLE_COROUTINE)) {
		Py_INCREF(func);
		return func;
	}
	if ((self = PyObject_GC_New(struct pycall, pycall_type)) == NULL)
		return NULL;
	Py_INCREF(func);
	self->func = func;
	self->coro = (flags & CO_COROUTINE) != 0;
	self->vectorcall = pycall_vectorcall;
	PyObject_GC_Track(self);
	return (PyObject *)self;
}
