/* A variant's scheduler: its tasks, its ready queue and timers, on libev. */
#include "config.h"

#include <sys/timerfd.h>

#include <errno.h>
#include <ev.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpu.h"
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
	bool			 rnow_ok;
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

#define VARIANT_WAKE_BATCH	256	/* events before the reader is woken */

static void	 variant_iter_init(struct variant *, struct task_iter *);
static struct task *variant_iter(struct task_iter *);
static void	 variant_more_free(struct task_more *);
static void	 variant_emit(struct variant *, struct trace_event *);
static void	 variant_flush(struct variant *);
static void	 variant_state(struct variant *, struct task *, enum task_state,
		     enum trace_reason, uint32_t, int64_t);
static struct task *variant_task_new(struct variant *, const struct proc *,
		     enum task_kind, struct task *);
static void	 variant_ready(struct variant *, struct task *, enum trace_reason,
		     uint32_t);
static void	 variant_run_root(struct variant *, struct task *);
static void	 variant_finish_root(struct variant *, struct task *);
static int	 variant_heap_push(struct variant *, struct task *);
static struct task *variant_heap_pop(struct variant *);
static void	 variant_heap_remove(struct variant *, struct task *);
static void	 variant_print(struct variant *, struct task *, int, char *, bool);
static char	*variant_format(const char *, const char *);
static int	 variant_line(const struct task *);
static const char *variant_result(const struct task *);
static double	 variant_fetch_limit(struct variant *, vtime_t);
static void	 variant_land(struct variant *);
static void	 variant_deliver(struct variant *, struct task *,
		     struct fetch_result *);

static void
variant_wake_cb(void *arg)
{
	struct variant	*s = arg;

	ev_async_send(s->loop, &s->wake);
}

static void
variant_nothing_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
}

static void
variant_tick_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
}

/* The timerfd expired: empty it; the wait it ended is the point. */
static void
variant_tick_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	uint64_t	n;

	(void)loop;
	(void)revents;
	while (read(w->fd, &n, sizeof n) < 0 && errno == EINTR)
		;
}

/*
 * Arm the timerfd delay real seconds from now (rounded up to the
 * nanosecond), or disarm it when delay is negative. An ev_timer would
 * do, but libev waits in epoll_wait, whose timeout is whole milliseconds
 * rounded up and, for long waits, up to 0.1% late (10 ms on a 10 s
 * sleep); a timerfd wakes the loop on its high-resolution timer.
 */
static void
variant_tick_arm(struct variant *s, double delay)
{
	struct itimerspec	its;
	int64_t			ns;

	memset(&its, 0, sizeof its);
	if (delay >= 0) {
		ns = delay > 1e9 ? (int64_t)1e18 : (int64_t)ceil(delay * 1e9);
		if (ns < 1)
			ns = 1;		/* zero would disarm it */
		its.it_value.tv_sec = (time_t)(ns / 1000000000);
		its.it_value.tv_nsec = (long)(ns % 1000000000);
	}
	timerfd_settime(s->tick_fd, 0, &its, NULL);
}

struct variant *
variant_new(const struct variant_config *cfg)
{
	struct variant	*s;

	if ((s = calloc(1, sizeof *s)) == NULL)
		return NULL;
	s->program = cfg->program;
	s->variant = cfg->variant;
	s->loop_traced = cfg->program->kind == VARIANT_ASYNC;
	s->clock = cfg->clock;
	s->ring = cfg->ring;
	s->stop = cfg->stop;
	s->t0 = cfg->t0;
	s->loop = ev_loop_new(EVFLAG_AUTO);
	if (s->loop == NULL) {
		free(s);
		return NULL;
	}
	ev_timer_init(&s->tick, variant_tick_cb, 0, 0);
	s->tick_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (s->tick_fd >= 0) {
		ev_io_init(&s->tick_io, variant_tick_io_cb, s->tick_fd, EV_READ);
		ev_io_start(s->loop, &s->tick_io);
	}
	ev_async_init(&s->wake, variant_nothing_cb);
	ev_async_start(s->loop, &s->wake);
	/* Wake the reader per batch; variant_flush before every wait. */
	trace_ring_set_batch(s->ring, VARIANT_WAKE_BATCH);
	s->cid = clock_join(s->clock, variant_wake_cb, s);
	if (s->cid < 0) {
		if (s->tick_fd >= 0)
			close(s->tick_fd);
		ev_loop_destroy(s->loop);
		free(s);
		return NULL;
	}
	return s;
}

void
variant_free(struct variant *s)
{
	struct task		*t;
	struct task_block	*b, *next;
	struct task_iter	 it;

	if (s == NULL)
		return;
	variant_iter_init(s, &it);
	while ((t = variant_iter(&it)) != NULL)
		variant_more_free(t->more);
	for (b = s->blocks; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(s->heap);
	free(s->landed);
	fetcher_free(s->fetcher);	/* while the loop still exists */
	ev_async_stop(s->loop, &s->wake);
	if (s->tick_fd >= 0) {
		ev_io_stop(s->loop, &s->tick_io);
		close(s->tick_fd);
	}
	ev_loop_destroy(s->loop);
	free(s);
}

/*
 * Stamp an event and hand it to the ring; its text is the ring's then.
 * The real time is read once per turn of the loop and after each wait,
 * not per event: reading it would be the dearest part of an event.
 */
static void
variant_emit(struct variant *s, struct trace_event *ev)
{
	ev->variant = s->variant;
	ev->vtime = clock_now(s->clock);
	if (!s->rnow_ok) {
		s->rnow = vtime_real_ns() - s->t0;
		s->rnow_ok = true;
	}
	ev->rtime = s->rnow;
	ev->seq = s->seq++;
	if (trace_ring_push(s->ring, ev, s->stop) != 0)
		trace_event_clear(ev);
}

/*
 * The thread is about to wait: the reader must see every event so far,
 * and whatever comes after the wait gets a new real time.
 */
static void
variant_flush(struct variant *s)
{
	trace_ring_flush(s->ring);
	s->rnow_ok = false;
}

static void
variant_state(struct variant *s, struct task *t, enum task_state state,
    enum trace_reason reason, uint32_t other, int64_t a)
{
	struct trace_event	ev = { 0 };

	t->state = state;
	ev.type = TRACE_TASK_STATE;
	ev.task = t->id;
	ev.state = state;
	ev.reason = reason;
	ev.other = other;
	ev.a = a;
	ev.line = (uint16_t)variant_line(t);
	variant_emit(s, &ev);
}

/*
 * The source line a frame stands on: its current operation's, or its last.
 * A frame that waits in an await (or is ready, or resumes, to finish it)
 * has moved its pc past that await already, and stands on the await.
 */
static int
variant_line(const struct task *t)
{
	const struct proc	*p = t->proc;
	size_t			 pc = t->pc;

	if (p->nops == 0)
		return 0;
	if (t->past && pc > 0)
		pc--;
	if (pc >= p->nops)
		pc = p->nops - 1;
	return p->ops[pc].line;
}

static struct task *
variant_task_new(struct variant *s, const struct proc *p, enum task_kind kind,
    struct task *creator)
{
	struct task		*t;
	struct task_block	*b = s->blocks;
	struct trace_event	 ev = { 0 };

	if (b == NULL || b->used == TASK_BLOCK) {
		if ((b = calloc(1, sizeof *b)) == NULL)
			return NULL;
		b->next = s->blocks;
		s->blocks = b;
	}
	t = &b->tasks[b->used++];	/* zeroed by calloc, never reused */
	t->id = ++s->next_id;
	t->proc = p;
	t->kind = kind;
	t->state = TASK_CREATED;
	t->heap_index = TASK_NO_HEAP;
	if (kind == TASK_KIND_TASK) {
		t->root = t;
		t->link = t;
	}
	ev.type = TRACE_TASK_CREATE;
	ev.task = t->id;
	ev.other = creator != NULL ? creator->id : 0;
	ev.a = kind;
	ev.text = p->name;
	ev.line = creator != NULL ? (uint16_t)variant_line(creator) : 0;
	variant_emit(s, &ev);
	return t;
}

static void
variant_iter_init(struct variant *s, struct task_iter *it)
{
	it->block = s->blocks;
	it->left = it->block != NULL ? it->block->used : 0;
}

/* The next task of the walk, or NULL at its end. */
static struct task *
variant_iter(struct task_iter *it)
{
	while (it->block != NULL) {
		if (it->left > 0)
			return &it->block->tasks[--it->left];
		if ((it->block = it->block->next) != NULL)
			it->left = it->block->used;
	}
	return NULL;
}

/*
 * The frame awaiting f in place, or NULL for a root. A root has no
 * caller and a frame no stack of its own, so one field serves both:
 * a root's link is the frame on top of its stack, a frame's its caller.
 */
static struct task *
variant_caller(const struct task *f)
{
	return f->root == f ? NULL : f->link;
}

/* Put a root at the back of the ready queue. */
static void
variant_ready(struct variant *s, struct task *root, enum trace_reason reason,
    uint32_t other)
{
	root->next_ready = NULL;
	if (s->ready_tail != NULL)
		s->ready_tail->next_ready = root;
	else
		s->ready_head = root;
	s->ready_tail = root;
	s->nready++;
	variant_state(s, root->link, TASK_READY, reason, other, 0);
}

static struct task *
variant_unready(struct variant *s)
{
	struct task	*t = s->ready_head;

	if (t == NULL)
		return NULL;
	s->ready_head = t->next_ready;
	if (s->ready_head == NULL)
		s->ready_tail = NULL;
	s->nready--;
	t->next_ready = NULL;
	return t;
}

/* Timer heap ordered by due time, then by arming order. */
static bool
variant_heap_less(const struct task *a, const struct task *b)
{
	return a->due < b->due ||
	    (a->due == b->due && (int32_t)(a->seq - b->seq) < 0);
}

static void
variant_heap_swap(struct variant *s, size_t i, size_t j)
{
	struct task	*t = s->heap[i];

	s->heap[i] = s->heap[j];
	s->heap[j] = t;
	s->heap[i]->heap_index = (uint32_t)i;
	s->heap[j]->heap_index = (uint32_t)j;
}

static void
variant_heap_up(struct variant *s, size_t i)
{
	while (i > 0 && variant_heap_less(s->heap[i], s->heap[(i - 1) / 2])) {
		variant_heap_swap(s, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
variant_heap_down(struct variant *s, size_t i)
{
	size_t	l, m;

	for (;;) {
		l = 2 * i + 1;
		m = i;
		if (l < s->nheap && variant_heap_less(s->heap[l], s->heap[m]))
			m = l;
		if (l + 1 < s->nheap &&
		    variant_heap_less(s->heap[l + 1], s->heap[m]))
			m = l + 1;
		if (m == i)
			return;
		variant_heap_swap(s, i, m);
		i = m;
	}
}

static int
variant_heap_push(struct variant *s, struct task *t)
{
	struct task	**nh;
	size_t		  ncap;

	if (s->nheap == s->heap_cap) {
		ncap = s->heap_cap ? s->heap_cap * 2 : 64;
		if ((nh = realloc(s->heap, ncap * sizeof *nh)) == NULL)
			return -1;
		s->heap = nh;
		s->heap_cap = ncap;
	}
	t->seq = (uint32_t)s->timer_seq++;
	t->heap_index = (uint32_t)s->nheap;
	s->heap[s->nheap++] = t;
	variant_heap_up(s, t->heap_index);
	return 0;
}

static struct task *
variant_heap_pop(struct variant *s)
{
	struct task	*t = s->heap[0];

	variant_heap_remove(s, t);
	return t;
}

static void
variant_heap_remove(struct variant *s, struct task *t)
{
	size_t	i = t->heap_index;

	s->nheap--;
	if (i != s->nheap) {
		variant_heap_swap(s, i, s->nheap);
		variant_heap_down(s, i);
		variant_heap_up(s, i);
	}
	t->heap_index = TASK_NO_HEAP;
}

/* Replace each "{}" in fmt by value. */
static char *
variant_format(const char *fmt, const char *value)
{
	size_t		 n = 0, vlen = strlen(value);
	const char	*p;
	char		*out, *o;

	for (p = fmt; *p != '\0'; p++)
		n += (p[0] == '{' && p[1] == '}') ? vlen : 1;
	if ((out = malloc(n + 1)) == NULL)
		return NULL;
	for (p = fmt, o = out; *p != '\0'; p++) {
		if (p[0] == '{' && p[1] == '}') {
			memcpy(o, value, vlen);
			o += vlen;
			p++;
		} else
			*o++ = *p;
	}
	*o = '\0';
	return out;
}

static void
variant_print(struct variant *s, struct task *t, int line, char *text,
    bool to_stderr)
{
	struct trace_event	ev = { 0 };

	if (text == NULL)
		return;
	ev.type = TRACE_PRINT;
	ev.task = t != NULL ? t->id : 0;
	ev.line = (uint16_t)line;
	ev.text = text;
	ev.flags = TRACE_F_OWNED | (to_stderr ? TRACE_F_STDERR : 0);
	variant_emit(s, &ev);
}

/* What few tasks use, made at the first use; NULL: no memory. */
static struct task_more *
variant_more(struct task *t)
{
	if (t->more == NULL)
		t->more = calloc(1, sizeof *t->more);
	return t->more;
}

static void
variant_more_free(struct task_more *m)
{
	if (m == NULL)
		return;
	free(m->kids);
	free(m->slots);
	free(m->value);
	free(m->error);
	free(m->pending_error);
	if (m->landed != NULL) {
		fetch_result_clear(m->landed);
		free(m->landed);
	}
	free(m);
}

/* A task's last result, or NULL. */
static const char *
variant_value(const struct task *t)
{
	return t->more != NULL ? t->more->value : NULL;
}

/* What a task raised, or NULL. */
static char *
variant_raised(const struct task *t)
{
	return t->more != NULL ? t->more->error : NULL;
}

/* The GET a root awaits, or NULL. */
static struct fetch *
variant_fetch_of(const struct task *t)
{
	return t->more != NULL ? t->more->fetch : NULL;
}

/* The task's value becomes v (owned; dropped when there is no memory). */
static void
variant_set_value(struct task *t, char *v)
{
	struct task_more	*m;

	if (v == NULL && t->more == NULL)
		return;
	if ((m = variant_more(t)) == NULL) {
		free(v);
		return;
	}
	free(m->value);
	m->value = v;
}

/* Take an exception left to raise when the frame runs, or NULL. */
static char *
variant_take_pending(struct task *f)
{
	char	*why;

	if (f->more == NULL || f->more->pending_error == NULL)
		return NULL;
	why = f->more->pending_error;
	f->more->pending_error = NULL;
	return why;
}

/* Name a task in a frame's slot; the slots come at the first. */
static int
variant_slot_set(struct task *f, int slot, struct task *t)
{
	struct task_more	*m;

	if ((m = variant_more(f)) == NULL)
		return -1;
	if (m->slots == NULL &&
	    (m->slots = calloc(PROGRAM_SLOTS, sizeof *m->slots)) == NULL)
		return -1;
	m->slots[slot] = t;
	return 0;
}

/* The task in a frame's slot, or NULL. */
static struct task *
variant_slot_get(const struct task *f, int slot)
{
	if (f->more == NULL || f->more->slots == NULL)
		return NULL;
	return f->more->slots[slot];
}

/* Start frame callee on top of frame caller's stack. */
static struct task *
variant_push_frame(struct variant *s, struct task *caller, struct task *callee)
{
	struct task	*root = caller->root;

	callee->link = caller;
	callee->root = root;
	root->link = callee;
	variant_state(s, caller, TASK_WAITING_TASK, REASON_AWAIT, callee->id, 0);
	variant_state(s, callee, TASK_RUNNING, REASON_START, 0, 0);
	return callee;
}

/*
 * The frame raises why (owned). A caller awaiting it in place catches it
 * (the demos' sources say try/except); so does whoever awaits a task
 * (gather(..., return_exceptions=True)). Only an exception nobody awaits
 * is printed, as Python prints a traceback.
 */
static void
variant_raise(struct variant *s, struct task *f, char *why)
{
	struct trace_event	ev = { 0 };

	if (why == NULL)
		why = strdup("MemoryError");
	if (variant_more(f) == NULL) {
		free(why);
		why = NULL;
	} else {
		free(f->more->error);
		f->more->error = why;
	}
	if (variant_caller(f) == NULL && f->waiters == NULL &&
	    f->gather == NULL)
		variant_print(s, f, variant_line(f), why ? strdup(why) : NULL,
		    true);
	f->state = TASK_FAILED;
	ev.type = TRACE_TASK_STATE;
	ev.task = f->id;
	ev.state = TASK_FAILED;
	ev.reason = REASON_ERROR;
	ev.line = (uint16_t)variant_line(f);
	ev.text = why ? strdup(why) : NULL;
	ev.flags = ev.text ? TRACE_F_OWNED : 0;
	variant_emit(s, &ev);
}

/* A Python-style "RuntimeError: why", owned. */
static char *
variant_error(const char *kind, const char *why)
{
	size_t	 len = strlen(kind) + strlen(why) + 3;
	char	*msg;

	if ((msg = malloc(len)) != NULL)
		snprintf(msg, len, "%s: %s", kind, why);
	return msg;
}

/*
 * Frame f has ended, done or failed: back to its caller with its value or
 * its error; NULL when it was the root, now finished.
 */
static struct task *
variant_return(struct variant *s, struct task *root, struct task *f)
{
	struct task	*caller = variant_caller(f);

	if (caller == NULL) {
		variant_finish_root(s, f);
		return NULL;
	}
	root->link = caller;
	caller->past = true;	/* it resumes in its await, then moves on */
	if (variant_raised(f) != NULL)
		variant_set_value(caller, strdup(variant_raised(f)));
	else if (f->more != NULL) {
		variant_set_value(caller, f->more->value);
		f->more->value = NULL;
	} else
		variant_set_value(caller, NULL);
	caller->pc++;
	variant_state(s, caller, TASK_RUNNING, REASON_WOKEN, f->id, 0);
	return caller;
}

/* A task op makes, named in f's slot when op says so; NULL: no memory. */
static struct task *
variant_child(struct variant *s, struct task *f, const struct op *op,
    enum task_kind kind)
{
	struct task	*t = variant_task_new(s, &s->program->procs[op->proc],
			    kind, f);

	if (t != NULL && op->slot >= 0 && variant_slot_set(f, op->slot, t) != 0)
		return NULL;
	return t;
}

/* Frame f raises a RuntimeError: the frame to run next, as above. */
static struct task *
variant_fail(struct variant *s, struct task *root, struct task *f,
    const char *why)
{
	variant_raise(s, f, variant_error("RuntimeError", why));
	return variant_return(s, root, f);
}

/* The socket watchers libcurl asks for, in the trace for the loop panel. */
static void
variant_watch_cb(void *arg, int fd, int events)
{
	struct variant		*s = arg;
	struct trace_event	 ev = { 0 };

	ev.type = TRACE_IO_WATCH;
	ev.a = fd;
	ev.other = (uint32_t)events;
	variant_emit(s, &ev);
}

/*
 * A fetch ended: its phases (libcurl's timings, laid over the virtual time
 * it took: in simulated time only the wait for the answer lasts), its
 * status, and the summary as the frame's value, or the error it raises.
 */
static void
variant_fetch_result(struct variant *s, struct task *f, const struct op *op,
    struct fetch_result *r, vtime_t start, vtime_t begin)
{
	struct trace_event	ev;
	vtime_t			now = clock_now(s->clock), v0, v1, span;
	int64_t			total = r->ends[PHASE_RECEIVE], p0;
	char			summary[512], why[300];
	int			p;

	if (begin > start) {
		memset(&ev, 0, sizeof ev);
		ev.type = TRACE_IO_PHASE;
		ev.task = f->id;
		ev.state = PHASE_QUEUED;
		ev.a = start;
		ev.b = begin;
		variant_emit(s, &ev);
	}
	start = begin;
	span = now - start;
	for (p = PHASE_LOOKUP; p < PHASE_N; p++) {
		p0 = r->ends[p - 1];
		if (clock_mode(s->clock) == CLOCK_SIM || total <= 0) {
			v0 = p == PHASE_RECEIVE ? now : start;
			v1 = p == PHASE_WAIT ? now : v0;
		} else {
			v0 = start + (vtime_t)((double)span * p0 / total);
			v1 = start + (vtime_t)((double)span * r->ends[p] /
			    total);
		}
		if (v1 <= v0 && p != PHASE_WAIT)
			continue;
		memset(&ev, 0, sizeof ev);
		ev.type = TRACE_IO_PHASE;
		ev.task = f->id;
		ev.state = (uint8_t)p;
		ev.a = v0;
		ev.b = v1;
		variant_emit(s, &ev);
	}
	if (r->ok && fetch_summary(r, summary, sizeof summary, r->error,
	    sizeof r->error) == 0)
		variant_set_value(f, strdup(summary));
	else
		r->ok = false;
	memset(&ev, 0, sizeof ev);
	ev.type = TRACE_FETCH_DONE;
	ev.task = f->id;
	ev.other = (uint32_t)r->status;
	ev.a = (int64_t)r->bytes;
	if (!r->ok) {
		ev.text = strdup(r->error);
		ev.flags = TRACE_F_OWNED;
		snprintf(why, sizeof why, "%s: %s", op->label, r->error);
		if (variant_more(f) != NULL) {
			free(f->more->pending_error);
			f->more->pending_error = strdup(why);
		}
	}
	variant_emit(s, &ev);
}

/*
 * Start the transfer of a root that awaits a fetch. Simulated time is held
 * from now until our server has said when it answers (or the transfer
 * ends), so that a request on its way is never overtaken by the clock.
 */
static int
variant_fetch_begin(struct variant *s, struct task *root)
{
	struct task_more	*m = root->more;
	const struct op		*op = m->fetch_op;
	struct fetch_options	 o = { op->text,
				    variant_fetch_limit(s, op->duration),
				    op->hold, m->io_start + op->duration, 0, 0 };

	m->io_begin = clock_now(s->clock);
	m->token = clock_msg_send(s->clock, s->cid, op->hold ?
	    CLOCK_MSG_LOOP : CLOCK_MSG_LOOSE);
	o.token = m->token;
	o.sent = m->io_begin;
	if (m->token == 0 ||
	    (m->fetch = fetcher_start(s->fetcher, &o, root)) == NULL) {
		clock_msg_end(s->clock, m->token);
		return -1;
	}
	s->nactive++;
	return 0;
}

/* A connection is free: the first fetch waiting for one gets it. */
static void
variant_fetch_next(struct variant *s)
{
	struct task		*root;
	struct fetch_result	 r;

	while ((root = s->queue_head) != NULL && (s->program->max_connections
	    <= 0 || (long)s->nactive < s->program->max_connections)) {
		s->queue_head = root->more->next_queued;
		if (s->queue_head == NULL)
			s->queue_tail = NULL;
		root->queued = false;
		if (variant_fetch_begin(s, root) == 0)
			continue;
		memset(&r, 0, sizeof r);
		snprintf(r.error, sizeof r.error, "cannot start the transfer");
		if (root->heap_index != TASK_NO_HEAP)
			variant_heap_remove(s, root);
		s->nfetch--;
		variant_fetch_result(s, root->link, root->more->fetch_op, &r,
		    root->more->io_start, clock_now(s->clock));
		variant_ready(s, root, REASON_IO, 0);
	}
}

/* Take a root out of the queue for a connection. */
static void
variant_unqueue(struct variant *s, struct task *root)
{
	struct task	**pp;

	for (pp = &s->queue_head; *pp != NULL; pp = &(*pp)->more->next_queued)
		if (*pp == root) {
			*pp = root->more->next_queued;
			break;
		}
	s->queue_tail = NULL;
	for (pp = &s->queue_head; *pp != NULL; pp = &(*pp)->more->next_queued)
		s->queue_tail = *pp;
	root->queued = false;
}

/*
 * libcurl finished a transfer a root awaited: keep its answer for
 * variant_land, which hands every answer of one instant over in the order
 * the requests were made, not in the order the sockets were read.
 */
static void
variant_fetched(void *arg, void *owner, struct fetch_result *r)
{
	struct variant		*s = arg;
	struct task		*root = owner;
	struct task		**nl;
	struct fetch_result	*keep;
	size_t			 ncap;

	/* Running again before the message ends: time must not jump. */
	clock_busy(s->clock, s->cid);
	root->more->fetch = NULL;
	if (s->nlanded == s->landed_cap) {
		ncap = s->landed_cap ? s->landed_cap * 2 : 64;
		if ((nl = realloc(s->landed, ncap * sizeof *nl)) != NULL) {
			s->landed = nl;
			s->landed_cap = ncap;
		}
	}
	if (s->nlanded < s->landed_cap &&
	    (keep = malloc(sizeof *keep)) != NULL) {
		*keep = *r;
		memset(r, 0, sizeof *r);
	} else
		keep = NULL;
	clock_msg_end(s->clock, root->more->token);
	root->more->token = 0;
	if (keep == NULL) {
		variant_deliver(s, root, r);	/* out of turn, but seen */
		return;
	}
	root->more->landed = keep;
	s->landed[s->nlanded++] = root;
}

/* An awaited fetch's answer: the root is ready again. */
static void
variant_deliver(struct variant *s, struct task *root, struct fetch_result *r)
{
	if (root->heap_index != TASK_NO_HEAP)
		variant_heap_remove(s, root);
	s->nfetch--;
	s->nactive--;
	variant_fetch_result(s, root->link, root->more->fetch_op, r,
	    root->more->io_start, root->more->io_begin);
	fetch_result_clear(r);
	variant_ready(s, root, REASON_IO, 0);
	variant_fetch_next(s);
}

static int
variant_landed_cmp(const void *a, const void *b)
{
	const struct task	*x = *(struct task *const *)a;
	const struct task	*y = *(struct task *const *)b;

	return x->more->fetch_seq < y->more->fetch_seq ? -1 :
	    x->more->fetch_seq > y->more->fetch_seq;
}

/* The answers that came, in the order of their requests: ready again. */
static void
variant_land(struct variant *s)
{
	struct task		*root;
	struct fetch_result	*r;
	size_t			 i, n = s->nlanded;

	if (n == 0)
		return;
	qsort(s->landed, n, sizeof *s->landed, variant_landed_cmp);
	for (i = 0; i < n; i++) {
		root = s->landed[i];
		r = root->more->landed;
		root->more->landed = NULL;
		variant_deliver(s, root, r);
		free(r);
	}
	s->nlanded = 0;
}

/*
 * In simulated time, before a turn of the loop looks at the clock: let
 * the server answer what is due at this instant, then read every answer
 * on its way (and send what requests libcurl has not sent yet).
 */
static void
variant_settle(struct variant *s)
{
	if (clock_mode(s->clock) != CLOCK_SIM)
		return;
	clock_settle(s->clock, s->cid);
	while (clock_msg_pending(s->clock, s->cid) > 0 &&
	    !atomic_load(s->stop) && !clock_stopping(s->clock)) {
		ev_run(s->loop, EVRUN_ONCE);
		clock_busy(s->clock, s->cid);
	}
	s->rnow_ok = false;
}

/* Its timeout came before its answer: give the transfer up. */
static void
variant_fetch_timeout(struct variant *s, struct task *root)
{
	struct fetch_result	 r;
	struct task_more	*m = root->more;
	bool			 active = m->fetch != NULL;

	if (active) {
		fetcher_abort(s->fetcher, m->fetch);
		m->fetch = NULL;
		s->nactive--;
	} else {
		variant_unqueue(s, root);
		m->io_begin = clock_now(s->clock);
	}
	s->nfetch--;
	memset(&r, 0, sizeof r);
	snprintf(r.error, sizeof r.error, "timeout after %.2f s%s",
	    vtime_to_sec(m->fetch_op->duration), active ? "" :
	    " waiting for a connection");
	variant_fetch_result(s, root->link, m->fetch_op, &r, m->io_start,
	    m->io_begin);
	if (active) {
		clock_msg_end(s->clock, m->token);
		m->token = 0;
	}
	variant_ready(s, root, REASON_TIMER, 0);
	variant_fetch_next(s);
}

/* All the connections the program may open are taken. */
static bool
variant_fetch_queues(const struct variant *s)
{
	return s->program->max_connections > 0 &&
	    (long)s->nactive >= s->program->max_connections;
}

struct variant_stop {
	struct variant	*s;
	vtime_t		 deadline;
};

/* A blocking fetch gives up at its virtual deadline, or when we stop. */
static int
variant_fetch_stop(void *arg)
{
	struct variant_stop	*st = arg;

	return atomic_load(st->s->stop) ||
	    clock_now(st->s->clock) >= st->deadline;
}

/* The real-time limit libcurl keeps as a last resort. */
static double
variant_fetch_limit(struct variant *s, vtime_t timeout)
{
	double	speed = clock_speed(s->clock);

	if (clock_mode(s->clock) == CLOCK_SIM)
		return vtime_to_sec(timeout) + 1;
	return vtime_to_sec(timeout) / speed + 1;
}

/*
 * A blocking GET, as requests.get() makes it: the thread (and so the
 * loop, in a coroutine) waits. Returns 0, or -1 when the frame raised.
 */
static int
variant_block_fetch(struct variant *s, struct task *f, const struct op *op)
{
	struct fetch_options	o = { op->text, 0, op->hold, 0, 0, 0 };
	struct variant_stop	st;
	struct fetch_result	r;
	vtime_t			start = clock_now(s->clock);
	char			*why;

	st.s = s;
	st.deadline = start + op->duration;
	o.timeout = variant_fetch_limit(s, op->duration);
	o.deadline = st.deadline;
	o.sent = start;
	variant_state(s, f, TASK_BLOCKED, REASON_BLOCK_FETCH, 0, st.deadline);
	/* The call waits for this one; what comes for the loop waits. */
	o.token = clock_msg_send(s->clock, s->cid, CLOCK_MSG_DIRECT);
	variant_flush(s);
	clock_block(s->clock, s->cid, st.deadline);
	if (fetch_blocking(&o, variant_fetch_stop, &st, &r) != 0 &&
	    clock_now(s->clock) >= st.deadline)
		snprintf(r.error, sizeof r.error, "timeout after %.2f s",
		    vtime_to_sec(op->duration));
	clock_busy(s->clock, s->cid);
	variant_fetch_result(s, f, op, &r, start, start);
	fetch_result_clear(&r);
	clock_msg_end(s->clock, o.token);
	if ((why = variant_take_pending(f)) != NULL) {
		variant_raise(s, f, why);	/* on the line of the call */
		f->pc++;
		return -1;
	}
	variant_state(s, f, TASK_RUNNING, REASON_RESUME, 0, 0);
	f->pc++;
	return 0;
}

/*
 * Run a root's top frame until it suspends or its stack empties: one step
 * of the event loop for this task.
 */
static void
variant_run_root(struct variant *s, struct task *root)
{
	struct task	*f = root->link, *callee;
	const struct op	*op;
	vtime_t		 now, due;
	char		 digits[16], buf[160], *why;
	const char	*val;
	struct task_more *m;
	size_t		 i;

	variant_state(s, f, TASK_RUNNING,
	    f->pc == 0 ? REASON_START : REASON_RESUME, 0, 0);
	if ((why = variant_take_pending(f)) != NULL) {
		/* What it awaited failed: the exception surfaces here. */
		variant_raise(s, f, why);
		if ((f = variant_return(s, root, f)) == NULL)
			return;
	}
	for (;;) {
		if (atomic_load(s->stop))
			return;
		f->past = false;
		if (f->pc >= f->proc->nops) {
			variant_state(s, f, TASK_DONE, REASON_RETURN, 0, 0);
			if ((f = variant_return(s, root, f)) == NULL)
				return;
			continue;
		}
		op = &f->proc->ops[f->pc];
		switch (op->kind) {
		case OP_SLEEP:
			f->pc++;
			f->past = true;
			if (op->duration <= 0) {
				variant_ready(s, root, REASON_YIELD, 0);
				return;
			}
			root->due = clock_now(s->clock) + op->duration;
			if (variant_heap_push(s, root) != 0) {
				if ((f = variant_fail(s, root, f,
				    "out of memory")) == NULL)
					return;
				break;
			}
			variant_state(s, f, TASK_WAITING_TIMER, REASON_SLEEP, 0,
			    root->due);
			return;
		case OP_BLOCK_SLEEP:
		case OP_CPU:
			now = clock_now(s->clock);
			due = now + op->duration;
			variant_state(s, f, TASK_BLOCKED, op->kind == OP_CPU ?
			    REASON_CPU : REASON_BLOCK_SLEEP, 0, due);
			if (op->kind == OP_CPU) {
				if (cpu_leading_digits(op->base, op->exponent,
				    2, digits, sizeof digits) != 0)
					snprintf(digits, sizeof digits, "?");
				variant_set_value(f, strdup(digits));
			}
			variant_flush(s);
			if (clock_wait_until(s->clock, s->cid, due,
			    op->kind == OP_CPU) != 0)
				return;
			variant_state(s, f, TASK_RUNNING, REASON_RESUME, 0, 0);
			f->pc++;
			break;
		case OP_PRINT:
			val = variant_value(f);
			variant_print(s, f, op->line, variant_format(op->text,
			    val != NULL ? val : "None"), false);
			f->pc++;
			break;
		case OP_PRINT_ELAPSED:
			snprintf(buf, sizeof buf, "%.2f", vtime_to_sec(
			    clock_now(s->clock) - (f->more != NULL ?
			    f->more->mark : 0)));
			variant_print(s, f, op->line, variant_format(op->text, buf),
			    false);
			f->pc++;
			break;
		case OP_MARK:
			if ((m = variant_more(f)) == NULL) {
				if ((f = variant_fail(s, root, f,
				    "out of memory")) == NULL)
					return;
				break;
			}
			m->mark = clock_now(s->clock);
			f->pc++;
			break;
		case OP_CORO:
			if ((callee = variant_child(s, f, op, TASK_KIND_COROUTINE)) == NULL) {
				if ((f = variant_fail(s, root, f,
				    "out of memory")) == NULL)
					return;
				break;
			}
			snprintf(buf, sizeof buf,
			    "<coroutine object %s at 0x7f%010" PRIx32 ">",
			    callee->proc->func, callee->id * 0x40);
			variant_set_value(f, strdup(buf));
			f->pc++;
			break;
		case OP_CALL:
		case OP_AWAIT:
			if (op->proc >= 0) {
				callee = variant_task_new(s,
				    &s->program->procs[op->proc],
				    op->kind == OP_CALL ? TASK_KIND_FUNCTION :
				    TASK_KIND_COROUTINE, f);
				if (callee == NULL) {
					if ((f = variant_fail(s, root, f,
					    "out of memory")) == NULL)
						return;
					break;
				}
			} else if ((callee = variant_slot_get(f,
			    op->slot)) == NULL) {
				if ((f = variant_fail(s, root, f,
				    "await of an empty name")) == NULL)
					return;
				break;
			}
			if (callee->kind == TASK_KIND_TASK) {
				/* Awaiting a task: done already, or wait. */
				if (trace_state_final(callee->state)) {
					variant_set_value(f, strdup(
					    variant_result(callee)));
					f->pc++;
					break;
				}
				f->next_waiter = callee->waiters;
				callee->waiters = f;
				variant_state(s, f, TASK_WAITING_TASK,
				    REASON_AWAIT, callee->id, 0);
				return;
			}
			if (callee->state != TASK_CREATED) {
				if ((f = variant_fail(s, root, f,
				    "cannot reuse already awaited coroutine")) == NULL)
					return;
				break;
			}
			f = variant_push_frame(s, f, callee);
			break;
		case OP_SPAWN:
			if ((callee = variant_child(s, f, op, TASK_KIND_TASK)) == NULL) {
				if ((f = variant_fail(s, root, f,
				    "out of memory")) == NULL)
					return;
				break;
			}
			variant_ready(s, callee, REASON_SCHEDULED, f->id);
			f->pc++;
			break;
		case OP_GATHER:
			if ((m = variant_more(f)) != NULL) {
				free(m->kids);
				m->kids = calloc(op->nprocs, sizeof *m->kids);
			}
			if (m == NULL || (m->kids == NULL && op->nprocs > 0)) {
				if ((f = variant_fail(s, root, f,
				    "out of memory")) == NULL)
					return;
				break;
			}
			m->nkids = m->kids_left = 0;
			for (i = 0; i < op->nprocs; i++) {
				callee = variant_task_new(s,
				    &s->program->procs[op->procs[i]],
				    TASK_KIND_TASK, f);
				if (callee == NULL)
					break;
				callee->gather = f;
				m->kids[m->nkids++] = callee;
				m->kids_left++;
				variant_ready(s, callee, REASON_SCHEDULED, f->id);
			}
			f->pc++;
			if (m->kids_left == 0)
				break;
			f->past = true;
			variant_state(s, f, TASK_WAITING_TASK, REASON_GATHER, 0,
			    (int64_t)m->nkids);
			return;
		case OP_RETURN:
			variant_set_value(f, op->text ? strdup(op->text) : NULL);
			f->pc = f->proc->nops;
			break;
		case OP_FETCH:
			f->pc++;
			f->past = true;
			if (s->fetcher == NULL)
				s->fetcher = fetcher_new(s->loop,
				    s->program->max_connections,
				    variant_fetched, variant_watch_cb, s);
			if ((m = variant_more(root)) == NULL) {
				if ((f = variant_fail(s, root, f,
				    "out of memory")) == NULL)
					return;
				break;
			}
			m->fetch_op = op;
			m->fetch_seq = s->fetch_seq++;
			m->io_start = clock_now(s->clock);
			if (s->fetcher == NULL || (!variant_fetch_queues(s) &&
			    variant_fetch_begin(s, root) != 0)) {
				variant_raise(s, f, variant_error(op->label,
				    "cannot start the transfer"));
				if ((f = variant_return(s, root, f)) == NULL)
					return;
				break;
			}
			if (m->fetch == NULL) {
				/* Every connection is taken: wait in line. */
				root->queued = true;
				m->next_queued = NULL;
				if (s->queue_tail != NULL)
					s->queue_tail->more->next_queued = root;
				else
					s->queue_head = root;
				s->queue_tail = root;
			}
			s->nfetch++;
			root->due = m->io_start + op->duration;
			variant_heap_push(s, root);
			variant_state(s, f, TASK_WAITING_IO, REASON_FETCH, 0,
			    root->due);
			return;
		case OP_BLOCK_FETCH:
			if (variant_block_fetch(s, f, op) != 0 &&
			    (f = variant_return(s, root, f)) == NULL)
				return;
			break;
		case OP_REPEAT:
			if (!f->repeating) {
				f->repeating = true;
				f->repeat_left = (uint32_t)op->count;
			}
			if (f->repeat_left > 0) {
				f->repeat_left--;
				f->pc = op->target;
			} else {
				f->repeating = false;
				f->pc++;
			}
			break;
		}
	}
}

/* What a finished task gives its awaiter: its error, its value, or None. */
static const char *
variant_result(const struct task *t)
{
	if (variant_raised(t) != NULL)
		return variant_raised(t);
	return variant_value(t) != NULL ? variant_value(t) : "None";
}

/* Join the results of a gather the way Python prints a list. */
static char *
variant_gather_value(struct task *f)
{
	struct task_more	*m = f->more;
	size_t			 i, n = 3;
	char			*out;

	for (i = 0; i < m->nkids; i++)
		n += strlen(variant_result(m->kids[i])) + 4;
	if ((out = malloc(n)) == NULL)
		return NULL;
	strcpy(out, "[");
	for (i = 0; i < m->nkids; i++) {
		if (i > 0)
			strcat(out, ", ");
		strcat(out, variant_result(m->kids[i]));
	}
	strcat(out, "]");
	return out;
}

/* A root finished: wake whoever awaited it. */
static void
variant_finish_root(struct variant *s, struct task *t)
{
	struct task	*w, *next, *g;

	for (w = t->waiters; w != NULL; w = next) {
		next = w->next_waiter;
		w->next_waiter = NULL;
		variant_set_value(w, variant_raised(t) != NULL ?
		    strdup(variant_raised(t)) : variant_value(t) != NULL ?
		    strdup(variant_value(t)) : NULL);
		if (w->state == TASK_WAITING_TASK)
			variant_ready(s, w->root, REASON_WOKEN, t->id);
	}
	t->waiters = NULL;
	if ((g = t->gather) != NULL && g->more->kids_left > 0 &&
	    --g->more->kids_left == 0 && g->state == TASK_WAITING_TASK) {
		variant_set_value(g, variant_gather_value(g));
		variant_ready(s, g->root, REASON_WOKEN, t->id);
	}
}

/* One turn of the loop: fire due timers, then run what was ready. */
static void
variant_run_once(struct variant *s)
{
	struct trace_event	 ev;
	struct task		*t;
	vtime_t			 now;
	size_t			 n;

	variant_settle(s);
	variant_land(s);
	now = clock_now(s->clock);
	s->rnow_ok = false;
	while (s->nheap > 0 && s->heap[0]->due <= now) {
		t = variant_heap_pop(s);
		if (variant_fetch_of(t) != NULL || t->queued) {
			variant_fetch_timeout(s, t);
			continue;
		}
		memset(&ev, 0, sizeof ev);
		ev.type = TRACE_TIMER_FIRE;
		ev.task = t->link->id;
		ev.a = t->due;
		variant_emit(s, &ev);
		variant_ready(s, t, REASON_TIMER, 0);
	}
	if (s->nready == 0)
		return;
	s->iteration++;
	if (s->loop_traced) {
		memset(&ev, 0, sizeof ev);
		ev.type = TRACE_LOOP_ITER;
		ev.a = (int64_t)s->iteration;
		ev.n_ready = (uint32_t)s->nready;
		ev.n_timers = (uint32_t)(s->nheap - s->nfetch);
		ev.n_io = s->fetcher != NULL ?
		    (uint32_t)fetcher_sockets(s->fetcher) : 0;
		variant_emit(s, &ev);
	}
	for (n = s->nready; n > 0 && !atomic_load(s->stop); n--) {
		t = variant_unready(s);
		variant_run_root(s, t);
	}
}

/* Wait for the next timer, I/O or a word from the clock. */
static void
variant_wait(struct variant *s)
{
	vtime_t	due = s->nheap > 0 ? s->heap[0]->due : VTIME_NEVER;
	double	delay;

	variant_flush(s);
	clock_idle(s->clock, s->cid, due);
	delay = clock_delay(s->clock, due);
	if (delay == 0)
		ev_run(s->loop, EVRUN_NOWAIT);	/* due already: I/O only */
	else {
		if (delay > 0 && s->tick_fd >= 0)
			variant_tick_arm(s, delay);
		else if (delay > 0) {
			ev_now_update(s->loop);
			ev_timer_set(&s->tick, delay, 0);
			ev_timer_start(s->loop, &s->tick);
		}
		ev_run(s->loop, EVRUN_ONCE);
		if (delay > 0 && s->tick_fd >= 0)
			variant_tick_arm(s, -1);
		ev_timer_stop(s->loop, &s->tick);
	}
	clock_busy(s->clock, s->cid);
}

/* The loop closes: cancel what is left, warn of what never ran. */
static void
variant_close(struct variant *s)
{
	struct task		*t, *f;
	struct task_iter	 it;
	char			*msg;
	size_t			 len;

	variant_iter_init(s, &it);
	while ((t = variant_iter(&it)) != NULL) {
		if (t->root != t || trace_state_final(t->state))
			continue;
		if (t->heap_index != TASK_NO_HEAP)
			variant_heap_remove(s, t);
		if (t->queued)
			variant_unqueue(s, t);
		if (variant_fetch_of(t) != NULL) {
			fetcher_abort(s->fetcher, t->more->fetch);
			t->more->fetch = NULL;
			s->nfetch--;
			s->nactive--;
			clock_msg_end(s->clock, t->more->token);
			t->more->token = 0;
		}
		for (f = t->link; f != NULL; f = variant_caller(f))
			if (!trace_state_final(f->state))
				variant_state(s, f, TASK_CANCELLED,
				    REASON_LOOP_CLOSED, 0, 0);
	}
	variant_iter_init(s, &it);
	while ((t = variant_iter(&it)) != NULL) {
		if (t->kind != TASK_KIND_COROUTINE || t->state != TASK_CREATED)
			continue;
		len = strlen(t->proc->func) + 64;
		if ((msg = malloc(len)) == NULL)
			continue;
		snprintf(msg, len, "RuntimeWarning: coroutine '%s' was never "
		    "awaited", t->proc->func);
		variant_print(s, t, variant_line(t), msg, true);
		variant_state(s, t, TASK_CANCELLED, REASON_NEVER_AWAITED, 0, 0);
	}
}

static void *
variant_main(void *arg)
{
	struct variant		*s = arg;
	struct trace_event	 ev = { 0 };
	const struct program	*p = s->program;
	vtime_t			 start;

	start = clock_now(s->clock);
	/* asyncio.run() wraps the entry in a task; a plain main() is called. */
	s->entry = variant_task_new(s, &p->procs[p->entry],
	    p->procs[p->entry].coroutine ? TASK_KIND_TASK : TASK_KIND_FUNCTION,
	    NULL);
	if (s->entry != NULL) {
		s->entry->root = s->entry->link = s->entry;
		variant_ready(s, s->entry, REASON_SCHEDULED, 0);
	}
	while (s->entry != NULL && !atomic_load(s->stop)) {
		variant_run_once(s);
		if (trace_state_final(s->entry->state) || atomic_load(s->stop))
			break;
		if (s->nready > 0)
			continue;
		if (s->nheap == 0)
			break;	/* nothing can ever wake the entry again */
		variant_wait(s);
	}
	if (!atomic_load(s->stop))
		variant_close(s);
	memset(&ev, 0, sizeof ev);
	ev.type = TRACE_VARIANT_END;
	ev.flags = atomic_load(s->stop) ? TRACE_F_STOPPED : 0;
	ev.a = clock_now(s->clock) - start;
	variant_emit(s, &ev);
	variant_flush(s);
	clock_leave(s->clock, s->cid);
	return NULL;
}

/*
 * Say the variant exists, from the thread that starts it and before any
 * variant runs: whoever reads the trace then knows every variant at once.
 */
void
variant_announce(struct variant *s)
{
	struct trace_event	ev = { 0 };

	ev.type = TRACE_VARIANT_START;
	ev.a = s->program->kind;
	ev.text = s->program->name;
	variant_emit(s, &ev);
}

/*
 * Start the variant's thread with the asynchronous signals blocked: they
 * belong to the thread that called the engine (its curses, its loop).
 */
int
variant_start(struct variant *s)
{
	sigset_t	all, old;
	int		rc;

	sigfillset(&all);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGILL);
	sigdelset(&all, SIGABRT);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&s->thread, NULL, variant_main, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		return -1;
	s->started = true;
	return 0;
}

void
variant_join(struct variant *s)
{
	if (s->started)
		pthread_join(s->thread, NULL);
	s->started = false;
}
