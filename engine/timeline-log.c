/* The timeline's stepping log: every event, compact, in one order. */
#include "config.h"

#include <sys/mman.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "timeline-int.h"

/* An entry starts as a trace_event does, so that one copy moves it. */
#define TIMELINE_HEAD	offsetof(struct tl_entry, vtime)
_Static_assert(offsetof(struct tl_entry, vtime) == 16 &&
    offsetof(struct trace_event, vtime) == 16 &&
    offsetof(struct tl_entry, type) == offsetof(struct trace_event, type) &&
    offsetof(struct tl_entry, flags) == offsetof(struct trace_event, flags) &&
    offsetof(struct tl_entry, variant) ==
    offsetof(struct trace_event, variant) &&
    offsetof(struct tl_entry, line) == offsetof(struct trace_event, line) &&
    offsetof(struct tl_entry, task) == offsetof(struct trace_event, task) &&
    offsetof(struct tl_entry, other) == offsetof(struct trace_event, other),
    "tl_entry and trace_event share their first 16 bytes");

#define TIMELINE_POPULATE	((size_t)1 << 20)	/* worth one call */

/*
 * Map the pages of the log's new part at once: it will be written
 * through, and a fault per 4 KiB page costs more than the writing.
 */
static void
timeline_populate(void *p, size_t len)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t	start = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
	uintptr_t	end = ((uintptr_t)p + len) & ~(uintptr_t)4095;

	if (len >= TIMELINE_POPULATE && end > start)
		madvise((void *)start, end - start, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)len;
#endif
}

static bool
timeline_before(const struct trace_event *a, const struct tl_entry *b)
{
	if (a->vtime != b->vtime)
		return a->vtime < b->vtime;
	/*
	 * The session's own events (speed, pause) come first at their
	 * instant: they are few, the variants' are many, and those then go
	 * at the tail instead of each before the last clock event.
	 */
	if (a->variant != b->variant)
		return a->variant == TIMELINE_CONTROL ||
		    (b->variant != TIMELINE_CONTROL && a->variant < b->variant);
	return a->seq < b->seq;
}

static struct tl_log *
timeline_log_new(void)
{
	struct tl_log	*lg;
	size_t		 i, w;

	if ((lg = calloc(1, sizeof *lg)) == NULL)
		return NULL;
	for (i = 0; i < TIMELINE_EXT_LAST; i++)
		for (w = 0; w < TIMELINE_EXT_WAYS; w++)
			lg->last[i][w] = TIMELINE_NO_EXT;
	return lg;
}

/* Free the texts the oldest n events own; most own none: stop at the last. */
static void
timeline_log_texts(struct tl_log *lg, size_t n)
{
	struct tl_entry	*e;
	size_t		 i;

	for (i = 0; i < n && lg->nowned > 0; i++) {
		e = timeline_entry(lg, i);
		if (e->flags & TRACE_F_OWNED) {
			free(lg->x[e->ext].text);
			lg->nowned--;
		}
	}
}

/* Free the log and whatever texts it owns. */
void
timeline_log_free(struct timeline *tl)
{
	if (tl->log == NULL)
		return;
	timeline_log_texts(tl->log, tl->nlog);
	free(tl->log->e);
	free(tl->log->x);
	free(tl->log);
	tl->log = NULL;
}

/*
 * Drop the oldest events, freeing their texts, then, when the side table
 * has more records than the log has events, its records below the oldest
 * one still used (it never holds more than the limit's worth: no more
 * than when it is cut at every drop). A record is shared only by events
 * without a text of their own, so dropping an event with one frees it.
 */
static void
timeline_log_drop(struct timeline *tl, size_t drop)
{
	struct tl_log	*lg = tl->log;
	struct tl_entry	*e;
	size_t		 i, w;
	uint32_t	 low = TIMELINE_NO_EXT, *last;

	timeline_log_texts(lg, drop);
	lg->head = (lg->head + drop) & (lg->cap - 1);
	tl->nlog -= drop;
	tl->log_dropped += drop;
	if (lg->nx <= tl->nlog)
		return;
	for (i = 0; i < tl->nlog; i++)
		if ((e = timeline_entry(lg, i))->ext < low)
			low = e->ext;
	if (tl->nlog == 0)
		low = (uint32_t)lg->nx;
	if (low == 0)
		return;
	for (i = 0; i < tl->nlog; i++)
		timeline_entry(lg, i)->ext -= low;
	memmove(lg->x, lg->x + low, (lg->nx - low) * sizeof *lg->x);
	lg->nx -= low;
	for (i = 0; i < TIMELINE_EXT_LAST; i++)
		for (w = 0; w < TIMELINE_EXT_WAYS; w++) {
			last = &lg->last[i][w];
			if (*last != TIMELINE_NO_EXT)
				*last = *last < low ? TIMELINE_NO_EXT :
				    *last - low;
		}
}

/* Room for one more entry: the ring doubles, unwrapped. */
static bool
timeline_log_grow(struct timeline *tl)
{
	struct tl_log	*lg = tl->log;
	struct tl_entry	*ne;
	size_t		 ncap, wrapped;

	ncap = lg->cap ? lg->cap * 2 : 256;
	if (ncap > SIZE_MAX / sizeof *ne ||
	    (ne = realloc(lg->e, ncap * sizeof *ne)) == NULL)
		return false;
	timeline_populate(ne + lg->cap, (ncap - lg->cap) * sizeof *ne);
	/* The events past the old end, at its start, go after it. */
	if (lg->head + tl->nlog > lg->cap) {
		wrapped = lg->head + tl->nlog - lg->cap;
		memcpy(ne + lg->cap, ne, wrapped * sizeof *ne);
	}
	lg->e = ne;
	lg->cap = ncap;
	return true;
}

/* Record x holds ev's rarer fields (compared at once, without branches). */
static inline bool
timeline_ext_same(const struct tl_ext *x, const struct trace_event *ev)
{
	return ((uint64_t)(x->rtime ^ ev->rtime) | (uint64_t)(x->b ^ ev->b) |
	    ((uintptr_t)x->text ^ (uintptr_t)ev->text) |
	    (x->n_ready ^ ev->n_ready) | (x->n_timers ^ ev->n_timers) |
	    (x->n_io ^ ev->n_io)) == 0;
}

/*
 * The side table's record for ev's rarer fields: the one its variant's
 * last event used when they are equal, else a new one (which ev's text,
 * if any, then belongs to). TIMELINE_NO_EXT when memory runs out.
 */
static uint32_t
timeline_log_ext(struct tl_log *lg, const struct trace_event *ev)
{
	struct tl_ext	*x, *nx;
	size_t		 ncap, w, vi, i;
	uint32_t	*last;
	bool		 owned = (ev->flags & TRACE_F_OWNED) != 0;

	vi = ev->variant < TIMELINE_MAX_VARIANTS ? ev->variant :
	    TIMELINE_MAX_VARIANTS;
	last = lg->last[vi];
	/* The way that matched last first: a run of events shares one. */
	for (i = 0; !owned && i <= TIMELINE_EXT_WAYS; i++) {
		w = i == 0 ? lg->hit[vi] : i - 1;
		if (last[w] == TIMELINE_NO_EXT)
			continue;
		if (timeline_ext_same(&lg->x[last[w]], ev)) {
			lg->hit[vi] = (uint8_t)w;
			return last[w];
		}
	}
	if (lg->nx == lg->xcap) {
		ncap = lg->xcap ? lg->xcap * 2 : 64;
		if (ncap >= TIMELINE_NO_EXT ||
		    (nx = realloc(lg->x, ncap * sizeof *nx)) == NULL)
			return TIMELINE_NO_EXT;
		lg->x = nx;
		lg->xcap = ncap;
	}
	x = &lg->x[lg->nx];
	x->rtime = ev->rtime;
	x->b = ev->b;
	x->n_ready = ev->n_ready;
	x->n_timers = ev->n_timers;
	x->n_io = ev->n_io;
	x->text = ev->text;
	if (!owned) {
		last[lg->next[vi]] = (uint32_t)lg->nx;
		lg->hit[vi] = lg->next[vi];
		lg->next[vi] = (lg->next[vi] + 1) % TIMELINE_EXT_WAYS;
	}
	return (uint32_t)lg->nx++;
}

/* Entry e is ev, its rarer fields in record ext. */
static inline void
timeline_entry_set(struct tl_entry *e, const struct trace_event *ev,
    uint32_t ext)
{
	memcpy(e, ev, TIMELINE_HEAD);
	e->vtime = ev->vtime;
	e->a = ev->a;
	e->seq = ev->seq;
	e->ext = ext;
}

/* timeline_log when the log must start, drop, grow or insert. */
static void
timeline_log_slow(struct timeline *tl, struct trace_event *ev)
{
	struct tl_log	*lg;
	size_t		 i, j, drop;
	uint32_t	 ext;

	if (tl->log == NULL && (tl->log = timeline_log_new()) == NULL) {
		trace_event_clear(ev);
		return;
	}
	lg = tl->log;
	if (tl->nlog >= tl->log_limit) {
		/* Half at a time, as it always did: a prefix stays valid. */
		drop = tl->log_limit / 2 + 1;
		timeline_log_drop(tl, drop < tl->nlog ? drop : tl->nlog);
	}
	if ((tl->nlog == lg->cap && !timeline_log_grow(tl)) ||
	    (ext = timeline_log_ext(lg, ev)) == TIMELINE_NO_EXT) {
		trace_event_clear(ev);
		return;
	}
	i = tl->nlog;
	while (i > 0 && timeline_before(ev, timeline_entry(lg, i - 1)))
		i--;
	if (i < tl->nlog) {
		tl->log_inserts++;	/* a prefix built before is stale */
		for (j = tl->nlog; j > i; j--)
			*timeline_entry(lg, j) = *timeline_entry(lg, j - 1);
	}
	timeline_entry_set(timeline_entry(lg, i), ev, ext);
	if (ev->flags & TRACE_F_OWNED)
		lg->nowned++;
	tl->nlog++;
}

/*
 * Keep the event in the log, ordered by virtual time, then variant (the
 * session's own first), then the variant's own order: one order for every
 * reader of the trace. Most events go at the tail with the rarer fields
 * of their variant's event before: that is done here, the rest in
 * timeline_log_slow.
 */
void
timeline_log(struct timeline *tl, struct trace_event *ev)
{
	struct tl_log	*lg = tl->log;
	size_t		 vi;
	uint32_t	 ext;

	if (lg == NULL || tl->nlog >= tl->log_limit || tl->nlog == lg->cap ||
	    (ev->flags & TRACE_F_OWNED)) {
		timeline_log_slow(tl, ev);
		return;
	}
	vi = ev->variant < TIMELINE_MAX_VARIANTS ? ev->variant :
	    TIMELINE_MAX_VARIANTS;
	ext = lg->last[vi][lg->hit[vi]];
	if (ext == TIMELINE_NO_EXT || !timeline_ext_same(&lg->x[ext], ev) ||
	    (tl->nlog > 0 &&
	    timeline_before(ev, timeline_entry(lg, tl->nlog - 1)))) {
		timeline_log_slow(tl, ev);
		return;
	}
	timeline_entry_set(timeline_entry(lg, tl->nlog), ev, ext);
	tl->nlog++;
}

/*
 * Event k of the log (0: the oldest kept), every field as it came. Its
 * text stays the timeline's: copy it to keep it.
 */
void
timeline_event(const struct timeline *tl, size_t k, struct trace_event *out)
{
	const struct tl_entry	*e = timeline_entry(tl->log, k);
	const struct tl_ext	*x = &tl->log->x[e->ext];

	memcpy(out, e, TIMELINE_HEAD);
	out->vtime = e->vtime;
	out->rtime = x->rtime;
	out->a = e->a;
	out->b = x->b;
	out->n_ready = x->n_ready;
	out->n_timers = x->n_timers;
	out->n_io = x->n_io;
	out->seq = e->seq;
	out->text = x->text;
}

/*
 * Event k, and its text with it when the timeline owned it: the caller
 * frees it (trace_event_clear), the timeline no longer does.
 */
void
timeline_event_take(struct timeline *tl, size_t k, struct trace_event *out)
{
	struct tl_entry	*e = timeline_entry(tl->log, k);

	timeline_event(tl, k, out);
	if (e->flags & TRACE_F_OWNED) {
		e->flags &= ~TRACE_F_OWNED;
		tl->log->nowned--;
	}
}

/* The virtual time of event k of the log. */
vtime_t
timeline_event_time(const struct timeline *tl, size_t k)
{
	return timeline_entry(tl->log, k)->vtime;
}
