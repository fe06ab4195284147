/*
 * The processes the program starts: a lane each (kind "process", beside
 * the program's thread), running or asleep as the kernel has it, looked at
 * by pythread's watcher (engine/pyproc.c says how).
 */
#ifndef LOOPSCOPE_PYPROC_H
#define LOOPSCOPE_PYPROC_H

#include <stdbool.h>

#include "vtime.h"

#define PYPROC_WATCHED	64	/* processes watched at once; more: a lane
				   that runs from start to end */

void	pyproc_init(void);
void	pyproc_begin(long pid, const char *name);
void	pyproc_end(long pid, int code);

#endif
