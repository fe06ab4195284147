/* time.sleep and the clocks of the time module, on the child's clock. */
#include "config.h"

#include <math.h>

#include "pycell.h"
#include "pyclock.h"
#include "pyhold.h"
#include "pythread.h"
#include "pytime.h"
#include "pytrace.h"

static PyCFunction	pytime_real_sleep;

static vtime_t
pytime_now(void)
{
	return pytrace_on() ? pytrace_now() : pyclock_now();
}

static PyObject *
pytime_monotonic(PyObject *m, PyObject *unused)
{
	(void)m;
	(void)unused;
	return PyFloat_FromDouble((double)(pyclock_real_base() +
	    pytime_now()) / 1e9);
}

static PyObject *
pytime_monotonic_ns(PyObject *m, PyObject *unused)
{
	(void)m;
	(void)unused;
	return PyLong_FromLongLong(pyclock_real_base() + pytime_now());
}

static PyObject *
pytime_time(PyObject *m, PyObject *unused)
{
	(void)m;
	(void)unused;
	return PyFloat_FromDouble((double)(pyclock_wall_base() +
	    pytime_now()) / 1e9);
}

static PyObject *
pytime_time_ns(PyObject *m, PyObject *unused)
{
	(void)m;
	(void)unused;
	return PyLong_FromLongLong(pyclock_wall_base() + pytime_now());
}

/*
 * time.sleep(secs) in a thread other than the program's: in the
 * simulated clock it waits on a hold (engine/pyhold.h), until the loop
 * (or, without one, the sleeper itself) brings time there.
 */
static PyObject *
pytime_thread_sleep(PyObject *m, PyObject *arg)
{
	PyObject	*r;
	double		 d;
	vtime_t		 due, from;

	if ((d = PyFloat_AsDouble(arg)) == -1.0 && PyErr_Occurred())
		return NULL;
	if (isnan(d) || d < 0 || d == 0 || d > 1e12)
		return pytime_real_sleep(m, arg);
	/* Its lane (a thread's) blocks, the sleep's own, exact in time. */
	from = pythread_block(REASON_BLOCK_SLEEP);
	if (!pyclock_sim()) {
		r = pytime_real_sleep(m, arg);
		pythread_unblock(-1);
		return r;
	}
	due = (pythread_lane() != 0 ? from : pyclock_now()) +
	    (vtime_t)(d * 1e9 + 0.5);
	Py_BEGIN_ALLOW_THREADS
	pyhold_sleep(due);
	Py_END_ALLOW_THREADS
	pythread_unblock(due);
	if (PyErr_CheckSignals() != 0)
		return NULL;
	Py_RETURN_NONE;
}

/*
 * time.sleep(secs): the lane blocks. In the simulated clock the program's
 * thread does not wait: virtual time moves by secs. Other threads, and
 * arguments of other types than int and float, sleep for real.
 */
static PyObject *
pytime_sleep(PyObject *m, PyObject *arg)
{
	PyObject	*r;
	double		 d;

	if ((!pytrace_on() && !pycell_quiet()) ||
	    (!PyFloat_Check(arg) && !PyLong_Check(arg)))
		return pytime_real_sleep(m, arg);
	if (!pyclock_main_thread())
		return pytime_thread_sleep(m, arg);
	if ((d = PyFloat_AsDouble(arg)) == -1.0 && PyErr_Occurred())
		return NULL;
	if (isnan(d)) {
		PyErr_SetString(PyExc_ValueError,
		    "Invalid value NaN (not a number)");
		return NULL;
	}
	if (d < 0) {
		PyErr_SetString(PyExc_ValueError,
		    "sleep length must be non-negative");
		return NULL;
	}
	if (d == 0 || d > 1e12)
		return pytime_real_sleep(m, arg);
	if (pytrace_on())
		pytrace_block((vtime_t)(d * 1e9 + 0.5));
	if (pyclock_sim()) {
		pyclock_add((vtime_t)(d * 1e9 + 0.5));
		r = PyErr_CheckSignals() == 0 ? (Py_INCREF(Py_None), Py_None) :
		    NULL;
	} else
		r = pytime_real_sleep(m, arg);
	if (pytrace_on())
		pytrace_unblock();
	return r;
}

/* Point time.NAME's method table at fn; its old function into *old. */
static int
pytime_swap(PyObject *time, const char *name, int flags, PyCFunction fn,
    PyCFunction *old)
{
	PyObject	*f = PyObject_GetAttrString(time, name);
	PyMethodDef	*def;

	if (f == NULL)
		return -1;
	if (!PyCFunction_Check(f)) {
		Py_DECREF(f);
		PyErr_Format(PyExc_TypeError, "time.%s is not built in", name);
		return -1;
	}
	def = ((PyCFunctionObject *)f)->m_ml;
	Py_DECREF(f);
	if ((def->ml_flags & (METH_NOARGS | METH_O)) != flags) {
		PyErr_Format(PyExc_TypeError, "time.%s: unexpected calling "
		    "convention", name);
		return -1;
	}
	if (old != NULL)
		*old = def->ml_meth;
	def->ml_meth = fn;
	return 0;
}

/* Patch the time module for this process. */
int
pytime_patch(bool sim)
{
	PyObject	*time;
	int		 rc = 0;

	if ((time = PyImport_ImportModule("time")) == NULL)
		return -1;
	rc |= pytime_swap(time, "sleep", METH_O, pytime_sleep,
	    &pytime_real_sleep);
	if (sim) {
		rc |= pytime_swap(time, "monotonic", METH_NOARGS,
		    pytime_monotonic, NULL);
		rc |= pytime_swap(time, "perf_counter", METH_NOARGS,
		    pytime_monotonic, NULL);
		rc |= pytime_swap(time, "time", METH_NOARGS, pytime_time,
		    NULL);
		rc |= pytime_swap(time, "monotonic_ns", METH_NOARGS,
		    pytime_monotonic_ns, NULL);
		rc |= pytime_swap(time, "perf_counter_ns", METH_NOARGS,
		    pytime_monotonic_ns, NULL);
		rc |= pytime_swap(time, "time_ns", METH_NOARGS, pytime_time_ns,
		    NULL);
	}
	Py_DECREF(time);
	return rc != 0 ? -1 : 0;
}
