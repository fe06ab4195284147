/* Holds: virtual time other threads wait on, released by the loop. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pyclock.h"
#include "pyhold.h"
#include "pythread.h"

#define PYHOLD_LOOK_NS	20000000	/* a sleeper's look without the loop */
#define PYHOLD_IDLE_LOOKS 5		/* the program's thread idle that long */

static struct {
	pthread_mutex_t	 lock;
	struct pyhold	*list;
	int		 nthreads;	/* unreleased holds of threads */
	int		 workers;	/* idle workers, less work queued */
	unsigned long	 seq;
	void		(*waker)(void *);
	void		*warg;
	bool		 loop;		/* a loop drives the clock */
} pyhold = { .lock = PTHREAD_MUTEX_INITIALIZER };

#define PYHOLD_UNTICKETED	(1ULL << 40)

/* Wake whoever drives the clock: a new deadline may come first. */
static void
pyhold_wake(void)
{
	if (pyhold.waker != NULL)
		pyhold.waker(pyhold.warg);
}

/* The work a thread does now: its place in the order of work given. */
static _Thread_local unsigned long pyhold_ticket;

void
pyhold_set_ticket(unsigned long ticket)
{
	pyhold_ticket = ticket;
}

void
pyhold_add(struct pyhold *h)
{
	h->released = false;
	pthread_mutex_lock(&pyhold.lock);
	/*
	 * A worker's hold by the order its work was given; one with an
	 * order of its own (a socket of the loop's) by that; else by the
	 * order holds come in.
	 */
	if (h->thread && pyhold_ticket != 0)
		h->seq = pyhold_ticket;
	else if (h->seq == 0)
		h->seq = PYHOLD_UNTICKETED + pyhold.seq;
	pyhold.seq++;
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

/*
 * Threads waiting on a hold, or idle in an executor with no work queued
 * for them: not real work the clock must wait for.
 */
int
pyhold_threads(void)
{
	int	n;

	pthread_mutex_lock(&pyhold.lock);
	n = pyhold.nthreads + (pyhold.workers > 0 ? pyhold.workers : 0);
	pthread_mutex_unlock(&pyhold.lock);
	return n;
}

/*
 * An executor's worker waits for work (+1) or is given some (-1: counted
 * when the work is queued, before the worker wakes, so that the clock
 * never jumps past work about to start). python/loopscope/loop.py.
 */
void
pyhold_workers(int delta)
{
	pthread_mutex_lock(&pyhold.lock);
	pyhold.workers += delta;
	pthread_mutex_unlock(&pyhold.lock);
}

static void
pyhold_release_one(struct pyhold *h)
{
	h->released = true;
	if (h->thread)
		pyhold.nthreads--;
	if (h->release != NULL)
		h->release(h);
	else
		pthread_cond_broadcast(&h->cond);
}

/*
 * Release the holds due by upto: all that the loop's own clients wait
 * on, and of those threads wait on, only the first taken (when
 * one_thread): threads released together would finish in whatever order
 * the system runs them; one at a time, each running until it waits
 * again, a run repeats.
 */
/*
 * Which of two holds goes first: the earlier due; then by key when both
 * have one (a page's title: requests from threads arrive in whatever
 * order the threads run); then as pyhold_add() numbered them.
 */
static int
pyhold_order(const struct pyhold *x, const struct pyhold *y)
{
	int	c;

	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	if (x->key != NULL && y->key != NULL && (c = strcmp(x->key,
	    y->key)) != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
pyhold_cmp(const void *a, const void *b)
{
	return pyhold_order(*(struct pyhold *const *)a,
	    *(struct pyhold *const *)b);
}

static void
pyhold_release_locked(vtime_t upto, bool one_thread)
{
	static struct pyhold	**due;
	static size_t		  cap;
	struct pyhold		 *h, *first = NULL, **grown;
	size_t			  n = 0, i;

	for (h = pyhold.list; h != NULL; h = h->next) {
		if (h->released || h->due > upto)
			continue;
		if (h->thread && one_thread) {
			if (first == NULL || pyhold_order(h, first) < 0)
				first = h;
			continue;
		}
		if (n == cap) {
			grown = realloc(due, (cap ? cap * 2 : 64) *
			    sizeof *due);
			if (grown == NULL) {
				/* No room to order them: in list order. */
				pyhold_release_one(h);
				continue;
			}
			due = grown;
			cap = cap ? cap * 2 : 64;
		}
		due[n++] = h;
	}
	/* In their order: by due time, then as pyhold_add() numbered them. */
	if (n > 1)
		qsort(due, n, sizeof *due, pyhold_cmp);
	for (i = 0; i < n; i++)
		pyhold_release_one(due[i]);
	if (first != NULL)
		pyhold_release_one(first);
}

/* Time reached upto: release the holds due by then (one thread's). */
void
pyhold_release(vtime_t upto)
{
	pthread_mutex_lock(&pyhold.lock);
	pyhold_release_locked(upto, true);
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
 * hold is released, time going there. In the real clock, the holds due
 * by now are released.
 */
void
pyhold_idle(void)
{
	struct pyhold	*h;
	vtime_t		 due = VTIME_NEVER;
	bool		 stuck, sleep = false;

	pthread_mutex_lock(&pyhold.lock);
	/*
	 * The real clock: what is due by now goes, and no sooner, loop or
	 * not (--latency 2 is two real seconds); time is never moved.
	 */
	if (!pyclock_sim()) {
		pyhold_release_locked(pyclock_now(), false);
		pthread_mutex_unlock(&pyhold.lock);
		return;
	}
	for (h = pyhold.list; h != NULL; h = h->next)
		if (!h->released && h->due < due) {
			due = h->due;
			sleep = h->release == NULL;
		}
	stuck = pyclock_main_stuck(PYHOLD_LOOK_NS);
	/*
	 * Without a loop, an answer of ours is given at once (a blocking
	 * client waits for it); a thread's sleep is the sleeper's own look's
	 * to end (pyhold_sleep), once the program's thread waits for it.
	 */
	if (due != VTIME_NEVER && ((!pyhold.loop && !sleep) || stuck)) {
		/*
		 * The program's thread waited all that time: blocked. Without
		 * a loop, the blocking client is the program's thread (not
		 * looked at yet: the answer goes at once), unless it joins
		 * threads, one of which is the client.
		 */
		if (stuck || (!pyhold.loop && !pyclock_main_joining()))
			pyclock_jump_stuck(due);
		else
			pyclock_jump(due);
		pyhold_release_locked(due, false);
	}
	pthread_mutex_unlock(&pyhold.lock);
}

/*
 * A thread other than the program's sleeps until due, virtually: the
 * loop releases it when time gets there. With no loop running, the
 * sleeper whose hold is the earliest moves the clock there itself, once
 * a look finds it so and the program's thread waits for it: in a join,
 * or idle (neither running nor starting a thread) over several looks.
 */
void
pyhold_sleep(vtime_t due)
{
	struct pyhold	 h = { .due = due, .thread = true };
	struct pyhold	*o;
	struct timespec	 ts;
	bool		 first, join;
	int		 idle = 0;

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
		if (!first) {
			idle = 0;
			continue;
		}
		/*
		 * The program's thread is surely waiting for us in a join;
		 * in any other wait (a future's result, a queue) it must be
		 * seen idle PYHOLD_IDLE_LOOKS in a row, not merely between
		 * two things it does (waiting for the GIL, say).
		 */
		join = pyclock_main_joining();
		if (!join)
			idle = pythread_main_busy() ? 0 : idle + 1;
		if (join || idle >= PYHOLD_IDLE_LOOKS) {
			pyclock_jump(h.due);
			pyhold_release_locked(h.due, false);
		}
	}
	pthread_mutex_unlock(&pyhold.lock);
	pyhold_remove(&h);
	pthread_cond_destroy(&h.cond);
}
