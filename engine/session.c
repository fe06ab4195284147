/* A session: the variants of one demo, run side by side on one clock. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "child.h"
#include "i18n.h"
#include "session.h"

#define SESSION_RING_DEFAULT	4096
#define SESSION_POLL_BATCH	256

struct session {
	struct clock		*clock;
	struct trace_notify	 notify;
	struct trace_ring	*control;	/* clock changes, from the caller */
	atomic_bool		 stop;
	int64_t			 t0;
	size_t			 ring_size;
	bool			 started;
	size_t			 nvariants;
	size_t			 ended;
	struct program		*programs[TRACE_MAX_VARIANTS];
	struct trace_ring	*rings[TRACE_MAX_VARIANTS];
	struct child_spec	 specs[TRACE_MAX_VARIANTS];
	struct child		*children[TRACE_MAX_VARIANTS];
	struct {
		session_sink_fn	 fn;
		void		*arg;
	}			 sinks[SESSION_MAX_SINKS];
	size_t			 nsinks;
	char			 why[200];	/* why a start failed */
};

static void	session_clock_event(struct session *);

/* A session with no variants yet; err gets the reason on failure. */
struct session *
session_new(const struct session_config *cfg, char *err, size_t len)
{
	struct session	*s;

	if (cfg->speed < CLOCK_SPEED_MIN || cfg->speed > CLOCK_SPEED_MAX) {
		snprintf(err, len, _("speed %g is outside %g to %g"),
		    cfg->speed, CLOCK_SPEED_MIN, CLOCK_SPEED_MAX);
		return NULL;
	}
	if ((s = calloc(1, sizeof *s)) == NULL) {
		snprintf(err, len, _("out of memory"));
		return NULL;
	}
	trace_notify_init(&s->notify);
	atomic_init(&s->stop, false);
	s->ring_size = cfg->ring_size ? cfg->ring_size : SESSION_RING_DEFAULT;
	s->clock = clock_new(cfg->mode, cfg->speed, cfg->paused);
	s->control = trace_ring_new(64, &s->notify);
	s->t0 = vtime_real_ns();
	if (s->notify.fd < 0 || s->clock == NULL || s->control == NULL) {
		snprintf(err, len, _("cannot set up the session: %s"),
		    strerror(errno));
		session_free(s);
		return NULL;
	}
	return s;
}

/*
 * Add a variant that runs a Python program in a child process of its
 * own (engine/child.c); the session owns p from now on, even on error.
 * spec's strings are copied.
 */
int
session_add_python(struct session *s, struct program *p,
    const struct child_spec *spec, char *err, size_t len)
{
	struct child_spec	*c;
	size_t			 i = s->nvariants, k;
	bool			 copied = true;

	if (s->started || i == TRACE_MAX_VARIANTS) {
		snprintf(err, len, _("%s: too many variants (at most %d)"),
		    p->name, TRACE_MAX_VARIANTS);
		program_free(p);
		return -1;
	}
	s->programs[i] = p;
	s->nvariants++;
	c = &s->specs[i];
	*c = *spec;
	c->exe = strdup(spec->exe);
	c->name = strdup(spec->name);
	c->file = strdup(spec->file);
	c->args = spec->nargs > 0 ? calloc(spec->nargs, sizeof *c->args) :
	    NULL;
	c->xoptions = spec->nxoptions > 0 ? calloc(spec->nxoptions,
	    sizeof *c->xoptions) : NULL;
	for (k = 0; c->xoptions != NULL && k < spec->nxoptions; k++)
		if ((((char **)c->xoptions)[k] = strdup(spec->xoptions[k])) ==
		    NULL)
			copied = false;
	for (k = 0; c->args != NULL && k < spec->nargs; k++)
		if ((((char **)c->args)[k] = strdup(spec->args[k])) == NULL)
			copied = false;
	c->env = spec->nenv > 0 ? calloc(spec->nenv, sizeof *c->env) : NULL;
	for (k = 0; c->env != NULL && k < spec->nenv; k++)
		if ((((char **)c->env)[k] = strdup(spec->env[k])) == NULL)
			copied = false;
	c->t0 = s->t0;
	c->sim = clock_mode(s->clock) == CLOCK_SIM;
	if ((s->rings[i] = trace_ring_new(s->ring_size, &s->notify)) != NULL)
		trace_ring_set_batch(s->rings[i], 256);
	if (s->rings[i] == NULL || c->exe == NULL || c->name == NULL ||
	    c->file == NULL || !copied ||
	    (spec->nxoptions > 0 && c->xoptions == NULL) ||
	    (spec->nargs > 0 && c->args == NULL) ||
	    (spec->nenv > 0 && c->env == NULL)) {
		snprintf(err, len, _("%s: out of memory"), p->name);
		return -1;
	}
	return 0;
}

/*
 * Hand every event read from now on to fn too (session.h); -1 when there
 * are SESSION_MAX_SINKS already.
 */
int
session_sink(struct session *s, session_sink_fn fn, void *arg)
{
	if (s->nsinks == SESSION_MAX_SINKS)
		return -1;
	s->sinks[s->nsinks].fn = fn;
	s->sinks[s->nsinks].arg = arg;
	s->nsinks++;
	return 0;
}

/*
 * Stop (true) or continue the variants' child processes and all they
 * started, as job control does the loopscope it stops: a program in the
 * real clock does not run on while loopscope is stopped.
 */
void
session_hold(struct session *s, bool stop)
{
	size_t	i;

	for (i = 0; i < s->nvariants; i++)
		if (s->children[i] != NULL)
			child_signal(s->children[i], stop ? SIGSTOP : SIGCONT);
}

/* Start every variant's child; returns at once. */
int
session_start(struct session *s)
{
	size_t	i;

	clock_start(s->clock);
	session_clock_event(s);
	s->started = true;
	for (i = 0; i < s->nvariants; i++)
		if ((s->children[i] = child_spawn(&s->specs[i], (uint16_t)i,
		    s->rings[i], &s->stop, s->why, sizeof s->why)) == NULL)
			return -1;
	return 0;
}

static void
session_spec_free(struct child_spec *c)
{
	size_t	k;

	for (k = 0; c->args != NULL && k < c->nargs; k++)
		free(c->args[k]);
	free((void *)c->args);
	for (k = 0; c->xoptions != NULL && k < c->nxoptions; k++)
		free((void *)c->xoptions[k]);
	free((void *)c->xoptions);
	for (k = 0; c->env != NULL && k < c->nenv; k++)
		free((void *)c->env[k]);
	free((void *)c->env);
	free((void *)c->exe);
	free((void *)c->name);
	free((void *)c->file);
}

/* Why session_start failed, in words. */
const char *
session_why(const struct session *s)
{
	return s->why;
}

/* Kill the children, reap them, and free everything. */
void
session_free(struct session *s)
{
	size_t	i;

	if (s == NULL)
		return;
	atomic_store(&s->stop, true);
	for (i = 0; i < s->nvariants; i++)
		child_kill(s->children[i]);
	for (i = 0; i < s->nvariants; i++) {
		if (s->rings[i] != NULL)
			trace_ring_wake_writer(s->rings[i]);
		child_free(s->children[i]);
	}
	for (i = 0; i < s->nvariants; i++) {
		trace_ring_free(s->rings[i]);
		program_free(s->programs[i]);
		session_spec_free(&s->specs[i]);
	}
	trace_ring_free(s->control);
	clock_free(s->clock);
	trace_notify_close(&s->notify);
	free(s);
}

/* Record a change of the clock in the trace. */
static void
session_clock_event(struct session *s)
{
	struct trace_event	ev = { 0 };

	ev.type = TRACE_CLOCK;
	ev.variant = TIMELINE_CONTROL;
	ev.vtime = clock_now(s->clock);
	ev.rtime = vtime_real_ns() - s->t0;
	trace_set_speed_milli(&ev, (int64_t)(clock_speed(s->clock) * 1000 +
	    0.5));
	ev.flags = clock_paused(s->clock) ? TRACE_F_PAUSED : 0;
	/* Only the caller writes here and only it reads: never full for long. */
	if (trace_ring_push(s->control, &ev, &s->stop) != 0)
		trace_event_clear(&ev);
}

/*
 * A run cut short (quit, restart): put the time its clock stands at into
 * the trace, for a replay to reach the instant the live screen showed.
 * Nothing when every variant has ended.
 */
void
session_mark(struct session *s)
{
	if (!session_finished(s))
		session_clock_event(s);
}

/* Move every waiting event into the timeline; never waits. */
size_t
session_poll(struct session *s, struct timeline *tl)
{
	return session_poll_upto(s, tl, SIZE_MAX);
}

/*
 * Move waiting events to the sinks and into the timeline, about max of
 * them at most (a batch more): what is left waits in the rings, and a
 * child whose ring is full waits too (the UI computes only so far ahead
 * of its playhead).
 */
size_t
session_poll_upto(struct session *s, struct timeline *tl, size_t max)
{
	struct trace_event	batch[SESSION_POLL_BATCH];
	size_t			i, n, k, j, total = 0;

	for (i = 0; i <= s->nvariants; i++) {
		struct trace_ring *r = i < s->nvariants ? s->rings[i] :
		    s->control;

		while (total < max &&
		    (n = trace_ring_pop(r, batch, SESSION_POLL_BATCH)) > 0) {
			for (k = 0; k < n; k++)
				if (batch[k].type == TRACE_VARIANT_END)
					s->ended++;
			for (j = 0; j < s->nsinks; j++)
				s->sinks[j].fn(s->sinks[j].arg, batch, n);
			timeline_add_many(tl, batch, n);
			total += n;
		}
	}
	return total;
}

/* Readable when events may be waiting; see session_sleep. */
int
session_fd(struct session *s)
{
	return s->notify.fd;
}

static bool
session_pending(struct session *s)
{
	size_t	i;

	for (i = 0; i < s->nvariants; i++)
		if (!trace_ring_empty(s->rings[i]))
			return true;
	return !trace_ring_empty(s->control);
}

/*
 * Make session_fd readable at the next event. Returns true when events
 * are already waiting: then the reader must poll instead of sleeping.
 */
bool
session_arm(struct session *s)
{
	trace_notify_clear(&s->notify);
	atomic_store(&s->notify.waiting, true);
	if (session_pending(s)) {
		atomic_store(&s->notify.waiting, false);
		return true;
	}
	return false;
}

static bool
session_pending_cb(void *arg)
{
	return session_pending(arg);
}

/*
 * Wait until some event arrives, or for ms milliseconds at most (-1: no
 * limit, and a signal does not end the wait; with a limit, one does): a
 * little awake first, since a running variant flushes every few
 * microseconds, then asleep.
 */
static void
session_wait(struct session *s, int ms)
{
	struct pollfd	pfd = { .fd = s->notify.fd, .events = POLLIN };

	if (session_finished(s) || trace_spin(session_pending_cb, s))
		return;
	if (session_arm(s) || session_finished(s))
		return;
	while (poll(&pfd, 1, ms) < 0 && errno == EINTR && ms < 0)
		;
	atomic_store(&s->notify.waiting, false);
}

/* Wait until some event arrives (for a reader with nothing else to do). */
void
session_sleep(struct session *s)
{
	session_wait(s, -1);
}

/* Every variant has ended and its last event has been read. */
bool
session_finished(struct session *s)
{
	return s->started && s->ended == s->nvariants;
}

/* Run to the end, folding everything into tl (for headless use and tests). */
void
session_run(struct session *s, struct timeline *tl)
{
	session_run_until(s, tl, NULL);
}

/*
 * Run to the end or until hooks->stop says so, folding everything into tl
 * (the sinks too); a wait ends at an event, after hooks->wake_ms, or at a
 * signal, and hooks->each follows it.
 */
void
session_run_until(struct session *s, struct timeline *tl,
    const struct session_run_hooks *hooks)
{
	if (!s->started && session_start(s) != 0)
		return;
	for (;;) {
		session_poll(s, tl);
		if (session_finished(s) || (hooks != NULL &&
		    hooks->stop != NULL && hooks->stop(hooks->arg)))
			break;
		session_wait(s, hooks != NULL && hooks->wake_ms > 0 ?
		    hooks->wake_ms : -1);
		if (hooks != NULL && hooks->each != NULL)
			hooks->each(hooks->arg);
	}
	session_poll(s, tl);
}

vtime_t
session_now(struct session *s)
{
	return clock_now(s->clock);
}

void
session_set_paused(struct session *s, bool paused)
{
	clock_set_paused(s->clock, paused);
	session_clock_event(s);
}

int
session_set_speed(struct session *s, double speed)
{
	if (clock_set_speed(s->clock, speed) != 0)
		return -1;
	session_clock_event(s);
	return 0;
}

size_t
session_ring_high_water(struct session *s, size_t i)
{
	return i < s->nvariants ? trace_ring_high_water(s->rings[i]) : 0;
}

size_t
session_ring_capacity(struct session *s, size_t i)
{
	return i < s->nvariants ? trace_ring_capacity(s->rings[i]) : 0;
}

size_t
session_nvariants(const struct session *s)
{
	return s->nvariants;
}

const struct program *
session_program(const struct session *s, size_t i)
{
	return i < s->nvariants ? s->programs[i] : NULL;
}
