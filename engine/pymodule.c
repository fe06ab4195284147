/*
 * _loopscope, built into the child: the loop's core type, the wrapper of
 * the program's functions, its output streams, and the calls
 * python/loopscope/run.py makes around the program.
 */
#include "config.h"

#include "pycall.h"
#include "pycell.h"
#include "pyhold.h"
#include "pyhttp.h"
#include "pyclock.h"
#include "pyloop.h"
#include "pycoro.h"
#include "pyemit.h"
#include "pymodule.h"
#include "pyout.h"
#include "pyproc.h"
#include "pytask.h"
#include "pythread.h"
#include "pytime.h"
#include "pytrace.h"

/* start(files): trace the program made of these files from now on. */
static PyObject *
pymodule_start(PyObject *m, PyObject *files)
{
	(void)m;
	if (!PyTuple_Check(files)) {
		PyErr_SetString(PyExc_TypeError, "start() takes a tuple");
		return NULL;
	}
	if (pytrace_init(files) != 0 || pytask_init() != 0 ||
	    pycoro_init() != 0 || pytime_patch(pyclock_sim()) != 0)
		return NULL;
	pythread_init();
	pyproc_init();
	pyclock_start();
	Py_RETURN_NONE;
}

/* failed(text): the program stopped on an uncaught exception. */
static PyObject *
pymodule_failed(PyObject *m, PyObject *text)
{
	const char	*s;
	uint32_t	 lane;

	(void)m;
	if (!pytrace_on())
		Py_RETURN_NONE;
	if ((s = PyUnicode_AsUTF8(text)) == NULL)
		return NULL;
	/* At the top: the "<module>" lane, the program's own. */
	if ((lane = pytrace_here()) != 0)
		pytrace_failed(lane, s);
	Py_RETURN_NONE;
}

/* finish(): what the program left unsaid (a line without newline). */
static PyObject *
pymodule_finish(PyObject *m, PyObject *unused)
{
	(void)m;
	(void)unused;
	(void)pytrace_now();
	if (pytrace_on()) {
		pycoro_finish();
		pytrace_module_done();
	}
	pyclock_freeze();
	pyout_flush_all();
	Py_RETURN_NONE;
}

/*
 * flush(): os._exit comes, which ends the process at once: what the
 * program printed and the trace are written out first (the writer ends).
 */
static PyObject *
pymodule_flush(PyObject *m, PyObject *unused)
{
	(void)m;
	(void)unused;
	(void)pytrace_now();
	pyout_flush_all();
	pythread_stop();
	/* With the GIL held: no thread of the program pushes meanwhile. */
	pyemit_close();
	Py_RETURN_NONE;
}

/*
 * joining(on): the program's thread waits for another (on), or is back;
 * traced when the program's own code joins (the caller of the wrapper in
 * python/loopscope/run.py), not asyncio's or an executor's.
 */
static PyObject *
pymodule_joining(PyObject *m, PyObject *on)
{
	PyFrameObject	*f, *back;
	PyCodeObject	*code;
	bool		 own = false;

	(void)m;
	if (!pyclock_main_thread())
		Py_RETURN_NONE;
	pyclock_joining(PyObject_IsTrue(on));
	if (!pytrace_on() || (f = PyEval_GetFrame()) == NULL)
		Py_RETURN_NONE;
	if ((back = PyFrame_GetBack(f)) != NULL) {
		code = PyFrame_GetCode(back);
		own = pytrace_user_code(code);
		Py_DECREF(code);
		Py_DECREF(back);
	}
	if (!own)
		Py_RETURN_NONE;
	if (PyObject_IsTrue(on))
		pytrace_join();
	else
		pytrace_unblock();
	Py_RETURN_NONE;
}

/* starting(on): the program's thread starts a thread, or is done. */
static PyObject *
pymodule_starting(PyObject *m, PyObject *on)
{
	(void)m;
	pyclock_starting(PyObject_IsTrue(on));
	Py_RETURN_NONE;
}

/* thread_begin(name): the calling thread (the program's) begins. */
static PyObject *
pymodule_thread_begin(PyObject *m, PyObject *name)
{
	const char	*s;

	(void)m;
	if ((s = PyUnicode_AsUTF8(name)) == NULL)
		return NULL;
	(void)pythread_begin(s);
	Py_RETURN_NONE;
}

/* thread_end(why): its run ended; why: None, or the exception's text. */
static PyObject *
pymodule_thread_end(PyObject *m, PyObject *why)
{
	const char	*s = NULL;

	(void)m;
	if (why != Py_None && (s = PyUnicode_AsUTF8(why)) == NULL)
		return NULL;
	pythread_end(s);
	Py_RETURN_NONE;
}

/* process_begin(pid, name): the program started that process. */
static PyObject *
pymodule_process_begin(PyObject *m, PyObject *args)
{
	const char	*name;
	long		 pid;

	(void)m;
	if (!PyArg_ParseTuple(args, "ls", &pid, &name))
		return NULL;
	pyproc_begin(pid, name);
	Py_RETURN_NONE;
}

/* process_end(pid, exitcode): its parent reaped it, so it ended so. */
static PyObject *
pymodule_process_end(PyObject *m, PyObject *args)
{
	long	pid;
	int	code;

	(void)m;
	if (!PyArg_ParseTuple(args, "li", &pid, &code))
		return NULL;
	pyproc_end(pid, code);
	Py_RETURN_NONE;
}

/* rebase(): what ran so far (compiling the program) costs no time. */
static PyObject *
pymodule_rebase(PyObject *m, PyObject *unused)
{
	(void)m;
	(void)unused;
	pyclock_rebase();
	Py_RETURN_NONE;
}

/* ticket(n): this thread now does the n-th work given to workers. */
static PyObject *
pymodule_ticket(PyObject *m, PyObject *n)
{
	unsigned long	t;

	(void)m;
	if ((t = PyLong_AsUnsignedLong(n)) == (unsigned long)-1 &&
	    PyErr_Occurred())
		return NULL;
	pyhold_set_ticket(t);
	Py_RETURN_NONE;
}

/* workers(delta): executor workers idle (+1) or given work (-1). */
static PyObject *
pymodule_workers(PyObject *m, PyObject *delta)
{
	long	d;

	(void)m;
	if ((d = PyLong_AsLong(delta)) == -1 && PyErr_Occurred())
		return NULL;
	pyhold_workers((int)d);
	Py_RETURN_NONE;
}

/*
 * importing(True/False): the program's thread starts or ends loading a
 * module. What it computed before is charged; the loading itself is
 * not: a module a program imports late (aiohttp, httpx do) would add
 * time that depends on the machine and has nothing to show.
 */
static PyObject *
pymodule_importing(PyObject *m, PyObject *flag)
{
	(void)m;
	if (PyObject_IsTrue(flag)) {
		if (pytrace_on())
			(void)pytrace_now();
		pyclock_charging(false);
	} else
		pyclock_charging(true);
	Py_RETURN_NONE;
}

static PyObject *
pymodule_traced(PyObject *m, PyObject *unused)
{
	(void)m;
	(void)unused;
	return PyBool_FromLong(pytrace_on());
}

static PyMethodDef pymodule_methods[] = {
	{ "trace", pycall_trace, METH_O,
	  "Wrap one of the program's functions for the tracer." },
	{ "start", pymodule_start, METH_O, NULL },
	{ "failed", pymodule_failed, METH_O, NULL },
	{ "finish", pymodule_finish, METH_NOARGS, NULL },
	{ "flush", pymodule_flush, METH_NOARGS, NULL },
	{ "thread_begin", pymodule_thread_begin, METH_O, NULL },
	{ "joining", pymodule_joining, METH_O, NULL },
	{ "starting", pymodule_starting, METH_O, NULL },
	{ "thread_end", pymodule_thread_end, METH_O, NULL },
	{ "process_begin", pymodule_process_begin, METH_VARARGS, NULL },
	{ "process_end", pymodule_process_end, METH_VARARGS, NULL },
	{ "traced", pymodule_traced, METH_NOARGS, NULL },
	{ "rebase", pymodule_rebase, METH_NOARGS, NULL },
	{ "importing", pymodule_importing, METH_O, NULL },
	{ "ticket", pymodule_ticket, METH_O,
	  "This thread now does the n-th work given to workers." },
	{ "workers", pymodule_workers, METH_O,
	  "Executor workers idle (+1) or given work (-1)." },
	{ "http_get", (PyCFunction)(void (*)(void))pyhttp_get,
	  METH_VARARGS | METH_KEYWORDS,
	  "A blocking GET of url: (status, body); traced." },
	{ NULL, NULL, 0, NULL }
};

static struct PyModuleDef pymodule_def = {
	PyModuleDef_HEAD_INIT,
	.m_name = "_loopscope",
	.m_doc = "loopscope's event loop core and tracer.",
	.m_size = -1,
	.m_methods = pymodule_methods,
};

PyObject *
pymodule_init(void)
{
	PyObject	*m;

	if ((m = PyModule_Create(&pymodule_def)) == NULL)
		return NULL;
	if (pyloop_add_type(m) != 0 || pycall_add_type(m) != 0 ||
	    pyout_add_type(m) != 0 || pycell_add(m) != 0) {
		Py_DECREF(m);
		return NULL;
	}
	return m;
}
