/*
 * The program's thread and the outside: blocked in time.sleep or a
 * blocking fetch (it says so before and after), or stuck in a call that
 * reads a socket the child's page server answers late (found after, when
 * time moved); the descriptors asyncio watches.
 */
#include "config.h"

#include "pyclock.h"
#include "pyemit.h"
#include "pytrace.h"

/*
 * The program's thread blocks for length (time.sleep): its lane is
 * blocked until then. Returns when it will wake.
 */
vtime_t
pytrace_block(vtime_t length)
{
	uint32_t	who = pytrace_here();
	vtime_t		now = pytrace_now();

	pytrace_state(who, TASK_BLOCKED, REASON_BLOCK_SLEEP,
	    pytrace_frame_line(), 0, now + length);
	pyemit_flush();
	return now + length;
}

/* The blocking call returned: the lane runs again. */
void
pytrace_unblock(void)
{
	uint32_t	who = pytrace_here();

	pyclock_rebase();
	/* In a step, its events read the time of the last look: look. */
	pytrace_look();
	pyemit_tick();
	pytrace_state(who, TASK_RUNNING, REASON_RESUME, 0, 0, 0);
}

/*
 * The program's thread waits for other threads (a join): its lane is
 * blocked until they are done, at the time they got to (pytrace_unblock).
 */
void
pytrace_join(void)
{
	/*
	 * From its own time, before it takes up the time the threads got
	 * to (they may be done already: it waited for them all the same).
	 */
	vtime_t		at = pyclock_peek();
	uint32_t	who = pytrace_here();

	pytrace_state_at(who, TASK_BLOCKED, REASON_BLOCK_WAIT,
	    pytrace_frame_line(), 0, 0, at);
	pyemit_flush();
}

/*
 * Called at each look at the time: when the program's thread was stuck
 * in a call while another thread moved time (requests.get on a socket of
 * the page server, which answers after its latency), or while it waited
 * for real (a socket's timeout), the lane that made the call (the
 * innermost call of the program's own functions when in_call, else the
 * lane running) was blocked from then to now, on the line it stands on.
 */
void
pytrace_stuck(uint32_t running, bool in_call)
{
	vtime_t		from, to;
	uint32_t	who;

	if (!pyclock_take_stuck(&from, &to))
		return;
	/*
	 * Not pytrace_here(): a lane made now would come before from. A
	 * call of the program's own that made the blocking one is given its
	 * lane (at its start, before from) and is the one blocked.
	 */
	if (in_call)
		running = pytrace_current();
	if ((who = running) == 0 && (who = pytrace_current()) == 0)
		return;
	pytrace_state_at(who, TASK_BLOCKED, REASON_BLOCK_IO,
	    pytrace_frame_line(), 0, to, from);
	pytrace_state_at(who, TASK_RUNNING, REASON_RESUME, 0, 0, 0, to);
}

/* A descriptor asyncio watches now (events 0: no longer). */
void
pytrace_watch(int fd, int events)
{
	struct trace_event	ev = { 0 };

	ev.type = TRACE_IO_WATCH;
	trace_set_fd(&ev, fd);
	ev.other = (uint32_t)events;
	pytrace_push_event(&ev);
}
