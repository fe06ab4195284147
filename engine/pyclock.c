/* The child's clock: virtual time in the simulated clock, else real. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdatomic.h>
#include <time.h>

#include "procfs.h"
#include "pyclock.h"

/*
 * The simulated clock is the program thread's: it moves it. Other threads
 * read it too (an executor's worker, a pool's manager that polls until a
 * deadline): while the program's thread waits in real time for them, or
 * has not looked at the clock for PYCLOCK_IDLE (it blocks in C, in a
 * join), time goes on for them at the real pace, never backwards, and the
 * program's thread takes up where they got.
 */
#define PYCLOCK_IDLE	((int64_t)20000000)	/* 20 ms */
/* A call off the CPU this long, the clock still, waited for real. */
#define PYCLOCK_STUCK	((int64_t)250000000)	/* 250 ms */

static struct {
	bool		 sim;
	pthread_t	 main;
	pid_t		 main_tid;	/* its thread id, for /proc */
	atomic_bool	 asleep;	/* a look found it asleep in a call */
	atomic_bool	 jumped;	/* time jumped since the last settle */
	atomic_int	 starting;	/* it starts a thread */
	atomic_bool	 joining;	/* it joins a thread */
	bool		 uncharged;	/* loading modules: CPU costs nothing */
	int64_t		 real0;		/* real ns at vtime 0 */
	int64_t		 wall0;		/* epoch ns at vtime 0 */
	_Atomic vtime_t	 vnow;		/* simulated: now */
	_Atomic vtime_t	 ahead;		/* the latest another thread saw */
	_Atomic int64_t	 touched;	/* real ns the program thread looked */
	_Atomic int64_t	 waiting;	/* real ns its real wait began, or 0 */
	int64_t		 settle_real;	/* real ns at the last settle */
	int64_t		 settle_cpu;	/* thread CPU ns then */
	bool		 frozen;	/* the program ended */
	vtime_t		 stuck_from;	/* another thread moved time from ... */
	_Atomic vtime_t	 stuck_to;	/* ... to here, the program's thread
					   stuck in a call; 0: not */
} pyclock;

static pthread_mutex_t	pyclock_stuck_lock = PTHREAD_MUTEX_INITIALIZER;

/* Clock id's time in nanoseconds (a CPU clock's too). */
int64_t
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
	pyclock.main_tid = (pid_t)syscall(SYS_gettid);
	pyclock.real0 = pyclock_read(CLOCK_MONOTONIC);
	pyclock.wall0 = pyclock_read(CLOCK_REALTIME);
	pyclock.vnow = 0;
	pyclock.settle_real = pyclock.real0;
	pyclock.settle_cpu = pyclock_read(CLOCK_THREAD_CPUTIME_ID);
	atomic_store(&pyclock.touched, pyclock.real0);
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

/*
 * Another thread's now: the program thread's, going on if it waits; with
 * keep, the latest any thread saw moves there.
 */
static vtime_t
pyclock_other_at(bool keep)
{
	int64_t	real = pyclock_read(CLOCK_MONOTONIC), since;
	vtime_t	v, seen;

	since = atomic_load_explicit(&pyclock.waiting, memory_order_relaxed);
	if (since == 0) {
		since = atomic_load_explicit(&pyclock.touched,
		    memory_order_relaxed);
		if (real - since < PYCLOCK_IDLE || pyclock.frozen)
			since = real;
	}
	v = atomic_load_explicit(&pyclock.vnow, memory_order_relaxed) +
	    (real > since ? real - since : 0);
	seen = atomic_load_explicit(&pyclock.ahead, memory_order_relaxed);
	while (keep && v > seen && !atomic_compare_exchange_weak(
	    &pyclock.ahead, &seen, v))
		;
	return v > seen ? v : seen;
}

static vtime_t
pyclock_other(void)
{
	return pyclock_other_at(true);
}

/*
 * Now as another thread would see it, moving nothing: for the GIL's
 * watcher (engine/pythread.c), which must not change the program's time.
 */
vtime_t
pyclock_look(void)
{
	if (!pyclock.sim)
		return (pyclock_read(CLOCK_MONOTONIC) - pyclock.real0) / 1000 *
		    1000;
	return pyclock_other_at(false);
}

/*
 * Simulated: the latest time any thread has seen, no real time added: a
 * thread's own instants (its start, a sleep after one) that must repeat.
 */
vtime_t
pyclock_known(void)
{
	vtime_t	v = atomic_load_explicit(&pyclock.vnow, memory_order_relaxed),
		a = atomic_load_explicit(&pyclock.ahead, memory_order_relaxed);

	if (!pyclock.sim)
		return pyclock_look();
	return a > v ? a : v;
}

/*
 * The program thread's now as it stands, for a thread that must not move
 * it (the page server dating a request): in the simulated clock, no real
 * time added.
 */
vtime_t
pyclock_peek(void)
{
	if (!pyclock.sim)
		return (pyclock_read(CLOCK_MONOTONIC) - pyclock.real0) / 1000 *
		    1000;
	return atomic_load_explicit(&pyclock.vnow, memory_order_relaxed);
}

/*
 * The first bytes of /proc/self/task/TID/NAME, NUL-ended, in buf (len
 * at least 2); false if they cannot be read (the thread is gone).
 */
static bool
pyclock_proc_read(long tid, const char *name, char *buf, size_t len)
{
	return procfs_read(buf, len, "/proc/self/task/%ld/%s", tid, name);
}

/* The kernel's state letter of thread tid ('R' runs), '?' unknown. */
static char
pyclock_task_state(long tid)
{
	char	buf[512], *p;

	if (!pyclock_proc_read(tid, "stat", buf, sizeof buf) ||
	    (p = strrchr(buf, ')')) == NULL || p[1] != ' ')
		return '?';
	return p[2];
}

/* Whether a thread of ours, not the program's nor the caller, runs. */
static bool
pyclock_other_runs(void)
{
	struct dirent	*e;
	DIR		*d;
	long		 self = (long)syscall(SYS_gettid), tid;
	bool		 runs = false;

	if ((d = opendir("/proc/self/task")) == NULL)
		return false;
	while (!runs && (e = readdir(d)) != NULL) {
		tid = strtol(e->d_name, NULL, 10);
		if (tid <= 0 || tid == self || tid == (long)pyclock.main_tid)
			continue;
		runs = pyclock_task_state(tid) == 'R';
	}
	closedir(d);
	return runs;
}

/*
 * Whether the program's thread is stuck: not waiting in the loop, and
 * not looking at the clock for ns of real time (blocked in a call).
 */
bool
pyclock_main_stuck(int64_t ns)
{
	char	buf[256], st;

	if (atomic_load(&pyclock.waiting) != 0 ||
	    pyclock_read(CLOCK_MONOTONIC) - atomic_load(&pyclock.touched) <= ns)
		return false;
	/*
	 * Not looking at the clock may be running (a busy machine keeps it
	 * from the CPU): stuck only if the kernel has it asleep in a call.
	 */
	if ((st = pyclock_task_state((long)pyclock.main_tid)) == 'R')
		return false;
	/*
	 * Asleep on a lock while another thread runs is a wait for the GIL
	 * that thread holds: not stuck. On a lock while all sleep (a join
	 * of a thread that waits on a hold) it is.
	 */
	if (st != '?' && pyclock_proc_read((long)pyclock.main_tid, "syscall",
	    buf, sizeof buf) && isdigit((unsigned char)buf[0]) &&
	    strtol(buf, NULL, 10) == SYS_futex && pyclock_other_runs())
		return false;
	atomic_store(&pyclock.asleep, true);
	return true;
}

/*
 * Whether the program's thread is busy, so that a sleeping thread must
 * not move the clock yet: it starts a thread (the new one's sleep would
 * come before the rest are made), or the kernel has it running.
 */
bool
pyclock_main_busy(void)
{
	return atomic_load(&pyclock.starting) > 0 ||
	    pyclock_task_state((long)pyclock.main_tid) == 'R';
}

/* The program's thread starts a thread (on), or is done starting it. */
void
pyclock_starting(bool on)
{
	atomic_fetch_add(&pyclock.starting, on ? 1 : -1);
}

/* The program's thread joins a thread (on), or is back from the join. */
void
pyclock_joining(bool on)
{
	atomic_store(&pyclock.joining, on);
}

bool
pyclock_main_joining(void)
{
	return atomic_load(&pyclock.joining);
}

/* The program thread takes up where other threads' time got. */
static void
pyclock_adopt(void)
{
	vtime_t	a = atomic_load_explicit(&pyclock.ahead, memory_order_relaxed);

	if (a > atomic_load_explicit(&pyclock.vnow, memory_order_relaxed))
		atomic_store_explicit(&pyclock.vnow, a, memory_order_relaxed);
}

/*
 * Now, without charging anything (any thread). The real clock is read to
 * the microsecond: the steps of one microsecond share their time, and
 * their events cross to the session in fewer bytes.
 */
vtime_t
pyclock_now(void)
{
	if (!pyclock.sim)
		return (pyclock_read(CLOCK_MONOTONIC) - pyclock.real0) / 1000 *
		    1000;
	if (!pyclock_main_thread())
		return pyclock_other();
	pyclock_adopt();
	return atomic_load_explicit(&pyclock.vnow, memory_order_relaxed);
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
	int64_t	real, cpu, last, off;
	vtime_t	before;
	bool	jumped, stuck;

	*charged = 0;
	if (!pyclock.sim || !pyclock_main_thread())
		return pyclock_now();
	if (pyclock.frozen)
		return pyclock.vnow;
	real = pyclock_read(CLOCK_MONOTONIC);
	last = atomic_exchange_explicit(&pyclock.touched, real,
	    memory_order_relaxed);
	jumped = atomic_exchange(&pyclock.jumped, false);
	before = pyclock.vnow;
	pyclock_adopt();
	stuck = atomic_load(&pyclock.stuck_to) != 0;
	if ((real - pyclock.settle_real < PYCLOCK_CPU_MIN && !stuck) ||
	    pyclock.uncharged)
		return pyclock.vnow;
	cpu = pyclock_read(CLOCK_THREAD_CPUTIME_ID);
	/*
	 * Stuck in a call that waited for real (a socket's timeout), as a
	 * look of another thread found it (pyclock_main_stuck), while
	 * nothing moved the clock: that time passed. Merely kept from the
	 * CPU by a busy machine, it was not asleep, and counts nothing.
	 */
	off = real - pyclock.settle_real - (cpu - pyclock.settle_cpu);
	if (atomic_exchange(&pyclock.asleep, false) &&
	    real - last >= PYCLOCK_STUCK && off >= PYCLOCK_STUCK &&
	    !jumped && pyclock.vnow == before && atomic_load(&pyclock.stuck_to) == 0) {
		pthread_mutex_lock(&pyclock_stuck_lock);
		pyclock.stuck_from = pyclock.vnow;
		pyclock.vnow += off;
		atomic_store(&pyclock.stuck_to, pyclock.vnow);
		pthread_mutex_unlock(&pyclock_stuck_lock);
	}
	pyclock.settle_real = real;
	if (cpu - pyclock.settle_cpu < PYCLOCK_CPU_MIN) {
		/*
		 * Stuck in a call while another thread moved time (a blocking
		 * fetch answered late): that was a wait, and what was computed
		 * before it, too little to charge, is dropped, as before the
		 * loop's waits (pyclock_rebase).
		 */
		if (stuck)
			pyclock.settle_cpu = cpu;
		return pyclock.vnow;
	}
	*charged = cpu - pyclock.settle_cpu;
	pyclock.settle_cpu = cpu;
	pyclock.vnow += *charged;
	return pyclock.vnow;
}

/*
 * What the program's thread computes from now on costs no virtual time
 * (loading modules, printing a traceback for it), until charging again,
 * which drops what it computed meanwhile.
 */
void
pyclock_charging(bool on)
{
	if (!pyclock.sim || !pyclock_main_thread())
		return;
	pyclock.uncharged = !on;
	if (on)
		pyclock_rebase();
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
	/* It is here, at its time: other threads go on from now. */
	atomic_store(&pyclock.touched, pyclock.settle_real);
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

/*
 * The program thread waits in real time (for real work outstanding):
 * other threads see time go on meanwhile. pyclock_wait_end says how it
 * ended: at target, its deadline, where the clock then goes; or (-1) by
 * what came, which took no virtual time.
 */
void
pyclock_wait_begin(void)
{
	if (pyclock.sim)
		atomic_store(&pyclock.waiting, pyclock_read(CLOCK_MONOTONIC));
}

void
pyclock_wait_end(vtime_t target)
{
	int64_t	since = atomic_load(&pyclock.waiting);

	if (!pyclock.sim || since == 0)
		return;
	if (target >= 0)
		pyclock_jump(target);
	atomic_store(&pyclock.waiting, 0);
	atomic_store(&pyclock.touched, pyclock_read(CLOCK_MONOTONIC));
	pyclock_adopt();
	/* The wait was the loop's, not a call's: nothing stuck in it. */
	pyclock_rebase();
}

/* Simulated: jump forward to a deadline (never back). */
void
pyclock_jump(vtime_t to)
{
	if (pyclock.sim && to > pyclock.vnow && !pyclock.frozen) {
		pyclock.vnow = to;
		atomic_store(&pyclock.jumped, true);
	}
}

/*
 * Another thread moves time to `to` while the program's thread is stuck
 * in a call (reading a socket the page server answers late): the span is
 * kept for the program's thread to show (pyclock_take_stuck).
 */
void
pyclock_jump_stuck(vtime_t to)
{
	vtime_t	from = atomic_load(&pyclock.vnow);

	pyclock_jump(to);
	if (!pyclock.sim || pyclock.frozen || to <= from)
		return;
	pthread_mutex_lock(&pyclock_stuck_lock);
	if (atomic_load(&pyclock.stuck_to) == 0)
		pyclock.stuck_from = from;
	atomic_store(&pyclock.stuck_to, to);
	pthread_mutex_unlock(&pyclock_stuck_lock);
}

/* The program's thread: the span it was stuck in, once; false if none. */
bool
pyclock_take_stuck(vtime_t *from, vtime_t *to)
{
	if (atomic_load_explicit(&pyclock.stuck_to, memory_order_relaxed) ==
	    0 || !pyclock_main_thread())
		return false;
	pthread_mutex_lock(&pyclock_stuck_lock);
	*from = pyclock.stuck_from;
	*to = atomic_exchange(&pyclock.stuck_to, 0);
	pthread_mutex_unlock(&pyclock_stuck_lock);
	return *to != 0;
}

/* Simulated: d more nanoseconds passed (a sleep, a real wait). */
void
pyclock_add(vtime_t d)
{
	if (pyclock.sim && d > 0 && !pyclock.frozen) {
		pyclock.vnow += d;
		atomic_store(&pyclock.jumped, true);
	}
}

/* The epoch time at virtual 0, for time.time(). */
int64_t
pyclock_wall_base(void)
{
	return pyclock.wall0;
}

/*
 * The monotonic time at virtual 0, for time.monotonic() and the loop's
 * time(). Simulated, a whole second: what a program computes from it
 * (aiohttp rounds its timeouts up to whole seconds of loop.time()) is
 * then the same from run to run.
 */
int64_t
pyclock_real_base(void)
{
	if (pyclock.sim)
		return pyclock.real0 / 1000000000 * 1000000000;
	return pyclock.real0;
}

/*
 * Virtual 0 is now (the cells that set up a traced one have run): the
 * program's clocks and the loop's timers go on as they were, for 0 and
 * the bases move together.
 */
void
pyclock_zero(void)
{
	vtime_t	d, a;

	if (!pyclock.sim) {
		pyclock_start();
		return;
	}
	pyclock_adopt();
	d = atomic_load(&pyclock.vnow);
	pyclock.real0 += d;
	pyclock.wall0 += d;
	atomic_store(&pyclock.vnow, 0);
	a = atomic_load(&pyclock.ahead);
	atomic_store(&pyclock.ahead, a > d ? a - d : 0);
	pyclock_rebase();
}
