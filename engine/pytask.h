/*
 * Tasks on the loop (engine/pytask.c): which task a callback steps or
 * wakes, its lane, and what it waits on after each of its steps. The
 * loop (engine/pyloop-call.c, engine/pyloop-run.c) tells it what it
 * queues and runs. Everything here runs with the GIL held.
 */
#ifndef LOOPSCOPE_PYTASK_H
#define LOOPSCOPE_PYTASK_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vtime.h"

int		 pytask_init(void);
uint32_t	 pytask_lane(PyObject *task);
PyObject	*pytask_of(PyObject *callback);
void		 pytask_scheduled(PyObject *callback, bool first);
void		 pytask_step_begin(PyObject *task, uint32_t lane);
void		 pytask_step_end(PyObject *task, uint32_t lane);
void		 pytask_sleep_timer(PyObject *callback, PyObject *const *args,
		     size_t nargs, vtime_t due);
uint32_t	 pytask_timer_lane(PyObject *callback, PyObject *args);
bool		 pytask_is_sleep(PyObject *callback);
void		 pytask_in_timer(bool on);
void		 pytask_timer_fired(uint32_t lane, vtime_t due);

#endif
