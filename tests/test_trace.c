/* The trace rings: order, back-pressure, stopping, waking the reader. */
#include "config.h"

#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "trace.h"

static void
test_a_ring_keeps_events_in_order_across_wrap_around(void **state)
{
	struct trace_ring	*r = trace_ring_new(16, NULL);
	struct trace_event	 ev = { 0 }, out[8];
	uint32_t		 next_in = 0, next_out = 0;
	size_t			 n, i, round;

	(void)state;
	assert_int_equal(trace_ring_capacity(r), 16);
	for (round = 0; round < 50; round++) {
		for (i = 0; i < 11; i++) {
			ev.seq = next_in++;
			assert_int_equal(trace_ring_push(r, &ev, NULL), 0);
		}
		while ((n = trace_ring_pop(r, out, 8)) > 0)
			for (i = 0; i < n; i++)
				assert_int_equal(out[i].seq, next_out++);
	}
	assert_int_equal(next_out, 550);
	assert_true(trace_ring_empty(r));
	assert_int_equal(trace_ring_high_water(r), 11);
	trace_ring_free(r);
}

struct writer {
	struct trace_ring	*ring;
	atomic_bool		 stop;
	uint32_t		 n;
	int			 rc;
};

static void *
writer_main(void *arg)
{
	struct writer		*w = arg;
	struct trace_event	 ev = { 0 };
	uint32_t		 i;

	for (i = 0; i < w->n; i++) {
		ev.seq = i;
		ev.text = malloc(8);
		memcpy(ev.text, "payload", 8);
		ev.flags = TRACE_F_OWNED;
		if ((w->rc = trace_ring_push(w->ring, &ev, &w->stop)) != 0) {
			trace_event_clear(&ev);
			return NULL;
		}
	}
	return NULL;
}

static void
test_a_full_ring_makes_the_writer_wait_and_loses_nothing(void **state)
{
	struct writer		w = { .n = 20000 };
	struct trace_event	out[5];
	pthread_t		th;
	uint32_t		next = 0;
	size_t			n, i;

	(void)state;
	w.ring = trace_ring_new(16, NULL);
	atomic_init(&w.stop, false);
	pthread_create(&th, NULL, writer_main, &w);
	while (next < w.n) {
		n = trace_ring_pop(w.ring, out, 5);
		for (i = 0; i < n; i++) {
			assert_int_equal(out[i].seq, next++);
			assert_string_equal(out[i].text, "payload");
			trace_event_clear(&out[i]);
		}
	}
	pthread_join(th, NULL);
	assert_int_equal(w.rc, 0);
	assert_true(trace_ring_high_water(w.ring) <= 16);
	trace_ring_free(w.ring);
}

static void
test_stopping_releases_a_writer_blocked_on_a_full_ring(void **state)
{
	struct writer	w = { .n = 100 };
	pthread_t	th;

	(void)state;
	w.ring = trace_ring_new(16, NULL);
	atomic_init(&w.stop, false);
	pthread_create(&th, NULL, writer_main, &w);
	while (trace_ring_high_water(w.ring) < 16)
		usleep(1000);
	atomic_store(&w.stop, true);
	trace_ring_wake_writer(w.ring);
	pthread_join(th, NULL);
	assert_int_equal(w.rc, -1);
	trace_ring_free(w.ring);	/* frees the 16 unread payloads */
}

static void
test_a_push_wakes_a_reader_that_said_it_sleeps(void **state)
{
	struct trace_notify	 nt;
	struct trace_ring	*r;
	struct trace_event	 ev = { 0 };
	struct pollfd		 pfd;

	(void)state;
	trace_notify_init(&nt);
	assert_true(nt.fd >= 0);
	r = trace_ring_new(16, &nt);
	pfd.fd = nt.fd;
	pfd.events = POLLIN;
	assert_int_equal(trace_ring_push(r, &ev, NULL), 0);
	assert_int_equal(poll(&pfd, 1, 0), 0);	/* not sleeping: no wake */
	atomic_store(&nt.waiting, true);
	assert_int_equal(trace_ring_push(r, &ev, NULL), 0);
	assert_int_equal(poll(&pfd, 1, 0), 1);
	assert_false(atomic_load(&nt.waiting));
	trace_notify_clear(&nt);
	assert_int_equal(poll(&pfd, 1, 0), 0);
	trace_ring_free(r);
	trace_notify_close(&nt);
}

static void
test_every_state_and_reason_has_a_name(void **state)
{
	int	i;

	(void)state;
	for (i = 0; i < TASK_NSTATES; i++)
		assert_string_not_equal(trace_state_name(i), "?");
	for (i = 1; i < REASON_NREASONS; i++)
		assert_true(strlen(trace_reason_name(i)) > 0);
	for (i = 0; i < TRACE_NTYPES; i++)
		assert_string_not_equal(trace_type_name(i), "?");
	assert_string_equal(trace_state_name(TASK_NSTATES), "?");
	assert_true(trace_state_final(TASK_DONE));
	assert_false(trace_state_final(TASK_BLOCKED));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_ring_keeps_events_in_order_across_wrap_around),
		cmocka_unit_test(test_a_full_ring_makes_the_writer_wait_and_loses_nothing),
		cmocka_unit_test(test_stopping_releases_a_writer_blocked_on_a_full_ring),
		cmocka_unit_test(test_a_push_wakes_a_reader_that_said_it_sleeps),
		cmocka_unit_test(test_every_state_and_reason_has_a_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
