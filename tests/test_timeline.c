/* The timeline model: a pure fold of the trace. */
#include "config.h"

#include <string.h>

#include "testutil.h"

static struct trace_event
ev_state(uint32_t task, enum task_state st, vtime_t t, uint32_t seq)
{
	struct trace_event	ev = { 0 };

	ev.type = TRACE_TASK_STATE;
	ev.task = task;
	ev.state = st;
	ev.vtime = t;
	ev.seq = seq;
	return ev;
}

static void
test_segments_that_last_no_time_are_folded_away(void **state)
{
	struct timeline		*tl = timeline_new(0);
	struct trace_event	 ev = { 0 };
	const struct tl_task	*t;
	static const enum task_state seq[] = { TASK_READY, TASK_RUNNING,
	    TASK_WAITING_TIMER, TASK_READY, TASK_RUNNING, TASK_READY,
	    TASK_RUNNING, TASK_DONE };
	static const vtime_t at[] = { 0, 0, 0, SEC(10), SEC(10), SEC(12),
	    SEC(12), SEC(13) };
	size_t			 i;

	(void)state;
	ev.type = TRACE_TASK_CREATE;
	ev.task = 1;
	ev.text = "t()";
	timeline_add(tl, &ev);
	for (i = 0; i < sizeof seq / sizeof seq[0]; i++) {
		ev = ev_state(1, seq[i], at[i], (uint32_t)i + 1);
		timeline_add(tl, &ev);
	}
	t = timeline_task(&tl->v[0], 1);
	/* waiting [0,10), running [10,13) despite the yield at 12, done. */
	assert_int_equal(t->nsegs, 3);
	assert_int_equal(t->segs[0].state, TASK_WAITING_TIMER);
	assert_int_equal(t->segs[0].end, SEC(10));
	assert_int_equal(t->segs[1].state, TASK_RUNNING);
	assert_int_equal(t->segs[1].start, SEC(10));
	assert_int_equal(t->segs[1].end, SEC(13));
	assert_int_equal(t->segs[2].state, TASK_DONE);
	assert_int_equal(timeline_time_in(t, TASK_RUNNING, SEC(20)), SEC(3));
	assert_int_equal(timeline_state_at(t, SEC(9.99)), TASK_WAITING_TIMER);
	assert_int_equal(timeline_state_at(t, SEC(10)), TASK_RUNNING);
	assert_int_equal(timeline_state_at(t, SEC(13)), TASK_DONE);
	timeline_free(tl);
}

/* Everything a view reads from a variant, compared field by field. */
static void
assert_same_variant(const struct tl_variant *a, const struct tl_variant *b)
{
	size_t	i, j;

	assert_string_equal(a->name, b->name);
	assert_int_equal(a->total, b->total);
	assert_int_equal(a->iteration, b->iteration);
	assert_int_equal(a->ntasks, b->ntasks);
	assert_int_equal(a->nout, b->nout);
	for (i = 0; i < a->nout; i++) {
		assert_string_equal(a->out[i].text, b->out[i].text);
		assert_int_equal(a->out[i].vtime, b->out[i].vtime);
	}
	for (i = 0; i < a->ntasks; i++) {
		assert_int_equal(a->tasks[i].state, b->tasks[i].state);
		assert_int_equal(a->tasks[i].nsegs, b->tasks[i].nsegs);
		for (j = 0; j < a->tasks[i].nsegs; j++) {
			assert_int_equal(a->tasks[i].segs[j].start,
			    b->tasks[i].segs[j].start);
			assert_int_equal(a->tasks[i].segs[j].end,
			    b->tasks[i].segs[j].end);
			assert_int_equal(a->tasks[i].segs[j].state,
			    b->tasks[i].segs[j].state);
		}
	}
}

static void
test_the_whole_log_replayed_gives_the_same_model(void **state)
{
	struct timeline	*tl = tu_run_demo("tasks", NULL, 0);
	struct timeline	*again = timeline_prefix(tl, tl->nlog);
	size_t		 i;

	(void)state;
	assert_int_equal(again->nvariants, tl->nvariants);
	for (i = 0; i < tl->nvariants; i++)
		assert_same_variant(&tl->v[i], &again->v[i]);
	timeline_free(again);
	timeline_free(tl);
}

static void
test_the_log_is_ordered_by_virtual_time(void **state)
{
	struct timeline	*tl = tu_run_demo("gather", NULL, 0);
	size_t		 i;

	(void)state;
	for (i = 1; i < tl->nlog; i++) {
		assert_true(tl->log[i - 1].vtime <= tl->log[i].vtime);
		if (tl->log[i - 1].vtime == tl->log[i].vtime &&
		    tl->log[i - 1].variant == tl->log[i].variant)
			assert_true(tl->log[i - 1].seq < tl->log[i].seq);
	}
	timeline_free(tl);
}

/*
 * At every loop turn, the queues the model derives from state changes
 * hold as many tasks as the loop itself said it had.
 */
static void
test_the_derived_queues_match_every_loop_turn(void **state)
{
	static const char *const demos[] = { "gather", "tasks" };
	uint32_t		 ids[64];
	size_t			 d, i, checked = 0;

	(void)state;
	for (d = 0; d < 2; d++) {
		struct timeline	*tl = tu_run_demo(demos[d], NULL, 0);

		for (i = 0; i < tl->nlog; i++) {
			const struct trace_event *ev = &tl->log[i];
			struct timeline	*p;

			if (ev->type != TRACE_LOOP_ITER)
				continue;
			p = timeline_prefix(tl, i + 1);
			assert_int_equal(timeline_ready(&p->v[ev->variant],
			    ids, 64), ev->n_ready);
			assert_int_equal(timeline_timers(&p->v[ev->variant],
			    ids, 64), ev->n_timers);
			timeline_free(p);
			checked++;
		}
		timeline_free(tl);
	}
	assert_true(checked >= 8);
}

static void
test_the_ready_queue_is_in_scheduling_order(void **state)
{
	struct timeline		*tl = tu_run_demo("gather", NULL, 0);
	const struct tl_variant	*v;
	struct timeline		*p;
	uint32_t		 ids[8];
	size_t			 i;

	(void)state;
	/* Just after the second loop turn of async began. */
	for (i = 0; i < tl->nlog; i++)
		if (tl->log[i].type == TRACE_LOOP_ITER && tl->log[i].a == 2)
			break;
	p = timeline_prefix(tl, i + 1);
	v = tu_variant(p, "async");
	assert_int_equal(timeline_ready(v, ids, 8), 3);
	assert_string_equal(timeline_task(v, ids[0])->name,
	    "name_async('Daniel')");
	assert_string_equal(timeline_task(v, ids[1])->name,
	    "name_async('Donna')");
	assert_string_equal(timeline_task(v, ids[2])->name,
	    "name_async('Diane')");
	timeline_free(p);
	timeline_free(tl);
}

static void
test_timers_are_listed_by_due_time(void **state)
{
	struct timeline		*tl = tu_run_demo("tasks", NULL, 0);
	const struct tl_variant	*v;
	struct timeline		*p;
	uint32_t		 ids[8];
	size_t			 i;

	(void)state;
	/* When calculation(5) starts holding the loop. */
	for (i = 0; i < tl->nlog; i++)
		if (tl->log[i].type == TRACE_TASK_STATE &&
		    tl->log[i].state == TASK_BLOCKED && tl->log[i].variant == 1)
			break;
	p = timeline_prefix(tl, i + 1);
	v = tu_variant(p, "async");
	assert_int_equal(timeline_timers(v, ids, 8), 1);
	assert_string_equal(timeline_task(v, ids[0])->name, "name()");
	assert_int_equal(timeline_task(v, ids[0])->due, SEC(10));
	assert_string_equal(timeline_task(v, v->running)->name,
	    "calculation(5)");
	timeline_free(p);
	timeline_free(tl);
}

static void
test_a_log_over_its_limit_drops_its_oldest_events(void **state)
{
	struct timeline		*tl = timeline_new(100);
	struct trace_event	 ev;
	uint32_t		 i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		ev = ev_state(1, TASK_READY, (vtime_t)i, i);
		timeline_add(tl, &ev);
	}
	assert_true(tl->nlog <= 100);
	assert_int_equal(tl->nlog + tl->log_dropped, 1000);
	assert_int_equal(tl->log[tl->nlog - 1].seq, 999);
	timeline_free(tl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_segments_that_last_no_time_are_folded_away),
		cmocka_unit_test(test_the_whole_log_replayed_gives_the_same_model),
		cmocka_unit_test(test_the_log_is_ordered_by_virtual_time),
		cmocka_unit_test(test_the_derived_queues_match_every_loop_turn),
		cmocka_unit_test(test_the_ready_queue_is_in_scheduling_order),
		cmocka_unit_test(test_timers_are_listed_by_due_time),
		cmocka_unit_test(test_a_log_over_its_limit_drops_its_oldest_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
