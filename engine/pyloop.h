/*
 * The loop's hot path in C on libev, as a type: _loopscope.LoopCore. The
 * Python class loopscope.loop.Loop (python/loopscope/loop.py) derives
 * from it and from asyncio's own selector loop: the C methods win by the
 * MRO, and asyncio's sockets, transports, TLS, signals and subprocesses
 * are inherited. asyncio's Handle and TimerHandle objects are made here
 * directly, without their __init__, so that they are asyncio's own.
 */
#ifndef LOOPSCOPE_PYLOOP_H
#define LOOPSCOPE_PYLOOP_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

int	pyloop_add_type(PyObject *module);

#endif
