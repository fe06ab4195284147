/* A variant's scheduler: its tasks, its ready queue and timers, on libev. */
#include "config.h"

#include <sys/timerfd.h>

#include <errno.h>
#include <ev.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace-int.h"
#include "variant-int.h"

#define VARIANT_WAKE_BATCH	256	/* events before the reader is woken */

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
	s->sim = clock_mode(s->clock) == CLOCK_SIM;
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
 * not per event: reading it would be the dearest part of an event. So is
 * a simulated clock's virtual time, which moves only while every variant
 * waits (clock_advance, clock_step): not in a turn of this one.
 */
void
variant_emit(struct variant *s, struct trace_event *ev)
{
	ev->variant = s->variant;
	if (!s->rnow_ok) {
		s->rnow = vtime_real_ns() - s->t0;
		if (s->sim)
			s->vnow = clock_now(s->clock);
		s->rnow_ok = true;
	}
	ev->vtime = s->sim ? s->vnow : clock_now(s->clock);
	ev->rtime = s->rnow;
	ev->seq = s->seq++;
	/* The next may follow it in one slot: see variant_state. */
	s->pushed = s->sim;
	if (trace_ring_push(s->ring, ev, s->stop) != 0) {
		s->pushed = false;
		trace_event_clear(ev);
	}
}

/*
 * The thread is about to wait: the reader must see every event so far,
 * and whatever comes after the wait gets a new real time.
 */
void
variant_flush(struct variant *s)
{
	trace_ring_flush(s->ring);
	s->rnow_ok = false;
}

/*
 * The source line a frame stands on: its current operation's, or its last.
 * A frame that waits in an await (or is ready, or resumes, to finish it)
 * has moved its pc past that await already, and stands on the await.
 */
static inline int
variant_line_of(const struct task *t)
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

/* variant_line_of, for the other files of the variant. */
int
variant_line(const struct task *t)
{
	return variant_line_of(t);
}

/* variant_state's event, in full. */
static __attribute__((noinline)) void
variant_state_emit(struct variant *s, struct task *t, enum task_state state,
    enum trace_reason reason, uint32_t other, int64_t a)
{
	struct trace_event	ev = { 0 };

	ev.type = TRACE_TASK_STATE;
	ev.task = t->id;
	ev.state = state;
	ev.reason = reason;
	ev.other = other;
	ev.a = a;
	ev.line = (uint16_t)variant_line_of(t);
	variant_emit(s, &ev);
}

/*
 * Task t enters state. In the simulated clock, a change of state without
 * an a that comes in the same turn as the event before it has that
 * event's stamp (variant_emit): it goes in the ring's short form, which
 * needs no event built. The rest go through variant_emit.
 */
void
variant_state(struct variant *s, struct task *t, enum task_state state,
    enum trace_reason reason, uint32_t other, int64_t a)
{
	t->state = state;
	if (a != 0 || !s->rnow_ok || !s->pushed) {
		variant_state_emit(s, t, state, reason, other, a);
		return;
	}
	s->seq++;
	if (trace_ring_push_state(s->ring, t->id, (uint8_t)state,
	    (uint8_t)reason, (uint16_t)variant_line_of(t), other, s->stop) != 0)
		s->pushed = false;
}

/*
 * The frame awaiting f in place, or NULL for a root. A root has no
 * caller and a frame no stack of its own, so one field serves both:
 * a root's link is the frame on top of its stack, a frame's its caller.
 */
struct task *
variant_caller(const struct task *f)
{
	return f->root == f ? NULL : f->link;
}

/* Put a root at the back of the ready queue. */
void
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

int
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

void
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
