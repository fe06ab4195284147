/*
 * The program's coroutines (engine/pycoro.c): the lane of each one its
 * functions made, by the coroutine's pointer, and the lanes of those that
 * went away without running. Everything here runs with the GIL held.
 */
#ifndef LOOPSCOPE_PYCORO_H
#define LOOPSCOPE_PYCORO_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdbool.h>
#include <stdint.h>

int		 pycoro_init(void);
void		 pycoro_set_lane(PyObject *coro, uint32_t lane);
void		 pycoro_made(PyObject *coro, PyObject *func,
		     PyObject *const *args, size_t nargs, PyObject *kwnames);
uint32_t	 pycoro_lane(PyObject *coro);
bool		 pycoro_gone_waiting(void);
void		 pycoro_flush_gone(void);
void		 pycoro_finish(void);

#endif
