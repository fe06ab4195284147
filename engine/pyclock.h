/*
 * The child's clock. In the simulated clock, virtual time moves only when
 * the program waits (the loop jumps to its next deadline, time.sleep adds
 * its length) or computes (its thread's CPU time is charged, when a
 * stretch of work lasted at least PYCLOCK_CPU_MIN); in the real clock it
 * is real time since the program started.
 */
#ifndef LOOPSCOPE_PYCLOCK_H
#define LOOPSCOPE_PYCLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "vtime.h"

#define PYCLOCK_CPU_MIN	((int64_t)10000000)	/* 10 ms */

int64_t	pyclock_read(clockid_t id);
void	pyclock_init(bool sim);
bool	pyclock_sim(void);
bool	pyclock_main_thread(void);
vtime_t	pyclock_now(void);
vtime_t	pyclock_peek(void);
vtime_t	pyclock_look(void);
vtime_t	pyclock_known(void);
bool	pyclock_main_stuck(int64_t ns);
bool	pyclock_main_busy(void);
void	pyclock_starting(bool on);
void	pyclock_joining(bool on);
bool	pyclock_main_joining(void);
vtime_t	pyclock_settle(vtime_t *charged);
void	pyclock_rebase(void);
void	pyclock_start(void);
void	pyclock_zero(void);
void	pyclock_freeze(void);
void	pyclock_jump(vtime_t to);
void	pyclock_charging(bool on);
void	pyclock_jump_stuck(vtime_t to);
bool	pyclock_take_stuck(vtime_t *from, vtime_t *to);
void	pyclock_wait_begin(void);
void	pyclock_wait_end(vtime_t target);
void	pyclock_add(vtime_t d);
int64_t	pyclock_wall_base(void);
int64_t	pyclock_real_base(void);

#endif
