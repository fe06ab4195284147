/* The timeline model: the trace folded into what views draw. */
#ifndef LOOPSCOPE_TIMELINE_H
#define LOOPSCOPE_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace.h"

#define TIMELINE_CONTROL	0xffff	/* variant of the session's own events */

/*
 * [start, end) in one state; end is VTIME_NEVER while it lasts. Packed:
 * 18 bytes, not 24, for there is one for every state a lane was in.
 */
struct tl_segment {
	vtime_t		 start;
	vtime_t		 end;
	uint8_t		 state;
	uint8_t		 reason;
} __attribute__((packed));

/* One phase of a fetch, inside the task's I/O wait. */
struct tl_phase {
	vtime_t		 start;
	vtime_t		 end;
	uint8_t		 phase;
};

#define TL_PHASES	8

/* A timer that fired late: when it was due, when it fired. */
struct tl_late {
	vtime_t		 due;
	vtime_t		 fired;
};

#define TL_LATES	8		/* the late timers a lane keeps */
#define TL_LATE_MIN	VTIME_MS	/* later than this is late */

/*
 * What only some lanes have: a timer or a blocking end, a failure, a
 * fetch, timers that fired. Read it with timeline_more(), which never
 * returns NULL.
 */
struct tl_more {
	char		*error;		/* what it raised, when failed */
	struct tl_phase	*phases;	/* its last fetch's; NULL before one */
	struct tl_late	*lates;		/* its first late timers, or NULL */
	int64_t		 http_bytes;
	vtime_t		 max_late;	/* worst lateness of its timers */
	vtime_t		 due;		/* its timer or blocking end; else 0 */
	size_t		 timers_fired;
	int		 http_status;	/* its last fetch, 0: none */
	uint32_t	 nphases;
	uint32_t	 nlates;
};

/*
 * A lane. Its name is shared with every lane of the same name. Its first
 * segment lives in it (seg0, where segs points) until a second one comes:
 * a million lanes of a fan-out make no million small allocations.
 */
struct tl_task {
	const char	*name;
	struct tl_segment *segs;	/* &seg0, or an array of its own */
	struct tl_more	*more;		/* NULL until it has any */
	vtime_t		 since;		/* entered its state at */
	uint32_t	 id;
	uint32_t	 parent;	/* who created it, 0 for the entry */
	uint32_t	 nsegs;
	uint32_t	 ready_order;	/* wraps: compare by difference */
	uint16_t	 line;		/* the source line it stands on */
	uint8_t		 kind;
	uint8_t		 state;
	uint8_t		 reason;
	uint8_t		 flags;		/* private to timeline.c */
	struct tl_segment seg0;		/* its start: see timeline_created() */
};

/* A socket the loop watches for libcurl. */
struct tl_socket {
	int		 fd;
	int		 events;	/* IO_IN | IO_OUT */
};

struct tl_line {
	vtime_t		 vtime;
	uint32_t	 task;
	bool		 is_stderr;
	char		*text;
};

/* A section of a variant's run: a notebook's cell In [number] (cell). */
struct tl_cell {
	vtime_t		 start;		/* its end: the next one's start */
	int		 number;
	int		 line;		/* its first line in the source */
	size_t		 out;		/* the variant's output lines before it */
	size_t		 tasks;		/* its tasks made before it */
};

/* A variant that has not started (no variant_start yet) has no name. */
struct tl_variant {
	char		*name;
	uint8_t		 kind;
	bool		 started;
	bool		 ended;
	bool		 stopped;
	vtime_t		 start;
	vtime_t		 end;
	vtime_t		 total;
	vtime_t		 latest;	/* its latest event's time */
	int		 status;	/* the program's exit status */
	char		*why;		/* how its process ended, if not well */
	struct tl_task	*tasks;		/* tasks[id - 1] */
	size_t		 ntasks;
	size_t		 tasks_cap;
	struct tl_line	*out;
	size_t		 nout;
	size_t		 out_cap;
	uint64_t	 iteration;
	uint32_t	 iter_ready;
	uint32_t	 iter_timers;
	uint32_t	 iter_io;
	uint32_t	 running;	/* the task on the CPU, 0 for none */
	uint16_t	 states_seen;	/* 1 << s: a task was in state s */
	uint32_t	 last_timer_task;
	vtime_t		 last_timer_due;
	vtime_t		 last_timer_fired;
	uint64_t	 ready_counter;
	size_t		 nevents;
	struct tl_socket *sockets;
	size_t		 nsockets;
	size_t		 sockets_cap;
	struct tl_cell	*cells;		/* its cells' sections, in order */
	size_t		 ncells;
};

struct tl_names;
struct tl_log;

/*
 * The log keeps every event for stepping, in its own compact form: read
 * event k (0 is the oldest kept) with timeline_event(). nlog, log_dropped
 * (events dropped from its start, oldest first), log_inserts and
 * log_limit are for reading.
 */
struct timeline {
	struct tl_variant	 v[TRACE_MAX_VARIANTS];
	size_t			 nvariants;
	vtime_t			 now;		/* latest time in the trace */
	int64_t			 speed_milli;
	bool			 paused;
	struct tl_log		*log;		/* every event, in order */
	size_t			 nlog;
	size_t			 log_limit;
	size_t			 log_dropped;
	uint64_t		 log_inserts;	/* events put before the tail */
	struct tl_names		*names;		/* every task name, once */
};

struct timeline	*timeline_new(size_t limit);
void		 timeline_free(struct timeline *tl);
void		 timeline_add(struct timeline *tl, struct trace_event *ev);
void		 timeline_add_many(struct timeline *tl,
		     struct trace_event *evs, size_t n);
void		 timeline_add_from(struct timeline *dst,
		     const struct timeline *src, size_t k);
struct timeline	*timeline_prefix(const struct timeline *tl, size_t n);
void		 timeline_event(const struct timeline *tl, size_t k,
		     struct trace_event *out);
void		 timeline_event_take(struct timeline *tl, size_t k,
		     struct trace_event *out);
vtime_t		 timeline_event_time(const struct timeline *tl, size_t k);
bool		 timeline_finished(const struct timeline *tl);
bool		 timeline_loop_open(const struct timeline *tl);
vtime_t		 timeline_span(const struct timeline *tl);
vtime_t		 timeline_computed(const struct timeline *tl);

const struct tl_task *timeline_task(const struct tl_variant *v, uint32_t id);
size_t		 timeline_ready(const struct tl_variant *v, uint32_t *out,
		     size_t max);
size_t		 timeline_timers(const struct tl_variant *v, uint32_t *out,
		     size_t max);
bool		 timeline_has_threads(const struct timeline *tl);
vtime_t		 timeline_time_in(const struct tl_task *t,
		     enum task_state state, vtime_t now);
enum task_state	 timeline_state_at(const struct tl_task *task, vtime_t t);
const struct tl_more *timeline_more(const struct tl_task *t);
bool		 timeline_late_now(const struct tl_task *t, vtime_t at,
		     struct tl_late *l);

/* When the lane was created: seg0 keeps it, in use or not. */
static inline vtime_t
timeline_created(const struct tl_task *t)
{
	return t->seg0.start;
}
size_t		 timeline_bytes(const struct timeline *tl);

/* A notebook's cells, as sections of a variant (timeline-cell.c). */
void		 timeline_cell(struct tl_variant *v,
		     const struct trace_event *ev);
const struct tl_cell *timeline_cell_at(const struct tl_variant *v, vtime_t t);
vtime_t		 timeline_cell_end(const struct tl_variant *v, size_t i,
		     vtime_t now);

#endif
