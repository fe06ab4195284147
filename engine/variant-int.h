/*
 * Inside a variant: its tasks and its scheduler, shared by the files of
 * engine/variant*.c and by nothing else.
 */
#ifndef LOOPSCOPE_VARIANT_INT_H
#define LOOPSCOPE_VARIANT_INT_H

#include <ev.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "fetch.h"
#include "variant.h"

/*
 * A task here is a frame: one call of a function or coroutine, and one lane
 * in the views. Frames awaited in place run on their caller's stack; a
 * frame wrapped in a task by the loop (spawn, gather, the entry) is a root,
 * and only roots go on the ready queue and the timer heap.
 *
 * A fan-out makes a million of them, all alive at once, so a task holds
 * only what every one uses; what few use (a value, an error, a gather's
 * children, named slots, a fetch) is in its struct task_more, made the
 * first time it is needed.
 */
struct task_more {
	struct task		**kids;		/* frames I gather */
	size_t			 nkids;
	size_t			 kids_left;
	struct task		**slots;	/* PROGRAM_SLOTS, at the first */
	char			*value;		/* last result */
	char			*error;		/* what it raised */
	char			*pending_error;	/* to raise when it runs */
	vtime_t			 mark;
	struct fetch		*fetch;		/* roots: the GET it awaits */
	const struct op		*fetch_op;
	vtime_t			 io_start;	/* awaited the fetch */
	vtime_t			 io_begin;	/* got a connection */
	uint64_t		 token;		/* the clock's message */
	uint64_t		 fetch_seq;	/* order of the requests */
	struct fetch_result	*landed;	/* its answer, not yet seen */
	struct task		*next_queued;
};

struct task {
	uint32_t		 id;
	uint32_t		 pc;
	uint32_t		 heap_index;	/* TASK_NO_HEAP: not in it */
	uint32_t		 seq;		/* arming order, wrapping */
	uint8_t			 state;
	uint8_t			 kind;
	bool			 repeating : 1;
	bool			 queued : 1;	/* waits for a connection */
	bool			 past : 1;	/* waits in the op before pc */
	uint32_t		 repeat_left;	/* program_check: it fits */
	const struct proc	*proc;
	struct task		*root;		/* the root whose stack I am on */
	struct task		*link;		/* see variant_caller */
	struct task		*waiters;	/* frames awaiting this root */
	struct task		*next_waiter;
	struct task		*gather;	/* frame gathering this root */
	struct task		*next_ready;
	vtime_t			 due;
	struct task_more	*more;		/* NULL until needed */
};

_Static_assert(sizeof(struct task) <= 96, "a task stays small");

#define TASK_NO_HEAP	UINT32_MAX

/*
 * Tasks come from blocks of many: a fan-out of a million tasks makes a
 * million of them, and a malloc each would cost time and a header each.
 * They live as long as the variant; the newest block comes first, and
 * walking the blocks from there, each from its last task down, visits
 * every task from the newest to the oldest.
 */
#define TASK_BLOCK	1024

struct task_block {
	struct task_block	*next;
	size_t			 used;
	struct task		 tasks[TASK_BLOCK];
};

/* A walk over every task, newest first. */
struct task_iter {
	struct task_block	*block;
	size_t			 left;
};

struct variant {
	const struct program	*program;
	uint16_t		 variant;
	bool			 loop_traced;	/* asynchronous: show the loop */
	struct clock		*clock;
	int			 cid;
	struct trace_ring	*ring;
	atomic_bool		*stop;
	int64_t			 t0;
	int64_t			 rnow;		/* rtime since the last wait */
	vtime_t			 vnow;		/* vtime too, when simulated */
	bool			 rnow_ok;
	bool			 pushed;	/* the last event, at rnow */
	bool			 sim;		/* the clock is simulated */
	uint32_t		 seq;
	pthread_t		 thread;
	bool			 started;

	struct ev_loop		*loop;
	ev_timer		 tick;		/* without a timerfd */
	ev_io			 tick_io;	/* the timerfd, to the ns */
	int			 tick_fd;
	ev_async		 wake;

	struct task		*ready_head;
	struct task		*ready_tail;
	size_t			 nready;
	struct task		**heap;
	size_t			 nheap;
	size_t			 heap_cap;
	uint64_t		 timer_seq;
	uint64_t		 iteration;
	uint32_t		 next_id;
	struct task_block	*blocks;	/* every task, newest first */
	struct task		*entry;
	struct fetcher		*fetcher;	/* made at the first fetch */
	size_t			 nfetch;	/* awaited, queued or not */
	size_t			 nactive;	/* transfers under way */
	struct task		*queue_head;	/* waiting for a connection */
	struct task		*queue_tail;
	uint64_t		 fetch_seq;
	struct task		**landed;	/* answers not yet seen */
	size_t			 nlanded;
	size_t			 landed_cap;
};

/* variant.c: the scheduler, its ready queue and its timers */
void		 variant_emit(struct variant *, struct trace_event *);
void		 variant_flush(struct variant *);
void		 variant_state(struct variant *, struct task *, enum task_state,
		     enum trace_reason, uint32_t, int64_t);
int		 variant_line(const struct task *);
struct task	*variant_caller(const struct task *);
void		 variant_ready(struct variant *, struct task *,
		     enum trace_reason, uint32_t);
int		 variant_heap_push(struct variant *, struct task *);
void		 variant_heap_remove(struct variant *, struct task *);

/* variant-task.c: the task memory */
struct task	*variant_task_new(struct variant *, const struct proc *,
		     enum task_kind, struct task *);
void		 variant_iter_init(struct variant *, struct task_iter *);
struct task	*variant_iter(struct task_iter *);
struct task_more *variant_more(struct task *);
void		 variant_more_free(struct task_more *);
const char	*variant_value(const struct task *);
char		*variant_raised(const struct task *);
struct fetch	*variant_fetch_of(const struct task *);
void		 variant_set_value(struct task *, char *);
char		*variant_take_pending(struct task *);
int		 variant_slot_set(struct task *, int, struct task *);
struct task	*variant_slot_get(const struct task *, int);

/* variant-run.c: the frames */
void		 variant_print(struct variant *, struct task *, int, char *,
		     bool);
void		 variant_raise(struct variant *, struct task *, char *);
void		 variant_run_root(struct variant *, struct task *);

/* variant-fetch.c: the fetches */
void		 variant_watch_cb(void *, int, int);
int		 variant_fetch_begin(struct variant *, struct task *);
void		 variant_unqueue(struct variant *, struct task *);
void		 variant_fetched(void *, void *, struct fetch_result *);
void		 variant_land(struct variant *);
void		 variant_settle(struct variant *);
void		 variant_fetch_timeout(struct variant *, struct task *);
bool		 variant_fetch_queues(const struct variant *);
int		 variant_block_fetch(struct variant *, struct task *,
		     const struct op *);

#endif
