/*
 * The child's side of the trace: events go into a ring, and a thread of
 * the child's own packs them (engine/wire.h) and writes them to the pipe
 * to the session, so that nothing is formatted or written on the path of
 * the program being traced.
 */
#ifndef LOOPSCOPE_PYEMIT_H
#define LOOPSCOPE_PYEMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "trace.h"

int	pyemit_open(int fd, int64_t t0);
void	pyemit_push(struct trace_event *ev);
void	pyemit_shared(void);
void	pyemit_state(uint32_t task, enum task_state state,
	    enum trace_reason reason, uint16_t line, uint32_t other,
	    vtime_t vtime);
void	pyemit_flush(void);
void	pyemit_sync(void);
void	pyemit_close(void);
void	pyemit_forked(void);
bool	pyemit_on(void);
int64_t	pyemit_rtime(void);
void	pyemit_tick(void);

#endif
