/*
 * The program's threads and the GIL.
 *
 * A thread the program starts (threading, an executor's workers,
 * asyncio.to_thread) gets a lane of kind "thread" when it begins
 * (python/loopscope/run.py wraps Thread._bootstrap_inner). Its sleeps are
 * its own to tell (engine/pytime.c); the rest is measured by a watcher
 * thread of loopscope's, which every PYTHREAD_LOOK_NS looks at each
 * thread without taking the GIL:
 *
 *  - it holds the GIL (the GIL is locked and its last holder is the
 *    thread's PyThreadState): running Python;
 *  - the kernel has it asleep on the GIL's own condition variables or
 *    mutexes (/proc/self/task/TID/syscall: futex, and its address inside
 *    them): waiting for the GIL (or, having been asked to drop it, for
 *    another to take it);
 *  - asleep in any other call (a lock, a queue, I/O): blocked;
 *  - otherwise it runs C code that let the GIL go: running.
 *
 * A change is sent as the lane's new state, at the time the look saw it:
 * the resolution is the look's period. In the simulated clock, while no
 * thread computes, only "blocked" is sent, at the time the program is
 * at: the rest is the threads' own (engine/pytime.c, engine/pyhttp.c).
 * The GIL's fields come from CPython's internal headers (3.11:
 * _PyRuntime.ceval.gil).
 */
#include "config.h"

#define Py_BUILD_CORE 1
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "internal/pycore_runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "procfs.h"
#include "pyclock.h"
#include "pyemit.h"
#include "pythread.h"
#include "pytrace.h"

struct pythread_slot {
	pid_t		 tid;
	uint32_t	 lane;
	PyThreadState	*ts;
	uint8_t		 state;		/* the last one sent */
	uint8_t		 reason;
	bool		 used;
	bool		 own;		/* in a call that tells its own states */
	bool		 waited;	/* seen asleep in a call since its own
					   last instant */
	uint8_t		 seen;		/* looks in a row that saw it in a
					   state off the GIL */
	clockid_t	 cpuclock;	/* its CPU time's clock */
	int64_t		 cpu;		/* its CPU time at the last look */
	int64_t		 run_cpu;	/* used since it last waited */
};

static struct {
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;
	pthread_t		 watcher;
	bool			 started;
	bool			 stop;
	int			 nlive;
	struct pythread_slot	 slot[PYTHREAD_WATCHED];
} pythread = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.wake = PTHREAD_COND_INITIALIZER,
};

/* What the watcher does for the processes too (pyproc.c, set at its init). */
static struct pythread_more	pythread_procs;

/* The program's thread: its id and PyThreadState (pythread_init). */
static pid_t			 pythread_main_tid;
static PyThreadState		*pythread_main_ts;

/* The calling thread's lane, its slot (-1: not watched), its last instant. */
static _Thread_local uint32_t	pythread_my_lane;
static _Thread_local int	pythread_my_slot = -1;
static _Thread_local vtime_t	pythread_my_last;
static _Thread_local int64_t	pythread_my_cpu;

/*
 * The calling thread's now. In the simulated clock, a thread that has
 * not computed (PYCLOCK_CPU_MIN) since its own last instant, or waited
 * in a call meanwhile, is still there or where the program got (a run of
 * sleeping threads repeats to the nanosecond); one that computed is at
 * the time other threads see (engine/pyclock.h), which moves on.
 */
vtime_t
pythread_now(void)
{
	vtime_t	known;
	bool	waited = false;

	if (!pyclock_sim())
		return pyclock_now();
	pthread_mutex_lock(&pythread.lock);
	if (pythread_my_slot >= 0)
		waited = pythread.slot[pythread_my_slot].waited;
	pthread_mutex_unlock(&pythread.lock);
	/*
	 * What it computed moves time on; a wait in a call does not: what
	 * it waited for (a hold, a join's end) set the time already.
	 */
	if (!waited && pyclock_read(CLOCK_THREAD_CPUTIME_ID) -
	    pythread_my_cpu >= PYCLOCK_CPU_MIN)
		return pyclock_now();
	known = pyclock_known();
	return known > pythread_my_last ? known : pythread_my_last;
}

/* An instant of the thread's own: where pythread_now() starts from. */
static void
pythread_mark(vtime_t at)
{
	pythread_my_last = at;
	pythread_my_cpu = pyclock_read(CLOCK_THREAD_CPUTIME_ID);
	if (pythread_my_slot >= 0) {
		pythread.slot[pythread_my_slot].waited = false;
		pythread.slot[pythread_my_slot].run_cpu = 0;
	}
}

/*
 * Send lane's state, pythread's lock held (one order for the program's
 * threads, the watcher and engine/pyproc.c).
 */
void
pythread_lane_state(uint32_t lane, enum task_state state,
    enum trace_reason reason, vtime_t at)
{
	struct pylane	*l = pytrace_lane(lane);

	if (l != NULL)
		l->state = (uint8_t)state;
	pyemit_state(lane, state, reason, 0, 0, at);
}

/*
 * Send lane's end as failed with why, the lock held. Not pytrace_failed():
 * its push shows the program thread's pending calls, not this lane's.
 */
void
pythread_lane_failed(uint32_t lane, const char *why, vtime_t at)
{
	struct trace_event	 ev = { 0 };
	struct pylane		*l;

	if ((l = pytrace_lane(lane)) != NULL)
		l->state = TASK_FAILED;
	ev.type = TRACE_TASK_STATE;
	ev.task = lane;
	ev.state = TASK_FAILED;
	ev.reason = REASON_ERROR;
	ev.vtime = at;
	if ((ev.text = strdup(why)) != NULL)
		ev.flags |= TRACE_F_OWNED;
	pyemit_push(&ev);
}

/* Whether ts holds the GIL. */
static bool
pythread_holds(PyThreadState *ts)
{
	struct _gil_runtime_state	*gil = &_PyRuntime.ceval.gil;

	return _Py_atomic_load_relaxed(&gil->locked) > 0 &&
	    (PyThreadState *)_Py_atomic_load_relaxed(&gil->last_holder) == ts;
}

/*
 * What thread tid is in: 'r' running (in no call), 'g' asleep on the
 * GIL, 'b' asleep in another call; 0 if it cannot be told (gone).
 */
static char
pythread_call(pid_t tid)
{
	struct _gil_runtime_state	*gil = &_PyRuntime.ceval.gil;
	char				 buf[256], *p;
	uintptr_t			 addr, lo, hi;

	if (!procfs_read(buf, sizeof buf, "/proc/self/task/%ld/syscall",
	    (long)tid))
		return 0;
	if (strncmp(buf, "running", 7) == 0)
		return 'r';
	if (strtol(buf, &p, 10) != SYS_futex)
		return 'b';
	addr = (uintptr_t)strtoull(p, NULL, 16);
	/*
	 * The condition the waiters sleep on and its mutex; and the pair
	 * a thread asked to drop the GIL sleeps on until another took it
	 * (FORCE_SWITCHING): a thread that computes wants it back then.
	 */
	lo = (uintptr_t)&gil->cond;
	hi = (uintptr_t)&gil->switch_mutex + sizeof gil->switch_mutex;
	return addr >= lo && addr < hi ? 'g' : 'b';
}

/*
 * What the thread in slot s does now, the GIL held by holder (read once
 * for the whole look: two threads are never both seen holding it); false
 * if it cannot be told.
 */
static bool
pythread_see(const struct pythread_slot *s, PyThreadState *holder,
    uint8_t *state, uint8_t *reason)
{
	*state = TASK_RUNNING;
	*reason = REASON_GIL;
	if (s->ts == holder)
		return true;
	switch (pythread_call(s->tid)) {
	case 'r':
		*reason = REASON_NONE;
		return true;
	case 'g':
		*state = TASK_WAITING_GIL;
		return true;
	case 'b':
		*state = TASK_BLOCKED;
		*reason = REASON_BLOCK_WAIT;
		return true;
	default:
		return false;
	}
}

/* The program's thread: remember it (at the start, the GIL held). */
void
pythread_init(void)
{
	pythread_main_tid = (pid_t)syscall(SYS_gettid);
	pythread_main_ts = PyThreadState_Get();
	pytrace_on_threads(pythread_lane, pythread_now);
}

/*
 * Whether the program's thread is busy: it runs (pyclock_main_busy), or
 * holds or waits for the GIL (a busy machine's scheduling, another
 * thread's turn): it has not stopped to wait for a sleeping thread.
 */
bool
pythread_main_busy(void)
{
	if (pyclock_main_busy())
		return true;
	if (pythread_main_ts == NULL)
		return false;	/* not known (a notebook's cells) */
	return pythread_holds(pythread_main_ts) ||
	    pythread_call(pythread_main_tid) != 'b';
}

/*
 * The time of this look. In the simulated clock time moves with what is
 * computed: while a watched thread computes (it used PYCLOCK_CPU_MIN of
 * CPU time since it last waited, as the program's thread is charged), at
 * the pace other threads see (pyclock_look); while they only wait or do
 * short work between waits, not at all (what they wait for moves it), so
 * that a run of waiting threads repeats exactly.
 */
static vtime_t
pythread_look_time(bool *exact)
{
	struct pythread_slot	*s;
	struct timespec		 ts;
	int64_t			 cpu;
	bool			 computing = false;
	int			 i;

	for (i = 0; i < PYTHREAD_WATCHED; i++) {
		s = &pythread.slot[i];
		if (!s->used || clock_gettime(s->cpuclock, &ts) != 0)
			continue;
		cpu = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
		s->run_cpu += cpu - s->cpu;
		s->cpu = cpu;
		if (s->run_cpu >= PYCLOCK_CPU_MIN)
			computing = true;
	}
	*exact = pyclock_sim() && !computing;
	if (!*exact)
		return pyclock_look();
	return pyclock_known();
}

/* One look at every watched thread; the lock held. */
static void
pythread_look_all(void)
{
	struct pythread_slot	*s;
	struct _gil_runtime_state	*gil = &_PyRuntime.ceval.gil;
	PyThreadState			*holder = NULL;
	uint8_t				 state, reason;
	vtime_t				 at;
	bool				 exact;
	int				 i;

	at = pythread_look_time(&exact);
	if (_Py_atomic_load_relaxed(&gil->locked) > 0)
		holder = (PyThreadState *)_Py_atomic_load_relaxed(
		    &gil->last_holder);
	for (i = 0; i < PYTHREAD_WATCHED; i++) {
		s = &pythread.slot[i];
		if (!s->used || s->own ||
		    !pythread_see(s, holder, &state, &reason))
			continue;
		/*
		 * Off the GIL, neither holding it nor waiting for it: a
		 * state of its own only when looks in a row saw it. Most
		 * often it is a thread between the two, handing the GIL over
		 * or woken to take it and not yet given a CPU (the looks
		 * and the GIL's switches wake on the same timer ticks): one
		 * that held the GIL or waited for it still waits for it.
		 */
		if (reason == REASON_GIL)
			s->seen = 0;
		else if (s->seen < UINT8_MAX)
			s->seen++;
		if (state == TASK_RUNNING && reason != REASON_GIL &&
		    s->seen < 3) {
			if (s->state == TASK_BLOCKED)
				continue;
			state = TASK_WAITING_GIL;
			reason = REASON_GIL;
		} else if (state == TASK_BLOCKED && s->seen < 2)
			continue;
		if (state == TASK_BLOCKED) {
			s->waited = true;
			s->run_cpu = 0;
		}
		/*
		 * Simulated, and no thread computes: the instants are the
		 * threads' own (their sleeps, their fetches, their ends);
		 * a look only tells that one waits in a call of its own.
		 */
		if (exact && state != TASK_BLOCKED)
			continue;
		if (state == s->state && reason == s->reason)
			continue;
		s->state = state;
		s->reason = reason;
		pythread_lane_state(s->lane, state, reason, at);
	}
	if (pythread_procs.look != NULL)
		pythread_procs.look(at, exact);
}

static void
pythread_ts_add(struct timespec *t, int64_t ns)
{
	t->tv_nsec += ns;
	while (t->tv_nsec >= 1000000000) {
		t->tv_nsec -= 1000000000;
		t->tv_sec++;
	}
}

/* The watcher: looks every PYTHREAD_LOOK_NS while threads live. */
static void *
pythread_watch(void *arg)
{
	struct timespec	next, now;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &next);
	pthread_mutex_lock(&pythread.lock);
	while (!pythread.stop) {
		if (pythread.nlive == 0) {
			pthread_cond_wait(&pythread.wake, &pythread.lock);
			clock_gettime(CLOCK_MONOTONIC, &next);
			continue;
		}
		pythread_look_all();
		pthread_mutex_unlock(&pythread.lock);
		pythread_ts_add(&next, PYTHREAD_LOOK_NS);
		/* Late by many periods (a busy machine): start again now. */
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > next.tv_sec + 1)
			next = now;
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next,
		    NULL) == EINTR)
			;
		pthread_mutex_lock(&pythread.lock);
	}
	pthread_mutex_unlock(&pythread.lock);
	return NULL;
}

/* Start the watcher, the lock held; false if it cannot be. */
static bool
pythread_start_watcher(void)
{
	sigset_t	all, old;
	int		rc;

	if (pythread.started)
		return true;
	/* From now on the watcher pushes events too. */
	pyemit_shared();
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&pythread.watcher, NULL, pythread_watch, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pythread.started = rc == 0;
	return pythread.started;
}

/* What else the watcher looks at, and a fork forgets: the processes. */
void
pythread_on_look(const struct pythread_more *more)
{
	pythread_procs = *more;
}

/* The lock that orders every lane's state sent (pyproc's too). */
void
pythread_lock(void)
{
	pthread_mutex_lock(&pythread.lock);
}

void
pythread_unlock(void)
{
	pthread_mutex_unlock(&pythread.lock);
}

/*
 * One more thing for the watcher to look at (a process): it runs while
 * any is; false if it cannot. The lock held.
 */
bool
pythread_watch_more(void)
{
	if (pythread.stop || !pythread_start_watcher())
		return false;
	if (pythread.nlive++ == 0)
		pthread_cond_signal(&pythread.wake);
	return true;
}

/* One less (a process ended). The lock held. */
void
pythread_watch_less(void)
{
	pythread.nlive--;
}

/*
 * The calling thread (one the program started) begins, named name: its
 * lane, running; watched if there is room. The GIL held.
 */
uint32_t
pythread_begin(const char *name)
{
	struct pythread_slot	*s;
	vtime_t			 at;
	int			 i;

	if (!pytrace_on() || pythread_my_lane != 0)
		return pythread_my_lane;
	at = pyclock_known();
	pthread_mutex_lock(&pythread.lock);
	pythread_my_lane = pytrace_lane_at(TASK_KIND_THREAD, name, 0, 0, at);
	if (pythread_my_lane == 0 || pythread.stop) {
		pthread_mutex_unlock(&pythread.lock);
		return pythread_my_lane;
	}
	pythread_lane_state(pythread_my_lane, TASK_RUNNING, REASON_START, at);
	for (i = 0; i < PYTHREAD_WATCHED; i++)
		if (!pythread.slot[i].used)
			break;
	if (i < PYTHREAD_WATCHED && pythread_start_watcher()) {
		s = &pythread.slot[i];
		memset(s, 0, sizeof *s);
		s->used = true;
		s->tid = (pid_t)syscall(SYS_gettid);
		s->lane = pythread_my_lane;
		s->ts = PyThreadState_Get();
		if (pthread_getcpuclockid(pthread_self(), &s->cpuclock) != 0)
			s->cpuclock = (clockid_t)-1;	/* not read */
		s->cpu = pyclock_read(CLOCK_THREAD_CPUTIME_ID);
		s->state = TASK_RUNNING;
		s->reason = REASON_START;
		pythread_my_slot = i;
		if (pythread.nlive++ == 0)
			pthread_cond_signal(&pythread.wake);
	}
	pythread_mark(at);
	pthread_mutex_unlock(&pythread.lock);
	return pythread_my_lane;
}

/* The calling thread's run ended: done, or failed with why. GIL held. */
void
pythread_end(const char *why)
{
	vtime_t	at;

	if (pythread_my_lane == 0)
		return;
	at = pythread_now();
	pthread_mutex_lock(&pythread.lock);
	if (pythread_my_slot >= 0) {
		pythread.slot[pythread_my_slot].used = false;
		pythread.nlive--;
		pythread_my_slot = -1;
	}
	if (why == NULL)
		pythread_lane_state(pythread_my_lane, TASK_DONE, REASON_RETURN,
		    at);
	else
		pythread_lane_failed(pythread_my_lane, why, at);
	pthread_mutex_unlock(&pythread.lock);
	pythread_my_lane = 0;
}

/* The calling thread's lane; 0 for the program's thread, or untraced. */
uint32_t
pythread_lane(void)
{
	return pythread_my_lane;
}

/*
 * The calling thread blocks in a call that tells its own states (a
 * time.sleep, a fetch): blocked from now, which is returned, and the
 * watcher leaves it alone until pythread_unblock.
 */
vtime_t
pythread_block(enum trace_reason reason)
{
	vtime_t	at = pythread_now();

	if (pythread_my_lane == 0)
		return at;
	pthread_mutex_lock(&pythread.lock);
	if (pythread_my_slot >= 0) {
		pythread.slot[pythread_my_slot].own = true;
		pythread.slot[pythread_my_slot].state = TASK_BLOCKED;
		pythread.slot[pythread_my_slot].reason = (uint8_t)reason;
	}
	pythread_lane_state(pythread_my_lane, TASK_BLOCKED, reason, at);
	pthread_mutex_unlock(&pythread.lock);
	return at;
}

/*
 * The call returned at `at` (-1: now, which in the simulated clock is
 * where the program is: a call that failed at once took no time); the
 * lane runs again.
 */
void
pythread_unblock(vtime_t at)
{
	if (pythread_my_lane == 0)
		return;
	if (at < 0)
		at = pyclock_sim() ? pyclock_known() : pyclock_now();
	pthread_mutex_lock(&pythread.lock);
	if (pythread_my_slot >= 0) {
		pythread.slot[pythread_my_slot].own = false;
		pythread.slot[pythread_my_slot].state = TASK_RUNNING;
		pythread.slot[pythread_my_slot].reason = REASON_RESUME;
	}
	pythread_lane_state(pythread_my_lane, TASK_RUNNING, REASON_RESUME, at);
	pythread_mark(at);
	pthread_mutex_unlock(&pythread.lock);
}

/* The program ended: the watcher stops (the GIL held, it never takes it). */
void
pythread_stop(void)
{
	bool	join;

	pthread_mutex_lock(&pythread.lock);
	join = pythread.started && !pythread.stop;
	pythread.stop = true;
	pthread_cond_signal(&pythread.wake);
	pthread_mutex_unlock(&pythread.lock);
	if (join)
		pthread_join(pythread.watcher, NULL);
}

/*
 * In a process the program forked: no watcher came along, and nothing
 * is traced there (engine/pyemit.c). The lock may have been held by a
 * thread that did not come: a new one.
 */
void
pythread_forked(void)
{
	pthread_mutex_t	fresh = PTHREAD_MUTEX_INITIALIZER;

	pythread.lock = fresh;
	pythread.started = false;
	pythread.stop = true;
	pythread.nlive = 0;
	memset(pythread.slot, 0, sizeof pythread.slot);
	pythread_my_slot = -1;
	pythread_my_lane = 0;
	if (pythread_procs.forked != NULL)
		pythread_procs.forked();
}
