/* The terminal UI's playhead in motion: paused, resumed, moved on in time. */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "ui.h"

/* The UI moves the playhead itself over a trace it already has. */
bool
ui_playback(const struct ui *ui)
{
	/* A real-clock run, once its trace is whole, is played back too. */
	return ui->sim || ui->replay.rec != NULL ||
	    (ui->live != NULL && timeline_finished(ui->live));
}

/*
 * How far a simulated trace may be played: to what every variant has
 * computed, while one still runs (its next event may come before).
 */
static vtime_t
ui_frontier(const struct ui *ui)
{
	if (timeline_finished(ui->live) || ui->session == NULL)
		return VTIME_NEVER;
	if (ui->live->nvariants < session_nvariants(ui->session))
		return 0;
	return timeline_computed(ui->live);
}

/*
 * The simulated engine is far enough ahead of the playhead: its events
 * wait in the session (and its children wait for room) until the
 * playhead comes nearer. A real-clock run is never held, nor one whose
 * playhead waits at the frontier: a variant behind must be read for it
 * to go on, however far ahead another is (a sync fanout 500 s on while
 * the async one was at 0.16 s held both for ever).
 */
bool
ui_ahead(const struct ui *ui)
{
	if (!ui->sim || ui->replay.rec != NULL || ui->live == NULL)
		return false;
	if (ui_frontier(ui) <= ui->ph.t)
		return false;
	return ui->live->now > ui->ph.t + UI_AHEAD ||
	    ui->live->nlog > ui->ph.k + UI_AHEAD_EVENTS;
}

/*
 * A loop may still turn ahead: one is open, or a variant of the session
 * has not begun yet (its process is still starting).
 */
bool
ui_loop_ahead(const struct ui *ui)
{
	size_t	i;

	if (timeline_loop_open(ui->live))
		return true;
	if (ui->session == NULL || timeline_finished(ui->live))
		return false;
	if (ui->live->nvariants < session_nvariants(ui->session))
		return true;
	for (i = 0; i < ui->live->nvariants; i++)
		if (!ui->live->v[i].started)
			return true;
	return false;
}

/* One line in the key bar, until the next key. */
void
ui_say(struct ui *ui, const char *msg)
{
	snprintf(ui->message, sizeof ui->message, " %s ", msg);
}

/*
 * Say in the key bar what the event the screen stands on did, so that a
 * step never changes nothing (a change of state at an instant already
 * shown draws nothing new): "async: name() waiting_timer (sleep)".
 */
void
ui_say_event(struct ui *ui)
{
	struct trace_event	 ev;
	const struct tl_variant	*v;
	const struct tl_task	*t = NULL;
	const char		*vn, *tn;
	char			 msg[120];

	if (ui->ph.k == 0 || ui->ph.k > ui->live->nlog) {
		ui->message[0] = '\0';		/* the first screen's */
		return;
	}
	timeline_event(ui->live, ui->ph.k - 1, &ev);
	v = ev.variant < ui->live->nvariants ? &ui->live->v[ev.variant] : NULL;
	vn = v != NULL && v->name != NULL ? v->name : "";
	if (v != NULL && ev.task > 0)
		t = timeline_task(v, ev.task);
	tn = t != NULL ? t->name : "";
	switch (ev.type) {
	case TRACE_VARIANT_START:
		snprintf(msg, sizeof msg, _("%s starts"), vn);
		break;
	case TRACE_VARIANT_END:
		i18n_snprintf(msg, sizeof msg, _("%s ends: %.2f s"), vn,
		    vtime_to_sec(trace_total(&ev)));
		break;
	case TRACE_TASK_CREATE:
		snprintf(msg, sizeof msg, _("%s: %s made"), vn, tn);
		break;
	case TRACE_TASK_STATE:
		snprintf(msg, sizeof msg, "%s: %s %s%s%s%s", vn, tn,
		    ev.state < TASK_NSTATES ?
		    i18n_str(ui->glyphs->label[ev.state]) : "?",
		    ev.reason != REASON_NONE ?
		    " (" : "", i18n_str(trace_reason_name(ev.reason)),
		    ev.reason != REASON_NONE ? ")" : "");
		break;
	case TRACE_PRINT:
		snprintf(msg, sizeof msg, _("%s: %s prints"), vn,
		    t != NULL ? tn : _("the program"));
		break;
	case TRACE_LOOP_ITER:
		snprintf(msg, sizeof msg, _("%s: the loop's turn %lld"), vn,
		    (long long)trace_iteration(&ev));
		break;
	case TRACE_TIMER_FIRE:
		snprintf(msg, sizeof msg, _("%s: %s's timer fires"), vn, tn);
		break;
	case TRACE_CLOCK:
		snprintf(msg, sizeof msg, _("the clock: %s"),
		    ev.flags & TRACE_F_PAUSED ? _("paused") : _("runs"));
		break;
	default:
		snprintf(msg, sizeof msg, "%s: %s", vn,
		    trace_type_name(ev.type));
		break;
	}
	ui_say(ui, msg);	/* ev's text is the log's: not freed here */
}

/* A step found nothing to go to: say why. */
void
ui_say_step_end(struct ui *ui)
{
	ui_say(ui, timeline_finished(ui->live) ? _("end of the trace") :
	    ui->replay.rec != NULL ? _("end of the recording") :
	    _("nothing to step to yet"));
}

/* Pause or resume: the session's clock live, the playback otherwise. */
void
ui_pause(struct ui *ui, bool paused)
{
	if (ui->view.paused == paused)
		return;
	ui->view.paused = paused;
	ui->last_tick = vtime_real_ns();
	if (!ui_playback(ui)) {
		session_set_paused(ui->session, paused);
		/*
		 * Pausing, the instant shown becomes the one the clock stopped
		 * at, before the action is recorded: a replay seeking to the
		 * recorded instant shows this screen.
		 */
		if (!paused || ui->ph.following)
			playhead_follow(&ui->ph, timeline_finished(ui->live) ?
			    playhead_end_time(&ui->ph) :
			    session_now(ui->session));
	}
	if (!paused) {
		ui->view.stepping = false;
		ui->step_pending = 0;
		/* Playing a finished trace again starts it over. */
		if (ui_playback(ui) && ((ui->ph.following &&
		    playhead_at_end(&ui->ph)) || (ui->ph.k >= ui->live->nlog &&
		    ui->ph.t >= playhead_end_time(&ui->ph))))
			playhead_rewind(&ui->ph);
	}
}

/* The pause points the variants' sources mark, read once each. */
void
ui_pause_sources(struct ui *ui)
{
	const struct program	*p;
	size_t			 i;

	for (i = 0; i < ui_nvariants(ui); i++)
		if ((p = ui_program(ui, i)) != NULL)
			pauses_source(&ui->pauses, i, p->source);
}

/*
 * Playing on to t: a pause point on the way stops playback there, with
 * the caption of what stopped it, until Space (tui/pause.c). Recorded as
 * a pause, so that a replay as recorded stops there too.
 */
static bool
ui_pause_point(struct ui *ui, vtime_t t)
{
	size_t	k;
	vtime_t	at;

	ui_pause_sources(ui);
	k = pauses_find(&ui->pauses, ui->live, ui->ph.k, ui->ph.t, t, &at);
	if (k == PAUSE_NONE)
		return false;
	playhead_seek(&ui->ph, at);
	ui->ph.k = k;
	ui_pause(ui, true);
	ui_say(ui, _("pause point (Space: go on)"));
	ui_record_act(ui, RECORD_VIEW_PAUSE);
	return true;
}

/* Advance the playhead to what the clock or the playback says. */
void
ui_advance(struct ui *ui)
{
	int64_t	now = vtime_real_ns();
	vtime_t	t;

	/*
	 * Live in the real clock, following: the clock's time; once every
	 * variant has ended, time stops at the last event (and the trace is
	 * then played back like a simulated one).
	 */
	if (!ui->sim && ui->replay.rec == NULL &&
	    (ui->ph.following || !timeline_finished(ui->live))) {
		if (ui->ph.following)
			playhead_follow(&ui->ph, timeline_finished(ui->live) ?
			    playhead_end_time(&ui->ph) :
			    session_now(ui->session));
		return;
	}
	if (ui->view.paused || playhead_at_end(&ui->ph)) {
		ui->last_tick = now;
		return;
	}
	/* Time spent waiting for the engine is not played: no catching up. */
	if (ui->held)
		ui->last_tick = now;
	t = ui->ph.t + (vtime_t)((double)(now - ui->last_tick) * ui->view.speed);
	ui->last_tick = now;
	/* Not past what the engine has computed: wait for it there. */
	ui->held = false;
	if (ui->sim && ui->replay.rec == NULL && t > ui_frontier(ui)) {
		ui->held = true;
		t = ui_frontier(ui);
		if (t < ui->ph.t)
			t = ui->ph.t;
	}
	if (ui_pause_point(ui, t))
		return;
	if ((timeline_finished(ui->live) || ui->replay.rec != NULL) &&
	    t >= playhead_end_time(&ui->ph)) {
		t = playhead_end_time(&ui->ph);
		playhead_seek(&ui->ph, t);
		ui->ph.k = ui->live->nlog;
		/* A recording cut short ends here, at its last event. */
		if (!timeline_finished(ui->live)) {
			ui->view.paused = true;
			ui_say(ui, _("end of the recording"));
		}
		return;
	}
	playhead_seek(&ui->ph, t);
}

/* The variants on screen: the session's, or the replayed run's. */
size_t
ui_nvariants(const struct ui *ui)
{
	if (ui->session != NULL)
		return session_nvariants(ui->session);
	return ui->replay.rec != NULL ? ui->replay.rec->runs[ui->replay.run].nvariants : 0;
}

/* The variant of the selected lane, or the first one. */
int
ui_selected_variant(const struct ui *ui)
{
	if (ui->view.selected >= 0 && ui->view.selected < ui->nlanes)
		return ui->lanes[ui->view.selected].variant;
	return 0;
}

const struct program *
ui_program(const struct ui *ui, size_t i)
{
	if (ui->session != NULL)
		return session_program(ui->session, i);
	return i < TRACE_MAX_VARIANTS ? ui->replay.programs[i] : NULL;
}
