/*
 * The child's side of notebooks and percent scripts (engine/pycell.c):
 * their cells read for python/loopscope/cells.py, a traced cell's start
 * as a trace event, and cells run quiet to set up a traced one.
 */
#ifndef LOOPSCOPE_PYCELL_H
#define LOOPSCOPE_PYCELL_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdbool.h>

bool	pycell_quiet(void);
int	pycell_add(PyObject *module);

#endif
