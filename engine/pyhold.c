/* Holds: virtual time other threads wait on, released by the loop. */
#include "config.h"

#include <errno.h>
#include <time.h>

#include "pyclock.h"
#include "pyhold.h"

#define PYHOLD_LOOK_NS	20000000	/* a sleeper's look without the loop */

static struct {
	pthread_mutex_t	 lock;
	struct pyhold	*list;
	int		 nthreads;	/* unreleased holds of threads */
	void		(*waker)(void *);
	void		*warg;
	bool		 loop;		/* a loop drives the clock */
} pyhold = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* Wake whoever drives the clock: a new deadline may come first. */
static void
pyhold_wake(void)
{
	if (pyhold.waker != NULL)
		pyhold.waker(pyhold.warg);
}

void
pyhold_add(struct pyhold *h)
{
	h->released = false;
	pthread_mutex_lock(&pyhold.lock);
	h->next = pyhold.list;
	pyhold.list = h;
	if (h->thread)
		pyhold.nthreads++;
	pthread_mutex_unlock(&pyhold.lock);
	pyhold_wake();
}

void
pyhold_remove(struct pyhold *h)
{
	struct pyhold	**pp;

	pthread_mutex_lock(&pyhold.lock);
	for (pp = &pyhold.list; *pp != NULL; pp = &(*pp)->next)
		if (*pp == h) {
			*pp = h->next;
			if (h->thread && !h->released)
				pyhold.nthreads--;
			break;
		}
	pthread_mutex_unlock(&pyhold.lock);
}

/* The earliest deadline of the holds not released yet (VTIME_NEVER). */
vtime_t
pyhold_due(void)
{
	struct pyhold	*h;
	vtime_t		 due = VTIME_NEVER;

	pthread_mutex_lock(&pyhold.lock);
	for (h = pyhold.list; h != NULL; h = h->next)
		if (!h->released && h->due < due)
			due = h->due;
	pthread_mutex_unlock(&pyhold.lock);
	return due;
}

/* Threads waiting on a hold: not real work the clock must wait for. */
int
pyhold_threads(void)
{
	int	n;

	pthread_mutex_lock(&pyhold.lock);
	n = pyhold.nthreads;
	pthread_mutex_unlock(&pyhold.lock);
	return n;
}

static void
pyhold_release_locked(vtime_t upto)
{
	struct pyhold	*h;

	for (h = pyhold.list; h != NULL; h = h->next) {
		if (h->released || h->due > upto)
			continue;
		h->released = true;
		if (h->thread)
			pyhold.nthreads--;
		if (h->release != NULL)
			h->release(h);
		else
			pthread_cond_broadcast(&h->cond);
	}
}

/* Time reached upto: release every hold due by then. */
void
pyhold_release(vtime_t upto)
{
	pthread_mutex_lock(&pyhold.lock);
	pyhold_release_locked(upto);
	pthread_mutex_unlock(&pyhold.lock);
}

void
pyhold_set_waker(void (*fn)(void *), void *arg)
{
	pthread_mutex_lock(&pyhold.lock);
	pyhold.waker = fn;
	pyhold.warg = arg;
	pthread_mutex_unlock(&pyhold.lock);
}

/* Whether a loop runs, to release the holds (else they release themselves). */
void
pyhold_set_loop(bool running)
{
	pthread_mutex_lock(&pyhold.lock);
	pyhold.loop = running;
	pthread_mutex_unlock(&pyhold.lock);
}

/*
 * A look from a thread that watches (the page server's, every 20 ms):
 * with no loop to release the holds, or the program's thread stuck in a
 * call (a foreign client of the page server blocking it), the earliest
 * hold is released, time going there.
 */
void
pyhold_idle(void)
{
	struct pyhold	*h;
	vtime_t		 due = VTIME_NEVER;

	pthread_mutex_lock(&pyhold.lock);
	for (h = pyhold.list; h != NULL; h = h->next)
		if (!h->released && h->due < due)
			due = h->due;
	if (due != VTIME_NEVER && (!pyhold.loop ||
	    pyclock_main_stuck(PYHOLD_LOOK_NS))) {
		pyclock_jump(due);
		pyhold_release_locked(due);
	}
	pthread_mutex_unlock(&pyhold.lock);
}

/*
 * A thread other than the program's sleeps until due, virtually: the
 * loop releases it when time gets there. With no loop running, the
 * sleeper whose hold is the earliest moves the clock there itself, once
 * a look finds it so (the program's thread is then blocked, in a join).
 */
void
pyhold_sleep(vtime_t due)
{
	struct pyhold	 h = { .due = due, .thread = true };
	struct pyhold	*o;
	struct timespec	 ts;
	bool		 first;

	pthread_cond_init(&h.cond, NULL);
	pyhold_add(&h);
	pthread_mutex_lock(&pyhold.lock);
	while (!h.released) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += PYHOLD_LOOK_NS;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		if (pthread_cond_timedwait(&h.cond, &pyhold.lock, &ts) !=
		    ETIMEDOUT || h.released || pyhold.loop)
			continue;
		for (first = true, o = pyhold.list; o != NULL; o = o->next)
			if (!o->released && o->due < h.due)
				first = false;
		if (first) {
			pyclock_jump(h.due);
			pyhold_release_locked(h.due);
		}
	}
	pthread_mutex_unlock(&pyhold.lock);
	pyhold_remove(&h);
	pthread_cond_destroy(&h.cond);
}
