/* _loopscope.http_get: a blocking GET, traced (engine/pyhttp.c). */
#ifndef LOOPSCOPE_PYHTTP_H
#define LOOPSCOPE_PYHTTP_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

PyObject	*pyhttp_get(PyObject *m, PyObject *args, PyObject *kw);

#endif
