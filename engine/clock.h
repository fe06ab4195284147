/* One virtual clock per session, shared by its variants' threads. */
#ifndef LOOPSCOPE_CLOCK_H
#define LOOPSCOPE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "vtime.h"

enum clock_mode {
	CLOCK_REAL,	/* real time scaled by the speed */
	CLOCK_SIM	/* no real time passes: jumps to the next deadline */
};

/* Whose a message in flight is: what its owner's waits let it hold back. */
enum clock_msg_kind {
	CLOCK_MSG_LOOP,		/* for the owner's event loop */
	CLOCK_MSG_DIRECT,	/* for a blocking call: always holds */
	CLOCK_MSG_LOOSE		/* to another server: the loop, never settled */
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
int		 clock_step(struct clock *);
void		 clock_stop(struct clock *);

/* For the variants' threads. */
int		 clock_join(struct clock *, void (*)(void *), void *);
void		 clock_leave(struct clock *, int);
void		 clock_idle(struct clock *, int, vtime_t);
void		 clock_busy(struct clock *, int);
double		 clock_delay(struct clock *, vtime_t);
int		 clock_wait_until(struct clock *, int, vtime_t, bool);
bool		 clock_stopping(struct clock *);
void		 clock_block(struct clock *, int, vtime_t);
void		 clock_set_sender(struct clock *, int);
void		 clock_settle(struct clock *, int);
uint64_t	 clock_msg_send(struct clock *, int, enum clock_msg_kind);
void		 clock_msg_take(struct clock *, uint64_t);
void		 clock_msg_due(struct clock *, uint64_t);
void		 clock_msg_end(struct clock *, uint64_t);
int		 clock_msg_pending(struct clock *, int);

#endif
