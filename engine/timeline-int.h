/*
 * Inside the timeline: its stepping log, shared by engine/timeline.c and
 * engine/timeline-log.c and by nothing else.
 */
#ifndef LOOPSCOPE_TIMELINE_INT_H
#define LOOPSCOPE_TIMELINE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "timeline.h"

/*
 * The stepping log, in a form of its own: a 72-byte trace_event is 40
 * bytes here. What every event has is in the entry; the fields few
 * events use (text, b, the loop's counts) and rtime, which changes once
 * per loop turn, are in a record of the side table, shared by the events
 * of a variant that have the same: each variant remembers the last
 * TIMELINE_EXT_WAYS records it made (a fan-out alternates a creation
 * with its name and a change of state without one). The entries are a
 * ring: the oldest half is dropped by moving the ring's start, not the
 * events.
 */
struct tl_entry {
	/* The first 16 bytes are laid out as trace_event's: one copy. */
	uint8_t		 type;
	uint8_t		 state;
	uint8_t		 reason;
	uint8_t		 flags;
	uint16_t	 variant;
	uint16_t	 line;
	uint32_t	 task;
	uint32_t	 other;
	vtime_t		 vtime;
	int64_t		 a;
	uint32_t	 seq;
	uint32_t	 ext;		/* its record in the side table */
};

struct tl_ext {
	int64_t		 rtime;
	int64_t		 b;
	uint32_t	 n_ready;
	uint32_t	 n_timers;
	uint32_t	 n_io;
	char		*text;		/* the entry's flags say if owned */
};

#define TIMELINE_NO_EXT	UINT32_MAX
#define TIMELINE_EXT_LAST (TIMELINE_MAX_VARIANTS + 1)	/* + the others */
#define TIMELINE_EXT_WAYS 4

struct tl_log {
	struct tl_entry	*e;		/* event k: e[(head + k) & (cap - 1)] */
	size_t		 cap;		/* a power of two */
	size_t		 head;
	struct tl_ext	*x;
	size_t		 nx;
	size_t		 xcap;
	size_t		 nowned;	/* entries whose text is the log's */
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

/* timeline-log.c: keep an event in the log, in its place. */
void	timeline_log(struct timeline *, struct trace_event *);
void	timeline_log_free(struct timeline *);

#endif
