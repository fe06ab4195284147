/* A variant's HTTP: fetches awaited, queued, landed, or blocking. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "variant-int.h"

static double	 variant_fetch_limit(struct variant *, vtime_t);
static void	 variant_deliver(struct variant *, struct task *,
		     struct fetch_result *);

/* The socket watchers libcurl asks for, in the trace for the loop panel. */
void
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
int
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
void
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
void
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
void
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
void
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
void
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
bool
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
int
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
