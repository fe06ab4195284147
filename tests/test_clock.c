/* The virtual clock: simulated jumps, pausing, stepping and speed. */
#include "config.h"

#include "clock.h"
#include "testutil.h"

static void
count_wake(void *arg)
{
	(*(int *)arg)++;
}

static void
test_simulated_time_jumps_to_the_earliest_deadline_once_all_wait(void **state)
{
	struct clock	*c = clock_new(CLOCK_SIM, 1.0, false);
	int		 wa = 0, wb = 0, a, b;

	(void)state;
	a = clock_join(c, count_wake, &wa);
	b = clock_join(c, count_wake, &wb);
	clock_start(c);
	clock_idle(c, a, SEC(5));
	assert_int_equal(clock_now(c), 0);	/* b still runs */
	assert_int_equal(wa, 0);
	clock_idle(c, b, SEC(3));
	assert_int_equal(clock_now(c), SEC(3));
	assert_int_equal(wb, 1);		/* only the one that is due */
	assert_int_equal(wa, 0);
	clock_leave(c, b);
	assert_int_equal(clock_now(c), SEC(5));
	assert_int_equal(wa, 1);
	clock_free(c);
}

static void
test_a_wait_without_deadline_holds_simulated_time(void **state)
{
	struct clock	*c = clock_new(CLOCK_SIM, 1.0, false);
	int		 wa = 0, wb = 0, a, b;

	(void)state;
	a = clock_join(c, count_wake, &wa);
	b = clock_join(c, count_wake, &wb);
	clock_idle(c, a, VTIME_NEVER);	/* waits on I/O */
	clock_idle(c, b, SEC(2));
	assert_int_equal(clock_now(c), SEC(2));
	clock_busy(c, b);
	clock_idle(c, b, VTIME_NEVER);
	assert_int_equal(clock_now(c), SEC(2));	/* nothing to jump to */
	assert_int_equal(wa, 0);
	clock_free(c);
}

static void
test_a_paused_simulated_clock_moves_only_when_stepped(void **state)
{
	struct clock	*c = clock_new(CLOCK_SIM, 1.0, true);
	int		 wa = 0, a;

	(void)state;
	a = clock_join(c, count_wake, &wa);
	clock_idle(c, a, SEC(7));
	assert_int_equal(clock_now(c), 0);
	assert_int_equal(clock_step(c), 0);
	assert_int_equal(clock_now(c), SEC(7));
	assert_true(wa >= 1);
	clock_busy(c, a);
	assert_int_equal(clock_step(c), 1);	/* it runs: ask again */
	clock_idle(c, a, VTIME_NEVER);
	assert_int_equal(clock_step(c), -1);	/* nobody waits for a time */
	assert_int_equal(clock_now(c), SEC(7));
	clock_set_paused(c, false);
	assert_int_equal(clock_step(c), -1);	/* not paused */
	clock_free(c);
}

static void
test_a_paused_real_clock_is_frozen_and_steps_exactly(void **state)
{
	struct clock	*c = clock_new(CLOCK_REAL, 10.0, true);
	int		 wa = 0, a;

	(void)state;
	a = clock_join(c, count_wake, &wa);
	clock_start(c);
	clock_idle(c, a, SEC(2.5));
	assert_int_equal(clock_now(c), 0);
	assert_true(clock_delay(c, SEC(2.5)) < 0);	/* cannot come alone */
	assert_int_equal(clock_step(c), 0);
	assert_int_equal(clock_now(c), SEC(2.5));
	assert_int_equal(clock_set_speed(c, 100.0), 0);
	assert_int_equal(clock_now(c), SEC(2.5));	/* speed keeps time */
	assert_true(clock_speed(c) == 100.0);
	assert_true(clock_delay(c, SEC(2.5)) == 0);
	clock_free(c);
}

/*
 * A step while one participant still runs (the work of the step before)
 * waits for it: its next deadline may be the earliest. The real clock's
 * gather: the async loop is due at 10 s, the sync sleeps until 20 s.
 */
static void
test_a_step_waits_for_a_participant_that_runs(void **state)
{
	struct clock	*c = clock_new(CLOCK_REAL, 1.0, true);
	int		 wa = 0, wb = 0, a, b;

	(void)state;
	a = clock_join(c, count_wake, &wa);
	b = clock_join(c, count_wake, &wb);
	clock_start(c);
	clock_idle(c, b, SEC(20));
	assert_int_equal(clock_step(c), 1);	/* a runs: no deadline yet */
	assert_int_equal(clock_now(c), 0);
	assert_int_equal(wa + wb, 0);
	clock_idle(c, a, SEC(10));
	assert_int_equal(clock_step(c), 0);
	assert_int_equal(clock_now(c), SEC(10));
	assert_int_equal(wa, 1);
	assert_int_equal(clock_step(c), 1);	/* a handles its 10 s */
	assert_int_equal(clock_now(c), SEC(10));
	clock_idle(c, a, SEC(30));
	assert_int_equal(clock_step(c), 0);
	assert_int_equal(clock_now(c), SEC(20));
	assert_true(wb >= 1);
	clock_free(c);
}

static void
test_speeds_outside_the_range_are_refused(void **state)
{
	struct clock	*c = clock_new(CLOCK_REAL, 1.0, true);

	(void)state;
	assert_int_equal(clock_set_speed(c, 0.001), -1);
	assert_int_equal(clock_set_speed(c, 1000.5), -1);
	assert_int_equal(clock_set_speed(c, CLOCK_SPEED_MIN), 0);
	assert_int_equal(clock_set_speed(c, CLOCK_SPEED_MAX), 0);
	assert_true(clock_speed(c) == CLOCK_SPEED_MAX);
	clock_free(c);
}

static void
test_a_blocking_wait_in_simulated_time_ends_exactly_at_its_deadline(void **state)
{
	struct clock	*c = clock_new(CLOCK_SIM, 1.0, false);
	int		 a;

	(void)state;
	a = clock_join(c, NULL, NULL);
	assert_int_equal(clock_wait_until(c, a, SEC(5.245), true), 0);
	assert_int_equal(clock_now(c), SEC(5.245));
	clock_stop(c);
	assert_int_equal(clock_wait_until(c, a, SEC(9), false), -1);
	clock_free(c);
}

static void
test_a_message_in_flight_holds_simulated_time_until_taken_over(void **state)
{
	struct clock	*c = clock_new(CLOCK_SIM, 1.0, false);
	uint64_t	 m;
	int		 wv = 0, ws = 0, v, srv;

	(void)state;
	v = clock_join(c, count_wake, &wv);
	srv = clock_join(c, count_wake, &ws);
	clock_set_sender(c, srv);
	clock_start(c);
	m = clock_msg_send(c, v, CLOCK_MSG_LOOP);
	assert_true(m != 0);
	assert_int_equal(clock_msg_pending(c, v), 1);
	clock_idle(c, v, SEC(9));		/* its timeout */
	clock_idle(c, srv, SEC(0.5));		/* the answer's time */
	assert_int_equal(clock_now(c), 0);	/* the request is on its way */
	clock_msg_take(c, m);			/* the server said when */
	assert_int_equal(wv, 1);		/* told: nothing to settle */
	assert_int_equal(clock_msg_pending(c, v), 0);
	assert_int_equal(clock_now(c), SEC(0.5));
	assert_int_equal(ws, 1);
	clock_msg_due(c, m);			/* the answer leaves */
	assert_int_equal(clock_msg_pending(c, v), 1);
	clock_idle(c, srv, VTIME_NEVER);
	assert_int_equal(clock_now(c), SEC(0.5));	/* until it is read */
	clock_msg_end(c, m);
	assert_int_equal(clock_now(c), SEC(9));
	clock_msg_end(c, m);			/* twice: nothing */
	clock_msg_take(c, m);
	assert_int_equal(clock_msg_pending(c, v), 0);
	clock_free(c);
}

static void
test_a_blocked_participant_lets_time_pass_over_its_loop_messages(
    void **state)
{
	struct clock	*c = clock_new(CLOCK_SIM, 1.0, false);
	uint64_t	 loop, direct;
	int		 v, srv;

	(void)state;
	v = clock_join(c, NULL, NULL);
	srv = clock_join(c, NULL, NULL);
	clock_start(c);
	clock_idle(c, srv, VTIME_NEVER);
	/* An awaited fetch not even sent: time.sleep(1) runs anyway. */
	loop = clock_msg_send(c, v, CLOCK_MSG_LOOP);
	assert_int_equal(clock_wait_until(c, v, SEC(1), false), 0);
	assert_int_equal(clock_now(c), SEC(1));
	/* Out of the call, the loop's message holds time again. */
	clock_idle(c, v, SEC(5));
	assert_int_equal(clock_now(c), SEC(1));
	clock_busy(c, v);
	/* A blocking call's own message holds time while it blocks. */
	direct = clock_msg_send(c, v, CLOCK_MSG_DIRECT);
	clock_block(c, v, SEC(10));
	assert_int_equal(clock_now(c), SEC(1));
	clock_msg_end(c, direct);
	assert_int_equal(clock_now(c), SEC(10));	/* its deadline */
	clock_busy(c, v);
	clock_msg_end(c, loop);
	clock_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simulated_time_jumps_to_the_earliest_deadline_once_all_wait),
		cmocka_unit_test(test_a_wait_without_deadline_holds_simulated_time),
		cmocka_unit_test(test_a_paused_simulated_clock_moves_only_when_stepped),
		cmocka_unit_test(test_a_paused_real_clock_is_frozen_and_steps_exactly),
		cmocka_unit_test(test_a_step_waits_for_a_participant_that_runs),
		cmocka_unit_test(test_speeds_outside_the_range_are_refused),
		cmocka_unit_test(test_a_blocking_wait_in_simulated_time_ends_exactly_at_its_deadline),
		cmocka_unit_test(test_a_message_in_flight_holds_simulated_time_until_taken_over),
		cmocka_unit_test(test_a_blocked_participant_lets_time_pass_over_its_loop_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
