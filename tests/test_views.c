/* Views without a terminal: the axis, the text timeline, JSON, options. */
#include "config.h"

#include <jansson.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis.h"
#include "caption.h"
#include "glyphs.h"
#include "headless.h"
#include "i18n.h"
#include "options.h"
#include "testutil.h"

static void
test_the_axis_picks_round_steps_that_leave_room_for_labels(void **state)
{
	(void)state;
	assert_int_equal(axis_nice_step(SEC(30), 60, 8), SEC(5));
	assert_int_equal(axis_nice_step(SEC(30), 200, 8), SEC(2));
	assert_int_equal(axis_nice_step(SEC(10.49), 60, 8), SEC(2));
	assert_int_equal(axis_nice_step(SEC(1), 100, 8), SEC(0.1));
	assert_int_equal(axis_nice_step(SEC(3600), 80, 8), SEC(500));
}

static void
test_tick_labels_are_as_precise_as_their_step(void **state)
{
	char	buf[32];

	(void)state;
	axis_format(SEC(10), SEC(5), buf, sizeof buf);
	assert_string_equal(buf, "10s");
	axis_format(SEC(2.5), SEC(0.5), buf, sizeof buf);
	assert_string_equal(buf, "2.5s");
	axis_format(SEC(0.02), SEC(0.01), buf, sizeof buf);
	assert_string_equal(buf, "20ms");
	axis_format(SEC(1), SEC(0.01), buf, sizeof buf);
	assert_string_equal(buf, "1s");
}

static void
test_each_cell_shows_the_state_that_filled_most_of_it(void **state)
{
	struct tl_segment	segs[3] = {
		{ 0, SEC(10), TASK_BLOCKED, 0 },
		{ SEC(10), SEC(10.2), TASK_RUNNING, 0 },
		{ SEC(10.2), VTIME_NEVER, TASK_DONE, 0 },
	};
	struct tl_task		t = { 0 };
	struct axis		a;
	int			col;

	(void)state;
	t.segs = segs;
	t.nsegs = 3;
	axis_init(&a, SEC(30), 60, 8);		/* half a second a column */
	for (col = 0; col < 20; col++)
		assert_int_equal(axis_cell(&a, &t, col, SEC(30)), TASK_BLOCKED);
	/* [10, 10.5): 0.2 s running, the rest done, which shows nothing. */
	assert_int_equal(axis_cell(&a, &t, 20, SEC(30)), TASK_RUNNING);
	assert_int_equal(axis_cell(&a, &t, 21, SEC(30)), TASK_DONE);
	assert_int_equal(axis_column(&a, SEC(15)), 30);
}

static void
test_a_lane_covers_the_eighths_of_a_column_it_starts_or_ends_in(void **state)
{
	struct tl_segment	segs[4] = {
		{ 0, SEC(1.25), TASK_CREATED, 0 },
		{ SEC(1.25), SEC(3), TASK_READY, 0 },
		{ SEC(3), SEC(4.75), TASK_BLOCKED, 0 },
		{ SEC(4.75), VTIME_NEVER, TASK_DONE, 0 },
	};
	struct tl_task		t = { 0 };
	struct axis		a;

	(void)state;
	t.segs = segs;
	t.nsegs = 4;
	axis_init(&a, SEC(10), 10, 2);		/* a second a column */
	assert_int_equal(axis_cover(&a, &t, 0, SEC(10)), 8);	/* not yet */
	assert_int_equal(axis_cover(&a, &t, 1, SEC(10)), -6);	/* 1.25 */
	assert_int_equal(axis_cover(&a, &t, 2, SEC(10)), 8);
	assert_int_equal(axis_cover(&a, &t, 3, SEC(10)), 8);	/* state change */
	assert_int_equal(axis_cover(&a, &t, 4, SEC(10)), 6);	/* to 4.75 */
	assert_int_equal(axis_cover(&a, &t, 5, SEC(10)), 8);	/* done */
	/* Still running: its life ends at the instant shown. */
	segs[2].end = VTIME_NEVER;
	t.nsegs = 3;
	assert_int_equal(axis_cover(&a, &t, 4, SEC(4.5)), 4);
	assert_int_equal(axis_cover(&a, &t, 4, SEC(4.01)), 1);
	/* Born and gone inside one column: the whole column. */
	segs[1].start = SEC(1.25);
	segs[1].end = SEC(1.5);
	segs[2].start = SEC(1.5);
	segs[2].end = SEC(1.75);
	assert_int_equal(axis_cover(&a, &t, 1, SEC(10)), 8);
}

static void
test_every_state_has_its_own_glyph_in_both_sets(void **state)
{
	int	u, i, j;

	(void)state;
	for (u = 0; u < 2; u++) {
		const struct glyphs *g = glyphs_get(u == 1);

		for (i = 0; i < TASK_NSTATES; i++)
			for (j = i + 1; j < TASK_NSTATES; j++) {
				/* Created and done are both blank: no task. */
				if ((i == TASK_CREATED && j == TASK_DONE))
					continue;
				assert_string_not_equal(g->state[i],
				    g->state[j]);
			}
	}
	assert_int_equal(strlen(glyphs_get(false)->state[TASK_BLOCKED]), 1);
}

static char *
render(const struct timeline *tl, bool json, bool utf8, int width)
{
	struct headless_info	 info = { .demo = "gather",
				    .summary = "summary", .clock = CLOCK_SIM,
				    .speed = 1.0, .width = width, .utf8 = utf8 };
	char			*buf = NULL;
	size_t			 len = 0;
	FILE			*f = open_memstream(&buf, &len);

	assert_non_null(f);
	if (json)
		assert_int_equal(headless_json(f, tl, &info), 0);
	else
		assert_int_equal(headless_text(f, tl, &info), 0);
	fclose(f);
	return buf;
}

static void
test_the_text_timeline_draws_the_sync_calls_in_thirds(void **state)
{
	struct timeline	*tl = tu_run_demo("gather", NULL, 0);
	char		*text = render(tl, false, false, 80);
	char		 lane[128];
	const char	*p;

	(void)state;
	/*
	 * 80 columns, names 20 wide: a 56-column axis for 30 s, 0.536 s a
	 * column. Donna is blocked over [10, 20): columns 18 to 37, each
	 * partly or wholly, and nothing after: no trailing blanks.
	 */
	p = strstr(text, "  name('Donna')");
	assert_non_null(p);
	memset(lane, 0, sizeof lane);
	memcpy(lane, p, strcspn(p, "\n"));
	assert_string_equal(lane, "  name('Donna')        "
	    "                  ====================");
	assert_non_null(strstr(text, "  total 30.00 s\n"));
	assert_non_null(strstr(text, "  total 10.00 s, 3.0x faster than sync\n"));
	assert_non_null(strstr(text, "legend: # running"));
	free(text);
	timeline_free(tl);
}

static void
test_the_json_document_has_totals_outputs_and_segments(void **state)
{
	struct timeline	*tl = tu_run_demo("gather", NULL, 0);
	char		*text = render(tl, true, false, 80);
	json_error_t	 err;
	json_t		*doc = json_loads(text, 0, &err), *v, *t, *seg;

	(void)state;
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "demo")),
	    "gather");
	v = json_array_get(json_object_get(doc, "variants"), 1);
	assert_string_equal(json_string_value(json_object_get(v, "name")),
	    "async");
	assert_true(json_real_value(json_object_get(v, "total")) == 10.0);
	assert_true(json_real_value(json_object_get(v, "speedup")) == 3.0);
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(v, "output"), 2)), "Diane");
	t = json_array_get(json_object_get(v, "tasks"), 1);
	assert_string_equal(json_string_value(json_object_get(t, "name")),
	    "name_async('Daniel')");
	seg = json_array_get(json_object_get(t, "segments"), 0);
	assert_string_equal(json_string_value(json_object_get(seg, "state")),
	    "waiting_timer");
	assert_true(json_real_value(json_object_get(seg, "start")) == 0.0);
	assert_true(json_real_value(json_object_get(seg, "end")) == 10.0);
	json_decref(doc);
	free(text);
	timeline_free(tl);
}

static int
parse(const char *line, struct options *o, char *err, size_t len)
{
	char	 copy[256], *argv[16], *tok, *save = NULL;
	int	 argc = 0;

	snprintf(copy, sizeof copy, "loopscope %s", line);
	for (tok = strtok_r(copy, " ", &save); tok != NULL && argc < 15;
	    tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	return options_parse(argc, argv, o, err, len);
}

static void
test_options_name_what_is_wrong_with_a_command_line(void **state)
{
	struct options	o;
	char		err[256];

	(void)state;
	assert_int_equal(parse("--speed 0 gather", &o, err, sizeof err), -1);
	assert_string_equal(err, "--speed: 0 is outside 0.01 to 1000");
	assert_int_equal(parse("--speed fast", &o, err, sizeof err), -1);
	assert_string_equal(err, "--speed: 'fast' is not a number from 0.01 to 1000");
	assert_int_equal(parse("nosuch", &o, err, sizeof err), -1);
	assert_string_equal(err, "unknown demo 'nosuch' (try --list)");
	assert_int_equal(parse("--variant sync,nope gather", &o, err,
	    sizeof err), -1);
	assert_string_equal(err, "--variant: demo 'gather' has no variant "
	    "'nope' (it has: sync async)");
	assert_int_equal(parse("--clock wall", &o, err, sizeof err), -1);
	assert_string_equal(err, "--clock: 'wall' is neither 'real' nor 'sim'");
	assert_int_equal(parse("--frobnicate", &o, err, sizeof err), -1);
	assert_string_equal(err, "unknown option '--frobnicate'");
	assert_int_equal(parse("--speed", &o, err, sizeof err), -1);
	assert_string_equal(err, "option '--speed' needs a value");
}

static void
test_options_select_variants_in_the_demos_order(void **state)
{
	struct options	o;
	char		err[256];

	(void)state;
	assert_int_equal(parse("--headless --variant async,sync --speed 2.5 "
	    "--clock sim tasks", &o, err, sizeof err), 0);
	assert_string_equal(o.demo->name, "tasks");
	assert_int_equal(o.nvariants, 2);
	assert_string_equal(o.variants[0], "sync");
	assert_string_equal(o.variants[1], "async");
	assert_true(o.speed == 2.5);
	assert_int_equal(o.clock, CLOCK_SIM);
	assert_int_equal(parse("--headless", &o, err, sizeof err), 0);
	assert_string_equal(o.demo->name, DEMO_DEFAULT);
}

/*
 * Numbers in the interface's language: formatted as vsnprintf formats
 * them, in English byte for byte, in French with a decimal comma in the
 * real numbers only (a string's points are its own), cut as snprintf cuts.
 */
static void
test_french_numbers_take_a_comma_and_nothing_else_changes(void **state)
{
	char	got[128], want[128];
	char	err[128];
	int	n;

	(void)state;
	i18n_init();
	assert_int_equal(i18n_snprintf(got, sizeof got, "%8.2f|%-6s|%zu|%lld|"
	    "%c|%%|%.3g", 3.14159, "a.b", (size_t)7, -5LL, 'z', 0.0123),
	    snprintf(want, sizeof want, "%8.2f|%-6s|%zu|%lld|%c|%%|%.3g",
	    3.14159, "a.b", (size_t)7, -5LL, 'z', 0.0123));
	assert_string_equal(got, want);
	assert_int_equal(i18n_set_lang("de", err, sizeof err), -1);
	assert_non_null(strstr(err, "--lang"));
	assert_int_equal(i18n_set_lang("fr", err, sizeof err), 0);
	assert_int_equal(i18n_decimal(), ',');
	i18n_snprintf(got, sizeof got, "%8.2f|%-6s|%zu|%lld|%c|%%|%.3g",
	    3.14159, "a.b", (size_t)7, -5LL, 'z', 0.0123);
	assert_string_equal(got, "    3,14|a.b   |7|-5|z|%|0,0123");
	assert_string_equal(_("Quit"), "Sortir");
	n = i18n_snprintf(got, 8, "abc %.2f xyz", 12.345);
	assert_int_equal(n, 13);
	assert_string_equal(got, "abc 12,");
	assert_int_equal(i18n_set_lang("en", err, sizeof err), 0);
	assert_int_equal(i18n_decimal(), '.');
	assert_string_equal(_("Quit"), "Quit");
}

/* The first event of type in tl's log at or after k, or nlog. */
static size_t
find_event(const struct timeline *tl, size_t k, enum trace_type type)
{
	struct trace_event	ev;

	for (; k < tl->nlog; k++) {
		timeline_event(tl, k, &ev);
		if (ev.type == type)
			return k;
	}
	return tl->nlog;
}

/*
 * The caption says who kept a late timer waiting: sleeper()'s 1 ms sleep
 * is due while work() holds the loop, computing, so it fires when work()
 * ends, late by what work() cost. In French, with the comma.
 */
static void
test_the_caption_says_who_kept_a_late_timer_waiting(void **state)
{
	static const char	 src[] =
	    "import asyncio\n"
	    "\n"
	    "async def sleeper():\n"
	    "    await asyncio.sleep(0.001)\n"
	    "\n"
	    "async def work():\n"
	    "    total = 0\n"
	    "    for i in range(300000):\n"
	    "        total += i\n"
	    "\n"
	    "async def main():\n"
	    "    await asyncio.gather(sleeper(), work())\n"
	    "\n"
	    "asyncio.run(main())\n";
	struct timeline		*tl = tu_run_source("async", src);
	struct trace_event	 fire;
	char			 got[512], said[512], at[32], late[32], err[128];
	char			*c;
	size_t			 k;

	(void)state;
	/* The French words as a UTF-8 terminal shows them. */
	setlocale(LC_ALL, "C.UTF-8");
	i18n_init();
	k = find_event(tl, 0, TRACE_TIMER_FIRE);
	assert_true(k < tl->nlog);
	timeline_event(tl, k, &fire);
	assert_int_equal(fire.a, SEC(0.001));
	assert_true(fire.vtime - fire.a >= SEC(0.01));
	snprintf(at, sizeof at, "%.2f", (double)fire.vtime / VTIME_SEC);
	snprintf(late, sizeof late, "%.2f",
	    (double)(fire.vtime - fire.a) / VTIME_SEC);
	caption_text(tl, k + 1, k, timeline_event_time(tl, k), got,
	    sizeof got);
	snprintf(said, sizeof said, "t = %s s: sleeper()'s timer was due at "
	    "0.00 s; work() held the loop: %s s late", at, late);
	assert_string_equal(got, said);
	assert_int_equal(i18n_set_lang("fr", err, sizeof err), 0);
	caption_text(tl, k + 1, k, timeline_event_time(tl, k), got,
	    sizeof got);
	for (c = at; *c != '\0'; c++)
		*c = *c == '.' ? ',' : *c;
	for (c = late; *c != '\0'; c++)
		*c = *c == '.' ? ',' : *c;
	snprintf(said, sizeof said, "t = %s s : le minuteur de sleeper() "
	    "était dû à 0,00 s ; work() occupait la boucle : %s s "
	    "de retard", at, late);
	assert_string_equal(got, said);
	/* A turn's counts agree with their words: "1 prête", "2 prêtes". */
	k = find_event(tl, 0, TRACE_LOOP_ITER);
	assert_true(k < tl->nlog);
	{
		struct trace_event	ev;
		char			want[256];

		timeline_event(tl, k, &ev);
		snprintf(want, sizeof want, "la boucle commence le tour %lld : "
		    "%u %s, %u %s, %u %s", (long long)ev.a, ev.n_ready,
		    ev.n_ready > 1 ? "prêtes" : "prête", ev.n_timers,
		    ev.n_timers > 1 ? "minuteurs" : "minuteur", ev.n_io,
		    ev.n_io > 1 ? "attentes d'E/S" : "attente d'E/S");
		caption_text(tl, k + 1, k, 0, got, sizeof got);
		assert_non_null(strstr(got, want));
	}
	assert_int_equal(i18n_set_lang("en", err, sizeof err), 0);
	setlocale(LC_ALL, "C");
	i18n_init();
	/* Before anything, the caption says how to begin. */
	caption_text(tl, 0, CAPTION_NONE, 0, got, sizeof got);
	assert_non_null(strstr(got, "nothing has run yet"));
	timeline_free(tl);
}

/*
 * A step over a loop's turn names who ran in it, then the turn it stopped
 * on; playing, the latest event that shows something is told, not a
 * loop's turn.
 */
static void
test_a_step_over_a_turn_names_who_ran(void **state)
{
	static const char *const	 names[] = { "async" };
	struct timeline			*tl = tu_run_demo("gather", names, 1);
	char				 got[512];
	size_t				 first, second;

	(void)state;
	i18n_init();
	first = find_event(tl, 0, TRACE_LOOP_ITER);
	second = find_event(tl, first + 1, TRACE_LOOP_ITER);
	assert_true(second < tl->nlog);
	caption_text(tl, second + 1, first + 1, 0, got, sizeof got);
	assert_string_equal(got, "t = 0.00 s: main() ran; the loop begins "
	    "turn 2: 3 ready, 0 timers, 0 I/O waits");
	caption_text(tl, second + 1, CAPTION_NONE, 0, got, sizeof got);
	assert_null(strstr(got, "the loop begins"));
	timeline_free(tl);
}

/*
 * A long line wraps at the last space that fits, unless that leaves less
 * than half a row; a word longer than a row is cut; every row takes
 * something, so that wrapping always ends.
 */
static void
test_a_long_line_wraps_at_a_space_or_cuts_a_long_word(void **state)
{
	const char	*s = "digits = str(x ** 1000000)[:2]";

	(void)state;
	assert_int_equal(glyphs_break(s, 100), strlen(s));
	/* "digits = str(x ** " fits 18 columns: the row ends after it. */
	assert_int_equal(glyphs_break(s, 20), strlen("digits = str(x ** "));
	/* No space in the row's second half: cut at the column. */
	assert_int_equal(glyphs_break("abcdefghij klmnopqrstuvwxyz", 8), 8);
	assert_int_equal(glyphs_break("x", 0), 1);
	assert_int_equal(glyphs_break("", 5), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_axis_picks_round_steps_that_leave_room_for_labels),
		cmocka_unit_test(test_tick_labels_are_as_precise_as_their_step),
		cmocka_unit_test(test_each_cell_shows_the_state_that_filled_most_of_it),
		cmocka_unit_test(
		    test_a_lane_covers_the_eighths_of_a_column_it_starts_or_ends_in),
		cmocka_unit_test(test_every_state_has_its_own_glyph_in_both_sets),
		cmocka_unit_test(test_the_text_timeline_draws_the_sync_calls_in_thirds),
		cmocka_unit_test(test_the_json_document_has_totals_outputs_and_segments),
		cmocka_unit_test(test_options_name_what_is_wrong_with_a_command_line),
		cmocka_unit_test(test_options_select_variants_in_the_demos_order),
		cmocka_unit_test(test_a_step_over_a_turn_names_who_ran),
		cmocka_unit_test(
		    test_a_long_line_wraps_at_a_space_or_cuts_a_long_word),
		/* Last: they change the language of what follows. */
		cmocka_unit_test(
		    test_french_numbers_take_a_comma_and_nothing_else_changes),
		cmocka_unit_test(
		    test_the_caption_says_who_kept_a_late_timer_waiting),
	};

	setlocale(LC_ALL, "C");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
