/*
 * The time module on the child's clock: time.sleep blocks the lane
 * (virtually in the simulated clock), and there time.time, monotonic,
 * perf_counter and their _ns forms read virtual time. They are patched in
 * the functions' own method tables, so that a module that did
 * `from time import monotonic` (threading, queue, the program) reads the
 * same clock.
 */
#ifndef LOOPSCOPE_PYTIME_H
#define LOOPSCOPE_PYTIME_H

#include <stdbool.h>

int	pytime_patch(bool sim);

#endif
