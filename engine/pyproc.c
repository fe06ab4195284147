/*
 * The processes the program starts (multiprocessing.Process, the workers
 * of a ProcessPoolExecutor): a lane each, of kind "process", beside the
 * program's thread. A process runs its own interpreter with its own GIL,
 * which is the lesson's point: CPU work in processes runs in parallel.
 *
 * python/loopscope/run.py tells when one starts (after Process.start, its
 * pid known) and when its parent learnt how it ended (multiprocessing's
 * Popen.poll, which reaps it). In between, the watcher thread
 * (engine/pythread.c) looks at it every PYTHREAD_LOOK_NS in
 * /proc/PID/stat: state R is running, any other (S, D, T) blocked, Z
 * ended, its status in the same file (exit_code, Linux 3.5 and later).
 * Nothing runs in the process itself: forked, it traces nothing
 * (engine/pyemit.c), so its lane shows the kernel's view of it, not its
 * tasks. The resolution is the look's period; the lock is pythread's.
 *
 * In the simulated clock, what a process does is dated as the program's
 * other threads date what they compute (pyclock_look): the program's
 * time, going on in real time while it waits for its processes. A
 * process's own time (its sleeps, its CPU) is not simulated: a run with
 * processes repeats only as closely as the machine does.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "procfs.h"
#include "pyclock.h"
#include "pyemit.h"
#include "pyproc.h"
#include "pythread.h"
#include "pytrace.h"

struct pyproc_slot {
	pid_t		pid;
	uint32_t	lane;
	bool		used;
	uint8_t		state;		/* the last one sent */
	uint8_t		seen;		/* looks in a row that saw it asleep */
	uint8_t		gone;		/* looks that found no /proc entry */
};

/* Looks that find a process reaped before its parent says how it ended. */
#define PYPROC_GONE_LOOKS	50

static struct pyproc_slot	pyproc_slot[PYPROC_WATCHED];

/* Its state letter and exit status in /proc/PID/stat; 0 if gone. */
static char
pyproc_stat(pid_t pid, int *status)
{
	char		 buf[1024], state;
	const char	*p;
	int		 field;

	if (!procfs_read(buf, sizeof buf, "/proc/%ld/stat", (long)pid) ||
	    (p = procfs_stat_rest(buf)) == NULL)
		return 0;
	*status = 0;
	state = *p;
	/* Field 3 is the state; field 52 the exit status, as waitpid's. */
	for (field = 3; field < 52 && *p != '\0'; p++)
		if (*p == ' ')
			field++;
	if (field == 52)
		*status = (int)strtol(p, NULL, 10);
	return state;
}

/* Send the lane's end: done for status 0, failed with why otherwise. */
static void
pyproc_end_slot(struct pyproc_slot *s, int code, bool known, vtime_t at)
{
	char	why[64];

	if (!known || code == 0)
		pythread_lane_state(s->lane, TASK_DONE, REASON_RETURN, at);
	else {
		/* As multiprocessing says it: exitcode, negative for a signal. */
		if (code < 0)
			snprintf(why, sizeof why, "killed by signal %d", -code);
		else
			snprintf(why, sizeof why, "exit code %d", code);
		pythread_lane_failed(s->lane, why, at);
	}
	s->used = false;
	pythread_watch_less();
}

/*
 * The program started process pid, named name (the program's thread,
 * the GIL held): its lane, running, watched if there is room.
 */
void
pyproc_begin(long pid, const char *name)
{
	struct pyproc_slot	*s;
	uint32_t		 lane;
	vtime_t			 at;
	int			 i;

	if (!pytrace_on() || pid <= 0)
		return;
	at = pythread_now();
	pythread_lock();
	lane = pytrace_lane_at(TASK_KIND_PROCESS, name, 0, 0, at);
	if (lane == 0) {
		pythread_unlock();
		return;
	}
	pythread_lane_state(lane, TASK_RUNNING, REASON_START, at);
	for (i = 0; i < PYPROC_WATCHED && pyproc_slot[i].used; i++)
		;
	if (i < PYPROC_WATCHED && pythread_watch_more()) {
		s = &pyproc_slot[i];
		memset(s, 0, sizeof *s);
		s->used = true;
		s->pid = (pid_t)pid;
		s->lane = lane;
		s->state = TASK_RUNNING;
	}
	pythread_unlock();
}

/*
 * Its parent learnt how process pid ended (it reaped it): code is
 * multiprocessing's exitcode, -N for signal N. The GIL held.
 */
void
pyproc_end(long pid, int code)
{
	vtime_t	at = pyclock_look();
	int	i;

	pythread_lock();
	for (i = 0; i < PYPROC_WATCHED; i++)
		if (pyproc_slot[i].used && pyproc_slot[i].pid == (pid_t)pid)
			pyproc_end_slot(&pyproc_slot[i], code, true, at);
	pythread_unlock();
}

/*
 * One look at every watched process: its state, or its end. pythread's
 * lock held.
 */
static void
pyproc_look_all(vtime_t at, bool exact)
{
	struct pyproc_slot	*s;
	uint8_t			 state;
	int			 i, code;
	char			 c;

	/* Not the threads' exact instants: a process tells none of its own. */
	(void)exact;
	at = pyclock_look();
	for (i = 0; i < PYPROC_WATCHED; i++) {
		s = &pyproc_slot[i];
		if (!s->used)
			continue;
		c = pyproc_stat(s->pid, &code);
		if (c == 'Z' || c == 'X') {
			/* waitpid's status, as multiprocessing's exitcode. */
			code = WIFSIGNALED(code) ? -WTERMSIG(code) :
			    WEXITSTATUS(code);
			pyproc_end_slot(s, code, true, at);
			continue;
		}
		if (c == 0) {
			/* Reaped: its parent tells how it ended, or nobody. */
			if (++s->gone >= PYPROC_GONE_LOOKS)
				pyproc_end_slot(s, 0, false, at);
			continue;
		}
		if (c == 'R') {
			s->seen = 0;
			state = TASK_RUNNING;
		} else {
			/* Asleep twice in a row: not a switch's moment. */
			if (s->seen < UINT8_MAX)
				s->seen++;
			if (s->seen < 2)
				continue;
			state = TASK_BLOCKED;
		}
		if (state == s->state)
			continue;
		s->state = state;
		pythread_lane_state(s->lane, state, state == TASK_RUNNING ?
		    REASON_RESUME : REASON_BLOCK_WAIT, at);
	}
}

/* In a process the program forked: it watches nothing. */
static void
pyproc_forked(void)
{
	memset(pyproc_slot, 0, sizeof pyproc_slot);
}

/* The watcher looks at the processes too (after pythread_init). */
void
pyproc_init(void)
{
	static const struct pythread_more	more = {
		.look = pyproc_look_all,
		.forked = pyproc_forked,
	};

	pythread_on_look(&more);
}
