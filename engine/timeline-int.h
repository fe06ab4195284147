/*
 * Inside the timeline: its stepping log and its names, shared by
 * engine/timeline.c, engine/timeline-log.c and engine/timeline-names.c
 * and by nothing else.
 */
#ifndef LOOPSCOPE_TIMELINE_INT_H
#define LOOPSCOPE_TIMELINE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "timeline.h"

/*
 * The stepping log, in a form of its own: a 72-byte trace_event is 16
 * bytes here when it is like the events around it. An entry holds what
 * changes from event to event (type, state, reason, flags, line, task)
 * and points at a record of the side table for the rest: the record
 * holds every other field of the event that made it, and the events of
 * its variant with all of them equal share it, each seq the record's
 * plus the entry's soff (the state changes of a loop turn in the
 * simulated clock share their turn's record). An event that has a
 * record's rarer fields (text, b, the loop's counts, rtime) but a vtime
 * of its own (the real clock gives every event one) or an a (a due time,
 * a loop turn) points instead at a wide entry, which holds its vtime, a,
 * other and seq and the record: 48 bytes in all. Each variant remembers
 * the last TIMELINE_EXT_WAYS records it made. The entries are a ring: the
 * oldest half is dropped by moving the ring's start, not the events.
 */
struct tl_entry {
	uint8_t		 type;
	uint8_t		 state;
	uint8_t		 reason;
	uint8_t		 flags;
	uint16_t	 line;
	uint16_t	 soff;		/* seq - the record's seq0 */
	uint32_t	 task;
	uint32_t	 x;		/* a record, or TIMELINE_WIDE | a wide */
};

struct tl_wide {
	vtime_t		 vtime;
	int64_t		 a;
	uint32_t	 seq;
	uint32_t	 other;
	uint32_t	 ext;		/* its record */
};

struct tl_ext {
	vtime_t		 vtime;
	int64_t		 a;
	int64_t		 rtime;
	int64_t		 b;
	char		*text;		/* the entry's flags say if owned */
	uint32_t	 n_ready;
	uint32_t	 n_timers;
	uint32_t	 n_io;
	uint32_t	 seq0;
	uint32_t	 other;
	uint16_t	 variant;
	bool		 plain;		/* a, b, text and the counts are 0 */
};

_Static_assert(offsetof(struct tl_entry, flags) == 3 &&
    offsetof(struct trace_event, flags) == 3, "an entry starts as an event");

#define TIMELINE_WIDE	0x80000000u
#define TIMELINE_NO_EXT	UINT32_MAX
#define TIMELINE_EXT_LAST (TRACE_MAX_VARIANTS + 1)	/* + the others */
#define TIMELINE_EXT_WAYS 4

struct tl_log {
	struct tl_entry	*e;		/* event k: e[(head + k) & (cap - 1)] */
	size_t		 cap;		/* a power of two */
	size_t		 head;
	struct tl_ext	*x;
	size_t		 nx;
	size_t		 xcap;
	struct tl_wide	*w;
	size_t		 nw;
	size_t		 wcap;
	size_t		 nowned;	/* entries whose text is the log's */
	vtime_t		 tail_vtime;	/* the last entry's order */
	uint32_t	 tail_seq;
	uint16_t	 tail_variant;
	/*
	 * The run the tail is in: its record (TIMELINE_NO_EXT when the tail
	 * has a wide entry or a record that is not plain) and what of it
	 * the next event must have to join it in line.
	 */
	uint16_t	 run_soff;	/* the tail's */
	uint32_t	 run_x;
	uint32_t	 run_other;
	int64_t		 run_rtime;
	uint32_t	 last[TIMELINE_EXT_LAST][TIMELINE_EXT_WAYS];
	uint8_t		 next[TIMELINE_EXT_LAST];	/* the way to replace */
	uint8_t		 hit[TIMELINE_EXT_LAST];	/* the way that matched */
};

/* Event k of the log, 0 the oldest kept. */
static inline struct tl_entry *
timeline_entry(const struct tl_log *lg, size_t k)
{
	return &lg->e[(lg->head + k) & (lg->cap - 1)];
}

/*
 * timeline-log.c: keep an event in the log, in its place, ordered by
 * virtual time, then variant (the session's own first), then the
 * variant's own order: one order for every reader of the trace
 * (timeline_log_fast below, else timeline_log_slow).
 */
void	timeline_log_slow(struct timeline *tl, struct trace_event *ev);
void	timeline_log_free(struct timeline *tl);
size_t	timeline_log_bytes(const struct timeline *tl);

/* timeline-names.c: every task name, kept once. */
const char *timeline_names_intern(struct tl_names **names, const char *s);
void	timeline_names_free(struct tl_names *names);
size_t	timeline_names_bytes(const struct tl_names *names);

/* Event a goes before the event at (vtime, variant, seq). */
static inline bool
timeline_before(const struct trace_event *a, vtime_t vtime, uint16_t variant,
    uint32_t seq)
{
	if (a->vtime != vtime)
		return a->vtime < vtime;
	/*
	 * The session's own events (speed, pause) come first at their
	 * instant: they are few, the variants' are many, and those then go
	 * at the tail instead of each before the last clock event.
	 */
	if (a->variant != variant)
		return a->variant == TIMELINE_CONTROL ||
		    (variant != TIMELINE_CONTROL && a->variant < variant);
	return a->seq < seq;
}

/* The row of last[] for a variant's records: the others share one. */
static inline size_t
timeline_log_ways(uint16_t variant)
{
	return variant < TRACE_MAX_VARIANTS ? variant : TRACE_MAX_VARIANTS;
}

/*
 * Record x holds ev's rarer fields (compared at once, without branches),
 * and its variant's.
 */
static inline bool
timeline_ext_same(const struct tl_ext *x, const struct trace_event *ev)
{
	return ((uint64_t)(x->rtime ^ ev->rtime) | (uint64_t)(x->b ^ ev->b) |
	    ((uintptr_t)x->text ^ (uintptr_t)ev->text) |
	    (x->n_ready ^ ev->n_ready) | (x->n_timers ^ ev->n_timers) |
	    (x->n_io ^ ev->n_io) | (uint32_t)(x->variant ^ ev->variant)) == 0;
}

/* Record x holds every field of ev but those of its entry. */
static inline bool
timeline_ext_all(const struct tl_ext *x, const struct trace_event *ev)
{
	return timeline_ext_same(x, ev) &&
	    ((uint64_t)(x->vtime ^ ev->vtime) | (uint64_t)(x->a ^ ev->a) |
	    (x->other ^ ev->other)) == 0 && ev->seq - x->seq0 <= UINT16_MAX;
}

/* Entry e is ev, its other fields at x. */
static inline void
timeline_entry_set(struct tl_entry *e, const struct trace_event *ev,
    uint32_t x, uint16_t soff)
{
	memcpy(e, ev, 4);	/* type, state, reason, flags: one copy */
	e->line = ev->line;
	e->soff = soff;
	e->task = ev->task;
	e->x = x;
}

/* Event ev has no a, b, text or loop counts: a record of it is plain. */
static inline bool
timeline_event_plain(const struct trace_event *ev)
{
	return ((uint64_t)ev->a | (uint64_t)ev->b | (uintptr_t)ev->text |
	    ev->n_ready | ev->n_timers | ev->n_io) == 0;
}

/* ev is the log's last event now, its entry on record x (or a wide). */
static inline void
timeline_log_tail(struct tl_log *lg, const struct trace_event *ev, uint32_t x,
    uint16_t soff)
{
	lg->tail_vtime = ev->vtime;
	lg->tail_seq = ev->seq;
	lg->tail_variant = ev->variant;
	lg->run_x = TIMELINE_NO_EXT;
	if (!(x & TIMELINE_WIDE) && lg->x[x].plain) {
		lg->run_x = x;
		lg->run_soff = soff;
		lg->run_other = lg->x[x].other;
		lg->run_rtime = lg->x[x].rtime;
	}
}

/*
 * timeline_log for most events, in line: the next of the tail's run, an
 * event at the tail's instant, of its variant, numbered right after it,
 * with every field its plain record has. False, doing nothing, for the
 * rest (timeline_log_slow).
 */
static inline bool
timeline_log_fast(struct timeline *tl, const struct trace_event *ev)
{
	struct tl_log	*lg = tl->log;

	if (lg == NULL || lg->run_x == TIMELINE_NO_EXT ||
	    tl->nlog >= tl->log_limit || tl->nlog == lg->cap ||
	    ev->seq != lg->tail_seq + 1 || ev->vtime != lg->tail_vtime ||
	    ev->variant != lg->tail_variant || lg->run_soff == UINT16_MAX ||
	    !timeline_event_plain(ev) || ((ev->other ^ lg->run_other) |
	    (ev->flags & TRACE_F_OWNED) |
	    (uint64_t)(ev->rtime ^ lg->run_rtime)) != 0)
		return false;
	timeline_entry_set(timeline_entry(lg, tl->nlog), ev, lg->run_x,
	    ++lg->run_soff);
	lg->tail_seq = ev->seq;
	tl->nlog++;
	return true;
}

#endif
