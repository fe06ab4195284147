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

struct clock	*clock_new(enum clock_mode, double, bool);
void		 clock_free(struct clock *);
void		 clock_start(struct clock *);

vtime_t		 clock_now(struct clock *);
enum clock_mode	 clock_mode(const struct clock *);
double		 clock_speed(struct clock *);
bool		 clock_paused(struct clock *);
int		 clock_set_speed(struct clock *, double);
void		 clock_set_paused(struct clock *, bool);

#endif
