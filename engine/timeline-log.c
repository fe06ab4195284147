/* The timeline's stepping log: every event, compact, in one order. */
#include "config.h"

#include <sys/mman.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "timeline-int.h"

_Static_assert(sizeof(struct tl_entry) == 16, "an entry is 16 bytes");
_Static_assert(sizeof(struct tl_wide) == 32, "a wide entry is 32 bytes");

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

/* Where an entry's record is, and its wide entry if it has one. */
static inline uint32_t
timeline_entry_ext(const struct tl_log *lg, const struct tl_entry *e,
    const struct tl_wide **wide)
{
	const struct tl_wide	*w;

	if (!(e->x & TIMELINE_WIDE)) {
		*wide = NULL;
		return e->x;
	}
	w = &lg->w[e->x & ~TIMELINE_WIDE];
	*wide = w;
	return w->ext;
}

/* The order of the event an entry holds: its vtime, variant and seq. */
struct tl_key {
	vtime_t		 vtime;
	uint32_t	 seq;
	uint16_t	 variant;
};

static struct tl_key
timeline_entry_key(const struct tl_log *lg, const struct tl_entry *e)
{
	const struct tl_wide	*w;
	const struct tl_ext	*x = &lg->x[timeline_entry_ext(lg, e, &w)];
	struct tl_key		 key;

	key.variant = x->variant;
	if (w != NULL) {
		key.vtime = w->vtime;
		key.seq = w->seq;
	} else {
		key.vtime = x->vtime;
		key.seq = x->seq0 + e->soff;
	}
	return key;
}

/* Event ev goes before the log's entry e. */
static bool
timeline_before_entry(const struct tl_log *lg, const struct trace_event *ev,
    const struct tl_entry *e)
{
	struct tl_key	key = timeline_entry_key(lg, e);

	return timeline_before(ev, key.vtime, key.variant, key.seq);
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
	lg->run_x = TIMELINE_NO_EXT;
	return lg;
}

/* Free the texts the oldest n events own; most own none: stop at the last. */
static void
timeline_log_texts(struct tl_log *lg, size_t n)
{
	const struct tl_wide	*w;
	struct tl_entry		*e;
	size_t			 i;

	for (i = 0; i < n && lg->nowned > 0; i++) {
		e = timeline_entry(lg, i);
		if (e->flags & TRACE_F_OWNED) {
			free(lg->x[timeline_entry_ext(lg, e, &w)].text);
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
	free(tl->log->w);
	free(tl->log);
	tl->log = NULL;
}

/* The memory the log holds. */
size_t
timeline_log_bytes(const struct timeline *tl)
{
	const struct tl_log	*lg = tl->log;

	if (lg == NULL)
		return 0;
	return sizeof *lg + lg->cap * sizeof *lg->e +
	    lg->xcap * sizeof *lg->x + lg->wcap * sizeof *lg->w;
}

/*
 * Move the side tables down past what no kept event uses: the records
 * below low and the wide entries below loww.
 */
static void
timeline_log_shift(struct timeline *tl, uint32_t low, uint32_t loww)
{
	struct tl_log	*lg = tl->log;
	struct tl_entry	*e;
	size_t		 i, w;
	uint32_t	*last;

	for (i = 0; i < tl->nlog; i++) {
		e = timeline_entry(lg, i);
		e->x -= (e->x & TIMELINE_WIDE) ? loww : low;
	}
	if (lg->nw > loww)
		memmove(lg->w, lg->w + loww, (lg->nw - loww) * sizeof *lg->w);
	lg->nw -= loww;
	for (i = 0; i < lg->nw; i++)
		lg->w[i].ext -= low;
	if (lg->nx > low)
		memmove(lg->x, lg->x + low, (lg->nx - low) * sizeof *lg->x);
	lg->nx -= low;
	for (i = 0; i < TIMELINE_EXT_LAST; i++)
		for (w = 0; w < TIMELINE_EXT_WAYS; w++) {
			last = &lg->last[i][w];
			if (*last != TIMELINE_NO_EXT)
				*last = *last < low ? TIMELINE_NO_EXT :
				    *last - low;
		}
	if (lg->run_x != TIMELINE_NO_EXT)
		lg->run_x = lg->run_x < low ? TIMELINE_NO_EXT : lg->run_x - low;
}

/*
 * Drop the oldest events, freeing their texts, then, when a side table
 * has more records than the log has events, what the events kept no
 * longer use (the tables never hold more than the limit's worth: no
 * more than when they are cut at every drop). A record is shared only by
 * events without a text of their own, so dropping an event with one
 * frees it.
 */
static void
timeline_log_drop(struct timeline *tl, size_t drop)
{
	struct tl_log		*lg = tl->log;
	const struct tl_entry	*e;
	const struct tl_wide	*w;
	size_t			 i;
	uint32_t		 low, loww, ext;

	timeline_log_texts(lg, drop);
	lg->head = (lg->head + drop) & (lg->cap - 1);
	tl->nlog -= drop;
	tl->log_dropped += drop;
	if (lg->nx <= tl->nlog && lg->nw <= tl->nlog)
		return;
	low = (uint32_t)lg->nx;
	loww = (uint32_t)lg->nw;
	for (i = 0; i < tl->nlog; i++) {
		e = timeline_entry(lg, i);
		ext = timeline_entry_ext(lg, e, &w);
		if (ext < low)
			low = ext;
		if (w != NULL && (e->x & ~TIMELINE_WIDE) < loww)
			loww = e->x & ~TIMELINE_WIDE;
	}
	if (low > 0 || loww > 0)
		timeline_log_shift(tl, low, loww);
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

/*
 * A side table of n items of size each, at p, with room for one more:
 * p, or where it moved; NULL when memory runs out.
 */
static void *
timeline_table_room(void *p, size_t *cap, size_t n, size_t size)
{
	size_t	ncap;

	if (n < *cap)
		return p;
	ncap = *cap ? *cap * 2 : 64;
	if (ncap > TIMELINE_WIDE || (p = realloc(p, ncap * size)) == NULL)
		return NULL;
	*cap = ncap;
	return p;
}

/*
 * Where ev's other fields go: a record of its variant that has them all
 * (*x that record, *soff the seq's offset), else a wide entry on the
 * record that has the rarer ones when vtime or a set it apart, else a new
 * record (which ev's text, if any, then belongs to). False when memory
 * runs out.
 */
static bool
timeline_log_ext(struct tl_log *lg, const struct trace_event *ev,
    uint32_t *xp, uint16_t *soff)
{
	struct tl_ext	*x;
	struct tl_wide	*w;
	size_t		 way, vi, i;
	uint32_t	*last, rare = TIMELINE_NO_EXT;
	bool		 owned = (ev->flags & TRACE_F_OWNED) != 0;

	vi = timeline_log_ways(ev->variant);
	last = lg->last[vi];
	/* The way that matched last first: a run of events shares one. */
	for (i = 0; !owned && i <= TIMELINE_EXT_WAYS; i++) {
		way = i == 0 ? lg->hit[vi] : i - 1;
		if (last[way] == TIMELINE_NO_EXT ||
		    !timeline_ext_same(x = &lg->x[last[way]], ev))
			continue;
		if (timeline_ext_all(x, ev)) {
			lg->hit[vi] = (uint8_t)way;
			*xp = last[way];
			*soff = (uint16_t)(ev->seq - x->seq0);
			return true;
		}
		if (rare == TIMELINE_NO_EXT)
			rare = last[way];
	}
	*soff = 0;
	/*
	 * An event with a time of its own, or a due time or loop turn (a,
	 * but for a creation's kind), set apart from the events around it:
	 * a wide entry. Others (a new other) may start a run: a record.
	 */
	if (rare != TIMELINE_NO_EXT && (ev->vtime != lg->x[rare].vtime ||
	    (ev->a != 0 && ev->type != TRACE_TASK_CREATE))) {
		if ((w = timeline_table_room(lg->w, &lg->wcap, lg->nw,
		    sizeof *w)) == NULL)
			return false;
		lg->w = w;
		w += lg->nw;
		w->vtime = ev->vtime;
		w->a = ev->a;
		w->seq = ev->seq;
		w->other = ev->other;
		w->ext = rare;
		*xp = TIMELINE_WIDE | (uint32_t)lg->nw++;
		return true;
	}
	if ((x = timeline_table_room(lg->x, &lg->xcap, lg->nx,
	    sizeof *x)) == NULL)
		return false;
	lg->x = x;
	x += lg->nx;
	x->vtime = ev->vtime;
	x->a = ev->a;
	x->rtime = ev->rtime;
	x->b = ev->b;
	x->text = ev->text;
	x->n_ready = ev->n_ready;
	x->n_timers = ev->n_timers;
	x->n_io = ev->n_io;
	x->seq0 = ev->seq;
	x->other = ev->other;
	x->variant = ev->variant;
	x->plain = timeline_event_plain(ev);
	if (!owned) {
		last[lg->next[vi]] = (uint32_t)lg->nx;
		lg->hit[vi] = lg->next[vi];
		lg->next[vi] = (lg->next[vi] + 1) % TIMELINE_EXT_WAYS;
	}
	*xp = (uint32_t)lg->nx++;
	return true;
}

/* timeline_log when the log must start, drop, grow or insert. */
void
timeline_log_slow(struct timeline *tl, struct trace_event *ev)
{
	struct tl_log	*lg;
	size_t		 i, j, drop;
	uint32_t	 x;
	uint16_t	 soff;

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
	    !timeline_log_ext(lg, ev, &x, &soff)) {
		trace_event_clear(ev);
		return;
	}
	/* Most go at the tail, whose order the log keeps at hand. */
	i = tl->nlog;
	if (i > 0 && timeline_before(ev, lg->tail_vtime, lg->tail_variant,
	    lg->tail_seq))
		while (--i > 0 && timeline_before_entry(lg, ev,
		    timeline_entry(lg, i - 1)))
			;
	if (i < tl->nlog) {
		tl->log_inserts++;	/* a prefix built before is stale */
		for (j = tl->nlog; j > i; j--)
			*timeline_entry(lg, j) = *timeline_entry(lg, j - 1);
	} else
		timeline_log_tail(lg, ev, x, soff);
	timeline_entry_set(timeline_entry(lg, i), ev, x, soff);
	if (ev->flags & TRACE_F_OWNED)
		lg->nowned++;
	tl->nlog++;
}

/*
 * Event k of the log (0: the oldest kept), every field as it came. Its
 * text stays the timeline's: copy it to keep it.
 */
void
timeline_event(const struct timeline *tl, size_t k, struct trace_event *out)
{
	const struct tl_log	*lg = tl->log;
	const struct tl_entry	*e = timeline_entry(lg, k);
	const struct tl_wide	*w;
	const struct tl_ext	*x = &lg->x[timeline_entry_ext(lg, e, &w)];

	out->type = e->type;
	out->state = e->state;
	out->reason = e->reason;
	out->flags = e->flags;
	out->variant = x->variant;
	out->line = e->line;
	out->task = e->task;
	out->rtime = x->rtime;
	out->b = x->b;
	out->n_ready = x->n_ready;
	out->n_timers = x->n_timers;
	out->n_io = x->n_io;
	out->text = x->text;
	if (w != NULL) {
		out->other = w->other;
		out->vtime = w->vtime;
		out->a = w->a;
		out->seq = w->seq;
	} else {
		out->other = x->other;
		out->vtime = x->vtime;
		out->a = x->a;
		out->seq = x->seq0 + e->soff;
	}
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
	return timeline_entry_key(tl->log, timeline_entry(tl->log, k)).vtime;
}
