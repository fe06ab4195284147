/*
 * The session's clock: where the session's time stands, its speed and its
 * pause, for the views and the trace's clock events. Each variant's child
 * keeps its program's own time (engine/pyclock.c).
 */
#ifndef LOOPSCOPE_CLOCK_H
#define LOOPSCOPE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "vtime.h"

enum clock_mode {
	CLOCK_REAL,	/* real time scaled by the speed */
	CLOCK_SIM	/* no real time passes: jumps to the next deadline */
};

#define CLOCK_SPEED_MIN	0.01
#define CLOCK_SPEED_MAX	1000.0

struct clock;

struct clock	*clock_new(enum clock_mode mode, double speed, bool paused);
void		 clock_free(struct clock *c);
void		 clock_start(struct clock *c);

vtime_t		 clock_now(struct clock *c);
enum clock_mode	 clock_mode(const struct clock *c);
double		 clock_speed(struct clock *c);
bool		 clock_paused(struct clock *c);
int		 clock_set_speed(struct clock *c, double speed);
void		 clock_set_paused(struct clock *c, bool paused);

#endif
