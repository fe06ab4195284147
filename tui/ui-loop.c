/* The terminal UI: its state, its event loop on libev, its recording. */
#include "config.h"

#include <sys/ioctl.h>

#include <curses.h>
#include <ev.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cast.h"
#include "i18n.h"
#include "keys.h"
#include "quiz.h"
#include "replay.h"
#include "screen.h"
#include "seek.h"
#include "setup.h"
#include "ui.h"
#include "ui-loop.h"
#include "ui-watch.h"
#include "visible.h"

#define UI_FRAME	(1.0 / 30)	/* at most 30 frames a second */

struct ui_loop {
	struct ui	*ui;
	struct ev_loop	*loop;
	ev_io		 input;
	ev_io		 events;
	ev_signal	 winch;
	ev_signal	 intr;
	ev_signal	 term;
	ev_timer	 frame;
	ev_prepare	 draw;
	ev_idle		 again;		/* events came in: do not block */
	ev_timer	 flush;		/* the recording's pending lines */
	ev_timer	 act;		/* the lecturer's next action */
	ev_timer	 step;		/* a step waiting: look again */
};

static int	ui_start(struct ui *, char *, size_t);
static void	ui_stop(struct ui *);


/* Build and start a session for the current demo and variants. */
static int
ui_start(struct ui *ui, char *err, size_t len)
{
	struct options	o = ui->opts;
	bool		first = ui->rec == NULL;
	char		note[160];

	if (ui->replay.rec != NULL)
		return replay_load(ui, ui->replay.run, err, len);
	/* The simulated trace is computed at once and played back here. */
	o.speed = ui->sim ? 1.0 : ui->view.speed;
	o.paused = ui->sim ? false : ui->view.paused;
	if ((ui->session = setup_session(&o, err, len)) == NULL)
		return -1;
	if (setup_short(&o, note, sizeof note))
		ui_say(ui, note);	/* the key bar's, until the next key */
	if ((ui->live = timeline_new(0)) == NULL) {
		snprintf(err, len, _("out of memory"));
		session_free(ui->session);
		ui->session = NULL;
		return -1;
	}
	playhead_init(&ui->ph, ui->live);
	if (ui->sim)
		playhead_rewind(&ui->ph);
	ui->view.stepping = false;
	ui->step_pending = 0;
	ui->last_tick = vtime_real_ns();
	ui->view.selected = 0;
	ui->view.scroll = 0;
	if (ui->opts.record != NULL && ui_record_start(ui, err, len) != 0) {
		ui_stop(ui);
		return -1;
	}
	if (session_start(ui->session) != 0) {
		snprintf(err, len, _("cannot start the variants: %s"),
		    session_why(ui->session));
		ui_stop(ui);
		return -1;
	}
	ui_record_act(ui, first ? RECORD_VIEW_START : RECORD_VIEW_RESTART);
	return 0;
}

static void
ui_stop(struct ui *ui)
{
	session_free(ui->session);
	ui->session = NULL;
	playhead_free(&ui->ph);
	timeline_free(ui->live);
	ui->live = NULL;
}

/*
 * The engine's new events into the live model and the recording; the
 * playhead keeps showing the same events, wherever late ones went.
 */
static size_t
ui_poll(struct ui *ui)
{
	size_t	n;

	playhead_mark(&ui->ph);
	n = session_poll_upto(ui->session, ui->live,
	    ui_ahead(ui) ? 0 : UI_AHEAD_EVENTS);
	playhead_keep(&ui->ph);
	return n;
}

/*
 * The live run ends before its variants (quit, restart): the time its
 * clock stands at goes into the trace, and the recording, first.
 */
static void
ui_cut(struct ui *ui)
{
	if (ui->session == NULL || ui->replay.rec != NULL)
		return;
	session_mark(ui->session);
	ui_poll(ui);
}

static void
ui_input_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ui_loop	*l = w->data;
	int		 key, mouse_y = -1;

	(void)loop;
	(void)revents;
	while ((key = screen_getkey(&mouse_y)) != -1) {
		if (key == -2)
			continue;
		l->ui->act = -1;
		l->ui->flags |= keys_handle(l->ui, key, mouse_y);
		if (l->ui->act >= 0)
			ui_record_act(l->ui, (enum record_view_act)l->ui->act);
	}
}

static void
ui_events_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ui_loop	*l = w->data;

	(void)loop;
	(void)revents;
	l->ui->flags |= UI_REDRAW;
}

/* The step that waited for the engine is taken. */
static void
ui_step_done(struct ui_loop *l, enum record_view_act act, const char *msg)
{
	struct ui	*ui = l->ui;

	ui->step_pending = 0;
	ev_timer_stop(l->loop, &l->step);
	if (msg != NULL)
		ui_say(ui, msg);
	else
		ui_say_event(ui);
	ui_record_act(ui, act);
	ui->flags |= UI_REDRAW;
}

/*
 * A step past what had arrived (keys_step) waits for the engine, and this
 * runs at each turn of the UI's loop until it is taken. What it wants may
 * have come: the next event, or the next turn of a loop. Else the engine
 * goes to its next deadline, once every variant is done with the last
 * one; the deadline may be another variant's (the sync one's time.sleep
 * ends first), and then the engine goes on. Each try waits for events or
 * for a short timer, so that a step that brought nothing is tried again.
 */
static void
ui_step_wait(struct ui_loop *l)
{
	struct ui	*ui = l->ui;
	const char	*msg = NULL;
	int		 rc;

	if (ui->step_pending == UI_STEP_TURN) {
		if (playhead_step_iteration(&ui->ph) == 0) {
			ui_step_done(l, RECORD_VIEW_ITERATION, NULL);
			return;
		}
		if (timeline_finished(ui->live) ||
		    !ui_loop_ahead(ui)) {
			ui->step_pending = UI_STEP_EVENT;
			msg = _(UI_STEP_FALLBACK);
		}
	}
	if (ui->step_pending == UI_STEP_EVENT &&
	    playhead_step(&ui->ph, 1) == 0) {
		ui_step_done(l, msg != NULL ? RECORD_VIEW_ITERATION :
		    RECORD_VIEW_STEP,
		    msg);
		return;
	}
	if (ev_is_active(&l->step))
		return;
	/* The children go on by themselves: wait for their events. */
	rc = timeline_finished(ui->live) ? -1 : 0;
	if (rc < 0) {
		ui->step_pending = 0;
		ui_say_step_end(ui);
		ui->flags |= UI_REDRAW;
		return;
	}
	ev_timer_set(&l->step, UI_STEP_RETRY, 0);
	ev_timer_start(l->loop, &l->step);
}

/* Only wakes the loop: ui_prepare_cb looks at the waiting step again. */
static void
ui_step_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
}

static void
ui_signal_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct ui_loop	*l = w->data;

	(void)revents;
	switch (w->signum) {
	case SIGWINCH:
		l->ui->flags |= UI_RESIZE | UI_REDRAW;
		break;
	default:
		l->ui->signal = w->signum;
		l->ui->flags |= UI_QUIT;
		ev_break(loop, EVBREAK_ALL);
		break;
	}
}

static void
ui_frame_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ui_loop	*l = w->data;

	(void)loop;
	(void)revents;
	l->ui->flags |= UI_REDRAW;
}

/* A restart: the session made again, or the replay from its start. */
static void
ui_restart(struct ui_loop *l)
{
	struct ui	*ui = l->ui;
	char		 err[256];

	/* Another run: a quiz of the last one is over. */
	quiz_reset();
	if (ui->overlay == UI_OVERLAY_QUIZ)
		ui->overlay = UI_OVERLAY_NONE;
	ui_cut(ui);
	ui_stop(ui);
	if (ui_start(ui, err, sizeof err) != 0) {
		snprintf(ui->fatal, sizeof ui->fatal, "%s", err);
		ui->status = 1;
		ui->flags |= UI_QUIT;
		ev_break(l->loop, EVBREAK_ALL);
		return;
	}
	if (ui->replay.rec != NULL) {
		if (ui->replay.as_recorded)
			replay_follow(ui);
		return;
	}
	ui_watch_restarted(ui);
	ev_io_stop(l->loop, &l->events);
	ev_io_set(&l->events, session_fd(ui->session), EV_READ);
	ev_io_start(l->loop, &l->events);
}

/* The lecturer's pace: apply what is due, wake up for what comes next. */
static void
ui_follow_lecturer(struct ui_loop *l)
{
	double	next;

	next = replay_tick(l->ui);
	ev_timer_stop(l->loop, &l->act);
	if (next >= 0) {
		ev_timer_set(&l->act, next, 0);
		ev_timer_start(l->loop, &l->act);
	}
	l->ui->flags |= UI_REDRAW;
}

/* Once per loop turn: take the engine's news, then draw if needed. */
static void
ui_prepare_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct ui_loop	*l = w->data;
	struct ui	*ui = l->ui;
	bool		 animate, held;
	vtime_t		 t;
	size_t		 k;

	(void)revents;
	ui->flags |= ui_signal_check(ui);
	if (ui->flags & UI_QUIT) {
		ev_break(loop, EVBREAK_ALL);
		return;
	}
	if (ui->flags & UI_RESTART) {
		ui_restart(l);
		if (ui->flags & UI_QUIT)
			return;
	}
	if (ui->session != NULL && ui_poll(ui) > 0)
		ui->flags |= UI_REDRAW;
	ui_watch_poll(ui);
	ui->flags |= quiz_poll(ui) | quiz_check(ui);
	if (ui->step_pending != 0)
		ui_step_wait(l);
	else if (ev_is_active(&l->step))
		ev_timer_stop(loop, &l->step);
	if (ui->replay.as_recorded)
		ui_follow_lecturer(l);
	else if (ev_is_active(&l->act))
		ev_timer_stop(loop, &l->act);
	animate = !ui->view.paused && !playhead_at_end(&ui->ph);
	/* Live, following, even once the end came: time stops at its event. */
	held = ui->held;
	t = ui->ph.t;
	k = ui->ph.k;
	if ((animate || (!ui->sim && ui->replay.rec == NULL &&
	    ui->ph.following)) &&
	    !ui->replay.as_recorded)
		ui_advance(ui);
	/*
	 * The header says "computing" while held: draw it when that turns.
	 * A playhead that moved is drawn now, whatever woke the loop: moved
	 * to the end, it may never be woken again by the frame timer (a run
	 * "running" at 0.51 s on screen, ended at 3.00 s in the model).
	 */
	if (ui->held != held || ui->ph.t != t || ui->ph.k != k)
		ui->flags |= UI_REDRAW;
	/* Held at what the engine computed: its next events wake us. */
	if (animate && !ui->held && !ev_is_active(&l->frame))
		ev_timer_again(loop, &l->frame);
	else if ((!animate || ui->held) && ev_is_active(&l->frame))
		ev_timer_stop(loop, &l->frame);
	if (ui->flags & UI_RESIZE)
		screen_resize();
	if (ui->flags & (UI_REDRAW | UI_RESIZE)) {
		draw_screen(ui);
		screen_flush((ui->flags & UI_RESIZE) != 0);
	}
	ui->flags = 0;
	/* What the recording holds goes to disk within half a second. */
	record_flush(ui->rec, false);
	ui_record_check(ui);
	if (record_dirty(ui->rec) && !ev_is_active(&l->flush)) {
		ev_timer_set(&l->flush, 0.5, 0);
		ev_timer_start(loop, &l->flush);
	}
	/*
	 * Ask to be woken by the next event. If some came in meanwhile, an
	 * idle watcher keeps the loop from blocking (a watcher fed from here
	 * would run now, and the loop would still sleep after it).
	 */
	if (ui->session == NULL)
		return;
	/* Far enough ahead: the engine's news waits for the playhead. */
	if (ui_ahead(ui)) {
		ev_io_stop(loop, &l->events);
		return;
	}
	if (!ev_is_active(&l->events))
		ev_io_start(loop, &l->events);
	if (session_arm(ui->session))
		ev_idle_start(loop, &l->again);
}

static void
ui_flush_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ui_loop	*l = w->data;

	(void)loop;
	(void)revents;
	record_flush(l->ui->rec, true);
}

static void
ui_act_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ui_loop	*l = w->data;

	(void)loop;
	(void)revents;
	l->ui->flags |= UI_REDRAW;
}

static void
ui_again_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
	struct ui_loop	*l = w->data;

	(void)revents;
	ev_idle_stop(loop, w);
	l->ui->flags |= UI_REDRAW;
}

/* Start curses, on the terminal or through a cast that keeps its bytes. */
static int
ui_screen(struct ui *ui, struct cast **cast, char *err, size_t len)
{
	int	cols, rows;

	*cast = NULL;
	if (ui->opts.cast == NULL)
		return screen_init();
	ui_record_size(&cols, &rows);
	if ((*cast = cast_open(ui->opts.cast, cols, rows, err, len)) == NULL)
		return -1;
	if (screen_init_tee(cast_sink, *cast) != 0) {
		snprintf(err, len, _("cannot start the terminal UI"));
		cast_close(*cast, err, 0);
		*cast = NULL;
		return -1;
	}
	return 0;
}

/* Run the terminal UI until the user quits. Returns the exit status. */
int
ui_run(const struct options *o)
{
	struct ui		 ui;
	struct ui_loop		 l;
	struct cast		*cast;
	struct recording	*rec = NULL;
	char			 err[600];

	memset(&ui, 0, sizeof ui);
	ui.opts = *o;
	/*
	 * A Python program's trace is played back in either clock: in the
	 * real one its children run in real time, and the view follows.
	 */
	ui.sim = o->clock == CLOCK_SIM || o->demo->nvariants == 0 ||
	    o->demo->variants[0].file != NULL;
	ui.real_clock = o->clock == CLOCK_REAL;
	ui.view.speed = o->speed;
	ui.view.paused = o->paused;
	ui.view.source = true;
	ui.act = -1;
	ui.glyphs = glyphs_get(glyphs_locale_utf8());
	ui_signal_init();	/* before any thread: they inherit its mask */
	if (o->replay != NULL) {
		if ((rec = record_view_read(o->replay, &o->limits, err,
		    sizeof err)) == NULL) {
			visible_warn("%s", err);
			ui_signal_fini();
		return 1;
		}
		if (rec->warning[0] != '\0')
			visible_warn("%s", rec->warning);
		if (replay_open(&ui, rec, err, sizeof err) != 0) {
			visible_warn("%s: %s", o->replay, err);
			replay_close(&ui);
			record_free(rec);
			ui_signal_fini();
		return 1;
		}
	} else if (ui_start(&ui, err, sizeof err) != 0) {
		visible_warn("%s: %s", o->demo->name, err);
		ui_signal_fini();
		return 1;
	}
	if (ui_screen(&ui, &cast, err, sizeof err) != 0) {
		ui_stop(&ui);
		if (ui.rec != NULL)
			record_abort(ui.rec);
		replay_close(&ui);
		record_free(rec);
		visible_warn("%s", o->cast != NULL ? err :
		    screen_why());
		ui_signal_fini();
		return 1;
	}
	atexit(screen_fini);
	screen_size(&ui.replay.resized_rows, &ui.replay.resized_cols);

	memset(&l, 0, sizeof l);
	l.ui = &ui;
	l.loop = ev_default_loop(EVFLAG_AUTO);
	ev_io_init(&l.input, ui_input_cb, STDIN_FILENO, EV_READ);
	ev_io_init(&l.events, ui_events_cb, ui.session != NULL ?
	    session_fd(ui.session) : -1, EV_READ);
	ev_signal_init(&l.winch, ui_signal_cb, SIGWINCH);
	ev_signal_init(&l.intr, ui_signal_cb, SIGINT);
	ev_signal_init(&l.term, ui_signal_cb, SIGTERM);
	ev_timer_init(&l.frame, ui_frame_cb, UI_FRAME, UI_FRAME);
	ev_timer_init(&l.flush, ui_flush_cb, 0.5, 0);
	ev_timer_init(&l.act, ui_act_cb, 0, 0);
	ev_timer_init(&l.step, ui_step_cb, 0, 0);
	ev_prepare_init(&l.draw, ui_prepare_cb);
	ev_idle_init(&l.again, ui_again_cb);
	l.input.data = l.events.data = l.winch.data = l.intr.data = &l;
	l.term.data = &l;
	l.frame.data = l.draw.data = l.again.data = &l;
	l.flush.data = l.act.data = &l;
	ev_io_start(l.loop, &l.input);
	if (ui.session != NULL)
		ev_io_start(l.loop, &l.events);
	ev_signal_start(l.loop, &l.winch);
	ev_signal_start(l.loop, &l.intr);
	ev_signal_start(l.loop, &l.term);
	ev_prepare_start(l.loop, &l.draw);
	ui_signal_start(l.loop);
	ui_watch_init(l.loop, &ui);
	ui.flags = UI_REDRAW;
	if (ui.opts.quiz)
		ui.flags |= quiz_open(&ui);

	ev_run(l.loop, 0);

	ev_timer_stop(l.loop, &l.frame);
	ev_timer_stop(l.loop, &l.flush);
	ev_timer_stop(l.loop, &l.act);
	ev_idle_stop(l.loop, &l.again);
	ev_prepare_stop(l.loop, &l.draw);
	ev_io_stop(l.loop, &l.input);
	ev_io_stop(l.loop, &l.events);
	ev_signal_stop(l.loop, &l.winch);
	ev_signal_stop(l.loop, &l.intr);
	ev_signal_stop(l.loop, &l.term);
	ui_watch_fini();
	ui_cut(&ui);
	ui_record_act(&ui, RECORD_VIEW_QUIT);
	screen_fini();
	ui_stop(&ui);
	ui_record_finish(&ui, cast);
	replay_close(&ui);
	record_free(rec);
	free(ui.lanes);
	pauses_free(&ui.pauses);
	ui_signal_fini();
	if (ui.signal != 0)
		ui_die_of(ui.signal);
	return ui.status;
}
