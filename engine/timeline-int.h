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
};

#define TIMELINE_WIDE	0x80000000u
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
	struct tl_wide	*w;
	size_t		 nw;
	size_t		 wcap;
	size_t		 nowned;	/* entries whose text is the log's */
	vtime_t		 tail_vtime;	/* the last entry's order */
	uint32_t	 tail_seq;
	uint16_t	 tail_variant;
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
size_t	timeline_log_bytes(const struct timeline *);

#endif
