/* The trace rings: order, back-pressure, stopping, waking the reader. */
#include "config.h"

#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "trace-int.h"

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
	bool			 short_form;	/* trace_ring_push_state */
	int			 rc;
};

/*
 * Push n events: with a text each, or (short_form) a first one and then
 * changes of state in the short form, task i numbered i.
 */
static void *
writer_main(void *arg)
{
	struct writer		*w = arg;
	struct trace_event	 ev = { 0 };
	uint32_t		 i;

	for (i = 0; i < w->n; i++) {
		if (w->short_form && i > 0) {
			if ((w->rc = trace_ring_push_state(w->ring, i,
			    TASK_READY, REASON_YIELD, 1, 0, &w->stop)) != 0)
				return NULL;
			continue;
		}
		ev.seq = i;
		ev.task = i;
		if (!w->short_form) {
			ev.text = malloc(8);
			memcpy(ev.text, "payload", 8);
			ev.flags = TRACE_F_OWNED;
		}
		if ((w->rc = trace_ring_push(w->ring, &ev, &w->stop)) != 0) {
			trace_event_clear(&ev);
			return NULL;
		}
	}
	return NULL;
}

/* The writer fills a small ring many times over: nothing is lost. */
static void
assert_full_ring_loses_nothing(bool short_form)
{
	struct writer		w = { .n = 20000, .short_form = short_form };
	struct trace_event	out[5];
	pthread_t		th;
	uint32_t		next = 0;
	size_t			n, i;

	w.ring = trace_ring_new(16, NULL);
	atomic_init(&w.stop, false);
	pthread_create(&th, NULL, writer_main, &w);
	while (next < w.n) {
		/*
		 * An empty ring: let the writer run. Under valgrind, which runs
		 * one thread at a time, a reader spinning here can keep the
		 * writer off the CPU for many minutes.
		 */
		if ((n = trace_ring_pop(w.ring, out, 5)) == 0)
			sched_yield();
		for (i = 0; i < n; i++, next++) {
			assert_int_equal(out[i].seq, next);
			assert_int_equal(out[i].task, next);
			if (short_form)
				assert_null(out[i].text);
			else
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
test_a_full_ring_makes_the_writer_wait_and_loses_nothing(void **state)
{
	(void)state;
	assert_full_ring_loses_nothing(false);
}

static void
test_a_full_ring_makes_a_short_push_wait_too(void **state)
{
	(void)state;
	assert_full_ring_loses_nothing(true);
}

/* Nobody reads: the writer waits on the full ring until stopped. */
static void
assert_stop_releases_the_writer(bool short_form)
{
	struct writer	w = { .n = 100, .short_form = short_form };
	pthread_t	th;

	w.ring = trace_ring_new(16, NULL);
	atomic_init(&w.stop, false);
	pthread_create(&th, NULL, writer_main, &w);
	while (trace_ring_high_water(w.ring) < 16)
		usleep(1000);
	atomic_store(&w.stop, true);
	trace_ring_wake_writer(w.ring);
	pthread_join(th, NULL);
	assert_int_equal(w.rc, -1);
	trace_ring_free(w.ring);	/* frees the unread payloads */
}

static void
test_stopping_releases_a_writer_blocked_on_a_full_ring(void **state)
{
	(void)state;
	assert_stop_releases_the_writer(false);
}

static void
test_stopping_releases_a_short_push_too(void **state)
{
	(void)state;
	assert_stop_releases_the_writer(true);
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

/* An event with every field set from n, some left 0 or like the last. */
static void
make_event(struct trace_event *ev, uint32_t n)
{
	memset(ev, 0, sizeof *ev);
	ev->type = (uint8_t)(n % TRACE_NTYPES);
	ev->state = (uint8_t)(n % 7);
	ev->reason = (uint8_t)(n % 5);
	ev->line = (uint16_t)(n * 7);
	ev->variant = n % 11 == 0 ? 3 : 0;
	ev->task = n * 3;
	ev->other = n % 4 == 0 ? n : 0;
	ev->vtime = (vtime_t)(n / 3) * 1000;	/* often the last one's */
	ev->rtime = (int64_t)(n / 5) * 77;
	ev->seq = n % 13 == 0 ? n * 2 : n;	/* sometimes not the next */
	if (n % 6 == 0)
		ev->a = -(int64_t)n * 1000000007;
	if (n % 9 == 0)
		ev->b = INT64_MAX - n;
	if (n % 10 == 0) {
		ev->n_ready = n;
		ev->n_timers = UINT32_MAX - n;
		ev->n_io = 2;
	}
	if (n % 8 == 0) {
		ev->text = malloc(16);
		snprintf(ev->text, 16, "t%u", n);
		ev->flags = TRACE_F_OWNED | (uint8_t)(n % 3);
	} else if (n % 8 == 1) {
		ev->text = (char *)"static";	/* not owned */
		ev->flags = TRACE_F_STDERR;
	}
}

static void
test_every_field_of_every_event_comes_out_as_it_went_in(void **state)
{
	struct trace_ring	*r = trace_ring_new(16, NULL);
	struct trace_event	 ev, want, out[7];
	uint32_t		 in = 0, got = 0;
	size_t			 n, i, k;

	(void)state;
	while (got < 3000) {
		for (k = 0; k < 1 + in % 16 && in < 3000; k++) {
			make_event(&ev, in++);
			assert_int_equal(trace_ring_push(r, &ev, NULL), 0);
		}
		while ((n = trace_ring_pop(r, out, 1 + got % 7)) > 0)
			for (i = 0; i < n; i++) {
				make_event(&want, got++);
				assert_int_equal(out[i].type, want.type);
				assert_int_equal(out[i].state, want.state);
				assert_int_equal(out[i].reason, want.reason);
				assert_int_equal(out[i].flags, want.flags);
				assert_int_equal(out[i].line, want.line);
				assert_int_equal(out[i].variant, want.variant);
				assert_int_equal(out[i].task, want.task);
				assert_int_equal(out[i].other, want.other);
				assert_true(out[i].vtime == want.vtime);
				assert_true(out[i].rtime == want.rtime);
				assert_true(out[i].a == want.a);
				assert_true(out[i].b == want.b);
				assert_int_equal(out[i].seq, want.seq);
				assert_int_equal(out[i].n_ready, want.n_ready);
				assert_int_equal(out[i].n_timers, want.n_timers);
				assert_int_equal(out[i].n_io, want.n_io);
				if (want.text == NULL)
					assert_null(out[i].text);
				else
					assert_string_equal(out[i].text,
					    want.text);
				trace_event_clear(&out[i]);
				trace_event_clear(&want);
			}
	}
	assert_true(trace_ring_empty(r));
	assert_true(trace_ring_high_water(r) <= 16);
	trace_ring_free(r);
}

/*
 * Events of every kind, and between them runs of changes of state in the
 * short form (trace_ring_push_state), which a variant uses when the
 * change has the stamp of the event before it: each comes out whole, with
 * that stamp and the next seq, across the ring's wrap-around.
 */
static void
test_a_change_of_state_in_short_comes_out_whole(void **state)
{
	struct trace_ring	*r = trace_ring_new(16, NULL);
	struct trace_event	 ev, last, want[16], out[5];
	uint32_t		 in = 0, got = 0, k, runs;
	size_t			 n, i, w, nwant;

	(void)state;
	for (runs = 0; runs < 400; runs++) {
		nwant = 0;
		make_event(&ev, runs);
		assert_int_equal(trace_ring_push(r, &ev, NULL), 0);
		last = ev;
		want[nwant++] = ev;
		want[0].text = ev.text != NULL ? strdup(ev.text) : NULL;
		for (k = 0; k < runs % 9; k++, in++) {
			ev = last;
			ev.type = TRACE_TASK_STATE;
			ev.state = (uint8_t)(in % TASK_NSTATES);
			ev.reason = (uint8_t)(in % REASON_NREASONS);
			ev.flags = 0;
			ev.line = (uint16_t)(in * 5);
			ev.task = in + 1;
			ev.other = in % 3 == 0 ? in : 0;
			ev.seq = last.seq + 1;
			ev.a = ev.b = 0;
			ev.text = NULL;
			ev.n_ready = ev.n_timers = ev.n_io = 0;
			assert_int_equal(trace_ring_push_state(r, ev.task,
			    ev.state, ev.reason, ev.line, ev.other, NULL), 0);
			last = ev;
			want[nwant++] = ev;
		}
		trace_ring_flush(r);
		for (w = 0; w < nwant; ) {
			n = trace_ring_pop(r, out, 1 + got % 5);
			assert_true(n > 0);
			for (i = 0; i < n; i++, w++, got++) {
				assert_int_equal(out[i].type, want[w].type);
				assert_int_equal(out[i].state, want[w].state);
				assert_int_equal(out[i].reason, want[w].reason);
				assert_int_equal(out[i].flags, want[w].flags);
				assert_int_equal(out[i].line, want[w].line);
				assert_int_equal(out[i].variant,
				    want[w].variant);
				assert_int_equal(out[i].task, want[w].task);
				assert_int_equal(out[i].other, want[w].other);
				assert_true(out[i].vtime == want[w].vtime);
				assert_true(out[i].rtime == want[w].rtime);
				assert_true(out[i].a == want[w].a);
				assert_true(out[i].b == want[w].b);
				assert_int_equal(out[i].seq, want[w].seq);
				assert_int_equal(out[i].n_ready,
				    want[w].n_ready);
				assert_int_equal(out[i].n_timers,
				    want[w].n_timers);
				assert_int_equal(out[i].n_io, want[w].n_io);
				if (want[w].text == NULL)
					assert_null(out[i].text);
				else
					assert_string_equal(out[i].text,
					    want[w].text);
				trace_event_clear(&out[i]);
			}
		}
		free(want[0].text);
	}
	assert_true(got > 1500);
	assert_true(trace_ring_empty(r));
	assert_true(trace_ring_high_water(r) <= 16);
	trace_ring_free(r);
}

static void
test_a_batching_writer_shows_its_events_at_a_flush(void **state)
{
	struct trace_ring	*r = trace_ring_new(64, NULL);
	struct trace_event	 ev, out[8];
	uint32_t		 i;

	(void)state;
	trace_ring_set_batch(r, 4);
	for (i = 0; i < 3; i++) {
		make_event(&ev, i);
		assert_int_equal(trace_ring_push(r, &ev, NULL), 0);
	}
	assert_int_equal(trace_ring_pop(r, out, 8), 0);	/* not yet */
	make_event(&ev, 3);
	assert_int_equal(trace_ring_push(r, &ev, NULL), 0);	/* the 4th */
	assert_int_equal(trace_ring_pop(r, out, 8), 4);
	for (i = 4; i < 6; i++) {
		make_event(&ev, i);
		assert_int_equal(trace_ring_push(r, &ev, NULL), 0);
	}
	trace_ring_flush(r);
	assert_int_equal(trace_ring_pop(r, out + 4, 4), 2);
	for (i = 0; i < 6; i++) {
		assert_int_equal(out[i].seq, i);
		trace_event_clear(&out[i]);
	}
	/* Written, never flushed, never read: freeing frees their text. */
	make_event(&ev, 8);
	assert_int_equal(trace_ring_push(r, &ev, NULL), 0);
	trace_ring_free(r);
}

/* Done from its nth call on; counts the calls. */
struct spin_count {
	unsigned	calls;
	unsigned	at;	/* 0: never */
};

static bool
spin_done(void *arg)
{
	struct spin_count	*c = arg;

	c->calls++;
	return c->at != 0 && c->calls >= c->at;
}

static void
test_a_spin_waits_until_done_and_gives_up_in_the_end(void **state)
{
	struct spin_count	now = { 0, 1 };
	struct spin_count	later = { 0, 2 * TRACE_SPIN_CHECK };
	struct spin_count	never = { 0, 0 };

	(void)state;
	assert_true(trace_spin(spin_done, &now));
	assert_int_equal(now.calls, 1);
	/*
	 * Past its first look at the time and a yield, still waiting: it
	 * starts the clock at its first look and gives up at a later one.
	 */
	assert_true(trace_spin(spin_done, &later));
	assert_int_equal(later.calls, 2 * TRACE_SPIN_CHECK);
	/* Never done: it gives up (after TRACE_SPIN_NS) and says so. */
	assert_false(trace_spin(spin_done, &never));
	assert_true(never.calls > TRACE_SPIN_CHECK);
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
		cmocka_unit_test(test_every_field_of_every_event_comes_out_as_it_went_in),
		cmocka_unit_test(test_a_change_of_state_in_short_comes_out_whole),
		cmocka_unit_test(test_a_full_ring_makes_a_short_push_wait_too),
		cmocka_unit_test(test_stopping_releases_a_short_push_too),
		cmocka_unit_test(test_a_batching_writer_shows_its_events_at_a_flush),
		cmocka_unit_test(test_a_spin_waits_until_done_and_gives_up_in_the_end),
		cmocka_unit_test(test_every_state_and_reason_has_a_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
