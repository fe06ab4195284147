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
#include "keys.h"
#include "replay.h"
#include "screen.h"
#include "seek.h"
#include "setup.h"
#include "ui.h"

#define UI_FRAME	(1.0 / 30)	/* at most 30 frames a second */

struct ui_loop {
	struct ui	*ui;
	struct ev_loop	*loop;
	ev_io		 input;
	ev_io		 events;
	ev_signal	 winch;
	ev_signal	 intr;
	ev_signal	 term;
	ev_signal	 cont;
	ev_signal	 tstp;
	ev_timer	 frame;
	ev_prepare	 draw;
	ev_idle		 again;		/* events came in: do not block */
	ev_timer	 flush;		/* the recording's pending lines */
	ev_timer	 act;		/* the lecturer's next action */
	ev_timer	 step;		/* a step waiting: look again */
};

static int	ui_start(struct ui *, char *, size_t);
static void	ui_stop(struct ui *);
static void	ui_record_act(struct ui *, enum record_act);

/* The variants on screen: the session's, or the replayed run's. */
size_t
ui_nvariants(const struct ui *ui)
{
	if (ui->session != NULL)
		return session_nvariants(ui->session);
	return ui->replay != NULL ? ui->replay->runs[ui->run].nvariants : 0;
}

const struct program *
ui_program(const struct ui *ui, size_t i)
{
	if (ui->session != NULL)
		return session_program(ui->session, i);
	return i < 8 ? ui->programs[i] : NULL;
}

/* The UI moves the playhead itself over a trace it already has. */
bool
ui_playback(const struct ui *ui)
{
	/* A real-clock run, once its trace is whole, is played back too. */
	return ui->sim || ui->replay != NULL ||
	    (ui->live != NULL && timeline_finished(ui->live));
}

/*
 * The simulated engine is far enough ahead of the playhead: its events
 * wait in the session (and its children wait for room) until the
 * playhead comes nearer. A real-clock run is never held.
 */
bool
ui_ahead(const struct ui *ui)
{
	if (!ui->sim || ui->replay != NULL || ui->live == NULL)
		return false;
	return ui->live->now > ui->ph.t + UI_AHEAD ||
	    ui->live->nlog > ui->ph.k + UI_AHEAD_EVENTS;
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

/* The terminal's size, before curses starts too (0 when not a terminal). */
static void
ui_term_size(int *cols, int *rows)
{
	struct winsize	ws;

	*cols = *rows = 0;
	if (screen_active())
		screen_size(rows, cols);
	else if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0) {
		*cols = ws.ws_col;
		*rows = ws.ws_row;
	}
}

/* A failed recording is said once in the key bar, and on stderr at exit. */
static void
ui_record_check(struct ui *ui)
{
	static const char	 sep[] = ": cannot write the recording: ";
	const char		*e = record_error(ui->rec), *why;

	if (e == NULL || ui->rec_said)
		return;
	ui->rec_said = true;
	why = strstr(e, sep);
	snprintf(ui->message, sizeof ui->message, " recording failed: %s ",
	    why != NULL ? why + sizeof sep - 1 : e);
}

/* The header at the first run, a new run at each restart. */
static int
ui_record_start(struct ui *ui, char *err, size_t len)
{
	struct record_header	 h;
	struct record_run	 run;
	int			 rc = 0;

	record_run_programs(&run, ui->session, ui->opts.demo->name);
	if (ui->rec == NULL) {
		memset(&h, 0, sizeof h);
		h.speed = ui->opts.speed;
		h.clock = ui->opts.clock;
		h.paused = ui->opts.paused;
		ui_term_size(&h.cols, &h.rows);
		if ((ui->rec = record_open(ui->opts.record, &h, &run, err,
		    len)) == NULL)
			rc = -1;
	} else {
		record_restart(ui->rec, &run);
		ui_record_check(ui);
	}
	record_run_clear(&run);
	return rc;
}

/* Write down what the lecturer just did, with the view it left. */
static void
ui_record_act(struct ui *ui, enum record_act act)
{
	struct record_action	a;

	if (ui->rec == NULL)
		return;
	memset(&a, 0, sizeof a);
	a.act = act;
	replay_view(ui, &a.view);
	if (a.view.cols == 0)
		ui_term_size(&a.view.cols, &a.view.rows);
	record_action(ui->rec, &a);
	ui_record_check(ui);
}

/* Build and start a session for the current demo and variants. */
static int
ui_start(struct ui *ui, char *err, size_t len)
{
	struct options	o = ui->opts;
	bool		first = ui->rec == NULL;

	if (ui->replay != NULL)
		return replay_load(ui, ui->run, err, len);
	/* The simulated trace is computed at once and played back here. */
	o.speed = ui->sim ? 1.0 : ui->speed;
	o.paused = ui->sim ? false : ui->paused;
	if ((ui->session = setup_session(&o, err, len)) == NULL)
		return -1;
	if ((ui->live = timeline_new(0)) == NULL) {
		snprintf(err, len, "out of memory");
		session_free(ui->session);
		ui->session = NULL;
		return -1;
	}
	playhead_init(&ui->ph, ui->live);
	if (ui->sim)
		playhead_rewind(&ui->ph);
	ui->stepping = false;
	ui->step_pending = 0;
	ui->last_tick = vtime_real_ns();
	ui->selected = 0;
	ui->scroll = 0;
	if (ui->opts.record != NULL && ui_record_start(ui, err, len) != 0) {
		ui_stop(ui);
		return -1;
	}
	if (session_start(ui->session) != 0) {
		snprintf(err, len, "cannot start the variants' threads");
		ui_stop(ui);
		return -1;
	}
	ui_record_act(ui, first ? RECORD_START : RECORD_RESTART);
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
	n = record_poll_upto(ui->rec, ui->session, ui->live,
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
	if (ui->session == NULL || ui->replay != NULL)
		return;
	session_mark(ui->session);
	ui_poll(ui);
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
		snprintf(msg, sizeof msg, "%s starts", vn);
		break;
	case TRACE_VARIANT_END:
		snprintf(msg, sizeof msg, "%s ends: %.2f s", vn,
		    vtime_to_sec(ev.a));
		break;
	case TRACE_TASK_CREATE:
		snprintf(msg, sizeof msg, "%s: %s made", vn, tn);
		break;
	case TRACE_TASK_STATE:
		snprintf(msg, sizeof msg, "%s: %s %s%s%s%s", vn, tn,
		    trace_state_name(ev.state), ev.reason != REASON_NONE ?
		    " (" : "", trace_reason_name(ev.reason),
		    ev.reason != REASON_NONE ? ")" : "");
		break;
	case TRACE_PRINT:
		snprintf(msg, sizeof msg, "%s: %s prints", vn,
		    t != NULL ? tn : "the program");
		break;
	case TRACE_LOOP_ITER:
		snprintf(msg, sizeof msg, "%s: the loop's turn %lld", vn,
		    (long long)ev.a);
		break;
	case TRACE_TIMER_FIRE:
		snprintf(msg, sizeof msg, "%s: %s's timer fires", vn, tn);
		break;
	case TRACE_CLOCK:
		snprintf(msg, sizeof msg, "the clock: %s",
		    ev.flags & TRACE_F_PAUSED ? "paused" : "runs");
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
			ui_record_act(l->ui, (enum record_act)l->ui->act);
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

/*
 * Stopped by the shell (Ctrl-Z): give it a sane terminal, stop, and come
 * back drawn. A run that was going on pauses for as long as the process
 * is stopped, recorded as a pause and a resume at one instant: neither
 * the clock nor the playback jumps on by the time away. Following the
 * lecturer, the recording's own clock waits as well.
 */
static void
ui_suspend(struct ui *ui)
{
	bool	following = ui->replay != NULL && ui->as_recorded;
	bool	hold = !following && !ui->paused && !playhead_at_end(&ui->ph);
	int64_t	away = vtime_real_ns();

	if (hold) {
		ui_pause(ui, true);
		ui_record_act(ui, RECORD_PAUSE);
	}
	screen_suspend();
	kill(getpid(), SIGSTOP);
	screen_resume();
	away = vtime_real_ns() - away;
	if (following)
		ui->rep_t0 += away;
	if (hold) {
		ui_pause(ui, false);
		ui_record_act(ui, RECORD_RESUME);
	}
}

/* The step that waited for the engine is taken. */
static void
ui_step_done(struct ui_loop *l, enum record_act act, const char *msg)
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
			ui_step_done(l, RECORD_ITERATION, NULL);
			return;
		}
		if (timeline_finished(ui->live) ||
		    !timeline_loop_open(ui->live)) {
			ui->step_pending = UI_STEP_EVENT;
			msg = UI_STEP_FALLBACK;
		}
	}
	if (ui->step_pending == UI_STEP_EVENT &&
	    playhead_step(&ui->ph, 1) == 0) {
		ui_step_done(l, msg != NULL ? RECORD_ITERATION : RECORD_STEP,
		    msg);
		return;
	}
	if (ev_is_active(&l->step))
		return;
	/* Simulated, the engine goes on by itself: wait for its events. */
	rc = timeline_finished(ui->live) ? -1 : ui->sim ? 0 :
	    session_step(ui->session);
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
	case SIGTSTP:
		ui_suspend(l->ui);
		l->ui->flags |= UI_RESIZE | UI_REDRAW;
		break;
	case SIGCONT:
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

/* Advance the playhead to what the clock or the playback says. */
static void
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
	/* Time spent waiting for the engine is not played: no catching up. */
	if (ui->held)
		ui->last_tick = now;
	t = ui->ph.t + (vtime_t)((double)(now - ui->last_tick) * ui->speed);
	ui->last_tick = now;
	/* Not past what the engine has computed: wait for it there. */
	ui->held = false;
	if (ui->sim && ui->replay == NULL && t > ui_frontier(ui)) {
		ui->held = true;
		t = ui_frontier(ui);
		if (t < ui->ph.t)
			t = ui->ph.t;
	}
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

/* A restart: the session made again, or the replay from its start. */
static void
ui_restart(struct ui_loop *l)
{
	struct ui	*ui = l->ui;
	char		 err[256];

	ui_cut(ui);
	ui_stop(ui);
	if (ui_start(ui, err, sizeof err) != 0) {
		snprintf(ui->fatal, sizeof ui->fatal, "%s", err);
		ui->status = 1;
		ui->flags |= UI_QUIT;
		ev_break(l->loop, EVBREAK_ALL);
		return;
	}
	if (ui->replay != NULL) {
		if (ui->as_recorded)
			replay_follow(ui);
		return;
	}
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
	bool		 animate;

	(void)revents;
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
	if (ui->step_pending != 0)
		ui_step_wait(l);
	else if (ev_is_active(&l->step))
		ev_timer_stop(loop, &l->step);
	if (ui->as_recorded)
		ui_follow_lecturer(l);
	else if (ev_is_active(&l->act))
		ev_timer_stop(loop, &l->act);
	animate = !ui->paused && !playhead_at_end(&ui->ph);
	/* Live, following, even once the end came: time stops at its event. */
	if ((animate || (!ui->sim && ui->replay == NULL &&
	    ui->ph.following)) &&
	    !ui->as_recorded)
		ui_advance(ui);
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

/* Best effort on a crash: give the terminal back, then die as we would. */
static void
ui_crash(int sig)
{
	screen_fini();
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * SIGINT or SIGTERM ended the run (the interface or a headless one), which
 * has given the terminal back and closed its files: now die of it, as a
 * shell expects of what it interrupted (a loop in a script stops at C-c).
 */
void
ui_die_of(int sig)
{
	sigset_t	set;

	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
}

/* The end of a recording or a cast: a failure is one line on stderr. */
static void
ui_finish(struct ui *ui, struct cast *cast)
{
	char	err[600];

	if (ui->fatal[0] != '\0')
		fprintf(stderr, "loopscope: %s\n", ui->fatal);
	if (ui->rec != NULL && record_close(ui->rec, err, sizeof err) != 0) {
		fprintf(stderr, "loopscope: %s\n", err);
		ui->status = 1;
	}
	ui->rec = NULL;
	if (cast != NULL && cast_close(cast, err, sizeof err) != 0) {
		fprintf(stderr, "loopscope: %s\n", err);
		ui->status = 1;
	}
}

/* Start curses, on the terminal or through a cast that keeps its bytes. */
static int
ui_screen(struct ui *ui, struct cast **cast, char *err, size_t len)
{
	int	cols, rows;

	*cast = NULL;
	if (ui->opts.cast == NULL)
		return screen_init();
	ui_term_size(&cols, &rows);
	if ((*cast = cast_open(ui->opts.cast, cols, rows, err, len)) == NULL)
		return -1;
	if (screen_init_tee(cast_sink, *cast) != 0) {
		snprintf(err, len, "cannot start the terminal UI");
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
	ui.speed = o->speed;
	ui.paused = o->paused;
	ui.show_source = true;
	ui.act = -1;
	ui.glyphs = glyphs_get(glyphs_locale_utf8());
	if (o->replay != NULL) {
		if ((rec = record_read(o->replay, err, sizeof err)) == NULL) {
			fprintf(stderr, "loopscope: %s\n", err);
			return 1;
		}
		if (rec->warning[0] != '\0')
			fprintf(stderr, "loopscope: %s\n", rec->warning);
		if (replay_open(&ui, rec, err, sizeof err) != 0) {
			fprintf(stderr, "loopscope: %s: %s\n", o->replay, err);
			replay_close(&ui);
			record_free(rec);
			return 1;
		}
	} else if (ui_start(&ui, err, sizeof err) != 0) {
		fprintf(stderr, "loopscope: %s: %s\n", o->demo->name, err);
		return 1;
	}
	if (ui_screen(&ui, &cast, err, sizeof err) != 0) {
		ui_stop(&ui);
		if (ui.rec != NULL)
			record_abort(ui.rec);
		replay_close(&ui);
		record_free(rec);
		fprintf(stderr, "loopscope: %s\n", o->cast != NULL ? err :
		    screen_why());
		return 1;
	}
	atexit(screen_fini);
	screen_size(&ui.resized_rows, &ui.resized_cols);
	signal(SIGSEGV, ui_crash);
	signal(SIGABRT, ui_crash);
	signal(SIGBUS, ui_crash);
	signal(SIGFPE, ui_crash);

	memset(&l, 0, sizeof l);
	l.ui = &ui;
	l.loop = ev_default_loop(EVFLAG_AUTO);
	ev_io_init(&l.input, ui_input_cb, STDIN_FILENO, EV_READ);
	ev_io_init(&l.events, ui_events_cb, ui.session != NULL ?
	    session_fd(ui.session) : -1, EV_READ);
	ev_signal_init(&l.winch, ui_signal_cb, SIGWINCH);
	ev_signal_init(&l.intr, ui_signal_cb, SIGINT);
	ev_signal_init(&l.term, ui_signal_cb, SIGTERM);
	ev_signal_init(&l.cont, ui_signal_cb, SIGCONT);
	ev_signal_init(&l.tstp, ui_signal_cb, SIGTSTP);
	ev_timer_init(&l.frame, ui_frame_cb, UI_FRAME, UI_FRAME);
	ev_timer_init(&l.flush, ui_flush_cb, 0.5, 0);
	ev_timer_init(&l.act, ui_act_cb, 0, 0);
	ev_timer_init(&l.step, ui_step_cb, 0, 0);
	ev_prepare_init(&l.draw, ui_prepare_cb);
	ev_idle_init(&l.again, ui_again_cb);
	l.input.data = l.events.data = l.winch.data = l.intr.data = &l;
	l.term.data = l.cont.data = l.tstp.data = &l;
	l.frame.data = l.draw.data = l.again.data = &l;
	l.flush.data = l.act.data = &l;
	ev_io_start(l.loop, &l.input);
	if (ui.session != NULL)
		ev_io_start(l.loop, &l.events);
	ev_signal_start(l.loop, &l.winch);
	ev_signal_start(l.loop, &l.intr);
	ev_signal_start(l.loop, &l.term);
	ev_signal_start(l.loop, &l.cont);
	ev_signal_start(l.loop, &l.tstp);
	ev_prepare_start(l.loop, &l.draw);
	ui.flags = UI_REDRAW;

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
	ev_signal_stop(l.loop, &l.cont);
	ev_signal_stop(l.loop, &l.tstp);
	ui_cut(&ui);
	ui_record_act(&ui, RECORD_QUIT);
	screen_fini();
	ui_stop(&ui);
	ui_finish(&ui, cast);
	replay_close(&ui);
	record_free(rec);
	free(ui.lanes);
	if (ui.signal != 0)
		ui_die_of(ui.signal);
	return ui.status;
}
