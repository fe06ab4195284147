/* The session's clock: real time scaled, paused, simulated, its speeds. */
#include "config.h"

#include <math.h>
#include <time.h>

#include "clock.h"
#include "testutil.h"

/* Sleep about ms milliseconds of real time. */
static void
nap(long ms)
{
	struct timespec	ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

static void
test_a_simulated_clock_stands_still_in_real_time(void **state)
{
	struct clock	*c = clock_new(CLOCK_SIM, 1.0, false);

	(void)state;
	clock_start(c);
	nap(20);
	assert_int_equal(clock_now(c), 0);
	assert_int_equal(clock_mode(c), CLOCK_SIM);
	clock_free(c);
}

static void
test_a_real_clock_runs_at_its_speed_and_stops_when_paused(void **state)
{
	struct clock	*c = clock_new(CLOCK_REAL, 10.0, false);
	vtime_t		 a, b;

	(void)state;
	clock_start(c);
	nap(20);
	a = clock_now(c);
	/* 20 ms at 10x: at least 200 ms of virtual time. */
	assert_true(a >= 200 * VTIME_MS);
	clock_set_paused(c, true);
	assert_true(clock_paused(c));
	a = clock_now(c);
	nap(20);
	assert_int_equal(clock_now(c), a);	/* frozen */
	assert_int_equal(clock_set_speed(c, 100.0), 0);
	assert_int_equal(clock_now(c), a);	/* speed keeps time */
	assert_true(clock_speed(c) == 100.0);
	clock_set_paused(c, false);
	nap(10);
	b = clock_now(c);
	assert_true(b - a >= 1000 * VTIME_MS);	/* 10 ms at 100x */
	clock_free(c);
}

static void
test_a_clock_made_paused_starts_frozen_at_zero(void **state)
{
	struct clock	*c = clock_new(CLOCK_REAL, 1.0, true);

	(void)state;
	clock_start(c);
	nap(10);
	assert_int_equal(clock_now(c), 0);
	clock_free(c);
}

static void
test_speeds_outside_the_range_are_refused(void **state)
{
	struct clock	*c = clock_new(CLOCK_REAL, 1.0, true);

	(void)state;
	assert_int_equal(clock_set_speed(c, 0.001), -1);
	assert_int_equal(clock_set_speed(c, 1000.5), -1);
	assert_int_equal(clock_set_speed(c, NAN), -1);
	assert_int_equal(clock_set_speed(c, CLOCK_SPEED_MIN), 0);
	assert_int_equal(clock_set_speed(c, CLOCK_SPEED_MAX), 0);
	assert_true(clock_speed(c) == CLOCK_SPEED_MAX);
	clock_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_simulated_clock_stands_still_in_real_time),
		cmocka_unit_test(test_a_real_clock_runs_at_its_speed_and_stops_when_paused),
		cmocka_unit_test(test_a_clock_made_paused_starts_frozen_at_zero),
		cmocka_unit_test(test_speeds_outside_the_range_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
