/* The wrapper of the program's own functions, for the tracer. */
#ifndef LOOPSCOPE_PYCALL_H
#define LOOPSCOPE_PYCALL_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

int		 pycall_add_type(PyObject *module);
PyObject	*pycall_trace(PyObject *module, PyObject *func);

#endif
