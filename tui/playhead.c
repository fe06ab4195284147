/* The playhead: which prefix of the trace the screen shows, and when. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "playhead.h"

void
playhead_init(struct playhead *p, struct timeline *live)
{
	memset(p, 0, sizeof *p);
	p->live = live;
	p->following = true;
}

void
playhead_free(struct playhead *p)
{
	timeline_free(p->shown);
	p->shown = NULL;
}

/* Apply log events [shown's count, k) to the shown prefix. */
static void
playhead_build(struct playhead *p)
{
	const struct timeline	*live = p->live;
	size_t			 have;

	/*
	 * Going back, or an event that arrived late and went into the log
	 * before the tail: the prefix must be made again from the start.
	 */
	if (p->shown != NULL && (p->shown->nlog + p->shown->log_dropped > p->k ||
	    p->inserts != live->log_inserts)) {
		timeline_free(p->shown);
		p->shown = NULL;
	}
	p->inserts = live->log_inserts;
	if (p->shown == NULL && (p->shown = timeline_new(live->log_limit)) ==
	    NULL)
		return;
	for (have = p->shown->nlog + p->shown->log_dropped; have < p->k &&
	    have < live->nlog; have++)
		timeline_add_from(p->shown, live, have);
}

/* The model to draw: the live one, or the prefix at the playhead. */
const struct timeline *
playhead_model(struct playhead *p)
{
	if (p->following)
		return p->live;
	playhead_build(p);
	return p->shown != NULL ? p->shown : p->live;
}

/* Show everything, up to the instant now. */
void
playhead_follow(struct playhead *p, vtime_t now)
{
	p->following = true;
	p->k = p->live->nlog;
	p->t = now;
}

/* Stop following: keep showing what is shown now, whatever arrives. */
void
playhead_hold(struct playhead *p)
{
	if (!p->following)
		return;
	p->following = false;
	p->k = p->live->nlog;
}

/*
 * Before new events come into the live log: remember the last event shown,
 * for playhead_keep to find it again.
 */
void
playhead_mark(struct playhead *p)
{
	struct trace_event	ev;

	p->mark.set = !p->following && p->k > 0 && p->k <= p->live->nlog;
	if (!p->mark.set)
		return;
	timeline_event(p->live, p->k - 1, &ev);
	p->mark.variant = ev.variant;
	p->mark.seq = ev.seq;
	p->mark.inserts = p->live->log_inserts;
	p->mark.dropped = p->live->log_dropped;
}

/*
 * After new events came: an event that arrived late went into the log
 * before the tail, maybe before the last one shown, and the log may have
 * dropped its oldest. Show the same events as before, then: up to the one
 * marked, wherever it is now (an event put before it is earlier, so it is
 * shown as well).
 */
void
playhead_keep(struct playhead *p)
{
	const struct timeline	*live = p->live;
	struct trace_event	 ev;
	size_t			 d, k, end;

	if (!p->mark.set || p->following)
		return;
	p->mark.set = false;
	d = live->log_dropped - p->mark.dropped;
	k = p->k > d ? p->k - d : 0;
	if (k == 0 || live->log_inserts == p->mark.inserts) {
		p->k = k;
		return;
	}
	end = k - 1 + (size_t)(live->log_inserts - p->mark.inserts);
	for (; k - 1 <= end && k - 1 < live->nlog; k++) {
		timeline_event(live, k - 1, &ev);
		if (ev.variant == p->mark.variant && ev.seq == p->mark.seq) {
			p->k = k;
			return;
		}
	}
}

/* Events a step does not stop at: the session's own (clock changes). */
static bool
playhead_stops_at(const struct timeline *live, size_t k)
{
	struct trace_event	ev;

	timeline_event(live, k, &ev);
	return ev.variant != TIMELINE_CONTROL;
}

/*
 * One event forward (dir > 0) or back; the instant shown becomes that
 * event's. Returns -1 when there is no event that way.
 */
int
playhead_step(struct playhead *p, int dir)
{
	const struct timeline	*live = p->live;
	size_t			 k;

	playhead_hold(p);
	k = p->k;
	if (dir > 0) {
		do {
			if (k >= live->nlog)
				return -1;
			k++;
		} while (!playhead_stops_at(live, k - 1));
	} else {
		do {
			if (k == 0)
				return -1;
			k--;
		} while (k > 0 && !playhead_stops_at(live, k - 1));
	}
	p->k = k;
	p->t = k > 0 ? timeline_event_time(live, k - 1) : 0;
	return 0;
}

/* Forward to the start of the next turn of a loop. */
int
playhead_step_iteration(struct playhead *p)
{
	const struct timeline	*live = p->live;
	struct trace_event	 ev;
	size_t			 k;

	playhead_hold(p);
	for (k = p->k; k < live->nlog; k++) {
		timeline_event(live, k, &ev);
		if (ev.type == TRACE_LOOP_ITER) {
			p->k = k + 1;
			p->t = ev.vtime;
			return 0;
		}
	}
	return -1;
}

/* Show the instant t: every event up to it. */
void
playhead_seek(struct playhead *p, vtime_t t)
{
	const struct timeline	*live = p->live;
	size_t			 k = 0;

	playhead_hold(p);
	while (k < live->nlog && timeline_event_time(live, k) <= t)
		k++;
	p->k = k;
	p->t = t;
}

/* Before the first event: the same screen however fast the engine is. */
void
playhead_rewind(struct playhead *p)
{
	playhead_hold(p);
	p->k = 0;
	p->t = 0;
}

/* Nothing left to show: every event applied and every variant ended. */
bool
playhead_at_end(const struct playhead *p)
{
	return (p->following || p->k >= p->live->nlog) &&
	    timeline_finished(p->live);
}

/* The time of the last event known. */
vtime_t
playhead_end_time(const struct playhead *p)
{
	return p->live->nlog > 0 ?
	    timeline_event_time(p->live, p->live->nlog - 1) : 0;
}
