/* Bounded single-producer, single-consumer rings of trace events. */
#include "config.h"

#include <sys/eventfd.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "trace.h"

/*
 * The writer (a variant's thread) and the reader (the thread that called
 * the engine) share only two counters; each owns one. A full ring makes the
 * writer wait: events are never dropped, and memory never grows.
 *
 * The reader keeps a copy of head and reads the shared one only when its
 * copy says the ring is empty. A waiting writer is woken once half the
 * ring is free, not at every slot, and a sleeping reader is woken once
 * batch events were written since the last wake (at once by default; see
 * trace_ring_set_batch and trace_ring_flush): the full fence a wake needs
 * makes the writer wait for its stores to reach the other core.
 */
struct trace_ring {
	_Alignas(64) atomic_size_t	 head;	/* written by the writer */
	size_t				 high_water;
	size_t				 batch;
	size_t				 unflushed;	/* since the last flush */
	_Alignas(64) atomic_size_t	 tail;	/* written by the reader */
	size_t				 head_seen;	/* reader's copy */
	_Alignas(64) atomic_bool	 writer_waiting;
	size_t				 mask;
	struct trace_event		*slots;
	struct trace_notify		*notify;
	pthread_mutex_t			 lock;	/* slow path only */
	pthread_cond_t			 cond;
};

static const char *trace_state_names[TASK_NSTATES] = {
	"created", "ready", "running", "waiting_timer", "waiting_io",
	"waiting_task", "blocked", "done", "failed", "cancelled"
};

static const char *trace_reason_names[REASON_NREASONS] = {
	"", "start", "scheduled", "sleep", "yield", "timer", "await",
	"gather", "woken", "time.sleep", "cpu", "resume", "return",
	"loop closed", "never awaited", "fetch", "blocking fetch", "io",
	"error"
};

static const char *trace_type_names[TRACE_NTYPES] = {
	"variant_start", "variant_end", "task_create", "task_state", "print",
	"loop_iteration", "timer_fire", "clock", "warning", "io_phase",
	"fetch_done", "io_watch"
};

static const char *trace_phase_names[PHASE_N] = {
	"queued", "lookup", "connect", "tls", "send", "wait", "receive"
};

static const char *trace_kind_names[] = { "function", "coroutine", "task" };

int64_t
vtime_real_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Make a ring of at least n slots (rounded up to a power of two). */
struct trace_ring *
trace_ring_new(size_t n, struct trace_notify *notify)
{
	struct trace_ring	*r;
	size_t			 size = 16;

	while (size < n)
		size <<= 1;
	if ((r = calloc(1, sizeof *r)) == NULL)
		return NULL;
	if ((r->slots = calloc(size, sizeof *r->slots)) == NULL) {
		free(r);
		return NULL;
	}
	r->mask = size - 1;
	r->batch = 1;
	r->notify = notify;
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	atomic_init(&r->writer_waiting, false);
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	return r;
}

/* Free a ring and whatever text its unread events still own. */
void
trace_ring_free(struct trace_ring *r)
{
	struct trace_event	ev;

	if (r == NULL)
		return;
	while (trace_ring_pop(r, &ev, 1) == 1)
		trace_event_clear(&ev);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->cond);
	free(r->slots);
	free(r);
}

/*
 * Append one event; waits while the ring is full. Returns -1 without
 * writing when *stop becomes true during that wait; the event's text then
 * stays the caller's.
 */
int
trace_ring_push(struct trace_ring *r, const struct trace_event *ev,
    const atomic_bool *stop)
{
	size_t	head, tail, used;

	head = atomic_load_explicit(&r->head, memory_order_relaxed);
	tail = atomic_load_explicit(&r->tail, memory_order_acquire);
	if (head - tail > r->mask) {
		/* A reader asleep would never free a slot: wake it first. */
		trace_ring_flush(r);
		pthread_mutex_lock(&r->lock);
		atomic_store(&r->writer_waiting, true);
		for (;;) {
			tail = atomic_load(&r->tail);
			if (head - tail <= r->mask)
				break;
			if (stop != NULL && atomic_load(stop)) {
				atomic_store(&r->writer_waiting, false);
				pthread_mutex_unlock(&r->lock);
				return -1;
			}
			pthread_cond_wait(&r->cond, &r->lock);
		}
		atomic_store(&r->writer_waiting, false);
		pthread_mutex_unlock(&r->lock);
	}
	r->slots[head & r->mask] = *ev;
	atomic_store_explicit(&r->head, head + 1, memory_order_release);
	used = head + 1 - tail;
	if (used > r->high_water)
		r->high_water = used;
	if (++r->unflushed >= r->batch)
		trace_ring_flush(r);
	return 0;
}

/*
 * Wake the reader if it sleeps and an event waits for it. A writer that
 * batches its wakes calls this before it stops writing for a while.
 */
void
trace_ring_flush(struct trace_ring *r)
{
	/*
	 * The reader sets waiting, then looks at head; we set head, then look
	 * at waiting. Without a full fence between our store and our load,
	 * both could see the old value and the reader would sleep on an event.
	 */
	r->unflushed = 0;
	atomic_thread_fence(memory_order_seq_cst);
	if (r->notify != NULL && atomic_load(&r->notify->waiting))
		trace_notify_wake(r->notify);
}

/*
 * Wake a sleeping reader only once n events wait, or at trace_ring_flush
 * (n is at most half the ring): for a writer that flushes before it waits.
 */
void
trace_ring_set_batch(struct trace_ring *r, size_t n)
{
	if (n < 1)
		n = 1;
	if (n > (r->mask + 1) / 2)
		n = (r->mask + 1) / 2;
	r->batch = n;
}

/* Take up to n events, oldest first; never waits. */
size_t
trace_ring_pop(struct trace_ring *r, struct trace_event *out, size_t n)
{
	size_t	head, tail, i, avail;

	tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	head = r->head_seen;
	if (head == tail)
		head = r->head_seen = atomic_load_explicit(&r->head,
		    memory_order_acquire);
	avail = head - tail;
	if (avail > n)
		avail = n;
	for (i = 0; i < avail; i++)
		out[i] = r->slots[(tail + i) & r->mask];
	if (avail == 0)
		return 0;
	atomic_store_explicit(&r->tail, tail + avail, memory_order_seq_cst);
	/* A waiting writer goes on once half the ring is free. */
	if (head - (tail + avail) <= (r->mask + 1) / 2 &&
	    atomic_load(&r->writer_waiting))
		trace_ring_wake_writer(r);
	return avail;
}

/* Wake a writer waiting on a full ring (also used to make it see a stop). */
void
trace_ring_wake_writer(struct trace_ring *r)
{
	pthread_mutex_lock(&r->lock);
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

size_t
trace_ring_capacity(const struct trace_ring *r)
{
	return r->mask + 1;
}

/* The most events the ring ever held at once. */
size_t
trace_ring_high_water(const struct trace_ring *r)
{
	return r->high_water;
}

bool
trace_ring_empty(struct trace_ring *r)
{
	return atomic_load(&r->head) == atomic_load(&r->tail);
}

void
trace_notify_init(struct trace_notify *n)
{
	atomic_init(&n->waiting, false);
	n->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

void
trace_notify_close(struct trace_notify *n)
{
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
}

/* Wake the reader if it said it was going to sleep. */
void
trace_notify_wake(struct trace_notify *n)
{
	uint64_t	one = 1;
	ssize_t		w;

	if (!atomic_exchange(&n->waiting, false))
		return;
	do
		w = write(n->fd, &one, sizeof one);
	while (w < 0 && errno == EINTR);
}

/* Empty the eventfd after the reader woke up. */
void
trace_notify_clear(struct trace_notify *n)
{
	uint64_t	v;
	ssize_t		r;

	do
		r = read(n->fd, &v, sizeof v);
	while (r < 0 && errno == EINTR);
}

/* Release what an event owns. */
void
trace_event_clear(struct trace_event *ev)
{
	if (ev->flags & TRACE_F_OWNED)
		free(ev->text);
	ev->text = NULL;
	ev->flags &= ~TRACE_F_OWNED;
}

const char *
trace_state_name(enum task_state s)
{
	return (unsigned)s < TASK_NSTATES ? trace_state_names[s] : "?";
}

const char *
trace_reason_name(enum trace_reason r)
{
	return (unsigned)r < REASON_NREASONS ? trace_reason_names[r] : "?";
}

const char *
trace_type_name(enum trace_type t)
{
	return (unsigned)t < TRACE_NTYPES ? trace_type_names[t] : "?";
}

const char *
trace_kind_name(enum task_kind k)
{
	return (unsigned)k <= TASK_KIND_TASK ? trace_kind_names[k] : "?";
}

const char *
trace_phase_name(enum io_phase p)
{
	return (unsigned)p < PHASE_N ? trace_phase_names[p] : "?";
}

bool
trace_state_final(enum task_state s)
{
	return s == TASK_DONE || s == TASK_FAILED || s == TASK_CANCELLED;
}
