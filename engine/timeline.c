/* The timeline model: the trace folded into what views draw. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "timeline-int.h"

#define TIMELINE_DEFAULT_LIMIT	(1u << 20)	/* events kept for stepping */
#define TIMELINE_SEGS_FIRST	2	/* a lane's first array, after seg0 */
#define TIMELINE_SEGS_OWN	0x01	/* segs is an array of its own */

static struct tl_variant *timeline_variant(struct timeline *, uint16_t);
static struct tl_task	 *timeline_task_mut(struct tl_variant *, uint32_t);
static struct tl_more	 *timeline_more_mut(struct tl_task *);
static void		  timeline_fold(struct timeline *,
			      const struct trace_event *);

/* A model that keeps at most limit events for stepping (0: default). */
struct timeline *
timeline_new(size_t limit)
{
	struct timeline	*tl;

	if ((tl = calloc(1, sizeof *tl)) == NULL)
		return NULL;
	tl->log_limit = limit ? limit : TIMELINE_DEFAULT_LIMIT;
	tl->speed_milli = 1000;
	return tl;
}

void
timeline_free(struct timeline *tl)
{
	size_t			 i, j;
	struct tl_variant	*v;

	if (tl == NULL)
		return;
	for (i = 0; i < TRACE_MAX_VARIANTS; i++) {
		v = &tl->v[i];
		for (j = 0; j < v->ntasks; j++) {
			if (v->tasks[j].flags & TIMELINE_SEGS_OWN)
				free(v->tasks[j].segs);
			if (v->tasks[j].more != NULL) {
				free(v->tasks[j].more->error);
				free(v->tasks[j].more->phases);
				free(v->tasks[j].more->lates);
				free(v->tasks[j].more);
			}
		}
		free(v->sockets);
		free(v->cells);
		for (j = 0; j < v->nout; j++)
			free(v->out[j].text);
		free(v->tasks);
		free(v->out);
		free(v->name);
		free(v->why);
	}
	timeline_log_free(tl);
	timeline_names_free(tl->names);
	free(tl);
}

static struct tl_variant *
timeline_variant(struct timeline *tl, uint16_t i)
{
	if (i >= TRACE_MAX_VARIANTS)
		return NULL;
	if (i >= tl->nvariants)
		tl->nvariants = i + 1u;
	return &tl->v[i];
}

static struct tl_task *
timeline_task_mut(struct tl_variant *v, uint32_t id)
{
	if (id == 0 || id > v->ntasks)
		return NULL;
	return &v->tasks[id - 1];
}

const struct tl_task *
timeline_task(const struct tl_variant *v, uint32_t id)
{
	if (id == 0 || id > v->ntasks)
		return NULL;
	return &v->tasks[id - 1];
}

/* What few lanes have; all zero for a lane without it. */
const struct tl_more *
timeline_more(const struct tl_task *t)
{
	static const struct tl_more	none;

	return t->more != NULL ? t->more : &none;
}

/* The lane's own, made on first use; NULL when memory runs out. */
static struct tl_more *
timeline_more_mut(struct tl_task *t)
{
	if (t->more == NULL)
		t->more = calloc(1, sizeof *t->more);
	return t->more;
}

static char *
timeline_strdup(const char *s)
{
	return strdup(s != NULL ? s : "");
}

/*
 * The room in a lane's own array of segments for n of them: it grows by
 * half, from TIMELINE_SEGS_FIRST, so the capacity follows from the count
 * and costs no field. After a segment is undone the array may be larger
 * than that; growing reallocates it to the next step past the count,
 * which always has room for one more.
 */
static size_t
timeline_segs_cap(size_t n)
{
	size_t	cap = TIMELINE_SEGS_FIRST;

	while (cap < n)
		cap += cap / 2;
	return cap;
}

/*
 * Make room for one more segment: move t out of seg0 into an array of its
 * own, or grow that array. False when memory runs out.
 */
static bool
timeline_segment_room(struct tl_task *t)
{
	struct tl_segment	*ns;
	size_t			 cap;

	if (!(t->flags & TIMELINE_SEGS_OWN)) {
		if ((ns = malloc(TIMELINE_SEGS_FIRST * sizeof *ns)) == NULL)
			return false;
		if (t->nsegs == 1)
			ns[0] = t->seg0;
		t->segs = ns;
		t->flags |= TIMELINE_SEGS_OWN;
	} else {
		cap = timeline_segs_cap(t->nsegs);
		cap += cap / 2;
		if ((ns = realloc(t->segs, cap * sizeof *ns)) == NULL)
			return false;
		t->segs = ns;
	}
	return true;
}

/*
 * Enter a new state at t. A segment that lasted no time is replaced, and
 * one that returns to the state before it extends that one, so a task
 * that yields a million times at one instant keeps a handful of segments.
 */
static inline __attribute__((always_inline)) void
timeline_segment(struct tl_task *t, enum task_state state, uint8_t reason,
    vtime_t at)
{
	struct tl_segment	*last;

	if (t->nsegs > 0) {
		last = &t->segs[t->nsegs - 1];
		/*
		 * Most often it lasted no time and the one before is in
		 * another state: it is replaced where it is.
		 */
		if (last->start == at && (t->nsegs == 1 ||
		    last[-1].state != state || last[-1].end != at)) {
			last->end = VTIME_NEVER;
			last->state = state;
			last->reason = reason;
			return;
		}
		last->end = at;
		if (last->start >= at)
			t->nsegs--;
	}
	if (t->nsegs > 0) {
		last = &t->segs[t->nsegs - 1];
		if (last->state == state && last->end == at) {
			last->end = VTIME_NEVER;
			return;
		}
	}
	/* A lane leaves seg0 when full or when it would lose its creation. */
	if (((t->flags & TIMELINE_SEGS_OWN) ?
	    t->nsegs == timeline_segs_cap(t->nsegs) :
	    t->nsegs == 1 || at != t->seg0.start) &&
	    !timeline_segment_room(t))
		return;
	t->segs[t->nsegs].start = at;
	t->segs[t->nsegs].end = VTIME_NEVER;
	t->segs[t->nsegs].state = state;
	t->segs[t->nsegs].reason = reason;
	t->nsegs++;
}

static void
timeline_create(struct tl_variant *v, const struct trace_event *ev)
{
	struct tl_task	*nt, *t;
	size_t		 ncap, i;

	if (ev->task != v->ntasks + 1)
		return;		/* ids come in order; anything else is noise */
	if (v->ntasks == v->tasks_cap) {
		ncap = v->tasks_cap ? v->tasks_cap * 2 : 8;
		if ((nt = realloc(v->tasks, ncap * sizeof *nt)) == NULL)
			return;
		v->tasks = nt;
		v->tasks_cap = ncap;
		/* The lanes moved, and their first segments with them. */
		for (i = 0; i < v->ntasks; i++)
			if (!(nt[i].flags & TIMELINE_SEGS_OWN))
				nt[i].segs = &nt[i].seg0;
	}
	t = &v->tasks[v->ntasks++];
	memset(t, 0, sizeof *t);
	t->segs = &t->seg0;
	t->id = ev->task;
	t->parent = ev->other;
	t->kind = (uint8_t)trace_task_kind(ev);
	t->name = ev->text != NULL ? ev->text : "";	/* interned */
	t->state = TASK_CREATED;
	t->line = ev->line;
	t->seg0.start = ev->vtime;	/* when created, for good */
	t->since = ev->vtime;
	timeline_segment(t, TASK_CREATED, REASON_NONE, ev->vtime);
}

/* Fold a change of state into its lane; in line, for most events are. */
static inline __attribute__((always_inline)) void
timeline_state(struct tl_variant *v, const struct trace_event *ev)
{
	struct tl_task	*t;
	struct tl_more	*m;
	bool		 beside;

	if ((t = timeline_task_mut(v, ev->task)) == NULL)
		return;
	if (t->state == TASK_RUNNING && v->running == t->id)
		v->running = 0;
	/* A thread's or process's lane runs beside the program's thread. */
	beside = TASK_KIND_BESIDE(t->kind);
	t->state = ev->state;
	if (ev->state < 16)
		v->states_seen |= (uint16_t)(1u << ev->state);
	t->reason = ev->reason;
	t->since = ev->vtime;
	t->line = ev->line;
	if (t->more != NULL)
		t->more->due = 0;
	switch (ev->state) {
	case TASK_READY:
		t->ready_order = (uint32_t)++v->ready_counter;
		/* A coroutine object of its own lane made a task of. */
		if (ev->reason == REASON_SCHEDULED &&
		    trace_becomes(ev) == TASK_KIND_TASK)
			t->kind = TASK_KIND_TASK;
		break;
	case TASK_RUNNING:
		if (!beside)
			v->running = t->id;
		/* CPU work: when it will be done. */
		if (ev->reason == REASON_CPU &&
		    (m = timeline_more_mut(t)) != NULL)
			m->due = trace_until(ev);
		break;
	case TASK_WAITING_TIMER:
	case TASK_BLOCKED:
		if ((m = timeline_more_mut(t)) != NULL)
			m->due = trace_until(ev);
		if (ev->state == TASK_BLOCKED && !beside)
			v->running = t->id;
		break;
	case TASK_WAITING_IO:
		if ((m = timeline_more_mut(t)) != NULL) {
			m->due = trace_until(ev);
			m->nphases = 0;
		}
		break;
	case TASK_FAILED:
		if ((m = timeline_more_mut(t)) != NULL) {
			free(m->error);
			m->error = timeline_strdup(ev->text);
		}
		break;
	default:
		break;
	}
	timeline_segment(t, ev->state, ev->reason, ev->vtime);
	/*
	 * A state after the variant's end (a thread or a process the
	 * interpreter's exit reaps, folded in the log's order, where the end
	 * comes first): it lasts no time, so that no lane runs on past it.
	 */
	if (__builtin_expect(v->ended, 0) && t->nsegs > 0 &&
	    t->segs[t->nsegs - 1].end == VTIME_NEVER)
		t->segs[t->nsegs - 1].end = t->segs[t->nsegs - 1].start >
		    v->end ? t->segs[t->nsegs - 1].start : v->end;
}

static void
timeline_print(struct tl_variant *v, const struct trace_event *ev)
{
	struct tl_line	*no;
	size_t		 ncap;

	if (v->nout == v->out_cap) {
		ncap = v->out_cap ? v->out_cap * 2 : 16;
		if ((no = realloc(v->out, ncap * sizeof *no)) == NULL)
			return;
		v->out = no;
		v->out_cap = ncap;
	}
	v->out[v->nout].vtime = ev->vtime;
	v->out[v->nout].task = ev->task;
	v->out[v->nout].is_stderr = (ev->flags & TRACE_F_STDERR) != 0;
	v->out[v->nout].text = timeline_strdup(ev->text);
	v->nout++;
}

/* A socket watched, changed or dropped. */
static void
timeline_watch(struct tl_variant *v, const struct trace_event *ev)
{
	struct tl_socket	*ns;
	size_t			 i, ncap;

	for (i = 0; i < v->nsockets; i++)
		if (v->sockets[i].fd == trace_fd(ev))
			break;
	if (ev->other == 0) {
		if (i < v->nsockets)
			v->sockets[i] = v->sockets[--v->nsockets];
		return;
	}
	if (i == v->nsockets) {
		if (v->nsockets == v->sockets_cap) {
			ncap = v->sockets_cap ? v->sockets_cap * 2 : 8;
			if ((ns = realloc(v->sockets, ncap * sizeof *ns)) ==
			    NULL)
				return;
			v->sockets = ns;
			v->sockets_cap = ncap;
		}
		v->nsockets++;
	}
	v->sockets[i].fd = trace_fd(ev);
	v->sockets[i].events = (int)ev->other;
}

/* Apply an event of variant v other than a change of state. */
static void
timeline_fold_other(struct tl_variant *v, const struct trace_event *ev)
{
	struct tl_task		*t;
	struct tl_more		*m;
	size_t			 i, j;

	switch (ev->type) {
	case TRACE_VARIANT_START:
		free(v->name);
		v->name = timeline_strdup(ev->text);
		v->kind = (uint8_t)trace_variant_kind(ev);
		v->started = true;
		v->start = ev->vtime;
		break;
	case TRACE_VARIANT_END:
		v->ended = true;
		v->stopped = (ev->flags & TRACE_F_STOPPED) != 0;
		v->end = ev->vtime;
		v->total = trace_total(ev);
		v->status = trace_exit_status(ev);
		if (ev->text != NULL && ev->text[0] != '\0') {
			free(v->why);
			v->why = timeline_strdup(ev->text);
		}
		v->running = 0;
		for (i = 0; i < v->ntasks; i++)
			for (j = 0; j < v->tasks[i].nsegs; j++)
				if (v->tasks[i].segs[j].end == VTIME_NEVER)
					v->tasks[i].segs[j].end = ev->vtime;
		break;
	case TRACE_TASK_CREATE:
		timeline_create(v, ev);
		break;
	case TRACE_PRINT:
	case TRACE_WARNING:
		timeline_print(v, ev);
		break;
	case TRACE_LOOP_ITER:
		v->iteration = trace_iteration(ev);
		v->iter_ready = ev->n_ready;
		v->iter_timers = ev->n_timers;
		v->iter_io = ev->n_io;
		break;
	case TRACE_IO_PHASE:
		if ((t = timeline_task_mut(v, ev->task)) != NULL &&
		    (m = timeline_more_mut(t)) != NULL &&
		    m->nphases < TL_PHASES && (m->phases != NULL ||
		    (m->phases = calloc(TL_PHASES, sizeof *m->phases)) !=
		    NULL)) {
			m->phases[m->nphases].phase = ev->state;
			m->phases[m->nphases].start = trace_phase_start(ev);
			m->phases[m->nphases].end = trace_phase_end(ev);
			m->nphases++;
		}
		break;
	case TRACE_FETCH_DONE:
		if ((t = timeline_task_mut(v, ev->task)) != NULL &&
		    (m = timeline_more_mut(t)) != NULL) {
			m->http_status = (int)ev->other;
			m->http_bytes = trace_bytes(ev);
		}
		break;
	case TRACE_IO_WATCH:
		timeline_watch(v, ev);
		break;
	case TRACE_CELL:
		timeline_cell(v, ev);
		break;
	case TRACE_TIMER_FIRE:
		v->last_timer_task = ev->task;
		v->last_timer_due = trace_due(ev);
		v->last_timer_fired = ev->vtime;
		if ((t = timeline_task_mut(v, ev->task)) != NULL &&
		    (m = timeline_more_mut(t)) != NULL) {
			m->timers_fired++;
			if (ev->vtime - trace_due(ev) > m->max_late)
				m->max_late = ev->vtime - trace_due(ev);
			/* Where views draw it: its due time, its late stretch. */
			if (ev->vtime - trace_due(ev) >= TL_LATE_MIN &&
			    m->nlates < TL_LATES && (m->lates != NULL ||
			    (m->lates = calloc(TL_LATES, sizeof *m->lates)) !=
			    NULL))
				m->lates[m->nlates++] = (struct tl_late){
				    .due = trace_due(ev), .fired = ev->vtime };
		}
		break;
	default:
		break;
	}
}

/* Apply one event to the derived state: most are changes of state. */
static inline __attribute__((always_inline)) void
timeline_fold(struct timeline *tl, const struct trace_event *ev)
{
	struct tl_variant	*v;

	if (ev->vtime > tl->now)
		tl->now = ev->vtime;
	if (ev->variant == TIMELINE_CONTROL) {
		if (ev->type == TRACE_CLOCK) {
			tl->speed_milli = trace_speed_milli(ev);
			tl->paused = (ev->flags & TRACE_F_PAUSED) != 0;
		}
		return;
	}
	if ((v = timeline_variant(tl, ev->variant)) == NULL)
		return;
	v->nevents++;
	if (ev->vtime > v->latest)
		v->latest = ev->vtime;
	if (ev->type == TRACE_TASK_STATE)
		timeline_state(v, ev);
	else
		timeline_fold_other(v, ev);
}

/*
 * Fold an event in and keep it; the timeline now owns its text. A task's
 * name is kept once, for its lane and the log alike.
 */
void
timeline_add(struct timeline *tl, struct trace_event *ev)
{
	const char	*name;

	if (ev->type == TRACE_TASK_CREATE && ev->text != NULL) {
		name = timeline_names_intern(&tl->names, ev->text);
		trace_event_clear(ev);
		ev->text = (char *)name;	/* the log's, not owned */
	}
	/* Names point into the program, which may go before the log does. */
	else if (ev->text != NULL && !(ev->flags & TRACE_F_OWNED)) {
		ev->text = strdup(ev->text);
		ev->flags |= TRACE_F_OWNED;
	}
	timeline_fold(tl, ev);
	if (!timeline_log_fast(tl, ev))
		timeline_log_slow(tl, ev);
	ev->text = NULL;
	ev->flags &= ~TRACE_F_OWNED;
}

/*
 * timeline_add for each of n events, in order: what a session's reader
 * calls. Most are changes of state without a text: they need none of
 * timeline_add's care for texts, and are folded and logged in line.
 */
void
timeline_add_many(struct timeline *tl, struct trace_event *evs, size_t n)
{
	struct trace_event	*ev;
	size_t			 k;

	for (k = 0; k < n; k++) {
		ev = &evs[k];
		if (ev->type != TRACE_TASK_STATE || ev->text != NULL) {
			timeline_add(tl, ev);
			continue;
		}
		timeline_fold(tl, ev);
		if (!timeline_log_fast(tl, ev))
			timeline_log_slow(tl, ev);
	}
}

/*
 * The model as it stood after the first n events of the log: what is shown
 * at an instant depends on the trace up to it and on nothing else.
 */
struct timeline *
timeline_prefix(const struct timeline *tl, size_t n)
{
	struct timeline		*p;
	size_t			 i;

	if ((p = timeline_new(tl->log_limit)) == NULL)
		return NULL;
	if (n > tl->nlog)
		n = tl->nlog;
	for (i = 0; i < n; i++)
		timeline_add_from(p, tl, i);
	return p;
}

/*
 * Event k of src's log into dst. Its text stays src's: timeline_add copies
 * a text it does not own (and keeps a task's name once).
 */
void
timeline_add_from(struct timeline *dst, const struct timeline *src, size_t k)
{
	struct trace_event	ev;

	timeline_event(src, k, &ev);
	ev.flags &= ~TRACE_F_OWNED;
	timeline_add(dst, &ev);
}

/*
 * What malloc takes for n bytes: glibc's chunk, with its header, rounded
 * to 16 bytes and never under 32.
 */
static size_t
timeline_chunk(size_t n)
{
	n = (n + sizeof(size_t) + 15) & ~(size_t)15;
	return n < 32 ? 32 : n;
}

/* Memory the model holds, for the bounded-memory checks. */
size_t
timeline_bytes(const struct timeline *tl)
{
	size_t			 n = sizeof *tl, i, j;
	const struct tl_variant	*v;
	const struct tl_task	*t;

	n += timeline_log_bytes(tl);
	for (i = 0; i < tl->nvariants; i++) {
		v = &tl->v[i];
		n += v->tasks_cap * sizeof *v->tasks;
		n += v->out_cap * sizeof *v->out;
		n += v->sockets_cap * sizeof *v->sockets;
		for (j = 0; j < v->ntasks; j++) {
			t = &v->tasks[j];
			if (t->flags & TIMELINE_SEGS_OWN)
				n += timeline_chunk(timeline_segs_cap(
				    t->nsegs) * sizeof *t->segs);
			if (t->more == NULL)
				continue;
			n += timeline_chunk(sizeof *t->more);
			if (t->more->phases != NULL)
				n += timeline_chunk(TL_PHASES *
				    sizeof *t->more->phases);
			if (t->more->lates != NULL)
				n += timeline_chunk(TL_LATES *
				    sizeof *t->more->lates);
			if (t->more->error != NULL)
				n += timeline_chunk(strlen(t->more->error) + 1);
		}
	}
	n += timeline_names_bytes(tl->names);
	return n;
}
