/* Questions views ask of the timeline model; nothing here changes it. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "program.h"
#include "timeline.h"

/* Every variant that started has ended. */
bool
timeline_finished(const struct timeline *tl)
{
	size_t	i;

	if (tl->nvariants == 0)
		return false;
	for (i = 0; i < tl->nvariants; i++)
		if (!tl->v[i].ended)
			return false;
	return true;
}

/* An event loop may turn again: an asynchronous variant has not ended. */
bool
timeline_loop_open(const struct timeline *tl)
{
	size_t	i;

	for (i = 0; i < tl->nvariants; i++)
		if (tl->v[i].started && !tl->v[i].ended &&
		    (tl->v[i].kind == VARIANT_ASYNC || tl->v[i].iteration > 0))
			return true;
	return false;
}

/* The longest a variant ran, or has run so far: the shared axis. */
vtime_t
timeline_span(const struct timeline *tl)
{
	vtime_t	span = 0, t;
	size_t	i;

	for (i = 0; i < tl->nvariants; i++) {
		t = tl->v[i].ended ? tl->v[i].end : tl->now;
		if (t - tl->v[i].start > span)
			span = t - tl->v[i].start;
	}
	return span;
}

static int
timeline_cmp_ready(const void *a, const void *b, void *arg)
{
	const struct tl_variant	*v = arg;
	const struct tl_task	*ta = timeline_task(v, *(const uint32_t *)a);
	const struct tl_task	*tb = timeline_task(v, *(const uint32_t *)b);
	int32_t			 d = (int32_t)(ta->ready_order - tb->ready_order);

	/* No two ready lanes are 2^31 readies apart. */
	return d < 0 ? -1 : d > 0;
}

static int
timeline_cmp_due(const void *a, const void *b, void *arg)
{
	const struct tl_variant	*v = arg;
	const struct tl_task	*ta = timeline_task(v, *(const uint32_t *)a);
	const struct tl_task	*tb = timeline_task(v, *(const uint32_t *)b);
	vtime_t			 da = timeline_more(ta)->due;
	vtime_t			 db = timeline_more(tb)->due;

	if (da != db)
		return da < db ? -1 : 1;
	return ta->since < tb->since ? -1 : ta->since > tb->since;
}

static size_t
timeline_select(const struct tl_variant *v, enum task_state state,
    uint32_t *out, size_t max,
    int (*cmp)(const void *, const void *, void *))
{
	size_t	i, n = 0;

	for (i = 0; i < v->ntasks; i++)
		if (v->tasks[i].state == state && n < max)
			out[n++] = v->tasks[i].id;
	qsort_r(out, n, sizeof *out, cmp, (void *)v);
	return n;
}

/* The ready queue in order, as task ids; returns how many. */
size_t
timeline_ready(const struct tl_variant *v, uint32_t *out, size_t max)
{
	return timeline_select(v, TASK_READY, out, max, timeline_cmp_ready);
}

/* The timers by due time, as task ids; returns how many. */
size_t
timeline_timers(const struct tl_variant *v, uint32_t *out, size_t max)
{
	return timeline_select(v, TASK_WAITING_TIMER, out, max,
	    timeline_cmp_due);
}

/* Time a task spent in a state up to now. */
vtime_t
timeline_time_in(const struct tl_task *t, enum task_state state, vtime_t now)
{
	vtime_t	sum = 0, end;
	size_t	i;

	for (i = 0; i < t->nsegs; i++) {
		if (t->segs[i].state != state)
			continue;
		end = t->segs[i].end == VTIME_NEVER ? now : t->segs[i].end;
		if (end > t->segs[i].start)
			sum += end - t->segs[i].start;
	}
	return sum;
}

/* The state a task was in at instant t (TASK_NSTATES: did not exist). */
enum task_state
timeline_state_at(const struct tl_task *task, vtime_t t)
{
	size_t	lo = 0, hi = task->nsegs, mid;

	if (task->nsegs == 0 || t < task->segs[0].start)
		return TASK_NSTATES;
	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (task->segs[mid].start <= t)
			lo = mid;
		else
			hi = mid;
	}
	return task->segs[lo].state;
}

/*
 * How far the trace is known for every variant: the earliest latest
 * event among those that have not ended (the end of the trace once all
 * have). A playback ahead of the engine stops here.
 */
vtime_t
timeline_computed(const struct timeline *tl)
{
	vtime_t	t = VTIME_NEVER;
	size_t	i;

	for (i = 0; i < tl->nvariants; i++)
		if (!tl->v[i].ended && tl->v[i].latest < t)
			t = tl->v[i].latest;
	return t == VTIME_NEVER ? tl->now : t;
}

/* Whether any variant has a lane of a thread (legends show the GIL then). */
bool
timeline_has_threads(const struct timeline *tl)
{
	size_t	i, j;

	for (i = 0; i < tl->nvariants; i++)
		for (j = 0; j < tl->v[i].ntasks; j++)
			if (TASK_KIND_BESIDE(tl->v[i].tasks[j].kind))
				return true;
	return false;
}

/*
 * The task's timer, due by instant at and not fired yet: late so far,
 * from its due time to at, into *l. Views draw it beside the timers that
 * fired late (tl_more's lates).
 */
bool
timeline_late_now(const struct tl_task *t, vtime_t at, struct tl_late *l)
{
	const struct tl_more	*m = timeline_more(t);

	if (at == VTIME_NEVER || t->state != TASK_WAITING_TIMER ||
	    m->due <= 0 || at - m->due < TL_LATE_MIN)
		return false;
	*l = (struct tl_late){ .due = m->due, .fired = at };
	return true;
}
