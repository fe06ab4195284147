/*
 * Inside the clock: shared by engine/clock.c (the clock and its
 * participants) and engine/clock-msg.c (the messages in flight between
 * them), and by nothing else. Every field is under the clock's lock but
 * the published base (struct clock_base).
 */
#ifndef LOOPSCOPE_CLOCK_INT_H
#define LOOPSCOPE_CLOCK_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "clock.h"

#define CLOCK_MAX_PARTICIPANTS	16

enum clock_pstate {
	CLOCK_P_FREE,
	CLOCK_P_BUSY,		/* running code, time cannot jump */
	CLOCK_P_IDLE,		/* waiting until its deadline */
	CLOCK_P_GONE
};

struct clock_participant {
	enum clock_pstate	  state;
	vtime_t			  deadline;
	bool			  blocked;	/* in a blocking call */
	bool			  sender;	/* answers the others */
	int			  loop;		/* CLOCK_MSG_LOOP counted */
	int			  loose;	/* CLOCK_MSG_LOOSE counted */
	void			(*wake)(void *);
	void			 *arg;
};

enum clock_mstate {
	CLOCK_M_FREE,
	CLOCK_M_SENT,		/* on its way to the server: counted */
	CLOCK_M_WAITING,	/* the server said when it answers */
	CLOCK_M_DUE		/* the answer is on its way back: counted */
};

/* One message in flight; a token names it: its index and generation. */
struct clock_msg {
	uint32_t		gen;
	uint32_t		next_free;
	int16_t			owner;
	uint8_t			kind;
	uint8_t			state;
};

/*
 * What clock_now needs, published for readers that take no lock: every
 * traced event reads the clock, so the hot path must not contend for it.
 * A sequence lock: gen is odd while the lock holder rewrites the fields.
 */
struct clock_base {
	atomic_uint			 gen;
	_Atomic vtime_t			 v;
	_Atomic int64_t			 r;
	_Atomic double			 speed;
	atomic_bool			 frozen;	/* paused or simulated */
};

/*
 * Virtual now is base_v + (real - base_r) * speed while running, base_v
 * while paused or simulated. Every field is under lock; the variants hold
 * it only for a few instructions at each wait. pub mirrors the first four.
 */
struct clock {
	pthread_mutex_t			 lock;
	pthread_cond_t			 cond;
	enum clock_mode			 mode;
	double				 speed;
	bool				 paused;
	bool				 stopping;
	vtime_t				 base_v;
	int64_t				 base_r;
	struct clock_participant	 p[CLOCK_MAX_PARTICIPANTS];
	int				 np;
	int				 direct;	/* MSG_DIRECT counted */
	struct clock_msg		*msgs;
	uint32_t			 nmsgs;
	uint32_t			 free_msg;	/* UINT32_MAX: none */
	struct clock_base		 pub;
};

/* clock.c, under the lock: now, and simulated time's jump. */
vtime_t	clock_now_locked(struct clock *c);
void	clock_advance(struct clock *c);

#endif
