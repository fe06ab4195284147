/* The terminal UI's playhead in motion: paused, resumed, moved on in time. */
#include "config.h"

#include <stdio.h>

#include "ui.h"

/* The UI moves the playhead itself over a trace it already has. */
bool
ui_playback(const struct ui *ui)
{
	/* A real-clock run, once its trace is whole, is played back too. */
	return ui->sim || ui->replay != NULL ||
	    (ui->live != NULL && timeline_finished(ui->live));
}

/* One line in the key bar, until the next key. */
void
ui_say(struct ui *ui, const char *msg)
{
	snprintf(ui->message, sizeof ui->message, " %s ", msg);
}

/* A step found nothing to go to: say why. */
void
ui_say_step_end(struct ui *ui)
{
	ui_say(ui, timeline_finished(ui->live) ? "end of the trace" :
	    ui->replay != NULL ? "end of the recording" :
	    "nothing to step to yet");
}

/* Pause or resume: the session's clock live, the playback otherwise. */
void
ui_pause(struct ui *ui, bool paused)
{
	if (ui->paused == paused)
		return;
	ui->paused = paused;
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
		ui->stepping = false;
		ui->step_pending = 0;
		/* Playing a finished trace again starts it over. */
		if (ui_playback(ui) && ((ui->ph.following &&
		    playhead_at_end(&ui->ph)) || (ui->ph.k >= ui->live->nlog &&
		    ui->ph.t >= playhead_end_time(&ui->ph))))
			playhead_rewind(&ui->ph);
	}
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
	if (!ui->sim && ui->replay == NULL &&
	    (ui->ph.following || !timeline_finished(ui->live))) {
		if (ui->ph.following)
			playhead_follow(&ui->ph, timeline_finished(ui->live) ?
			    playhead_end_time(&ui->ph) :
			    session_now(ui->session));
		return;
	}
	if (ui->paused || playhead_at_end(&ui->ph)) {
		ui->last_tick = now;
		return;
	}
	t = ui->ph.t + (vtime_t)((double)(now - ui->last_tick) * ui->speed);
	ui->last_tick = now;
	if ((timeline_finished(ui->live) || ui->replay != NULL) &&
	    t >= playhead_end_time(&ui->ph)) {
		t = playhead_end_time(&ui->ph);
		playhead_seek(&ui->ph, t);
		ui->ph.k = ui->live->nlog;
		/* A recording cut short ends here, at its last event. */
		if (!timeline_finished(ui->live)) {
			ui->paused = true;
			ui_say(ui, "end of the recording");
		}
		return;
	}
	playhead_seek(&ui->ph, t);
}
