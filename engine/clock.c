/*
 * The session's virtual clock and the rendezvous of its variants: its
 * time, speed and pause, read without a lock; simulated time's jumps to
 * the earliest deadline once nobody runs; the participants' waits. The
 * messages in flight that hold simulated time back are engine/clock-msg.c.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "clock-int.h"

static void	clock_rebase(struct clock *);
static void	clock_wake_all(struct clock *);
static void	clock_publish(struct clock *);
static bool	clock_held(const struct clock *);

struct clock *
clock_new(enum clock_mode mode, double speed, bool paused)
{
	struct clock		*c;
	pthread_condattr_t	 attr;

	if ((c = calloc(1, sizeof *c)) == NULL)
		return NULL;
	pthread_mutex_init(&c->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&c->cond, &attr);
	pthread_condattr_destroy(&attr);
	c->mode = mode;
	c->speed = speed;
	c->paused = paused;
	c->base_r = vtime_real_ns();
	c->free_msg = UINT32_MAX;
	atomic_init(&c->pub.gen, 0);
	atomic_init(&c->pub.v, 0);
	atomic_init(&c->pub.r, 0);
	atomic_init(&c->pub.speed, 1.0);
	atomic_init(&c->pub.frozen, true);
	clock_publish(c);
	return c;
}

void
clock_free(struct clock *c)
{
	if (c == NULL)
		return;
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->cond);
	free(c->msgs);
	free(c);
}

/* Virtual now, under the lock. */
vtime_t
clock_now_locked(struct clock *c)
{
	double	elapsed;

	if (c->mode == CLOCK_SIM || c->paused)
		return c->base_v;
	elapsed = (double)(vtime_real_ns() - c->base_r) * c->speed;
	return c->base_v + (vtime_t)elapsed;
}

/*
 * Copy the base to the lock-free readers; under lock, after every change
 * of base_v, base_r, speed or paused and before anybody is woken.
 */
static void
clock_publish(struct clock *c)
{
	unsigned	gen = atomic_load_explicit(&c->pub.gen,
			    memory_order_relaxed);

	atomic_store_explicit(&c->pub.gen, gen + 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
	atomic_store_explicit(&c->pub.v, c->base_v, memory_order_relaxed);
	atomic_store_explicit(&c->pub.r, c->base_r, memory_order_relaxed);
	atomic_store_explicit(&c->pub.speed, c->speed, memory_order_relaxed);
	atomic_store_explicit(&c->pub.frozen, c->mode == CLOCK_SIM ||
	    c->paused, memory_order_relaxed);
	atomic_store_explicit(&c->pub.gen, gen + 2, memory_order_release);
}

/* Fold the time passed so far into the base, before a change of rate. */
static void
clock_rebase(struct clock *c)
{
	c->base_v = clock_now_locked(c);
	c->base_r = vtime_real_ns();
	clock_publish(c);
}

/* Tell every participant to look at the clock again. */
static void
clock_wake_all(struct clock *c)
{
	int	i;

	for (i = 0; i < c->np; i++)
		if (c->p[i].state != CLOCK_P_GONE && c->p[i].wake != NULL)
			c->p[i].wake(c->p[i].arg);
	pthread_cond_broadcast(&c->cond);
}

/*
 * Is a message on its way that somebody will act on now? A participant in
 * a blocking call cannot read what comes for its loop until the call ends,
 * so its loop's messages do not keep time from passing; the blocking
 * call's own (CLOCK_MSG_DIRECT) always do.
 */
static bool
clock_held(const struct clock *c)
{
	int	i;

	if (c->direct > 0)
		return true;
	for (i = 0; i < c->np; i++)
		if (c->p[i].state != CLOCK_P_GONE && !c->p[i].blocked &&
		    (c->p[i].loop > 0 || c->p[i].loose > 0))
			return true;
	return false;
}

/*
 * Simulated time: once nobody runs, jump to the earliest deadline and wake
 * whoever it is due for. A participant waiting on I/O has no deadline and
 * keeps the clock where it is until its I/O arrives.
 */
void
clock_advance(struct clock *c)
{
	vtime_t	next = VTIME_NEVER;
	int	i;

	if (c->mode != CLOCK_SIM || c->paused || c->stopping || clock_held(c))
		return;
	for (i = 0; i < c->np; i++) {
		if (c->p[i].state == CLOCK_P_BUSY)
			return;
		if (c->p[i].state == CLOCK_P_IDLE && c->p[i].deadline < next)
			next = c->p[i].deadline;
	}
	if (next == VTIME_NEVER)
		return;
	if (next > c->base_v) {
		c->base_v = next;
		clock_publish(c);
	}
	for (i = 0; i < c->np; i++)
		if (c->p[i].state == CLOCK_P_IDLE &&
		    c->p[i].deadline <= c->base_v) {
			c->p[i].state = CLOCK_P_BUSY;
			if (c->p[i].wake != NULL)
				c->p[i].wake(c->p[i].arg);
		}
	pthread_cond_broadcast(&c->cond);
}

/* Virtual time 0 is now. */
void
clock_start(struct clock *c)
{
	pthread_mutex_lock(&c->lock);
	c->base_v = 0;
	c->base_r = vtime_real_ns();
	clock_publish(c);
	pthread_mutex_unlock(&c->lock);
}

/* Virtual now, without the lock: the same value clock_now_locked gives. */
vtime_t
clock_now(struct clock *c)
{
	unsigned	gen;
	vtime_t		v;
	int64_t		r;
	double		speed;
	bool		frozen;

	for (;;) {
		gen = atomic_load_explicit(&c->pub.gen, memory_order_acquire);
		v = atomic_load_explicit(&c->pub.v, memory_order_relaxed);
		r = atomic_load_explicit(&c->pub.r, memory_order_relaxed);
		speed = atomic_load_explicit(&c->pub.speed,
		    memory_order_relaxed);
		frozen = atomic_load_explicit(&c->pub.frozen,
		    memory_order_relaxed);
		atomic_thread_fence(memory_order_acquire);
		if ((gen & 1) == 0 && atomic_load_explicit(&c->pub.gen,
		    memory_order_relaxed) == gen)
			break;
	}
	if (frozen)
		return v;
	return v + (vtime_t)((double)(vtime_real_ns() - r) * speed);
}

enum clock_mode
clock_mode(const struct clock *c)
{
	return c->mode;
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

/* Change the speed factor; time already passed keeps its value. */
int
clock_set_speed(struct clock *c, double speed)
{
	if (!(speed >= CLOCK_SPEED_MIN && speed <= CLOCK_SPEED_MAX))
		return -1;
	pthread_mutex_lock(&c->lock);
	clock_rebase(c);
	c->speed = speed;
	clock_publish(c);
	clock_wake_all(c);
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
		clock_publish(c);
		clock_advance(c);
		clock_wake_all(c);
	}
	pthread_mutex_unlock(&c->lock);
}

/*
 * While paused, jump to the earliest deadline anybody waits for. Returns 0
 * on a jump, -1 when not paused or nobody waits for a time, 1 while a
 * participant still runs (the last step's work, say): its next deadline
 * is not known yet and may be the earliest, so ask again once it waits.
 */
int
clock_step(struct clock *c)
{
	vtime_t	next = VTIME_NEVER;
	int	i;

	pthread_mutex_lock(&c->lock);
	if (!c->paused) {
		pthread_mutex_unlock(&c->lock);
		return -1;
	}
	for (i = 0; i < c->np; i++) {
		if (c->p[i].state == CLOCK_P_BUSY) {
			pthread_mutex_unlock(&c->lock);
			return 1;
		}
		if (c->p[i].state == CLOCK_P_IDLE && c->p[i].deadline < next)
			next = c->p[i].deadline;
	}
	if (next == VTIME_NEVER) {
		pthread_mutex_unlock(&c->lock);
		return -1;
	}
	if (next > c->base_v)
		c->base_v = next;
	c->base_r = vtime_real_ns();
	clock_publish(c);
	for (i = 0; i < c->np; i++)
		if (c->p[i].state == CLOCK_P_IDLE &&
		    c->p[i].deadline <= c->base_v)
			c->p[i].state = CLOCK_P_BUSY;
	clock_wake_all(c);
	pthread_mutex_unlock(&c->lock);
	return 0;
}

/* Make every wait return: the session is going away. */
void
clock_stop(struct clock *c)
{
	pthread_mutex_lock(&c->lock);
	c->stopping = true;
	clock_wake_all(c);
	pthread_mutex_unlock(&c->lock);
}

bool
clock_stopping(struct clock *c)
{
	bool	s;

	pthread_mutex_lock(&c->lock);
	s = c->stopping;
	pthread_mutex_unlock(&c->lock);
	return s;
}

/* Register a variant's thread; wake is called (under the lock) to rouse it. */
int
clock_join(struct clock *c, void (*wake)(void *), void *arg)
{
	int	id;

	pthread_mutex_lock(&c->lock);
	if (c->np == CLOCK_MAX_PARTICIPANTS) {
		pthread_mutex_unlock(&c->lock);
		return -1;
	}
	id = c->np++;
	c->p[id].state = CLOCK_P_BUSY;
	c->p[id].deadline = VTIME_NEVER;
	c->p[id].wake = wake;
	c->p[id].arg = arg;
	pthread_mutex_unlock(&c->lock);
	return id;
}

/* A variant has finished: it no longer holds simulated time back. */
void
clock_leave(struct clock *c, int id)
{
	pthread_mutex_lock(&c->lock);
	c->p[id].state = CLOCK_P_GONE;
	c->p[id].wake = NULL;
	clock_advance(c);
	pthread_mutex_unlock(&c->lock);
}

/* The variant's loop is about to wait; deadline may be VTIME_NEVER. */
void
clock_idle(struct clock *c, int id, vtime_t deadline)
{
	pthread_mutex_lock(&c->lock);
	c->p[id].state = CLOCK_P_IDLE;
	c->p[id].deadline = deadline;
	if (deadline <= clock_now_locked(c)) {
		c->p[id].state = CLOCK_P_BUSY;
		if (c->p[id].wake != NULL)
			c->p[id].wake(c->p[id].arg);
	} else
		clock_advance(c);
	if (c->p[id].sender)
		pthread_cond_broadcast(&c->cond);	/* see clock_settle */
	pthread_mutex_unlock(&c->lock);
}

/*
 * The participant's thread is about to block in a call (a blocking fetch)
 * until deadline at the latest: like clock_idle, but what comes for its
 * loop meanwhile does not hold time back. clock_busy ends it.
 */
void
clock_block(struct clock *c, int id, vtime_t deadline)
{
	pthread_mutex_lock(&c->lock);
	c->p[id].blocked = true;
	pthread_mutex_unlock(&c->lock);
	clock_idle(c, id, deadline);
}

/* The variant's loop woke up (timer, I/O or a wake) and runs again. */
void
clock_busy(struct clock *c, int id)
{
	pthread_mutex_lock(&c->lock);
	c->p[id].state = CLOCK_P_BUSY;
	c->p[id].blocked = false;
	pthread_mutex_unlock(&c->lock);
}

/*
 * Real seconds until virtual time t at the current speed: 0 when due, -1
 * when it cannot come by itself (paused or simulated).
 */
double
clock_delay(struct clock *c, vtime_t t)
{
	double	d;
	vtime_t	now;

	pthread_mutex_lock(&c->lock);
	now = clock_now_locked(c);
	if (t <= now)
		d = 0;
	else if (c->mode == CLOCK_SIM || c->paused || t == VTIME_NEVER)
		d = -1;
	else
		d = (double)(t - now) / (double)VTIME_SEC / c->speed;
	pthread_mutex_unlock(&c->lock);
	return d;
}

/*
 * Hold the calling thread until virtual time t: a blocking sleep, or CPU
 * work (busy true) that keeps a core busy until its cost has passed.
 * Returns 0, or -1 when the session stops.
 */
int
clock_wait_until(struct clock *c, int id, vtime_t t, bool busy)
{
	struct timespec	ts;
	int64_t		real_deadline, slice;
	vtime_t		now;
	double		d;

	pthread_mutex_lock(&c->lock);
	c->p[id].state = CLOCK_P_IDLE;
	c->p[id].deadline = t;
	c->p[id].blocked = true;
	for (;;) {
		now = clock_now_locked(c);
		if (c->stopping) {
			c->p[id].state = CLOCK_P_BUSY;
			c->p[id].blocked = false;
			pthread_mutex_unlock(&c->lock);
			return -1;
		}
		if (now >= t)
			break;
		if (c->mode == CLOCK_SIM) {
			clock_advance(c);
			if (c->p[id].state == CLOCK_P_BUSY)
				continue;
			pthread_cond_wait(&c->cond, &c->lock);
			continue;
		}
		if (c->paused) {
			pthread_cond_wait(&c->cond, &c->lock);
			continue;
		}
		d = (double)(t - now) / c->speed;
		real_deadline = vtime_real_ns() + (int64_t)ceil(d);
		if (busy) {
			/* Burn the core in slices, looking up at each. */
			slice = real_deadline;
			if (slice - vtime_real_ns() > 2000000)
				slice = vtime_real_ns() + 2000000;
			pthread_mutex_unlock(&c->lock);
			while (vtime_real_ns() < slice)
				;
			pthread_mutex_lock(&c->lock);
			continue;
		}
		ts.tv_sec = real_deadline / 1000000000;
		ts.tv_nsec = real_deadline % 1000000000;
		pthread_cond_timedwait(&c->cond, &c->lock, &ts);
	}
	c->p[id].state = CLOCK_P_BUSY;
	c->p[id].deadline = VTIME_NEVER;
	c->p[id].blocked = false;
	pthread_mutex_unlock(&c->lock);
	return 0;
}
