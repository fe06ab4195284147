/* Bounded single-producer, single-consumer rings of trace events. */
#include "config.h"

#include <sys/eventfd.h>

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "trace-int.h"

static const char *trace_state_names[TASK_NSTATES] = {
	"created", "ready", "running", "waiting_timer", "waiting_io",
	"waiting_task", "blocked", "done", "failed", "cancelled", "waiting_gil"
};

static const char *trace_reason_names[REASON_NREASONS] = {
	"", "start", "scheduled", "sleep", "yield", "timer", "await",
	"gather", "woken", "time.sleep", "cpu", "resume", "return",
	"loop closed", "never awaited", "fetch", "blocking fetch", "io",
	"error", "future", "blocking io", "gil", "lock or io"
};

static const char *trace_type_names[TRACE_NTYPES] = {
	"variant_start", "variant_end", "task_create", "task_state", "print",
	"loop_iteration", "timer_fire", "clock", "warning", "io_phase",
	"fetch_done", "io_watch", "cell"
};

static const char *trace_phase_names[PHASE_N] = {
	"queued", "lookup", "connect", "tls", "send", "wait", "receive"
};

static const char *trace_kind_names[] = { "function", "coroutine", "task",
    "thread", "process" };

int64_t
vtime_real_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Make a ring of at least n events (rounded up to a power of two). */
struct trace_ring *
trace_ring_new(size_t n, struct trace_notify *notify)
{
	struct trace_ring	*r;
	size_t			 size = 16, nslots;

	while (size < n)
		size <<= 1;
	for (nslots = size; nslots < size * TRACE_SLOT_MAX; nslots <<= 1)
		;
	if ((r = calloc(1, sizeof *r)) == NULL)
		return NULL;
	r->slots = aligned_alloc(64, nslots * sizeof *r->slots);
	if (r->slots == NULL) {
		free(r);
		return NULL;
	}
	memset(r->slots, 0, nslots * sizeof *r->slots);
	r->mask = size - 1;
	r->smask = nslots - 1;
	r->batch = 1;
	r->notify = notify;
	r->w_seq = r->r_seq = UINT32_MAX;	/* the first is numbered 0 */
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	atomic_init(&r->writer_waiting, false);
	atomic_init(&r->wait_count, 0);
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
	/* The writer is gone: what it wrote and never showed counts too. */
	atomic_store(&r->head, r->whead);
	while (trace_ring_pop(r, &ev, 1) == 1)
		trace_event_clear(&ev);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->cond);
	free(r->slots);
	free(r);
}

/* Write ev into the slots from head on; returns how many it took. */
static size_t
trace_ring_encode(struct trace_ring *r, size_t head,
    const struct trace_event *ev)
{
	struct trace_slot	*sl = &r->slots[head & r->smask].ev;
	union trace_slots	*x;
	size_t			 n = 1;
	uint8_t			 more = 0;

	if (ev->a != 0 || ev->vtime != r->w_vtime)
		more |= TRACE_MORE_TIME;
	if (ev->text != NULL || ev->b != 0 || ev->rtime != r->w_rtime ||
	    ev->seq != r->w_seq + 1 || ev->variant != r->w_variant)
		more |= TRACE_MORE_REST;
	if (ev->n_ready != 0 || ev->n_timers != 0 || ev->n_io != 0)
		more |= TRACE_MORE_LOOP;
	sl->type = ev->type;
	sl->state = ev->state;
	sl->reason = ev->reason;
	sl->flags = ev->flags;
	sl->line = ev->line;
	sl->more = more;
	sl->task = ev->task;
	sl->other = ev->other;
	if (more & TRACE_MORE_TIME) {
		x = &r->slots[(head + n++) & r->smask];
		x->time.a = ev->a;
		x->time.vtime = ev->vtime;
	}
	if (more & TRACE_MORE_REST) {
		x = &r->slots[(head + n++) & r->smask];
		x->rest.rtime = ev->rtime;
		x->rest.b = ev->b;
		x = &r->slots[(head + n++) & r->smask];
		x->rest2.seq = ev->seq;
		x->rest2.variant = ev->variant;
		x->rest2.text = ev->text;
	}
	if (more & TRACE_MORE_LOOP) {
		x = &r->slots[(head + n++) & r->smask];
		x->loop.n_ready = ev->n_ready;
		x->loop.n_timers = ev->n_timers;
		x->loop.n_io = ev->n_io;
	}
	r->w_vtime = ev->vtime;
	r->w_rtime = ev->rtime;
	r->w_seq = ev->seq;
	r->w_variant = ev->variant;
	return n;
}

/* Rebuild the event whose first slot is at slot; returns its slots. */
static size_t
trace_ring_decode(struct trace_ring *r, size_t slot, struct trace_event *ev)
{
	const struct trace_slot		*sl = &r->slots[slot & r->smask].ev;
	const union trace_slots		*x;
	size_t				 n = 1;
	uint8_t				 more = sl->more;

	ev->type = sl->type;
	ev->state = sl->state;
	ev->reason = sl->reason;
	ev->flags = sl->flags;
	ev->line = sl->line;
	ev->task = sl->task;
	ev->other = sl->other;
	if (more & TRACE_MORE_TIME) {
		x = &r->slots[(slot + n++) & r->smask];
		ev->a = x->time.a;
		ev->vtime = x->time.vtime;
	} else {
		ev->a = 0;
		ev->vtime = r->r_vtime;
	}
	if (more & TRACE_MORE_REST) {
		x = &r->slots[(slot + n++) & r->smask];
		ev->rtime = x->rest.rtime;
		ev->b = x->rest.b;
		x = &r->slots[(slot + n++) & r->smask];
		ev->seq = x->rest2.seq;
		ev->variant = x->rest2.variant;
		ev->text = x->rest2.text;
	} else {
		ev->rtime = r->r_rtime;
		ev->b = 0;
		ev->seq = r->r_seq + 1;
		ev->variant = r->r_variant;
		ev->text = NULL;
	}
	if (more & TRACE_MORE_LOOP) {
		x = &r->slots[(slot + n++) & r->smask];
		ev->n_ready = x->loop.n_ready;
		ev->n_timers = x->loop.n_timers;
		ev->n_io = x->loop.n_io;
	} else
		ev->n_ready = ev->n_timers = ev->n_io = 0;
	r->r_vtime = ev->vtime;
	r->r_rtime = ev->rtime;
	r->r_seq = ev->seq;
	r->r_variant = ev->variant;
	return n;
}

/*
 * Wait a little before sleeping: for up to TRACE_SPIN_NS, until done(arg).
 * The other side of a ring is mostly a few microseconds away, and a thread
 * put to sleep takes longer than that to run again (tens of microseconds
 * on a virtual CPU that halts). It yields now and then, for the case of
 * both sides sharing one CPU. True once done.
 */
bool
trace_spin(bool (*done)(void *), void *arg)
{
	int64_t		until = 0, now;
	unsigned	i;

	for (i = 1;; i++) {
		if (done(arg))
			return true;
		if (i % TRACE_SPIN_CHECK == 0) {
			now = vtime_real_ns();
			if (until == 0)
				until = now + TRACE_SPIN_NS;
			else if (now >= until)
				return false;
			sched_yield();
		}
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#endif
	}
}

/* The writer may go on: a part of the ring is free, or it must stop. */
struct trace_room {
	struct trace_ring	*r;
	size_t			 count;
	const atomic_bool	*stop;
};

static bool
trace_ring_roomy(void *arg)
{
	struct trace_room	*w = arg;

	return w->count - atomic_load(&w->r->tail) <= w->r->mask -
	    w->r->mask / 8 || (w->stop != NULL && atomic_load(w->stop));
}

/*
 * The ring holds count events and the reader's last counter says it is
 * full: wait for room. Returns the reader's counter, or -1 when *stop
 * became true meanwhile. Out of line: the push that never waits stays
 * short.
 */
static __attribute__((noinline)) ssize_t
trace_ring_wait(struct trace_ring *r, size_t count, const atomic_bool *stop)
{
	size_t			tail;
	struct trace_room	room = { r, count, stop };

	/* A reader asleep would never free a slot: wake it first. */
	trace_ring_flush(r);
	if (trace_spin(trace_ring_roomy, &room) &&
	    (stop == NULL || !atomic_load(stop)))
		return (ssize_t)(r->tail_seen = atomic_load(&r->tail));
	pthread_mutex_lock(&r->lock);
	atomic_store_explicit(&r->wait_count, count, memory_order_relaxed);
	atomic_store(&r->writer_waiting, true);
	for (;;) {
		tail = atomic_load(&r->tail);
		if (count - tail <= r->mask)
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
	return (ssize_t)(r->tail_seen = tail);
}

/*
 * Room for one more event, which would make the ring fuller than it ever
 * was: read the reader's counter, and wait if the ring is full. -1 when
 * *stop became true meanwhile. Out of line: most pushes never get here.
 */
static __attribute__((noinline)) int
trace_ring_room(struct trace_ring *r, size_t count, const atomic_bool *stop)
{
	size_t	tail, used;
	ssize_t	t;

	tail = r->tail_seen = atomic_load_explicit(&r->tail,
	    memory_order_acquire);
	if (count - tail > r->mask) {
		if ((t = trace_ring_wait(r, count, stop)) < 0)
			return -1;
		tail = (size_t)t;
	}
	used = count + 1 - tail;
	if (used > r->high_water)
		r->high_water = used;
	return 0;
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
	size_t	count = r->count;

	/* The reader's counter is read only when ours might be the news. */
	if (count + 1 - r->tail_seen > r->high_water &&
	    trace_ring_room(r, count, stop) != 0)
		return -1;
	r->whead += trace_ring_encode(r, r->whead, ev);
	r->count = count + 1;
	if (++r->unflushed >= r->batch)
		trace_ring_flush(r);
	return 0;
}

/*
 * trace_ring_push_state when the ring may be full (trace-int.h): wait for
 * room, then write its slot.
 */
int
trace_ring_push_state_room(struct trace_ring *r, uint32_t task, uint8_t state,
    uint8_t reason, uint16_t line, uint32_t other, const atomic_bool *stop)
{
	if (trace_ring_room(r, r->count, stop) != 0)
		return -1;
	trace_ring_put_state(r, task, state, reason, line, other);
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
	atomic_store_explicit(&r->head, r->whead, memory_order_release);
	atomic_thread_fence(memory_order_seq_cst);
	if (r->notify != NULL && atomic_load(&r->notify->waiting))
		trace_notify_wake(r->notify);
}

/*
 * Show the reader what was written, without waking it: for a reader that
 * looks now and then by itself (a child's writer thread, every few
 * milliseconds), so that an event is seen soon however few follow it.
 */
void
trace_ring_publish(struct trace_ring *r)
{
	atomic_store_explicit(&r->head, r->whead, memory_order_release);
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

/*
 * Take up to n events, oldest first; never waits. Most take one slot and
 * the stamp of the event before them: those are rebuilt here, from the
 * stamp kept in locals (an event's stores could alias the ring's).
 */
size_t
trace_ring_pop(struct trace_ring *r, struct trace_event *out, size_t n)
{
	const struct trace_slot	*sl;
	struct trace_event	*ev;
	size_t			 head, slot = r->slot, tail, i;
	vtime_t			 vtime = r->r_vtime;
	int64_t			 rtime = r->r_rtime;
	uint32_t		 seq = r->r_seq;
	uint16_t		 variant = r->r_variant;

	head = r->head_seen;
	if (head == slot)
		head = r->head_seen = atomic_load_explicit(&r->head,
		    memory_order_acquire);
	for (i = 0; i < n && slot != head; i++) {
		sl = &r->slots[slot & r->smask].ev;
		ev = &out[i];
		if (sl->more != 0) {
			r->r_seq = seq;
			slot += trace_ring_decode(r, slot, ev);
			vtime = r->r_vtime;
			rtime = r->r_rtime;
			seq = r->r_seq;
			variant = r->r_variant;
			continue;
		}
		ev->type = sl->type;
		ev->state = sl->state;
		ev->reason = sl->reason;
		ev->flags = sl->flags;
		ev->variant = variant;
		ev->line = sl->line;
		ev->task = sl->task;
		ev->other = sl->other;
		ev->vtime = vtime;
		ev->rtime = rtime;
		ev->a = ev->b = 0;
		ev->n_ready = ev->n_timers = ev->n_io = 0;
		ev->seq = ++seq;
		ev->text = NULL;
		slot++;
	}
	r->r_seq = seq;
	if (i == 0)
		return 0;
	r->slot = slot;
	tail = atomic_load_explicit(&r->tail, memory_order_relaxed) + i;
	atomic_store_explicit(&r->tail, tail, memory_order_seq_cst);
	/* A waiting writer goes on once half the ring is free. */
	if (atomic_load(&r->writer_waiting) &&
	    atomic_load_explicit(&r->wait_count, memory_order_relaxed) -
	    tail <= (r->mask + 1) / 2)
		trace_ring_wake_writer(r);
	return i;
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

/* Nothing waits to be read (for the reader). */
bool
trace_ring_empty(struct trace_ring *r)
{
	return atomic_load(&r->head) == r->slot;
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
	return (unsigned)k <= TASK_KIND_PROCESS ? trace_kind_names[k] : "?";
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
