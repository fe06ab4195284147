/*
 * The caption: what just happened at the playhead, in plain words. Each
 * event of the trace has its sentence; a state change says what the
 * state means for the loop (a task that awaits leaves it to the others, a
 * call that blocks stops it), and a late timer says who kept it waiting.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "caption.h"
#include "glyphs.h"
#include "i18n.h"
#include "program.h"

/* A timer this late is told as late: below, the clock's own jitter. */
#define CAPTION_LATE	(VTIME_MS)

/* How far back the end of a run looks for its last variant's end. */
#define CAPTION_END_LOOKBACK	4096

/* The names a step over a loop's turn lists. */
#define CAPTION_SPAN_NAMES	4

/* How far back playing looks for an event that shows something. */
#define CAPTION_LOOKBACK	256

/* The variant's name when there are several, "" when one. */
static const char *
caption_who(const struct timeline *tl, const struct trace_event *ev,
    char *buf, size_t len)
{
	const struct tl_variant	*v = &tl->v[ev->variant];

	if (tl->nvariants < 2 || v->name == NULL)
		return "";
	/* TRANSLATORS: a variant's name before a caption: "async: ..." */
	snprintf(buf, len, _("%s: "), v->name);
	return buf;
}

static const char *
caption_task(const struct tl_variant *v, uint32_t id)
{
	const struct tl_task	*t = id > 0 ? timeline_task(v, id) : NULL;

	return t != NULL && t->name != NULL ? t->name : _("the program");
}

/* Who held the loop at an instant: a task running or blocked on it. */
static const struct tl_task *
caption_busy(const struct tl_variant *v, vtime_t at, uint32_t but)
{
	const struct tl_task	*best = NULL;
	enum task_state		 s, bs = TASK_NSTATES;
	size_t			 i;

	for (i = 0; i < v->ntasks; i++) {
		const struct tl_task *t = &v->tasks[i];

		if (t->id == but || TASK_KIND_BESIDE(t->kind) ||
		    timeline_created(t) > at)
			continue;
		s = timeline_state_at(t, at);
		if (s != TASK_RUNNING && s != TASK_BLOCKED)
			continue;
		/* Running beats blocked (a caller); the deepest wins. */
		if (best == NULL || (s == TASK_RUNNING && bs != TASK_RUNNING) ||
		    (s == bs && t->id > best->id)) {
			best = t;
			bs = s;
		}
	}
	return best;
}

static void
caption_running(const struct tl_variant *v, const struct trace_event *ev,
    const char *tn, char *buf, size_t len)
{
	switch (ev->reason) {
	case REASON_START:
		snprintf(buf, len, _("%s runs for the first time"), tn);
		break;
	case REASON_TIMER:
		snprintf(buf, len, _("%s's sleep is over: it runs again"), tn);
		break;
	case REASON_WOKEN:
		if (ev->other > 0)
			snprintf(buf, len, _("%s runs again: %s, which it "
			    "awaited, has finished"), tn,
			    caption_task(v, ev->other));
		else
			snprintf(buf, len, _("%s runs again: what it awaited "
			    "has finished"), tn);
		break;
	case REASON_IO:
		snprintf(buf, len, _("%s runs again: its I/O has completed"),
		    tn);
		break;
	case REASON_GIL:
		snprintf(buf, len, _("%s gets the GIL and runs"), tn);
		break;
	default:
		snprintf(buf, len, _("%s runs"), tn);
		break;
	}
}

static void
caption_waiting(const struct tl_variant *v, const struct trace_event *ev,
    const struct tl_task *t, const char *tn, char *buf, size_t len)
{
	switch (ev->state) {
	case TASK_READY:
		if (ev->reason == REASON_TIMER)
			snprintf(buf, len, _("%s's timer fired: it waits its "
			    "turn in the loop's queue"), tn);
		else if (ev->reason == REASON_WOKEN && ev->other > 0)
			snprintf(buf, len, _("%s is ready again (%s has "
			    "finished): it waits its turn"), tn,
			    caption_task(v, ev->other));
		else
			snprintf(buf, len, _("%s is ready: it waits its turn "
			    "in the loop's queue"), tn);
		break;
	case TASK_WAITING_TIMER:
		if (ev->reason == REASON_YIELD)
			snprintf(buf, len, _("%s gives way to the others "
			    "(asyncio.sleep(0))"), tn);
		else
			i18n_snprintf(buf, len, _("%s awaits asyncio.sleep "
			    "until %.2f s: the loop is free for others"), tn,
			    vtime_to_sec(trace_until(ev)));
		break;
	case TASK_WAITING_TASK:
		if (ev->reason == REASON_GATHER)
			snprintf(buf, len, P_("%s awaits %lld task (gather)",
			    "%s awaits %lld tasks at once (gather)",
			    (unsigned long)trace_gathered(ev)), tn,
			    (long long)trace_gathered(ev));
		else if (t != NULL && t->kind == TASK_KIND_FUNCTION)
			snprintf(buf, len, _("%s calls %s and waits for it to "
			    "return"), tn, caption_task(v, ev->other));
		else
			snprintf(buf, len, _("%s awaits %s"), tn,
			    caption_task(v, ev->other));
		break;
	case TASK_WAITING_IO:
		if (ev->reason == REASON_FUTURE)
			snprintf(buf, len, _("%s awaits a future (a thread, "
			    "I/O or a callback): the loop runs the others"),
			    tn);
		else
			snprintf(buf, len, _("%s awaits a response: meanwhile "
			    "the loop runs the others"), tn);
		break;
	default:
		snprintf(buf, len, _("%s waits for the GIL"), tn);
		break;
	}
}

/* What a blocking call stops: a thread's own, the loop, or the program. */
static void
caption_blocked(const struct tl_variant *v, const struct trace_event *ev,
    const struct tl_task *t, const char *tn, char *buf, size_t len)
{
	bool	thread = t != NULL && TASK_KIND_BESIDE(t->kind);
	bool	loop = v->kind == VARIANT_ASYNC && !thread;

	switch (ev->reason) {
	case REASON_BLOCK_SLEEP:
		if (thread && trace_until(ev) <= ev->vtime) {
			snprintf(buf, len, _("%s sleeps in time.sleep: the others "
			    "may have the GIL"), tn);
			break;
		}
		i18n_snprintf(buf, len, thread ? _("%s sleeps until %.2f s: the "
		    "others may have the GIL") : loop ?
		    _("%s calls time.sleep until %.2f s: the thread stops, "
		    "and the loop with it") : _("%s calls time.sleep until "
		    "%.2f s: the program waits, doing nothing else"), tn,
		    vtime_to_sec(trace_until(ev)));
		break;
	case REASON_CPU:
		snprintf(buf, len, loop ? _("%s computes: the loop runs "
		    "nothing else until it returns") : _("%s computes: nothing "
		    "else runs on its thread until it returns"), tn);
		break;
	case REASON_BLOCK_FETCH:
		snprintf(buf, len, loop ? _("%s fetches a page with a blocking "
		    "call: the loop waits with it") : _("%s fetches a page and "
		    "waits for it"), tn);
		break;
	case REASON_BLOCK_IO:
		snprintf(buf, len, loop ? _("%s blocks reading a socket: the "
		    "loop waits with it") : _("%s waits reading a socket"), tn);
		break;
	case REASON_BLOCK_WAIT:
		snprintf(buf, len, _("%s sleeps in a call (a lock or I/O)"),
		    tn);
		break;
	default:
		snprintf(buf, len, _("%s blocks its thread"), tn);
		break;
	}
}

static void
caption_ended(const struct tl_task *t, const struct trace_event *ev,
    const char *tn, char *buf, size_t len)
{
	const char	*why = ev->text;

	if (ev->state == TASK_DONE) {
		snprintf(buf, len, _("%s returns"), tn);
		return;
	}
	if (ev->state == TASK_FAILED) {
		if ((why == NULL || *why == '\0') && t != NULL)
			why = timeline_more(t)->error;
		snprintf(buf, len, _("%s fails: %s"), tn,
		    why != NULL && *why != '\0' ? why : _("an exception"));
		return;
	}
	if (ev->reason == REASON_NEVER_AWAITED)
		snprintf(buf, len, _("%s was never awaited: it never ran"),
		    tn);
	else if (ev->reason == REASON_LOOP_CLOSED)
		snprintf(buf, len, _("%s is cancelled: its loop closed"), tn);
	else
		snprintf(buf, len, _("%s is cancelled"), tn);
}

static void
caption_state(const struct tl_variant *v, const struct trace_event *ev,
    char *buf, size_t len)
{
	const struct tl_task	*t = ev->task > 0 ?
				    timeline_task(v, ev->task) : NULL;
	const char		*tn = caption_task(v, ev->task);

	switch (ev->state) {
	case TASK_RUNNING:
		caption_running(v, ev, tn, buf, len);
		break;
	case TASK_READY:
	case TASK_WAITING_TIMER:
	case TASK_WAITING_TASK:
	case TASK_WAITING_IO:
	case TASK_WAITING_GIL:
		caption_waiting(v, ev, t, tn, buf, len);
		break;
	case TASK_BLOCKED:
		caption_blocked(v, ev, t, tn, buf, len);
		break;
	case TASK_DONE:
	case TASK_FAILED:
	case TASK_CANCELLED:
		caption_ended(t, ev, tn, buf, len);
		break;
	default:
		snprintf(buf, len, _("%s is made"), tn);
		break;
	}
}

static void
caption_timer(const struct tl_variant *v, const struct trace_event *ev,
    char *buf, size_t len)
{
	const char		*tn = caption_task(v, ev->task);
	const struct tl_task	*busy;
	vtime_t			 late = ev->vtime - trace_due(ev);

	if (late < CAPTION_LATE) {
		snprintf(buf, len, _("%s's timer is due: it will run again"),
		    tn);
		return;
	}
	busy = caption_busy(v, trace_due(ev), ev->task);
	if (busy != NULL)
		i18n_snprintf(buf, len, _("%s's timer was due at %.2f s; %s "
		    "held the loop: %.2f s late"), tn,
		    vtime_to_sec(trace_due(ev)), busy->name, vtime_to_sec(late));
	else
		i18n_snprintf(buf, len, _("%s's timer was due at %.2f s: "
		    "%.2f s late"), tn, vtime_to_sec(trace_due(ev)),
		    vtime_to_sec(late));
}

static void
caption_create(const struct tl_variant *v, const struct trace_event *ev,
    char *buf, size_t len)
{
	const char	*by = caption_task(v, ev->other);
	const char	*tn = caption_task(v, ev->task);

	switch (trace_task_kind(ev)) {
	case TASK_KIND_TASK:
		snprintf(buf, len, _("%s makes a task of %s: it will run when "
		    "the loop gets to it"), by, tn);
		break;
	case TASK_KIND_THREAD:
		snprintf(buf, len, _("%s starts %s, a thread"), by, tn);
		break;
	case TASK_KIND_PROCESS:
		snprintf(buf, len, _("%s starts %s, a process with its own "
		    "interpreter and its own GIL"), by, tn);
		break;
	case TASK_KIND_COROUTINE:
		snprintf(buf, len, _("%s calls %s: a coroutine object, run "
		    "once awaited or made a task"), by, tn);
		break;
	default:
		snprintf(buf, len, _("%s calls %s"), by, tn);
		break;
	}
}

/* A loop's new turn, with what it has to do, each count's word agreeing. */
static void
caption_turn(const struct trace_event *ev, char *buf, size_t len)
{
	char	ready[40], timers[40], io[40];

	snprintf(ready, sizeof ready, P_("%u ready", "%u ready",
	    ev->n_ready), ev->n_ready);
	snprintf(timers, sizeof timers, P_("%u timer", "%u timers",
	    ev->n_timers), ev->n_timers);
	snprintf(io, sizeof io, P_("%u I/O wait", "%u I/O waits", ev->n_io),
	    ev->n_io);
	snprintf(buf, len, _("the loop begins turn %lld: %s, %s, %s"),
	    (long long)trace_iteration(ev), ready, timers, io);
}

/* Events of the loop and the session rather than of a task. */
static void
caption_other(const struct tl_variant *v, const struct trace_event *ev,
    char *buf, size_t len)
{
	const char	*tn = caption_task(v, ev->task);

	switch (ev->type) {
	case TRACE_LOOP_ITER:
		caption_turn(ev, buf, len);
		break;
	case TRACE_CLOCK:
		if (ev->flags & TRACE_F_PAUSED)
			snprintf(buf, len, "%s", _("the clock pauses"));
		else
			i18n_snprintf(buf, len, _("the clock runs at %gx"),
			    (double)trace_speed_milli(ev) / 1000.0);
		break;
	case TRACE_WARNING:
		snprintf(buf, len, _("warning: %s"),
		    ev->text != NULL ? ev->text : "");
		break;
	case TRACE_IO_PHASE:
		i18n_snprintf(buf, len, _("%s's fetch: %s took %.3f s"), tn,
		    trace_phase_name(ev->state),
		    vtime_to_sec(trace_phase_end(ev) - trace_phase_start(ev)));
		break;
	case TRACE_FETCH_DONE:
		if (ev->text != NULL && *ev->text != '\0')
			snprintf(buf, len, _("%s's fetch failed: %s"), tn,
			    ev->text);
		else
			snprintf(buf, len, _("%s's response came: status %u, "
			    "%lld bytes"), tn, ev->other,
			    (long long)trace_bytes(ev));
		break;
	case TRACE_IO_WATCH:
		if (ev->other == 0)
			snprintf(buf, len, _("the loop no longer watches socket "
			    "%lld"), (long long)trace_fd(ev));
		else
			snprintf(buf, len, _("the loop watches socket %lld"),
			    (long long)trace_fd(ev));
		break;
	case TRACE_CELL:
		/* With the markdown before it, the lecturer's own words. */
		if (ev->text != NULL && *ev->text != '\0')
			snprintf(buf, len, _("cell In [%lld] begins: %s"),
			    (long long)trace_cell_number(ev), ev->text);
		else
			snprintf(buf, len, _("cell In [%lld] begins"),
			    (long long)trace_cell_number(ev));
		break;
	default:
		snprintf(buf, len, "%s", trace_type_name(ev->type));
		break;
	}
}

/* Event k's sentence in what, and in who its variant ("async: ") or "". */
static void
caption_parts(const struct timeline *tl, size_t k, char *who, size_t wlen,
    char *what, size_t len)
{
	struct trace_event	 ev;
	const struct tl_variant	*v;

	who[0] = what[0] = '\0';
	if (k >= tl->nlog)
		return;
	timeline_event(tl, k, &ev);
	if (ev.variant >= tl->nvariants) {
		caption_other(&tl->v[0], &ev, what, len);
		return;
	}
	v = &tl->v[ev.variant];
	switch (ev.type) {
	case TRACE_VARIANT_START:
		snprintf(what, len, _("%s starts"),
		    v->name != NULL ? v->name : "");
		break;
	case TRACE_VARIANT_END:
		i18n_snprintf(what, len, ev.flags & TRACE_F_STOPPED ?
		    _("%s is stopped after %.2f s") : _("%s ends: total "
		    "duration %.2f s"), v->name != NULL ? v->name : "",
		    vtime_to_sec(trace_total(&ev)));
		break;
	case TRACE_TASK_CREATE:
		caption_create(v, &ev, what, len);
		break;
	case TRACE_TASK_STATE:
		caption_state(v, &ev, what, len);
		break;
	case TRACE_PRINT:
		snprintf(what, len, ev.flags & TRACE_F_STDERR ?
		    _("%s writes to stderr: %s") : _("%s prints: %s"),
		    caption_task(v, ev.task), ev.text != NULL ? ev.text : "");
		break;
	case TRACE_TIMER_FIRE:
		caption_timer(v, &ev, what, len);
		break;
	default:
		caption_other(v, &ev, what, len);
		break;
	}
	if (ev.type != TRACE_VARIANT_START && ev.type != TRACE_VARIANT_END)
		caption_who(tl, &ev, who, wlen);
}

void
caption_event(const struct timeline *tl, size_t k, char *buf, size_t len)
{
	char	who[80], what[400];

	caption_parts(tl, k, who, sizeof who, what, sizeof what);
	snprintf(buf, len, "%s%s", who, what);
}

/* Events a player would not see: told only when stepped onto. */
static bool
caption_quiet(const struct timeline *tl, size_t k)
{
	struct trace_event	ev;

	timeline_event(tl, k, &ev);
	return ev.type == TRACE_LOOP_ITER || ev.type == TRACE_CLOCK ||
	    ev.type == TRACE_IO_WATCH || ev.type == TRACE_IO_PHASE;
}

/*
 * A step over several events (N, a loop's turn): who ran in them, then
 * the event it stopped on. "name(), calculation(3) ran; the loop begins
 * turn 4: ...".
 */
static void
caption_span(const struct timeline *tl, size_t from, size_t k, char *buf,
    size_t len)
{
	struct trace_event	 ev;
	const char		*names[CAPTION_SPAN_NAMES], *tn;
	char			 ran[200], who[80], last[400];
	size_t			 i, j, n = 0, used = 0;
	uint16_t		 variant;

	ran[0] = '\0';
	timeline_event(tl, k - 1, &ev);
	variant = ev.variant;
	/* Who ran in the loop's turn: its variant's, not the others'. */
	for (i = from; i + 1 < k && n < CAPTION_SPAN_NAMES; i++) {
		timeline_event(tl, i, &ev);
		if (ev.type != TRACE_TASK_STATE || ev.state != TASK_RUNNING ||
		    ev.variant >= tl->nvariants || ev.variant != variant)
			continue;
		tn = caption_task(&tl->v[ev.variant], ev.task);
		for (j = 0; j < n && strcmp(names[j], tn) != 0; j++)
			continue;
		if (j < n)
			continue;
		names[n] = tn;
		used += (size_t)snprintf(ran + used, sizeof ran - used, "%s%s",
		    n > 0 ? ", " : "", tn);
		n++;
		if (used >= sizeof ran)
			break;
	}
	caption_parts(tl, k - 1, who, sizeof who, last, sizeof last);
	if (n == 0)
		snprintf(buf, len, "%s%s", who, last);
	else
		snprintf(buf, len, n == 1 ? _("%s%s ran; %s") :
		    _("%s%s each ran; %s"), who, ran, last);
}

/*
 * At the end of a whole run, its last variant's end is what the caption
 * tells, not a thread's last word after it (a process's helper threads
 * may say they sleep after the program ended).
 */
static size_t
caption_end_of(const struct timeline *tl, size_t k, size_t i)
{
	struct trace_event	ev;
	size_t			j;

	if (k != tl->nlog || !timeline_finished(tl))
		return i;
	for (j = k; j > 0 && k - j < CAPTION_END_LOOKBACK; j--) {
		timeline_event(tl, j - 1, &ev);
		if (ev.type == TRACE_VARIANT_END)
			return j - 1;
	}
	return i;
}

void
caption_text(const struct timeline *tl, size_t k, size_t from, vtime_t t,
    char *buf, size_t len)
{
	char	what[512];
	size_t	i;

	if (k > tl->nlog)
		k = tl->nlog;
	/* The time said is the told event's, which the playhead may be past. */
	if (k == 0) {
		snprintf(what, sizeof what, "%s", _("nothing has run yet. Space "
		    "plays; n: one event; N: a loop's turn"));
	} else if (from != CAPTION_NONE && from < k && k - from > 1) {
		caption_span(tl, from, k, what, sizeof what);
		t = timeline_event_time(tl, k - 1);
	} else if (from != CAPTION_NONE) {
		caption_event(tl, k - 1, what, sizeof what);
		t = timeline_event_time(tl, k - 1);
	} else {
		/* Playing: the latest event that shows something. */
		for (i = k; i > 0 && k - i < CAPTION_LOOKBACK; i--)
			if (!caption_quiet(tl, i - 1))
				break;
		i = i > 0 && k - i < CAPTION_LOOKBACK ? i - 1 : k - 1;
		i = caption_end_of(tl, k, i);
		caption_event(tl, i, what, sizeof what);
		t = timeline_event_time(tl, i);
	}
	i18n_snprintf(buf, len, _("t = %.2f s: %s"), vtime_to_sec(t), what);
}

/*
 * Cut text to cols columns at a word, with an ellipsis, rather than in
 * the middle of one: a caption cut short still reads.
 */
void
caption_fit(char *text, size_t len, int cols, bool utf8)
{
	const char	*dots = utf8 ? "…" : "...";
	size_t		 n, cut;
	int		 w;

	glyphs_fit(text, INT_MAX, &w);
	if (w <= cols || cols < 8)
		return;
	n = glyphs_fit(text, cols - (utf8 ? 1 : 3), &w);
	for (cut = n; cut > n / 2 && text[cut] != ' '; cut--)
		continue;
	if (cut <= n / 2)
		cut = n;
	while (cut > 0 && (text[cut - 1] == ' ' || text[cut - 1] == ':' ||
	    text[cut - 1] == ',' || text[cut - 1] == ';'))
		cut--;
	if (cut + strlen(dots) + 1 <= len)
		strcpy(text + cut, dots);
}
