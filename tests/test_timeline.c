/* The timeline model: a pure fold of the trace. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
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
add_create(struct timeline *tl, uint32_t task, vtime_t t, uint32_t seq)
{
	struct trace_event	ev = { 0 };

	ev.type = TRACE_TASK_CREATE;
	ev.task = task;
	ev.text = "t()";
	ev.vtime = t;
	ev.seq = seq;
	timeline_add(tl, &ev);
}

static void
add_state(struct timeline *tl, uint32_t task, enum task_state st, vtime_t t,
    uint32_t seq)
{
	struct trace_event	ev = ev_state(task, st, t, seq);

	timeline_add(tl, &ev);
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
		const struct tl_task	*ta = &a->tasks[i], *tb = &b->tasks[i];
		const struct tl_more	*ma = timeline_more(ta);
		const struct tl_more	*mb = timeline_more(tb);

		assert_int_equal(ta->state, tb->state);
		assert_int_equal(ta->reason, tb->reason);
		assert_int_equal(timeline_created(ta), timeline_created(tb));
		assert_int_equal(ta->since, tb->since);
		assert_int_equal(ma->due, mb->due);
		assert_int_equal(ta->nsegs, tb->nsegs);
		for (j = 0; j < ta->nsegs; j++) {
			assert_int_equal(ta->segs[j].start, tb->segs[j].start);
			assert_int_equal(ta->segs[j].end, tb->segs[j].end);
			assert_int_equal(ta->segs[j].state, tb->segs[j].state);
			assert_int_equal(ta->segs[j].reason,
			    tb->segs[j].reason);
		}
		assert_int_equal(ma->timers_fired, mb->timers_fired);
		assert_int_equal(ma->max_late, mb->max_late);
		assert_int_equal(ma->error == NULL, mb->error == NULL);
		if (ma->error != NULL)
			assert_string_equal(ma->error, mb->error);
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

/*
 * A thread the interpreter's exit reaps tells its states after the
 * program's end (told, but stamped at the end's total): in the log's
 * order the end comes first, and folded so (a playhead's model) no lane
 * runs on past it, as none does folded as they came.
 */
static void
test_no_lane_runs_past_its_variants_end(void **state)
{
	struct timeline		*tl = timeline_new(0), *shown;
	struct trace_event	 ev = { 0 };
	const struct tl_task	*t;
	size_t			 k;
	int			 pass;

	(void)state;
	add_create(tl, 1, 0, 1);
	add_state(tl, 1, TASK_BLOCKED, 0, 2);
	add_state(tl, 1, TASK_RUNNING, SEC(1.2), 3);
	add_state(tl, 1, TASK_DONE, SEC(1.3), 4);
	add_create(tl, 2, 0, 5);
	add_state(tl, 2, TASK_BLOCKED, 0, 6);
	add_state(tl, 2, TASK_RUNNING, SEC(1.25), 7);
	ev.type = TRACE_VARIANT_END;
	ev.vtime = SEC(1);
	ev.seq = 8;
	trace_set_end(&ev, SEC(1), 0);
	timeline_add(tl, &ev);
	/* As they came, then in the log's order (the end first). */
	for (pass = 0; pass < 2; pass++) {
		shown = pass == 0 ? tl : timeline_prefix(tl, tl->nlog);
		assert_true(shown->v[0].ended);
		for (k = 1; k <= 2; k++) {
			t = timeline_task(&shown->v[0], (uint32_t)k);
			assert_non_null(t);
			assert_true(t->segs[t->nsegs - 1].end != VTIME_NEVER);
			assert_true(t->segs[t->nsegs - 1].end <= SEC(1.3));
		}
		if (pass > 0)
			timeline_free(shown);
	}
	timeline_free(tl);
}

static void
test_the_log_is_ordered_by_virtual_time(void **state)
{
	struct timeline		*tl = tu_run_demo("gather", NULL, 0);
	struct trace_event	 a, b;
	size_t			 i;

	(void)state;
	for (i = 1; i < tl->nlog; i++) {
		timeline_event(tl, i - 1, &a);
		timeline_event(tl, i, &b);
		assert_true(a.vtime <= b.vtime);
		if (a.vtime == b.vtime && a.variant == b.variant)
			assert_true(a.seq < b.seq);
	}
	timeline_free(tl);
}

/* A clock event of the session, at t. */
static void
add_clock(struct timeline *tl, vtime_t t, int64_t speed_milli)
{
	struct trace_event	ev = { 0 };

	ev.type = TRACE_CLOCK;
	ev.variant = TIMELINE_CONTROL;
	ev.vtime = t;
	ev.a = speed_milli;
	timeline_add(tl, &ev);
}

/*
 * The session's events go first at their instant: the variants' events
 * that follow one at the same time go at the tail, no insert; a session
 * event that comes after them at their instant goes before them.
 */
static void
test_session_events_go_first_at_their_instant(void **state)
{
	struct timeline		*tl = timeline_new(0);
	struct trace_event	 ev;
	size_t			 i;

	(void)state;
	assert_non_null(tl);
	add_clock(tl, 0, 1000);
	add_create(tl, 1, 0, 0);
	add_state(tl, 1, TASK_READY, 0, 1);
	add_state(tl, 1, TASK_RUNNING, 0, 2);
	assert_int_equal(tl->nlog, 4);
	assert_int_equal(tl->log_inserts, 0);
	add_state(tl, 1, TASK_WAITING_TIMER, VTIME_SEC, 3);
	add_clock(tl, 2 * VTIME_SEC, 2000);
	assert_int_equal(tl->log_inserts, 0);
	add_state(tl, 1, TASK_READY, 2 * VTIME_SEC, 4);
	assert_int_equal(tl->log_inserts, 0);
	/* A session event late at an instant the variant has written. */
	add_clock(tl, 0, 500);
	assert_int_equal(tl->log_inserts, 1);
	assert_int_equal(tl->nlog, 8);
	for (i = 0; i < tl->nlog; i++) {
		timeline_event(tl, i, &ev);
		if (i == 0 || i == 1 || i == 6)
			assert_int_equal(ev.variant, TIMELINE_CONTROL);
		else
			assert_int_equal(ev.variant, 0);
	}
	timeline_event(tl, 0, &ev);
	assert_int_equal(ev.a, 1000);
	timeline_event(tl, 1, &ev);
	assert_int_equal(ev.a, 500);
	timeline_event(tl, 5, &ev);
	assert_int_equal(ev.state, TASK_WAITING_TIMER);
	timeline_event(tl, 7, &ev);
	assert_int_equal(ev.state, TASK_READY);
	assert_int_equal(ev.vtime, 2 * VTIME_SEC);
	timeline_free(tl);
}

/*
 * At every loop turn, the queues the model derives from state changes
 * hold as many tasks as the loop itself said it had (its ready ones at
 * most as many: see below).
 */
static void
test_the_derived_queues_match_every_loop_turn(void **state)
{
	static const char *const demos[] = { "gather", "tasks" };
	uint32_t		 ids[64];
	size_t			 d, i, checked = 0, same = 0, ready;

	(void)state;
	for (d = 0; d < 2; d++) {
		struct timeline	*tl = tu_run_demo(demos[d], NULL, 0);

		for (i = 0; i < tl->nlog; i++) {
			struct trace_event logged, *ev = &logged;
			struct timeline	*p;

			timeline_event(tl, i, ev);
			if (ev->type != TRACE_LOOP_ITER)
				continue;
			p = timeline_prefix(tl, i + 1);
			/*
			 * The loop counts every callback it has ready, the
			 * model the tasks among them: a gather's callbacks
			 * as its children end are no task's.
			 */
			ready = timeline_ready(&p->v[ev->variant], ids, 64);
			assert_true(ready <= ev->n_ready);
			if (ready == ev->n_ready && ready > 0)
				same++;
			assert_int_equal(timeline_timers(&p->v[ev->variant],
			    ids, 64), ev->n_timers);
			timeline_free(p);
			checked++;
		}
		timeline_free(tl);
	}
	assert_true(checked >= 8);
	assert_true(same >= 4);
}

static void
test_the_ready_queue_is_in_scheduling_order(void **state)
{
	struct timeline		*tl = tu_run_demo("gather", NULL, 0);
	const struct tl_variant	*v;
	struct timeline		*p;
	struct trace_event	 ev;
	uint32_t		 ids[8];
	size_t			 i;

	(void)state;
	/* Just after the second loop turn of async began. */
	for (i = 0; i < tl->nlog; i++) {
		timeline_event(tl, i, &ev);
		if (ev.type == TRACE_LOOP_ITER && ev.a == 2)
			break;
	}
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
	struct trace_event	 ev;
	uint32_t		 ids[8];
	size_t			 i;

	(void)state;
	/* When calculation(5) starts holding the loop. */
	for (i = 0; i < tl->nlog; i++) {
		timeline_event(tl, i, &ev);
		if (ev.type == TRACE_TASK_STATE && ev.state == TASK_RUNNING &&
		    ev.reason == REASON_CPU && ev.variant == 1)
			break;
	}
	p = timeline_prefix(tl, i + 1);
	v = tu_variant(p, "async");
	assert_int_equal(timeline_timers(v, ids, 8), 1);
	assert_string_equal(timeline_task(v, ids[0])->name, "name()");
	assert_int_equal(timeline_more(timeline_task(v, ids[0]))->due, SEC(10));
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
	timeline_event(tl, tl->nlog - 1, &ev);
	assert_int_equal(ev.seq, 999);
	timeline_free(tl);
}

static int
cmp_logged(const void *a, const void *b)
{
	const struct trace_event	*x = a, *y = b;

	if (x->vtime != y->vtime)
		return x->vtime < y->vtime ? -1 : 1;
	/* The session's own events first at their instant. */
	if (x->variant != y->variant)
		return x->variant == TIMELINE_CONTROL ? -1 :
		    y->variant == TIMELINE_CONTROL ? 1 :
		    x->variant < y->variant ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The log holds the last tl->nlog of the n events of want, every field. */
static void
assert_log_gives_back(const struct timeline *tl, struct trace_event *want,
    size_t n)
{
	struct trace_event	got;
	size_t			k;

	assert_true(tl->nlog <= n);
	qsort(want, n, sizeof *want, cmp_logged);
	for (k = 0; k < tl->nlog; k++) {
		const struct trace_event *w = &want[n - tl->nlog + k];

		timeline_event(tl, k, &got);
		assert_int_equal(got.type, w->type);
		assert_int_equal(got.state, w->state);
		assert_int_equal(got.reason, w->reason);
		assert_int_equal(got.flags & ~TRACE_F_OWNED, w->flags);
		assert_int_equal(got.variant, w->variant);
		assert_int_equal(got.line, w->line);
		assert_int_equal(got.task, w->task);
		assert_int_equal(got.other, w->other);
		assert_int_equal(got.vtime, w->vtime);
		assert_int_equal(timeline_event_time(tl, k), w->vtime);
		assert_int_equal(got.rtime, w->rtime);
		assert_int_equal(got.a, w->a);
		assert_int_equal(got.b, w->b);
		assert_int_equal(got.n_ready, w->n_ready);
		assert_int_equal(got.n_timers, w->n_timers);
		assert_int_equal(got.n_io, w->n_io);
		assert_int_equal(got.seq, w->seq);
		if (w->text == NULL)
			assert_null(got.text);
		else
			assert_string_equal(got.text, w->text);
	}
}

/*
 * The log keeps events in a form of its own, a ring that drops its
 * oldest half at its limit: every field of every event kept comes back
 * as it went in, texts included, across drops and late events put
 * before the tail.
 */
static void
test_the_log_gives_back_every_field_of_every_event_kept(void **state)
{
	enum { N = 3000 };
	struct timeline		*tl = timeline_new(256);
	struct trace_event	*want, ev;
	char			 text[N][16];
	uint32_t		 seq[2] = { 0, 0 };
	size_t			 i;

	(void)state;
	want = calloc(N, sizeof *want);
	assert_non_null(want);
	for (i = 0; i < N; i++) {
		memset(&ev, 0, sizeof ev);
		ev.variant = i % 3 == 2 ? 1 : 0;
		ev.seq = seq[ev.variant]++;
		/* Variant 1 comes late: before the two events just added. */
		ev.vtime = (vtime_t)(i / 3 * 10) - (ev.variant ? 5 : 0) + 5;
		ev.rtime = (int64_t)(i / 4) * 1000;
		ev.task = (uint32_t)(i % 50) + 1;
		ev.line = (uint16_t)(i % 7);
		ev.other = (uint32_t)(i % 3);
		ev.a = (int64_t)(i % 4);
		snprintf(text[i], sizeof text[i], "line %zu", i);
		switch (i % 5) {
		case 0:
			ev.type = TRACE_TASK_STATE;
			ev.state = TASK_READY;
			ev.reason = REASON_YIELD;
			break;
		case 1:
			ev.type = TRACE_PRINT;
			ev.flags = TRACE_F_STDERR;
			ev.text = text[i];
			break;
		case 2:
			ev.type = TRACE_LOOP_ITER;
			ev.a = (int64_t)i;
			ev.n_ready = (uint32_t)(i % 5);
			ev.n_timers = (uint32_t)(i % 6);
			ev.n_io = (uint32_t)(i % 2);
			break;
		case 3:
			ev.type = TRACE_IO_PHASE;
			ev.state = PHASE_WAIT;
			ev.b = (int64_t)i * 2;
			break;
		default:
			ev.type = TRACE_TASK_CREATE;
			ev.text = "t()";
			break;
		}
		want[i] = ev;
		timeline_add(tl, &ev);
	}
	assert_int_equal(tl->nlog + tl->log_dropped, N);
	assert_true(tl->nlog <= 256 && tl->nlog > 100);
	assert_true(tl->log_inserts > 0);
	assert_log_gives_back(tl, want, N);
	free(want);
	timeline_free(tl);
}

/*
 * The state changes of one loop turn take 16 bytes each in the log: they
 * share everything but their entry. A run too long for one record goes
 * on in another, and every field comes back.
 */
static void
test_the_log_keeps_the_events_of_a_turn_in_16_bytes(void **state)
{
	enum { M = 1 << 16, N = 2 * M + 10 };
	struct timeline		*tl = timeline_new(4 * M);
	struct trace_event	*want, ev;
	size_t			 i, before = 0;

	(void)state;
	want = calloc(N, sizeof *want);
	assert_non_null(want);
	for (i = 0; i < N; i++) {
		if (i == 1)
			before = timeline_bytes(tl);
		if (i == M)	/* the ring's M entries, and little else */
			assert_true(timeline_bytes(tl) - before < 17 * M);
		if (i == 0) {
			memset(&ev, 0, sizeof ev);
			ev.type = TRACE_TASK_CREATE;
			ev.task = 1;
			ev.text = "t()";
		} else
			ev = ev_state(1, i % 2 ? TASK_READY : TASK_RUNNING,
			    SEC(1), (uint32_t)i);
		ev.rtime = 77;
		ev.line = (uint16_t)(i % 5);
		want[i] = ev;
		timeline_add(tl, &ev);
	}
	assert_int_equal(tl->nlog, N);
	assert_log_gives_back(tl, want, N);
	free(want);
	timeline_free(tl);
}

/*
 * Events unlike their turn's: each with a time of its own (the real
 * clock), with a or other set, the session's own, those of a variant
 * past the model's, texts, across drops of the oldest half and events put
 * before the tail: every field comes back.
 */
static void
test_the_log_gives_back_events_unlike_their_turn(void **state)
{
	enum { N = 20000 };
	struct timeline		*tl = timeline_new(4096);
	struct trace_event	*want, ev;
	uint32_t		 seq[3] = { 0, 0, 0 };
	size_t			 i, vi;

	(void)state;
	want = calloc(N, sizeof *want);
	assert_non_null(want);
	for (i = 0; i < N; i++) {
		memset(&ev, 0, sizeof ev);
		ev.type = TRACE_TASK_STATE;
		ev.state = TASK_READY;
		ev.task = (uint32_t)(i % 9) + 1;
		ev.rtime = (int64_t)(i / 100);
		if (i % 97 == 0) {
			/* The session's: at the instant a variant is at. */
			ev.variant = TIMELINE_CONTROL;
			ev.type = TRACE_CLOCK;
			ev.task = 0;
			ev.a = 1000;
			ev.flags = i % 2 ? TRACE_F_PAUSED : 0;
			ev.vtime = (vtime_t)(i / 1000 * 1000);
			vi = 2;
		} else if (i % 3 == 0) {
			/* Past the model's variants: the log keeps it. */
			ev.variant = TRACE_MAX_VARIANTS;
			ev.vtime = (vtime_t)(i / 1000 * 1000);
			vi = 2;
		} else if (i % 3 == 1) {
			/* Real clock: a time of its own; some with a, other. */
			ev.variant = 0;
			ev.vtime = (vtime_t)i;
			ev.a = i % 7 == 0 ? (int64_t)i * 3 : 0;
			ev.other = i % 11 == 0 ? (uint32_t)(i % 5) + 1 : 0;
			vi = 0;
		} else {
			/*
			 * One instant a turn, late: before the others; each
			 * with a record of its own (moving the table on).
			 */
			ev.variant = 1;
			ev.vtime = (vtime_t)(i / 1000 * 1000);
			ev.rtime = (int64_t)i;
			if (i % 17 == 0) {
				ev.type = TRACE_PRINT;
				ev.state = 0;
				ev.text = i % 2 ? "odd" : "even";
			}
			vi = 1;
		}
		ev.seq = seq[vi]++;
		want[i] = ev;
		timeline_add(tl, &ev);
		/* Also between drops: the side tables moved under the log. */
		if (i % 250 == 249)
			assert_log_gives_back(tl, want, i + 1);
	}
	assert_int_equal(tl->nlog + tl->log_dropped, N);
	assert_true(tl->log_inserts > 0);
	assert_log_gives_back(tl, want, N);
	free(want);
	timeline_free(tl);
}

/*
 * A lane keeps its first segment in itself, also after the array of lanes
 * moved as it grew; its second one sends them all to an array of its own.
 */
/* Two models hold the same lanes, segment by segment. */
static void
assert_same_lanes(const struct timeline *a, const struct timeline *b)
{
	const struct tl_variant	*va, *vb;
	const struct tl_task	*ta, *tb;
	size_t			 i, j, k;

	assert_int_equal(a->nvariants, b->nvariants);
	assert_true(a->now == b->now);
	for (i = 0; i < a->nvariants; i++) {
		va = &a->v[i];
		vb = &b->v[i];
		assert_int_equal(va->ntasks, vb->ntasks);
		assert_int_equal(va->nevents, vb->nevents);
		assert_int_equal(va->running, vb->running);
		assert_int_equal(va->iteration, vb->iteration);
		for (j = 0; j < va->ntasks; j++) {
			ta = &va->tasks[j];
			tb = &vb->tasks[j];
			assert_int_equal(ta->state, tb->state);
			assert_int_equal(ta->reason, tb->reason);
			assert_int_equal(ta->line, tb->line);
			assert_true(ta->since == tb->since);
			assert_int_equal(ta->ready_order, tb->ready_order);
			assert_int_equal(ta->nsegs, tb->nsegs);
			for (k = 0; k < ta->nsegs; k++) {
				assert_true(ta->segs[k].start ==
				    tb->segs[k].start);
				assert_true(ta->segs[k].end == tb->segs[k].end);
				assert_int_equal(ta->segs[k].state,
				    tb->segs[k].state);
				assert_int_equal(ta->segs[k].reason,
				    tb->segs[k].reason);
			}
			assert_true(timeline_more(ta)->due ==
			    timeline_more(tb)->due);
		}
	}
}

/*
 * What a session's reader does (timeline_add_many, in batches, most
 * changes of state joining the run of the event before them in line)
 * gives the model and the log one event at a time gives: runs broken by
 * another other, an a, the loop's counts, a new real time, another
 * variant at the same instant, a late event put before the tail, a run
 * longer than a record's seqs, and drops of the oldest half.
 */
static void
test_a_batch_folds_and_logs_as_one_event_at_a_time_does(void **state)
{
	enum { N = 150000, TASKS = 40 };
	struct timeline		*one = timeline_new(30000);
	struct timeline		*many = timeline_new(30000);
	struct trace_event	*want, ev, batch[64];
	uint32_t		 seq[2] = { 0, 0 }, rnd = 12345;
	vtime_t			 now = 0;
	int64_t			 rtime = 0;
	size_t			 i, nb = 0, v, t;

	(void)state;
	want = calloc(N, sizeof *want);
	assert_non_null(want);
	for (i = 0; i < N; i++) {
		rnd = rnd * 1103515245u + 12345u;
		memset(&ev, 0, sizeof ev);
		v = (rnd >> 20) % 50 == 0 ? 1 : 0;
		if (i < 2 * TASKS) {
			/* Each variant's lanes first. */
			v = i / TASKS;
			ev.type = TRACE_TASK_CREATE;
			ev.task = (uint32_t)(i % TASKS) + 1;
			ev.text = "w()";
		} else {
			ev.type = TRACE_TASK_STATE;
			ev.task = (uint32_t)((rnd >> 8) % TASKS) + 1;
			ev.state = (rnd >> 4) % 3 == 0 ? TASK_RUNNING :
			    (rnd >> 4) % 3 == 1 ? TASK_READY :
			    TASK_WAITING_TIMER;
			ev.reason = (uint8_t)((rnd >> 12) % 4);
			ev.line = (uint16_t)((rnd >> 16) % 9);
			if ((rnd >> 24) % 40 == 0)
				ev.other = (rnd >> 24) % 3;
			/* Rare fields, each alone: b and the loop's counts. */
			if ((rnd >> 5) % 301 == 0)
				ev.b = 7;
			else if ((rnd >> 5) % 301 == 1)
				ev.n_ready = 1;
			else if ((rnd >> 5) % 301 == 2)
				ev.n_timers = 2;
			else if ((rnd >> 5) % 301 == 3)
				ev.n_io = 3;
			if (ev.state == TASK_WAITING_TIMER)
				ev.a = now + 1000;
			if ((rnd >> 26) % 64 == 0) {
				ev.type = TRACE_LOOP_ITER;
				ev.task = 0;
				ev.a = (int64_t)i;
				ev.n_ready = (uint32_t)(i % 7);
			}
		}
		/* Time moves now and then; runs of one instant between. */
		if (i > 2 * TASKS && (rnd >> 28) == 0)
			now += 1000;
		if ((rnd >> 27) % 16 == 1)
			rtime++;
		ev.vtime = now;
		if (v == 1 && (rnd >> 3) % 4 == 0 && now >= 500)
			ev.vtime = now - 500;	/* late: before the tail */
		ev.rtime = rtime;
		ev.variant = (uint16_t)v;
		/* Now and then variant 1 numbers on from variant 0's tail. */
		if (v == 1 && seq[1] < seq[0] && (rnd >> 6) % 2 == 0)
			seq[1] = seq[0];
		ev.seq = seq[v]++;
		want[i] = ev;
		timeline_add(one, &ev);
		batch[nb++] = want[i];
		if (nb == 64 || nb > (rnd >> 9) % 64 || i == N - 1) {
			timeline_add_many(many, batch, nb);
			nb = 0;
		}
		/* Never more kept than the limit, runs or not. */
		assert_true(one->nlog <= one->log_limit);
		assert_true(many->nlog <= many->log_limit);
		if (i % 20000 == 19999) {
			timeline_add_many(many, batch, nb);
			nb = 0;
			assert_int_equal(many->nlog, one->nlog);
			assert_same_lanes(one, many);
		}
	}
	assert_true(one->log_dropped > 0 && one->log_inserts > 0);
	assert_int_equal(many->nlog, one->nlog);
	assert_int_equal(many->log_dropped, one->log_dropped);
	assert_int_equal(many->log_inserts, one->log_inserts);
	assert_same_lanes(one, many);
	assert_log_gives_back(many, want, N);
	assert_log_gives_back(one, want, N);
	for (t = 0; t < many->nlog; t++)
		assert_true(timeline_event_time(many, t) ==
		    timeline_event_time(one, t));
	free(want);
	timeline_free(one);
	timeline_free(many);
}

/*
 * A late event that drops the oldest half and moves the side table down,
 * while the tail is in a run: the run goes on with its own record.
 */
static void
test_a_drop_that_moves_the_records_keeps_the_tail_s_run(void **state)
{
	enum { L = 64, N = 110 };
	struct timeline		*tl = timeline_new(L);
	struct trace_event	 want[N], ev;
	uint32_t		 seq = 0;
	size_t			 i, n = 0;

	(void)state;
	/* L - 3 events, a record each (a real time each)... */
	for (i = 0; i < L - 3; i++, n++) {
		want[n] = ev_state(1, TASK_READY, (vtime_t)i, seq++);
		want[n].rtime = (int64_t)i;
	}
	/* ...then the start of a run at t = 100: the newest record. */
	for (i = 0; i < 3; i++, n++) {
		want[n] = ev_state(1, i % 2 ? TASK_RUNNING : TASK_READY, 100,
		    seq++);
		want[n].rtime = 1000;
	}
	for (i = 0; i < n; i++) {
		ev = want[i];
		timeline_add(tl, &ev);
	}
	assert_int_equal(tl->nlog, L);
	/*
	 * Variant 1, late: put before the run, and over the limit; then
	 * more of it, a record each, filling the moved table's places past
	 * where the run's record was.
	 */
	for (i = 0; i < 32; i++, n++) {
		want[n] = ev_state(2, TASK_READY, 50 + (vtime_t)i, (uint32_t)i);
		want[n].variant = 1;
		want[n].rtime = 5000 + (int64_t)i;
		ev = want[n];
		timeline_add(tl, &ev);
		assert_int_equal(tl->log_dropped, L / 2 + 1);
	}
	/* The run goes on. */
	for (i = 0; i < 5; i++, n++) {
		want[n] = ev_state(1, i % 2 ? TASK_READY : TASK_RUNNING, 100,
		    seq++);
		want[n].rtime = 1000;
		ev = want[n];
		timeline_add_many(tl, &ev, 1);
	}
	assert_log_gives_back(tl, want, n);
	timeline_free(tl);
}

/*
 * One run of a turn's changes of state, longer than a record's 65,536
 * seqs, fed in batches: it goes on in a new record, and every field
 * comes back.
 */
static void
test_a_long_run_in_batches_goes_on_past_a_record(void **state)
{
	enum { N = 3 * 65536 + 100 };
	struct timeline		*tl = timeline_new(4 * 65536);
	struct trace_event	*want, batch[256];
	size_t			 i, n, ring = 256;

	(void)state;
	want = calloc(N, sizeof *want);
	assert_non_null(want);
	while (ring < N)
		ring *= 2;	/* the log's entries: a power of two */
	want[0].type = TRACE_TASK_CREATE;
	want[0].task = 1;
	want[0].text = "t()";
	for (i = 1; i < N; i++) {
		want[i] = ev_state(1, i % 2 ? TASK_READY : TASK_RUNNING,
		    SEC(2), (uint32_t)i);
		want[i].rtime = 5;
		want[i].line = (uint16_t)(i % 3);
	}
	for (i = 0; i < N; i += 256) {
		/* The model takes the texts: it gets a copy of the events. */
		n = N - i < 256 ? N - i : 256;
		memcpy(batch, want + i, n * sizeof *batch);
		timeline_add_many(tl, batch, n);
	}
	assert_int_equal(tl->nlog, N);
	/* Little more than the entries: the run shares its records. */
	assert_true(timeline_bytes(tl) < 16 * ring + (1 << 16));
	assert_log_gives_back(tl, want, N);
	free(want);
	timeline_free(tl);
}

static void
test_first_segments_follow_their_lanes_as_the_lanes_grow(void **state)
{
	struct timeline		*tl = timeline_new(0);
	const struct tl_task	*t;
	uint32_t		 i, n = 1000, seq = 0;

	(void)state;
	for (i = 1; i <= n; i++) {
		add_create(tl, i, SEC(i), seq++);
		add_state(tl, i, TASK_READY, SEC(i), seq++);
		if (i % 3 == 0)
			add_state(tl, i, TASK_RUNNING, SEC(i) + 1, seq++);
	}
	assert_int_equal(tl->v[0].ntasks, n);
	for (i = 1; i <= n; i++) {
		t = timeline_task(&tl->v[0], i);
		assert_int_equal(timeline_created(t), SEC(i));
		assert_int_equal(t->segs[0].start, SEC(i));
		assert_int_equal(t->segs[0].state, TASK_READY);
		if (i % 3 != 0) {
			assert_int_equal(t->nsegs, 1);
			assert_ptr_equal(t->segs, &t->seg0);
			assert_int_equal(t->segs[0].end, VTIME_NEVER);
			continue;
		}
		assert_int_equal(t->nsegs, 2);
		assert_ptr_not_equal(t->segs, &t->seg0);
		assert_int_equal(t->segs[0].end, SEC(i) + 1);
		assert_int_equal(t->segs[1].start, SEC(i) + 1);
		assert_int_equal(t->segs[1].state, TASK_RUNNING);
		assert_int_equal(timeline_state_at(t, SEC(i)), TASK_READY);
		assert_int_equal(timeline_state_at(t, SEC(i) + 1),
		    TASK_RUNNING);
	}
	timeline_free(tl);
}

/* A first segment undone by an earlier instant keeps the creation time. */
static void
test_a_lane_keeps_when_it_was_created_whatever_its_segments(void **state)
{
	struct timeline		*tl = timeline_new(0);
	const struct tl_task	*t;

	(void)state;
	add_create(tl, 1, SEC(5), 0);
	add_state(tl, 1, TASK_READY, SEC(3), 1);
	t = timeline_task(&tl->v[0], 1);
	assert_int_equal(timeline_created(t), SEC(5));
	assert_int_equal(t->nsegs, 1);
	assert_int_equal(t->segs[0].start, SEC(3));
	assert_int_equal(t->segs[0].state, TASK_READY);
	assert_int_equal(timeline_state_at(t, SEC(3)), TASK_READY);
	assert_int_equal(timeline_state_at(t, SEC(2)), TASK_NSTATES);
	timeline_free(tl);
}

/*
 * A lane through a thousand states, some of them undone at once (which
 * shrinks its count of segments across the steps its array grows by):
 * every segment is kept, end to end, and the time in each state is the
 * sum of the gaps between the events that entered it.
 */
static void
test_a_lane_in_many_states_keeps_every_segment(void **state)
{
	struct timeline		*tl = timeline_new(0);
	const struct tl_task	*t;
	vtime_t			 want[TASK_NSTATES] = { 0 }, now = 0;
	enum task_state		 cur = TASK_CREATED, st;
	uint32_t		 i, seq = 0;
	size_t			 j;

	(void)state;
	add_create(tl, 1, 0, seq++);
	for (i = 0; i < 1000; i++) {
		st = i % 2 ? TASK_RUNNING : TASK_READY;
		/* Blinks: away and back at one instant, leaving no trace. */
		if (i % 7 == 3) {
			add_state(tl, 1, TASK_WAITING_TIMER, now, seq++);
			add_state(tl, 1, cur, now, seq++);
		} else if (i % 7 == 5) {
			/* Back to the state before: one segment fewer. */
			add_state(tl, 1, st, now, seq++);
			add_state(tl, 1, cur, now, seq++);
		}
		add_state(tl, 1, st, now + SEC(1), seq++);
		want[cur] += SEC(1);
		now += SEC(1);
		cur = st;
	}
	t = timeline_task(&tl->v[0], 1);
	assert_int_equal(t->state, cur);
	assert_int_equal(t->segs[t->nsegs - 1].end, VTIME_NEVER);
	for (j = 1; j < t->nsegs; j++) {
		assert_int_equal(t->segs[j - 1].end, t->segs[j].start);
		assert_true(t->segs[j - 1].start < t->segs[j].start);
		assert_int_not_equal(t->segs[j - 1].state, t->segs[j].state);
	}
	for (j = 0; j < TASK_NSTATES; j++)
		assert_int_equal(timeline_time_in(t, (enum task_state)j, now),
		    want[j]);
	assert_int_equal(timeline_state_at(t, SEC(0.5)), TASK_CREATED);
	assert_int_equal(timeline_state_at(t, SEC(1.5)), TASK_READY);
	assert_int_equal(timeline_state_at(t, SEC(2)), TASK_RUNNING);
	assert_int_equal(timeline_state_at(t, now), cur);
	timeline_free(tl);
}

/* What few lanes have reads as nothing on the others. */
static void
test_a_lane_without_failure_fetch_or_timer_reads_as_none(void **state)
{
	struct timeline		*tl = timeline_new(0);
	struct trace_event	 ev = { 0 };
	const struct tl_more	*m;

	(void)state;
	add_create(tl, 1, 0, 0);
	add_create(tl, 2, 0, 1);
	ev.type = TRACE_TIMER_FIRE;
	ev.task = 2;
	ev.a = SEC(1);
	ev.vtime = SEC(1.25);
	ev.seq = 2;
	timeline_add(tl, &ev);
	ev = ev_state(2, TASK_FAILED, SEC(1.25), 3);
	ev.text = "boom";
	timeline_add(tl, &ev);
	m = timeline_more(timeline_task(&tl->v[0], 1));
	assert_null(m->error);
	assert_null(m->phases);
	assert_int_equal(m->nphases, 0);
	assert_int_equal(m->http_status, 0);
	assert_int_equal(m->timers_fired, 0);
	assert_int_equal(m->max_late, 0);
	m = timeline_more(timeline_task(&tl->v[0], 2));
	assert_string_equal(m->error, "boom");
	assert_int_equal(m->timers_fired, 1);
	assert_int_equal(m->max_late, SEC(0.25));
	timeline_free(tl);
}

/*
 * A big fan-out whose lanes end where they began costs its array of lanes
 * and nothing per lane besides.
 */
static void
test_a_fan_out_of_one_segment_lanes_allocates_nothing_per_lane(void **state)
{
	struct timeline		*tl = timeline_new(100);
	size_t			 before;
	uint32_t		 i, n = 4096, seq = 0;

	(void)state;
	assert_true(sizeof(struct tl_task) <= 72);
	add_create(tl, 1, 0, seq++);
	before = timeline_bytes(tl) - tl->v[0].tasks_cap *
	    sizeof(struct tl_task);
	add_state(tl, 1, TASK_DONE, 0, seq++);
	for (i = 2; i <= n; i++) {
		add_create(tl, i, 0, seq++);
		add_state(tl, i, TASK_READY, 0, seq++);
		add_state(tl, i, TASK_RUNNING, 0, seq++);
		add_state(tl, i, TASK_READY, 0, seq++);
		add_state(tl, i, TASK_RUNNING, 0, seq++);
		add_state(tl, i, TASK_DONE, 0, seq++);
	}
	assert_int_equal(tl->v[0].tasks_cap, n);
	assert_int_equal(timeline_bytes(tl),
	    before + n * sizeof(struct tl_task));
	timeline_free(tl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_segments_that_last_no_time_are_folded_away),
		cmocka_unit_test(test_the_whole_log_replayed_gives_the_same_model),
		cmocka_unit_test(test_no_lane_runs_past_its_variants_end),
		cmocka_unit_test(test_the_log_is_ordered_by_virtual_time),
		cmocka_unit_test(test_session_events_go_first_at_their_instant),
		cmocka_unit_test(test_the_derived_queues_match_every_loop_turn),
		cmocka_unit_test(test_the_ready_queue_is_in_scheduling_order),
		cmocka_unit_test(test_timers_are_listed_by_due_time),
		cmocka_unit_test(test_a_log_over_its_limit_drops_its_oldest_events),
		cmocka_unit_test(
		    test_the_log_gives_back_every_field_of_every_event_kept),
		cmocka_unit_test(
		    test_the_log_keeps_the_events_of_a_turn_in_16_bytes),
		cmocka_unit_test(
		    test_the_log_gives_back_events_unlike_their_turn),
		cmocka_unit_test(
		    test_a_batch_folds_and_logs_as_one_event_at_a_time_does),
		cmocka_unit_test(
		    test_a_long_run_in_batches_goes_on_past_a_record),
		cmocka_unit_test(
		    test_a_drop_that_moves_the_records_keeps_the_tail_s_run),
		cmocka_unit_test(
		    test_first_segments_follow_their_lanes_as_the_lanes_grow),
		cmocka_unit_test(
		    test_a_lane_keeps_when_it_was_created_whatever_its_segments),
		cmocka_unit_test(test_a_lane_in_many_states_keeps_every_segment),
		cmocka_unit_test(
		    test_a_lane_without_failure_fetch_or_timer_reads_as_none),
		cmocka_unit_test(
		    test_a_fan_out_of_one_segment_lanes_allocates_nothing_per_lane),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
