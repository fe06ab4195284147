/* Replaying a recording in the UI: its runs, its views, the lecturer's pace. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "replay.h"
#include "screen.h"

/* Free the variants of the run shown. */
static void
replay_programs_free(struct ui *ui)
{
	size_t	i;

	for (i = 0; i < TRACE_MAX_VARIANTS; i++) {
		program_free(ui->replay.programs[i]);
		ui->replay.programs[i] = NULL;
	}
}

/*
 * Give the model the run's first n events, in the order they came (made
 * again from nothing when it has more): as recorded, the model grows as
 * the live one did, so that even the rows kept for lanes to come match.
 */
static int
replay_feed(struct ui *ui, size_t n)
{
	const struct record_run	*run = &ui->replay.rec->runs[ui->replay.run];
	struct trace_event	 ev;

	if (n > run->nevents)
		n = run->nevents;
	if (ui->live == NULL || n < ui->replay.fed) {
		playhead_free(&ui->ph);
		timeline_free(ui->live);
		if ((ui->live = timeline_new(0)) == NULL)
			return -1;
		playhead_init(&ui->ph, ui->live);
		ui->replay.fed = 0;
	}
	for (; ui->replay.fed < n; ui->replay.fed++) {
		ev = run->events[ui->replay.fed];
		if (ev.text != NULL) {
			if ((ev.text = strdup(ev.text)) == NULL)
				return -1;
			ev.flags |= TRACE_F_OWNED;
		}
		timeline_add(ui->live, &ev);
	}
	return 0;
}

/* Everything the run holds, for free exploration. */
static void
replay_feed_all(struct ui *ui)
{
	if (replay_feed(ui, ui->replay.rec->runs[ui->replay.run].nevents) != 0)
		ui_say(ui, _("out of memory"));
}

/* The pause points the lecturer made with p in a run (tui/pause.h). */
static void
replay_marks(struct ui *ui, const struct record_run *run)
{
	struct record_view	v;
	size_t			i;

	pauses_clear_marks(&ui->pauses);
	for (i = 0; i < run->nactions; i++)
		if (record_view_of(ui->replay.rec, &run->actions[i], &v) ==
		    RECORD_VIEW_MARK && !pauses_unmark(&ui->pauses, v.t))
			pauses_mark(&ui->pauses, v.t);
}

/*
 * Show run n: its variants as programs that never run (a name, a kind,
 * a source: what the views ask of a variant), its trace folded in order.
 */
int
replay_load(struct ui *ui, size_t n, char *err, size_t len)
{
	const struct record_run	*run = &ui->replay.rec->runs[n];
	const struct demo	*known;
	size_t			 i;

	playhead_free(&ui->ph);
	timeline_free(ui->live);
	ui->live = NULL;
	replay_programs_free(ui);
	for (i = 0; i < run->nvariants; i++) {
		ui->replay.programs[i] = program_new(run->variants[i].name,
		    (enum variant_kind)run->variants[i].kind,
		    run->variants[i].source);
		if (ui->replay.programs[i] == NULL)
			goto nomem;
		ui->replay.demo_variants[i].name = ui->replay.programs[i]->name;
		ui->replay.demo_variants[i].summary = "";
	}
	known = demos_find(run->demo);
	ui->replay.demo.name = run->demo;
	ui->replay.demo.summary = known != NULL ? known->summary : "";
	ui->replay.demo.variants = ui->replay.demo_variants;
	ui->replay.demo.nvariants = run->nvariants;
	ui->replay.demo.fetches = NULL;
	ui->opts.demo = &ui->replay.demo;
	for (i = 0; i < run->nvariants; i++)
		ui->opts.variants[i] = ui->replay.demo_variants[i].name;
	ui->opts.nvariants = run->nvariants;
	ui->replay.run = n;
	ui->replay.act_next = 0;
	ui->replay.fed = 0;
	replay_marks(ui, run);
	if (replay_feed(ui, run->nevents) != 0)
		goto nomem;
	playhead_rewind(&ui->ph);
	ui->view.stepping = false;
	ui->step_pending = 0;
	ui->view.selected = 0;
	ui->view.scroll = 0;
	ui->last_tick = vtime_real_ns();
	return 0;

nomem:
	snprintf(err, len, _("out of memory"));
	return -1;
}

/*
 * Show a recording (the caller keeps it) from its first run as it began:
 * at the speed and pause it was recorded with, unless the command line
 * says otherwise.
 */
int
replay_open(struct ui *ui, struct recording *rec, char *err, size_t len)
{
	ui->replay.rec = rec;
	if (rec->warning[0] != '\0')
		ui_say(ui, _("the recording was cut short"));
	ui->sim = rec->h.clock == CLOCK_SIM;
	ui->real_clock = !ui->sim;
	if (!ui->opts.speed_given)
		ui->view.speed = rec->h.speed;
	ui->view.paused = ui->opts.paused || rec->h.paused;
	return replay_load(ui, 0, err, len);
}

/* Let the recording go (its owner frees it), and what was made of it. */
void
replay_close(struct ui *ui)
{
	replay_programs_free(ui);
	playhead_free(&ui->ph);
	timeline_free(ui->live);
	ui->live = NULL;
	ui->replay.rec = NULL;
}

/* The view on screen now, as an action records it. */
void
replay_view(const struct ui *ui, struct record_view *v)
{
	memset(v, 0, sizeof *v);
	v->t = ui->ph.t;
	v->k = ui->ph.following ? ui->live->nlog : ui->ph.k;
	v->following = ui->ph.following;
	v->view = ui->view;
	v->overlay = (int)ui->overlay;
	if (screen_active())
		screen_size(&v->rows, &v->cols);
	snprintf(v->message, sizeof v->message, "%s", ui->message);
}

/* Show a recorded view again: the same screen the lecturer saw. */
void
replay_apply(struct ui *ui, const struct record_view *v)
{
	if (v->following)
		playhead_seek(&ui->ph, v->t);
	else {
		playhead_hold(&ui->ph);
		ui->ph.k = v->k < ui->live->nlog ? v->k : ui->live->nlog;
		ui->ph.t = v->t;
	}
	ui->view = v->view;
	ui->step_pending = 0;
	ui->overlay = v->overlay < RECORD_VIEW_NOVERLAYS ?
	    (enum ui_overlay)v->overlay : UI_OVERLAY_NONE;
	snprintf(ui->message, sizeof ui->message, "%s", v->message);
	ui->last_tick = vtime_real_ns();
}

/*
 * Where the lecturer's session is now, on its own real clock; an export
 * says where instead.
 */
static int64_t
replay_now(const struct ui *ui)
{
	if (ui->replay.offline)
		return ui->replay.at;
	return vtime_real_ns() - ui->replay.t0;
}

/*
 * Follow the lecturer again from where free exploration began: the run
 * of that moment, the last view before it.
 */
void
replay_follow(struct ui *ui)
{
	const struct recording	*rec = ui->replay.rec;
	size_t			 n = 0;
	char			 err[128];

	while (n + 1 < rec->nruns && rec->runs[n + 1].rtime <= ui->replay.left)
		n++;
	if (n != ui->replay.run && replay_load(ui, n, err, sizeof err) != 0) {
		ui_say(ui, err);
		return;
	}
	ui->replay.as_recorded = true;
	ui->replay.act_next = 0;
	ui->replay.t0 = vtime_real_ns() - ui->replay.left;
	replay_tick(ui);
	ui_say(ui, _("as recorded (a: free exploration)"));
}

/* Leave the lecturer's pace: the keys move the playhead from here. */
void
replay_leave(struct ui *ui)
{
	if (!ui->replay.as_recorded)
		return;
	ui->replay.left = replay_now(ui);
	ui->replay.as_recorded = false;
	ui->last_tick = vtime_real_ns();
	replay_feed_all(ui);
}

/*
 * The lecturer's session is over: the rest is free exploration, from
 * their last screen, paused there (Space plays on past it).
 */
static void
replay_end(struct ui *ui, int64_t at)
{
	ui->replay.left = at;
	ui->replay.as_recorded = false;
	/* An export ends on the lecturer's last screen, as it was. */
	if (ui->replay.offline)
		return;
	playhead_hold(&ui->ph);
	replay_feed_all(ui);
	ui_pause(ui, true);
	ui_say(ui, _("end of the recording (Space plays on)"));
}

/*
 * When (the recording's real ns) the next action or run is due, or -1
 * when none is left.
 */
int64_t
replay_next(const struct ui *ui)
{
	const struct recording	*rec = ui->replay.rec;
	const struct record_run	*run = &rec->runs[ui->replay.run];

	if (ui->replay.act_next < run->nactions)
		return run->actions[ui->replay.act_next].rtime;
	if (ui->replay.run + 1 < rec->nruns)
		return rec->runs[ui->replay.run + 1].rtime;
	return -1;
}

/*
 * Apply the actions whose time has come, going on to the next run at a
 * restart, and move the playhead as the lecturer's did between them.
 * Returns the seconds until the next action, or -1 when none is left.
 */
double
replay_tick(struct ui *ui)
{
	const struct recording		*rec = ui->replay.rec;
	const struct record_run		*run;
	const struct record_action	*last;
	struct record_view		 view;
	int64_t				 now = replay_now(ui), next;
	vtime_t				 t, end;
	size_t				 n, cap;
	char				 err[128];

	for (;;) {
		run = &rec->runs[ui->replay.run];
		while (ui->replay.act_next < run->nactions &&
		    run->actions[ui->replay.act_next].rtime <= now) {
			last = &run->actions[ui->replay.act_next++];
			if (record_view_of(rec, last, &view) ==
			    RECORD_VIEW_QUIT) {
				/* The lecturer's last screen, held there. */
				if (replay_feed(ui, last->events) == 0)
					replay_apply(ui, &view);
				replay_end(ui, last->rtime);
				return -1;
			}
			if (replay_feed(ui, last->events) != 0) {
				replay_end(ui, now);
				return -1;
			}
			replay_apply(ui, &view);
		}
		if (ui->replay.run + 1 >= rec->nruns ||
		    rec->runs[ui->replay.run + 1].rtime > now)
			break;
		if (replay_load(ui, ui->replay.run + 1, err, sizeof err) != 0) {
			ui->replay.as_recorded = false;
			ui_say(ui, err);
			return -1;
		}
	}
	/* The events that came in since, up to what the next action saw. */
	cap = ui->replay.act_next < run->nactions ?
	    run->actions[ui->replay.act_next].events : run->nevents;
	for (n = ui->replay.fed; n < cap && run->rtime +
	    run->events[n].rtime <= now; n++)
		;
	if (n > ui->replay.fed && replay_feed(ui, n) != 0) {
		replay_end(ui, now);
		return -1;
	}
	if (ui->replay.act_next > 0 && !ui->view.paused) {
		last = &run->actions[ui->replay.act_next - 1];
		record_view_of(rec, last, &view);
		t = view.t + (vtime_t)((double)(now - last->rtime) *
		    view.view.speed);
		end = playhead_end_time(&ui->ph);
		if (t >= end && timeline_finished(ui->live)) {
			playhead_seek(&ui->ph, end);
			ui->ph.k = ui->live->nlog;
		} else
			playhead_seek(&ui->ph, t);
	}
	if ((next = replay_next(ui)) >= 0)
		return (double)(next - now) / 1e9;
	/* Nothing more: the recording ended without a quit (a crash). */
	replay_end(ui, now);
	return -1;
}
