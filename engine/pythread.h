/*
 * The program's threads: a lane each (kind "thread", under its process),
 * and what each does from moment to moment, running Python, waiting for
 * the GIL, asleep in a call, measured by a watcher thread of loopscope's
 * that looks every PYTHREAD_LOOK_NS (engine/pythread.c says how).
 */
#ifndef LOOPSCOPE_PYTHREAD_H
#define LOOPSCOPE_PYTHREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "trace.h"
#include "vtime.h"

#define PYTHREAD_LOOK_NS	((int64_t)1000000)	/* 1 ms */
#define PYTHREAD_WATCHED	64	/* threads watched at once; more: no
					   GIL states for the rest */

/* What else the watcher looks at on each look (engine/pyproc.c). */
struct pythread_more {
	void	(*look)(vtime_t at, bool exact);
	void	(*forked)(void);
};

void		pythread_on_look(const struct pythread_more *more);
uint32_t	pythread_begin(const char *name);
void		pythread_end(const char *why);
uint32_t	pythread_lane(void);
vtime_t		pythread_now(void);
vtime_t		pythread_block(enum trace_reason reason);
void		pythread_unblock(vtime_t at);
void		pythread_stop(void);
void		pythread_forked(void);
void		pythread_init(void);
bool		pythread_main_busy(void);
void		pythread_lock(void);
void		pythread_unlock(void);
bool		pythread_watch_more(void);
void		pythread_watch_less(void);
void		pythread_lane_state(uint32_t lane, enum task_state state,
		    enum trace_reason reason, vtime_t at);
void		pythread_lane_failed(uint32_t lane, const char *why, vtime_t at);

#endif
