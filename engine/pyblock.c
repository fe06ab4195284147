/*
 * The program's thread blocked: in time.sleep or a blocking fetch (it
 * says so before and after), or stuck in a call that reads a socket the
 * child's page server answers late (found after, when time moved).
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
 * Called at each look at the time: when another thread moved time while
 * the program's thread was stuck in a call (requests.get on a socket of
 * the page server, which answers after its latency), the lane that made
 * the call was blocked from then to now, on the line it stands on.
 */
void
pytrace_stuck(void)
{
	vtime_t		from, to;
	uint32_t	who;

	if (!pyclock_take_stuck(&from, &to) || (who = pytrace_here()) == 0)
		return;
	pytrace_state_at(who, TASK_BLOCKED, REASON_BLOCK_IO,
	    pytrace_frame_line(), 0, to, from);
	pytrace_state_at(who, TASK_RUNNING, REASON_RESUME, 0, 0, 0, to);
}
