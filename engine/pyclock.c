/* The child's clock: virtual time in the simulated clock, else real. */
#include "config.h"

#include <pthread.h>
#include <time.h>

#include "pyclock.h"

static struct {
	bool		 sim;
	pthread_t	 main;
	int64_t		 real0;		/* real ns at vtime 0 */
	int64_t		 wall0;		/* epoch ns at vtime 0 */
	vtime_t		 vnow;		/* simulated: now */
	int64_t		 settle_real;	/* real ns at the last settle */
	int64_t		 settle_cpu;	/* thread CPU ns then */
	bool		 frozen;	/* the program ended */
} pyclock;

static int64_t
pyclock_read(clockid_t id)
{
	struct timespec	ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Start at virtual 0, on the calling thread (the program's main one). */
void
pyclock_init(bool sim)
{
	pyclock.sim = sim;
	pyclock.main = pthread_self();
	pyclock.real0 = pyclock_read(CLOCK_MONOTONIC);
	pyclock.wall0 = pyclock_read(CLOCK_REALTIME);
	pyclock.vnow = 0;
	pyclock.settle_real = pyclock.real0;
	pyclock.settle_cpu = pyclock_read(CLOCK_THREAD_CPUTIME_ID);
}

bool
pyclock_sim(void)
{
	return pyclock.sim;
}

bool
pyclock_main_thread(void)
{
	return pthread_equal(pthread_self(), pyclock.main);
}

/* Now, without charging anything (any thread). */
vtime_t
pyclock_now(void)
{
	if (!pyclock.sim)
		return pyclock_read(CLOCK_MONOTONIC) - pyclock.real0;
	return pyclock.vnow;
}

/*
 * Now, once the program's thread has been charged the CPU time it used
 * since the last charge, when that is PYCLOCK_CPU_MIN or more. Reading
 * the thread's CPU clock is a system call (3 us here), the real clock is
 * not: the CPU clock is read only once PYCLOCK_CPU_MIN of real time has
 * passed since it was last read. *charged gets what was added (0 mostly).
 */
vtime_t
pyclock_settle(vtime_t *charged)
{
	int64_t	real, cpu;

	*charged = 0;
	if (!pyclock.sim)
		return pyclock_now();
	if (!pyclock_main_thread() || pyclock.frozen)
		return pyclock.vnow;
	real = pyclock_read(CLOCK_MONOTONIC);
	if (real - pyclock.settle_real < PYCLOCK_CPU_MIN)
		return pyclock.vnow;
	pyclock.settle_real = real;
	cpu = pyclock_read(CLOCK_THREAD_CPUTIME_ID);
	if (cpu - pyclock.settle_cpu < PYCLOCK_CPU_MIN)
		return pyclock.vnow;
	*charged = cpu - pyclock.settle_cpu;
	pyclock.settle_cpu = cpu;
	pyclock.vnow += *charged;
	return pyclock.vnow;
}

/*
 * The program is about to wait: what it computed since the last charge
 * and was too little to charge (under PYCLOCK_CPU_MIN) is dropped, so
 * that a run of short steps between two waits costs nothing: a program
 * that only waits has exact totals.
 */
void
pyclock_rebase(void)
{
	if (!pyclock.sim || !pyclock_main_thread())
		return;
	pyclock.settle_real = pyclock_read(CLOCK_MONOTONIC);
	pyclock.settle_cpu = pyclock_read(CLOCK_THREAD_CPUTIME_ID);
}

/*
 * The program itself starts now (Python is up): in the real clock its
 * time 0, as python3 would have started it; the simulated clock is at 0
 * already, and stays there.
 */
void
pyclock_start(void)
{
	if (!pyclock.sim) {
		pyclock.real0 = pyclock_read(CLOCK_MONOTONIC);
		pyclock.wall0 = pyclock_read(CLOCK_REALTIME);
	}
	pyclock_rebase();
}

/* The program ended: what runs now (finalizing) takes no time. */
void
pyclock_freeze(void)
{
	pyclock.frozen = true;
}

/* Simulated: jump forward to a deadline (never back). */
void
pyclock_jump(vtime_t to)
{
	if (pyclock.sim && to > pyclock.vnow && !pyclock.frozen)
		pyclock.vnow = to;
}

/* Simulated: d more nanoseconds passed (a sleep, a real wait). */
void
pyclock_add(vtime_t d)
{
	if (pyclock.sim && d > 0 && !pyclock.frozen)
		pyclock.vnow += d;
}

/* The epoch time at virtual 0, for time.time(). */
int64_t
pyclock_wall_base(void)
{
	return pyclock.wall0;
}

/* The monotonic time at virtual 0, for time.monotonic(). */
int64_t
pyclock_real_base(void)
{
	return pyclock.real0;
}
