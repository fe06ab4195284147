/* _loopscope: the module the child's Python side imports. */
#ifndef LOOPSCOPE_PYMODULE_H
#define LOOPSCOPE_PYMODULE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

PyObject	*pymodule_init(void);

#endif
