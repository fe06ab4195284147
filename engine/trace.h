/* The trace: every fact the engine publishes, and the rings that carry it. */
#ifndef LOOPSCOPE_TRACE_H
#define LOOPSCOPE_TRACE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vtime.h"

/* The variants of one run: the one limit, for the engine and the views. */
#define TRACE_MAX_VARIANTS	8

enum trace_type {
	TRACE_VARIANT_START,	/* text: variant name, a: variant kind */
	TRACE_VARIANT_END,	/* a: total, b: exit status, flags: STOPPED */
	TRACE_TASK_CREATE,	/* task, other: creator, text: name, a: kind */
	TRACE_TASK_STATE,	/* task, state, reason, line, other/a: see reason */
	TRACE_PRINT,		/* task, line, text, flags: TRACE_F_STDERR */
	TRACE_LOOP_ITER,	/* a: iteration, n_ready, n_timers, n_io */
	TRACE_TIMER_FIRE,	/* task, a: due time (vtime is the fire time) */
	TRACE_CLOCK,		/* a: speed in thousandths, flags: paused/step */
	TRACE_WARNING,		/* task, text */
	TRACE_IO_PHASE,		/* task, state: phase, a: start, b: end */
	TRACE_FETCH_DONE,	/* task, other: status, a: bytes, text: error */
	TRACE_IO_WATCH,		/* a: fd, other: events (0: no longer watched) */
	TRACE_CELL,		/* a: cell number (In [a]), b: its first line */
	TRACE_NTYPES
};

enum task_state {
	TASK_CREATED,
	TASK_READY,
	TASK_RUNNING,
	TASK_WAITING_TIMER,
	TASK_WAITING_IO,
	TASK_WAITING_TASK,
	TASK_BLOCKED,
	TASK_DONE,
	TASK_FAILED,
	TASK_CANCELLED,
	TASK_WAITING_GIL,	/* a thread, runnable, waits for the GIL */
	TASK_NSTATES
};

/* Why a task changed state: what a view says next to the state. */
enum trace_reason {
	REASON_NONE,
	REASON_START,		/* first run */
	REASON_SCHEDULED,	/* put on the ready queue (spawn, gather) */
	REASON_SLEEP,		/* await asyncio.sleep: a: due */
	REASON_YIELD,		/* await asyncio.sleep(0) */
	REASON_TIMER,		/* its timer fired */
	REASON_AWAIT,		/* awaits a coroutine or task: other */
	REASON_GATHER,		/* awaits a gather: a: number of children */
	REASON_WOKEN,		/* what it awaited finished: other */
	REASON_BLOCK_SLEEP,	/* time.sleep: a: due */
	REASON_CPU,		/* CPU work: a: due */
	REASON_RESUME,		/* the thread is free again */
	REASON_RETURN,		/* reached its end */
	REASON_LOOP_CLOSED,	/* cancelled when the loop ended */
	REASON_NEVER_AWAITED,	/* discarded without running */
	REASON_FETCH,		/* awaits an HTTP response on the loop */
	REASON_BLOCK_FETCH,	/* a blocking HTTP call: holds the thread */
	REASON_IO,		/* its I/O completed */
	REASON_ERROR,		/* raised: text says why */
	REASON_FUTURE,		/* awaits a future: I/O, a thread, a callback */
	REASON_BLOCK_IO,	/* a blocking read of a socket: a: until */
	REASON_GIL,		/* a thread: waits for the GIL, or got it */
	REASON_BLOCK_WAIT,	/* a thread: asleep in a call (a lock, I/O) */
	REASON_NREASONS
};

/* The phases of one HTTP fetch, from libcurl's timing information. */
enum io_phase {
	PHASE_QUEUED,		/* waiting for a connection */
	PHASE_LOOKUP,		/* name lookup */
	PHASE_CONNECT,		/* TCP connect */
	PHASE_TLS,		/* TLS handshake */
	PHASE_SEND,		/* sending the request */
	PHASE_WAIT,		/* waiting for the first byte */
	PHASE_RECEIVE,		/* receiving the body */
	PHASE_N
};

#define IO_IN	1
#define IO_OUT	2

enum task_kind {
	TASK_KIND_FUNCTION,	/* a plain call in a synchronous program */
	TASK_KIND_COROUTINE,	/* a coroutine object awaited in place */
	TASK_KIND_TASK,		/* a coroutine wrapped in a task by the loop */
	TASK_KIND_THREAD,	/* a thread the program started */
	TASK_KIND_PROCESS	/* a process it started (multiprocessing) */
};

/* A thread's or a process's lane: beside the program's thread, never on it. */
#define TASK_KIND_BESIDE(k)	((k) >= TASK_KIND_THREAD)

#define TRACE_F_STOPPED	0x01
#define TRACE_F_STDERR	0x02
#define TRACE_F_PAUSED	0x04
#define TRACE_F_STEP	0x08
#define TRACE_F_OWNED	0x80	/* text was allocated for the event */

struct trace_event {
	uint8_t		 type;
	uint8_t		 state;
	uint8_t		 reason;
	uint8_t		 flags;
	uint16_t	 variant;
	uint16_t	 line;
	uint32_t	 task;
	uint32_t	 other;
	vtime_t		 vtime;
	int64_t		 rtime;		/* real ns since the session started */
	int64_t		 a;
	int64_t		 b;
	uint32_t	 n_ready;
	uint32_t	 n_timers;
	uint32_t	 n_io;
	uint32_t	 seq;		/* per variant, from 0 */
	char		*text;
};

/*
 * What a and b mean, named for each type that uses them (enum trace_type
 * says which): read an event's fields through these, not as a and b.
 */
static inline int
trace_variant_kind(const struct trace_event *ev)	/* VARIANT_START */
{
	return (int)ev->a;
}

static inline vtime_t
trace_total(const struct trace_event *ev)		/* VARIANT_END */
{
	return ev->a;
}

static inline int
trace_exit_status(const struct trace_event *ev)		/* VARIANT_END */
{
	return (int)ev->b;
}

/* VARIANT_END: the variant's total and its exit status, as a shell says. */
static inline void
trace_set_end(struct trace_event *ev, vtime_t total, int status)
{
	ev->a = total;
	ev->b = status;
}

static inline int
trace_task_kind(const struct trace_event *ev)		/* TASK_CREATE */
{
	return (int)ev->a;
}

/* TASK_STATE: waiting_timer's or blocked's due time, CPU work's end. */
static inline vtime_t
trace_until(const struct trace_event *ev)
{
	return ev->a;
}

/* TASK_STATE, ready: the task kind its lane becomes (scheduled), or 0. */
static inline int
trace_becomes(const struct trace_event *ev)
{
	return (int)ev->a;
}

/* TASK_STATE, waiting_task with reason gather: how many it awaits. */
static inline int64_t
trace_gathered(const struct trace_event *ev)
{
	return ev->a;
}

static inline uint64_t
trace_iteration(const struct trace_event *ev)		/* LOOP_ITER */
{
	return (uint64_t)ev->a;
}

static inline vtime_t
trace_due(const struct trace_event *ev)			/* TIMER_FIRE */
{
	return ev->a;
}

static inline int64_t
trace_speed_milli(const struct trace_event *ev)		/* CLOCK */
{
	return ev->a;
}

static inline void
trace_set_speed_milli(struct trace_event *ev, int64_t milli)	/* CLOCK */
{
	ev->a = milli;
}

static inline vtime_t
trace_phase_start(const struct trace_event *ev)		/* IO_PHASE */
{
	return ev->a;
}

static inline vtime_t
trace_phase_end(const struct trace_event *ev)		/* IO_PHASE */
{
	return ev->b;
}

static inline int64_t
trace_bytes(const struct trace_event *ev)		/* FETCH_DONE */
{
	return ev->a;
}

static inline int
trace_fd(const struct trace_event *ev)			/* IO_WATCH */
{
	return (int)ev->a;
}

static inline int
trace_cell_number(const struct trace_event *ev)		/* CELL */
{
	return (int)ev->a;
}

static inline int
trace_cell_line(const struct trace_event *ev)		/* CELL */
{
	return (int)ev->b;
}

/* The setters of what the child sends, each for its type. */
static inline void
trace_set_variant_kind(struct trace_event *ev, int kind)  /* VARIANT_START */
{
	ev->a = kind;
}

static inline void
trace_set_task_kind(struct trace_event *ev, int kind)	/* TASK_CREATE */
{
	ev->a = kind;
}

static inline void
trace_set_until(struct trace_event *ev, vtime_t until)	/* TASK_STATE */
{
	ev->a = until;
}

static inline void
trace_set_iteration(struct trace_event *ev, uint64_t n)	/* LOOP_ITER */
{
	ev->a = (int64_t)n;
}

static inline void
trace_set_due(struct trace_event *ev, vtime_t due)	/* TIMER_FIRE */
{
	ev->a = due;
}

static inline void
trace_set_phase(struct trace_event *ev, vtime_t start, vtime_t end)
{							/* IO_PHASE */
	ev->a = start;
	ev->b = end;
}

static inline void
trace_set_bytes(struct trace_event *ev, int64_t bytes)	/* FETCH_DONE */
{
	ev->a = bytes;
}

static inline void
trace_set_fd(struct trace_event *ev, int fd)		/* IO_WATCH */
{
	ev->a = fd;
}

/* How long a side waits for the other before it sleeps (trace_spin). */
#define TRACE_SPIN_NS		50000
#define TRACE_SPIN_CHECK	16	/* spins between looks at the time */

/* Wakes a sleeping reader; shared by every ring of a session. */
struct trace_notify {
	atomic_bool	 waiting;
	int		 fd;		/* eventfd, readable after a wake */
};

struct trace_ring;

struct trace_ring	*trace_ring_new(size_t n, struct trace_notify *notify);
void			 trace_ring_free(struct trace_ring *r);
int			 trace_ring_push(struct trace_ring *r,
			     const struct trace_event *ev,
			     const atomic_bool *stop);
size_t			 trace_ring_pop(struct trace_ring *r,
			     struct trace_event *out, size_t n);
size_t			 trace_ring_capacity(const struct trace_ring *r);
size_t			 trace_ring_high_water(const struct trace_ring *r);
bool			 trace_ring_empty(struct trace_ring *r);
void			 trace_ring_wake_writer(struct trace_ring *r);
void			 trace_ring_flush(struct trace_ring *r);
void			 trace_ring_publish(struct trace_ring *r);
void			 trace_ring_set_batch(struct trace_ring *r, size_t n);

bool			 trace_spin(bool (*done)(void *), void *arg);

void			 trace_notify_init(struct trace_notify *n);
void			 trace_notify_close(struct trace_notify *n);
void			 trace_notify_wake(struct trace_notify *n);
void			 trace_notify_clear(struct trace_notify *n);

void			 trace_event_clear(struct trace_event *ev);
const char		*trace_state_name(enum task_state s);
const char		*trace_reason_name(enum trace_reason r);
const char		*trace_type_name(enum trace_type t);
const char		*trace_kind_name(enum task_kind k);
const char		*trace_phase_name(enum io_phase p);
bool			 trace_state_final(enum task_state s);

#endif
