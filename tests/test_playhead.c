/* The playhead and the layout: stepping and placing, without a terminal. */
#include "config.h"

#include "layout.h"
#include "playhead.h"
#include "testutil.h"

/* Two models are the same to every view: states, segments, output, loop. */
static void
assert_same_model(const struct timeline *a, const struct timeline *b)
{
	size_t	i, j, k;

	assert_int_equal(a->nvariants, b->nvariants);
	for (i = 0; i < a->nvariants; i++) {
		const struct tl_variant *va = &a->v[i], *vb = &b->v[i];

		assert_int_equal(va->ntasks, vb->ntasks);
		assert_int_equal(va->nout, vb->nout);
		assert_int_equal(va->iteration, vb->iteration);
		assert_int_equal(va->running, vb->running);
		assert_int_equal(va->ended, vb->ended);
		for (j = 0; j < va->ntasks; j++) {
			assert_int_equal(va->tasks[j].state, vb->tasks[j].state);
			assert_int_equal(va->tasks[j].line, vb->tasks[j].line);
			assert_int_equal(va->tasks[j].nsegs, vb->tasks[j].nsegs);
			for (k = 0; k < va->tasks[j].nsegs; k++) {
				const struct tl_segment *sa = &va->tasks[j].segs[k];
				const struct tl_segment *sb = &vb->tasks[j].segs[k];

				assert_int_equal(sa->start, sb->start);
				assert_int_equal(sa->end, sb->end);
				assert_int_equal(sa->state, sb->state);
				assert_int_equal(sa->reason, sb->reason);
			}
		}
	}
}

static void
test_stepping_back_shows_exactly_the_model_of_the_earlier_step(void **state)
{
	struct timeline	*tl = tu_run_demo("tasks", NULL, 0);
	struct timeline	*before[64];
	struct playhead	 ph;
	int		 i, n;

	(void)state;
	playhead_init(&ph, tl);
	playhead_rewind(&ph);
	for (n = 0; n < 64 && playhead_step(&ph, 1) == 0; n++)
		before[n] = timeline_prefix(tl, ph.k);
	assert_true(n >= 30);
	/* Walk back over every step: each screen is the one seen going up. */
	for (i = n - 2; i >= 0; i--) {
		assert_int_equal(playhead_step(&ph, -1), 0);
		assert_same_model(playhead_model(&ph), before[i]);
	}
	for (i = 0; i < n; i++)
		timeline_free(before[i]);
	playhead_free(&ph);
	timeline_free(tl);
}

static void
test_a_step_lands_on_the_time_of_its_event(void **state)
{
	struct timeline	*tl = tu_run_demo("gather", NULL, 0);
	struct trace_event ev;
	struct playhead	 ph;

	(void)state;
	playhead_init(&ph, tl);
	playhead_rewind(&ph);
	assert_int_equal(ph.k, 0);
	assert_int_equal(playhead_step(&ph, -1), -1);	/* at the start */
	while (playhead_step(&ph, 1) == 0) {
		timeline_event(tl, ph.k - 1, &ev);
		assert_int_equal(ph.t, ev.vtime);
		assert_int_not_equal(ev.variant,
		    TIMELINE_CONTROL);	/* clock events are not stops */
	}
	assert_true(playhead_at_end(&ph));
	assert_int_equal(ph.t, SEC(30));
	playhead_free(&ph);
	timeline_free(tl);
}

static void
test_an_iteration_step_stops_just_after_each_loop_turn(void **state)
{
	struct timeline	*tl = tu_run_demo("gather", NULL, 0);
	struct trace_event ev;
	struct playhead	 ph;
	int		 turns = 0;

	(void)state;
	playhead_init(&ph, tl);
	playhead_rewind(&ph);
	while (playhead_step_iteration(&ph) == 0) {
		turns++;
		timeline_event(tl, ph.k - 1, &ev);
		assert_int_equal(ev.type, TRACE_LOOP_ITER);
		assert_int_equal(playhead_model(&ph)->v[1].iteration,
		    (uint64_t)turns);
	}
	assert_int_equal(turns, 5);	/* asyncio's own, as test_engine's */
	playhead_free(&ph);
	timeline_free(tl);
}

static void
test_seeking_shows_every_event_up_to_the_instant(void **state)
{
	struct timeline		*tl = tu_run_demo("gather", NULL, 0);
	struct playhead		 ph;
	const struct timeline	*m;

	(void)state;
	playhead_init(&ph, tl);
	playhead_seek(&ph, SEC(15));
	m = playhead_model(&ph);
	assert_int_equal(m->v[0].nout, 1);	/* Daniel at 10 */
	assert_int_equal(m->v[1].nout, 4);	/* async is done */
	assert_true(m->v[1].ended);
	assert_false(m->v[0].ended);
	assert_int_equal(ph.t, SEC(15));
	playhead_follow(&ph, SEC(30));
	assert_ptr_equal(playhead_model(&ph), tl);
	playhead_free(&ph);
	timeline_free(tl);
}

/* Every event of one variant of done, in order, into live. */
static void
feed_variant(struct timeline *live, const struct timeline *done, uint16_t v)
{
	struct trace_event	ev;
	size_t			i;

	for (i = 0; i < done->nlog; i++) {
		timeline_event(done, i, &ev);
		if (ev.variant == v)
			timeline_add_from(live, done, i);
	}
}

/*
 * Feed a complete run's events in a bad order: the second variant's before
 * the first's, as when its ring is read first. A prefix built between the
 * two batches must be rebuilt, not extended.
 */
static void
test_a_prefix_is_rebuilt_when_late_events_go_before_it(void **state)
{
	struct timeline		*done = tu_run_demo("gather", NULL, 0);
	struct timeline		*live = timeline_new(0), *want;
	struct playhead		 ph;
	size_t			 pass;

	(void)state;
	playhead_init(&ph, live);
	for (pass = 1; pass <= 2; pass++) {
		feed_variant(live, done, pass == 1 ? 1 : 0);
		playhead_seek(&ph, SEC(10));
		(void)playhead_model(&ph);	/* built on what is in */
	}
	assert_true(live->log_inserts > 0);
	want = timeline_prefix(live, ph.k);
	assert_same_model(playhead_model(&ph), want);
	assert_string_equal(playhead_model(&ph)->v[0].name, "sync");
	timeline_free(want);
	playhead_free(&ph);
	timeline_free(live);
	timeline_free(done);
}

/*
 * The playhead stands on a loop turn of the async variant when the sync
 * variant's events of the same instants come, late, and go before it in
 * the log: it still ends on that turn, with them shown as well.
 */
static void
test_late_events_before_the_playhead_do_not_move_what_it_shows(void **state)
{
	struct timeline		*done = tu_run_demo("gather", NULL, 0);
	struct timeline		*live = timeline_new(0), *want;
	struct trace_event	 ev;
	struct playhead		 ph;
	uint64_t		 iteration;
	uint32_t		 seq;

	(void)state;
	playhead_init(&ph, live);
	feed_variant(live, done, 1);
	playhead_rewind(&ph);
	do
		assert_int_equal(playhead_step_iteration(&ph), 0);
	while (ph.t < SEC(10));
	assert_int_equal(ph.t, SEC(10));
	timeline_event(live, ph.k - 1, &ev);
	assert_int_equal(ev.type, TRACE_LOOP_ITER);
	seq = ev.seq;
	iteration = playhead_model(&ph)->v[1].iteration;
	playhead_mark(&ph);
	feed_variant(live, done, 0);
	playhead_keep(&ph);
	assert_true(live->log_inserts > 0);
	timeline_event(live, ph.k - 1, &ev);
	assert_int_equal(ev.variant, 1);
	assert_int_equal(ev.seq, seq);
	assert_int_equal(ph.t, SEC(10));
	assert_int_equal(playhead_model(&ph)->v[1].iteration, iteration);
	/* The sync variant's events up to 10 s are shown: Daniel printed. */
	assert_int_equal(playhead_model(&ph)->v[0].nout, 1);
	want = timeline_prefix(live, ph.k);
	assert_same_model(playhead_model(&ph), want);
	timeline_free(want);
	playhead_free(&ph);
	timeline_free(live);
	timeline_free(done);
}

/* No two panels overlap, and all of them are on the screen. */
static void
assert_tiles(const struct layout *l, int rows, int cols)
{
	const struct rect	*r[7] = { &l->header, &l->caption,
				    &l->timelines, &l->loop, &l->output,
				    &l->source, &l->keybar };
	int			 i, j, y, x, owners;

	for (i = 0; i < 7; i++)
		if (r[i]->h > 0) {
			assert_true(r[i]->y >= 0 && r[i]->x >= 0);
			assert_true(r[i]->y + r[i]->h <= rows);
			assert_true(r[i]->x + r[i]->w <= cols);
		}
	for (y = 0; y < rows; y++)
		for (x = 0; x < cols; x++) {
			for (owners = 0, j = 0; j < 7; j++)
				owners += layout_contains(r[j], y, x);
			assert_true(owners <= 1);
		}
}

static void
test_the_layout_tiles_the_screen_at_every_supported_size(void **state)
{
	struct layout	l;
	int		rows, cols;

	(void)state;
	for (rows = LAYOUT_MIN_ROWS; rows <= 60; rows += 7)
		for (cols = LAYOUT_MIN_COLS; cols <= 240; cols += 13) {
			layout_compute(&l, rows, cols, 12, true);
			assert_false(l.too_small);
			assert_tiles(&l, rows, cols);
			assert_int_equal(l.keybar.y, rows - 1);
			assert_true(l.loop.h >= LAYOUT_BOTTOM_MIN);
			layout_compute(&l, rows, cols, 40, false);
			assert_tiles(&l, rows, cols);
		}
}

static void
test_wide_screens_show_three_panels_narrow_ones_two(void **state)
{
	struct layout	l;

	(void)state;
	layout_compute(&l, 40, 120, 12, true);
	assert_int_equal(l.timelines.h, 12);
	assert_true(l.loop.w > 0 && l.output.w > 0 && l.source.w > 0);
	assert_int_equal(l.loop.w + l.output.w + l.source.w, 120);
	layout_compute(&l, 24, 80, 12, true);
	assert_true(l.source.w > 0);
	assert_int_equal(l.output.h, 0);	/* the source takes its place */
	layout_compute(&l, 24, 80, 12, false);
	assert_true(l.output.w > 0);
	assert_int_equal(l.source.h, 0);
}

static void
test_below_sixty_by_sixteen_the_screen_is_too_small(void **state)
{
	struct layout	l;

	(void)state;
	layout_compute(&l, 15, 120, 12, true);
	assert_true(l.too_small);
	layout_compute(&l, 40, 59, 12, true);
	assert_true(l.too_small);
	layout_compute(&l, 16, 60, 12, true);
	assert_false(l.too_small);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stepping_back_shows_exactly_the_model_of_the_earlier_step),
		cmocka_unit_test(test_a_step_lands_on_the_time_of_its_event),
		cmocka_unit_test(test_an_iteration_step_stops_just_after_each_loop_turn),
		cmocka_unit_test(test_seeking_shows_every_event_up_to_the_instant),
		cmocka_unit_test(test_a_prefix_is_rebuilt_when_late_events_go_before_it),
		cmocka_unit_test(test_late_events_before_the_playhead_do_not_move_what_it_shows),
		cmocka_unit_test(test_the_layout_tiles_the_screen_at_every_supported_size),
		cmocka_unit_test(test_wide_screens_show_three_panels_narrow_ones_two),
		cmocka_unit_test(test_below_sixty_by_sixteen_the_screen_is_too_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
