/*
 * The program's sys.stdout and sys.stderr: each line written becomes a
 * print event (engine/pytrace.h) of the lane that wrote it, at its
 * virtual time. Once tracing is off (a forked process), text goes to
 * the descriptor as it is.
 */
#ifndef LOOPSCOPE_PYOUT_H
#define LOOPSCOPE_PYOUT_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define PYOUT_LINE_MAX	4096		/* a longer line is cut in pieces */
#define PYOUT_BYTES_MAX	(64L << 20)	/* output a child may print */

int	pyout_add_type(PyObject *module);
void	pyout_flush_all(void);

#endif
