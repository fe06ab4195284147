/*
 * Inside a trace ring: its layout, shared by engine/trace.c and by the
 * one push a variant makes in line (trace_ring_push_state), and by
 * nothing else.
 */
#ifndef LOOPSCOPE_TRACE_INT_H
#define LOOPSCOPE_TRACE_INT_H

#include <pthread.h>

#include "trace.h"

/*
 * The writer (a variant's thread) and the reader (the thread that called
 * the engine) share only two counters; each owns one. A full ring makes the
 * writer wait: events are never dropped, and memory never grows.
 *
 * The reader keeps a copy of head and reads the shared one only when its
 * copy says the ring is empty; the writer keeps a copy of tail and reads
 * the shared one only when its copy would make the ring fuller than it
 * ever was. The writer shows what it wrote (stores head) at a flush: once
 * batch events were written since the last one (at once by default; see
 * trace_ring_set_batch and trace_ring_flush), and before it waits. A
 * waiting writer is woken once half the ring is free, not at every slot,
 * and a sleeping reader at a flush: the full fence a wake needs makes the
 * writer wait for its stores to reach the other core. Before a writer
 * sleeps on a full ring it spins a little (trace_spin) until an eighth of
 * it is free: a sleep and its wake cost more than the wait.
 *
 * An event crosses in 16-byte slots, not as the 72 bytes of its struct:
 * what crosses from core to core is what an event costs. Most events are
 * a change of state at the virtual and real time of the event before,
 * numbered right after it, with no text: one slot holds them. A slot
 * with a and the virtual time follows when they differ, two with the
 * rest when it differs, one with the loop's counts when they are not 0.
 * The reader rebuilds each event exactly. Capacity and fill are counted
 * in events; there are slots enough for every event to take the most.
 */
struct trace_slot {
	uint8_t		 type;
	uint8_t		 state;
	uint8_t		 reason;
	uint8_t		 flags;
	uint16_t	 line;
	uint8_t		 more;		/* TRACE_MORE_*: the slots after */
	uint8_t		 pad;
	uint32_t	 task;
	uint32_t	 other;
};

struct trace_slot_time {
	int64_t		 a;
	vtime_t		 vtime;
};

struct trace_slot_rest {
	int64_t		 rtime;
	int64_t		 b;
};

struct trace_slot_rest2 {
	uint32_t	 seq;
	uint16_t	 variant;
	uint16_t	 pad;
	char		*text;
};

struct trace_slot_loop {
	uint32_t	 n_ready;
	uint32_t	 n_timers;
	uint32_t	 n_io;
	uint32_t	 pad;
};

union trace_slots {
	struct trace_slot	 ev;
	struct trace_slot_time	 time;
	struct trace_slot_rest	 rest;
	struct trace_slot_rest2	 rest2;
	struct trace_slot_loop	 loop;
};

#define TRACE_MORE_TIME	0x01	/* a trace_slot_time follows */
#define TRACE_MORE_REST	0x02	/* a trace_slot_rest and a _rest2 */
#define TRACE_MORE_LOOP	0x04	/* a trace_slot_loop */
#define TRACE_SLOT_MAX	5	/* slots one event may take */

struct trace_ring {
	_Alignas(64) atomic_size_t	 head;	/* slots, written by the writer */
	size_t				 whead;	/* slots written, not all shown */
	size_t				 tail_seen;	/* writer's copy */
	size_t				 count;	/* events written */
	size_t				 high_water;
	size_t				 batch;
	size_t				 unflushed;	/* since the last flush */
	int64_t				 w_rtime;	/* the last event written */
	vtime_t				 w_vtime;
	uint32_t			 w_seq;
	uint16_t			 w_variant;
	_Alignas(64) atomic_size_t	 tail;	/* events, written by the reader */
	size_t				 slot;	/* the reader's next slot */
	size_t				 head_seen;	/* reader's copy */
	int64_t				 r_rtime;	/* the last event read */
	vtime_t				 r_vtime;
	uint32_t			 r_seq;
	uint16_t			 r_variant;
	_Alignas(64) atomic_bool	 writer_waiting;
	atomic_size_t			 wait_count;	/* events, while it waits */
	size_t				 mask;		/* events */
	size_t				 smask;		/* slots */
	union trace_slots		*slots;
	struct trace_notify		*notify;
	pthread_mutex_t			 lock;	/* slow path only */
	pthread_cond_t			 cond;
};

_Static_assert(sizeof(union trace_slots) == 16, "a slot is 16 bytes");

int	trace_ring_push_state_room(struct trace_ring *r, uint32_t task,
	    uint8_t state, uint8_t reason, uint16_t line, uint32_t other,
	    const atomic_bool *stop);

/* Write the one slot of trace_ring_push_state; there is room for it. */
static inline void
trace_ring_put_state(struct trace_ring *r, uint32_t task, uint8_t state,
    uint8_t reason, uint16_t line, uint32_t other)
{
	struct trace_slot	*sl = &r->slots[r->whead++ & r->smask].ev;

	sl->type = TRACE_TASK_STATE;
	sl->state = state;
	sl->reason = reason;
	sl->flags = 0;
	sl->line = line;
	sl->more = 0;
	sl->pad = 0;
	sl->task = task;
	sl->other = other;
	r->w_seq++;
	r->count++;
	if (++r->unflushed >= r->batch)
		trace_ring_flush(r);
}

/*
 * Append the event most are: a change of state (flags 0, a 0, no text,
 * no loop counts) at the virtual and real time of the ring's last event,
 * of its variant and numbered right after it, which the caller vouches
 * for. It takes one slot, written without looking at the fields it does
 * not carry, in line; otherwise as trace_ring_push.
 */
static inline int
trace_ring_push_state(struct trace_ring *r, uint32_t task, uint8_t state,
    uint8_t reason, uint16_t line, uint32_t other, const atomic_bool *stop)
{
	if (r->count + 1 - r->tail_seen > r->high_water)
		return trace_ring_push_state_room(r, task, state, reason, line,
		    other, stop);
	trace_ring_put_state(r, task, state, reason, line, other);
	return 0;
}

#endif
