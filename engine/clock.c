/*
 * The session's clock (engine/clock.h): virtual now is base_v + (real -
 * base_r) * speed while it runs, base_v while paused or simulated. The UI's
 * thread and the session's read it; a mutex keeps its fields together.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>

#include "clock.h"

struct clock {
	pthread_mutex_t	 lock;
	enum clock_mode	 mode;
	double		 speed;
	bool		 paused;
	vtime_t		 base_v;
	int64_t		 base_r;
};

struct clock *
clock_new(enum clock_mode mode, double speed, bool paused)
{
	struct clock	*c;

	if ((c = calloc(1, sizeof *c)) == NULL)
		return NULL;
	pthread_mutex_init(&c->lock, NULL);
	c->mode = mode;
	c->speed = speed;
	c->paused = paused;
	c->base_r = vtime_real_ns();
	return c;
}

void
clock_free(struct clock *c)
{
	if (c == NULL)
		return;
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* Virtual now, under the lock. */
static vtime_t
clock_now_locked(struct clock *c)
{
	double	elapsed;

	if (c->mode == CLOCK_SIM || c->paused)
		return c->base_v;
	elapsed = (double)(vtime_real_ns() - c->base_r) * c->speed;
	return c->base_v + (vtime_t)elapsed;
}

/* Fold the time passed so far into the base, before a change of rate. */
static void
clock_rebase(struct clock *c)
{
	c->base_v = clock_now_locked(c);
	c->base_r = vtime_real_ns();
}

/* Time starts now, at 0. */
void
clock_start(struct clock *c)
{
	pthread_mutex_lock(&c->lock);
	c->base_v = 0;
	c->base_r = vtime_real_ns();
	pthread_mutex_unlock(&c->lock);
}

vtime_t
clock_now(struct clock *c)
{
	vtime_t	v;

	pthread_mutex_lock(&c->lock);
	v = clock_now_locked(c);
	pthread_mutex_unlock(&c->lock);
	return v;
}

enum clock_mode
clock_mode(const struct clock *c)
{
	return c->mode;		/* set once, at clock_new */
}

double
clock_speed(struct clock *c)
{
	double	s;

	pthread_mutex_lock(&c->lock);
	s = c->speed;
	pthread_mutex_unlock(&c->lock);
	return s;
}

bool
clock_paused(struct clock *c)
{
	bool	p;

	pthread_mutex_lock(&c->lock);
	p = c->paused;
	pthread_mutex_unlock(&c->lock);
	return p;
}

/* A speed from CLOCK_SPEED_MIN to CLOCK_SPEED_MAX; -1 for any other. */
int
clock_set_speed(struct clock *c, double speed)
{
	if (!(speed >= CLOCK_SPEED_MIN && speed <= CLOCK_SPEED_MAX))
		return -1;
	pthread_mutex_lock(&c->lock);
	clock_rebase(c);
	c->speed = speed;
	pthread_mutex_unlock(&c->lock);
	return 0;
}

void
clock_set_paused(struct clock *c, bool paused)
{
	pthread_mutex_lock(&c->lock);
	if (c->paused != paused) {
		clock_rebase(c);
		c->paused = paused;
	}
	pthread_mutex_unlock(&c->lock);
}
