/* The terminal UI: its state, its event loop on libev, its keys. */
#include "config.h"

#include <curses.h>
#include <ev.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "screen.h"
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
};

static int	ui_start(struct ui *, char *, size_t);
static void	ui_stop(struct ui *);
static int	ui_key(struct ui *, int, int);

/* Build and start a session for the current demo and variants. */
static int
ui_start(struct ui *ui, char *err, size_t len)
{
	struct options	o = ui->opts;

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
	ui->step_pending = false;
	ui->last_tick = vtime_real_ns();
	ui->selected = 0;
	ui->scroll = 0;
	if (session_start(ui->session) != 0) {
		snprintf(err, len, "cannot start the variants' threads");
		ui_stop(ui);
		return -1;
	}
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

static void
ui_say(struct ui *ui, const char *msg)
{
	snprintf(ui->message, sizeof ui->message, " %s ", msg);
}

static void
ui_set_speed(struct ui *ui, double speed)
{
	if (speed < CLOCK_SPEED_MIN)
		speed = CLOCK_SPEED_MIN;
	if (speed > CLOCK_SPEED_MAX)
		speed = CLOCK_SPEED_MAX;
	ui->speed = speed;
	if (!ui->sim)
		session_set_speed(ui->session, speed);
}

static void
ui_pause(struct ui *ui, bool paused)
{
	if (ui->paused == paused)
		return;
	ui->paused = paused;
	ui->last_tick = vtime_real_ns();
	if (!ui->sim) {
		session_set_paused(ui->session, paused);
		if (!paused)
			playhead_follow(&ui->ph, session_now(ui->session));
	}
	if (!paused) {
		ui->stepping = false;
		ui->step_pending = false;
		/* Playing a finished trace again starts it over. */
		if (ui->sim && playhead_at_end(&ui->ph) && !ui->ph.following &&
		    ui->ph.t >= playhead_end_time(&ui->ph))
			playhead_rewind(&ui->ph);
	}
}

/* One event forward; at the end of what arrived, ask the engine for more. */
static void
ui_step(struct ui *ui, bool iteration)
{
	int	rc;

	ui_pause(ui, true);
	ui->stepping = true;
	rc = iteration ? playhead_step_iteration(&ui->ph) :
	    playhead_step(&ui->ph, 1);
	if (rc == 0)
		return;
	if (!ui->sim && !timeline_finished(ui->live) &&
	    session_step(ui->session) == 0) {
		ui->step_pending = true;
		ui_say(ui, "waiting for the engine");
		return;
	}
	ui_say(ui, timeline_finished(ui->live) ? "end of the trace" :
	    "nothing to step to yet");
}

static void
ui_select(struct ui *ui, int delta, bool wrap)
{
	int	n = ui->nlanes;

	if (n == 0)
		return;
	ui->selected += delta;
	if (wrap)
		ui->selected = (ui->selected % n + n) % n;
	else if (ui->selected < 0)
		ui->selected = 0;
	else if (ui->selected >= n)
		ui->selected = n - 1;
}

/* Keys of the demo and variant menus. */
static int
ui_menu_key(struct ui *ui, int key)
{
	bool	demos = ui->overlay == UI_OVERLAY_DEMOS;
	int	n = demos ? (int)demos_count() : (int)ui->opts.demo->nvariants;
	size_t	i;

	switch (key) {
	case KEY_UP:
	case 'k':
		ui->menu_pos = (ui->menu_pos + n - 1) % n;
		return UI_REDRAW;
	case KEY_DOWN:
	case 'j':
	case '\t':
		ui->menu_pos = (ui->menu_pos + 1) % n;
		return UI_REDRAW;
	case ' ':
		if (!demos)
			ui->menu_want[ui->menu_pos] = !ui->menu_want[ui->menu_pos];
		return UI_REDRAW;
	case '\r':
	case '\n':
	case KEY_ENTER:
		if (demos) {
			ui->opts.demo = demos_at((size_t)ui->menu_pos);
			for (i = 0; i < ui->opts.demo->nvariants && i < 8; i++)
				ui->opts.variants[i] =
				    ui->opts.demo->variants[i].name;
			ui->opts.nvariants = i;
		} else {
			size_t	k = 0;

			for (i = 0; i < ui->opts.demo->nvariants; i++)
				if (ui->menu_want[i])
					ui->opts.variants[k++] =
					    ui->opts.demo->variants[i].name;
			if (k == 0) {
				ui_say(ui, "choose at least one variant");
				return UI_REDRAW;
			}
			ui->opts.nvariants = k;
		}
		ui->overlay = UI_OVERLAY_NONE;
		return UI_RESTART | UI_REDRAW;
	case 27:
	case 'q':
		ui->overlay = UI_OVERLAY_NONE;
		return UI_REDRAW;
	default:
		if (demos && key >= '1' && key < '1' + n) {
			ui->menu_pos = key - '1';
			return ui_menu_key(ui, '\n');
		}
		return 0;
	}
}

static void
ui_open_variants(struct ui *ui)
{
	size_t	i, j;

	for (i = 0; i < ui->opts.demo->nvariants && i < 8; i++) {
		ui->menu_want[i] = false;
		for (j = 0; j < ui->opts.nvariants; j++)
			if (strcmp(ui->opts.variants[j],
			    ui->opts.demo->variants[i].name) == 0)
				ui->menu_want[i] = true;
	}
	ui->menu_pos = 0;
	ui->overlay = UI_OVERLAY_VARIANTS;
}

/* Handle one key; returns what the main loop must do (UI_* bits). */
static int
ui_key(struct ui *ui, int key, int mouse_y)
{
	ui->message[0] = '\0';
	/* Keys come in batches between frames: see the lanes as they are now. */
	draw_build_lanes(ui, playhead_model(&ui->ph));
	if (key == KEY_RESIZE)
		return UI_RESIZE | UI_REDRAW;
	if (ui->overlay == UI_OVERLAY_DEMOS ||
	    ui->overlay == UI_OVERLAY_VARIANTS)
		return ui_menu_key(ui, key);
	if (ui->overlay != UI_OVERLAY_NONE) {
		if (key == 27 || key == 'q' || key == '?' || key == '\r' ||
		    key == '\n' || key == KEY_ENTER) {
			ui->overlay = UI_OVERLAY_NONE;
			return UI_REDRAW;
		}
		return 0;
	}
	switch (key) {
	case 'q':
	case 'Q':
		return UI_QUIT;
	case ' ':
		ui_pause(ui, !ui->paused);
		break;
	case 'n':
	case KEY_RIGHT:
		ui_step(ui, false);
		break;
	case 'N':
		ui_step(ui, true);
		break;
	case 'b':
	case KEY_LEFT:
		ui_pause(ui, true);
		ui->stepping = true;
		if (playhead_step(&ui->ph, -1) != 0)
			ui_say(ui, "at the start");
		break;
	case '+':
	case '=':
		ui_set_speed(ui, ui->speed * 2);
		break;
	case '-':
		ui_set_speed(ui, ui->speed / 2);
		break;
	case '0':
		ui_set_speed(ui, 1.0);
		break;
	case 'r':
		return UI_RESTART | UI_REDRAW;
	case 'd':
		ui->overlay = UI_OVERLAY_DEMOS;
		ui->menu_pos = 0;
		break;
	case 'v':
		ui_open_variants(ui);
		break;
	case '\t':
		ui_select(ui, 1, true);
		break;
	case KEY_BTAB:
		ui_select(ui, -1, true);
		break;
	case KEY_DOWN:
	case 'j':
		ui_select(ui, 1, false);
		break;
	case KEY_UP:
	case 'k':
		ui_select(ui, -1, false);
		break;
	case '\r':
	case '\n':
	case KEY_ENTER:
		if (ui->selected >= 0 && ui->selected < ui->nlanes &&
		    ui->lanes[ui->selected].task != 0)
			ui->overlay = UI_OVERLAY_DETAILS;
		break;
	case 's':
		ui->show_source = !ui->show_source;
		break;
	case 'f':
		/* Fold or unfold the selected lane's variant. */
		if (ui->selected >= 0 && ui->selected < ui->nlanes &&
		    ui->lanes[ui->selected].variant < 8) {
			int v = ui->lanes[ui->selected].variant;

			ui->fold[v] = ui->folded[v] ? -1 : 1;
			ui->selected = 0;
			while (ui->selected < ui->nlanes &&
			    ui->lanes[ui->selected].variant != v)
				ui->selected++;
		}
		break;
	case '?':
	case 'h':
		ui->overlay = UI_OVERLAY_HELP;
		break;
	case KEY_MOUSE:
		if (layout_contains(&ui->layout.timelines, mouse_y, 0) &&
		    mouse_y >= ui->layout.timelines.y + 2 &&
		    mouse_y < ui->layout.timelines.y + ui->layout.timelines.h -
		    1 && ui->scroll + mouse_y - ui->layout.timelines.y - 2 <
		    ui->nlanes)
			ui->selected = ui->scroll + mouse_y -
			    ui->layout.timelines.y - 2;
		break;
	default:
		if (key >= '1' && key <= '9' &&
		    (size_t)(key - '1') < demos_count()) {
			ui->overlay = UI_OVERLAY_DEMOS;
			ui->menu_pos = key - '1';
			return ui_menu_key(ui, '\n');
		}
		return 0;
	}
	return UI_REDRAW;
}

static void
ui_input_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ui_loop	*l = w->data;
	int		 key, mouse_y = -1;

	(void)loop;
	(void)revents;
	while ((key = screen_getkey(&mouse_y)) != -1)
		if (key != -2)
			l->ui->flags |= ui_key(l->ui, key, mouse_y);
}

static void
ui_events_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ui_loop	*l = w->data;

	(void)loop;
	(void)revents;
	l->ui->flags |= UI_REDRAW;
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
		/* Give the shell a sane terminal, stop, and come back drawn. */
		screen_suspend();
		kill(getpid(), SIGSTOP);
		screen_resume();
		l->ui->flags |= UI_RESIZE | UI_REDRAW;
		break;
	case SIGCONT:
		l->ui->flags |= UI_RESIZE | UI_REDRAW;
		break;
	default:
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

	if (!ui->sim) {
		/* Once every variant has ended, time stops at the last event. */
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
	if (timeline_finished(ui->live) && t >= playhead_end_time(&ui->ph)) {
		t = playhead_end_time(&ui->ph);
		playhead_seek(&ui->ph, t);
		ui->ph.k = ui->live->nlog;
		return;
	}
	playhead_seek(&ui->ph, t);
}

/* Once per loop turn: take the engine's news, then draw if needed. */
static void
ui_prepare_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct ui_loop	*l = w->data;
	struct ui	*ui = l->ui;
	char		 err[256];
	bool		 animate;

	(void)revents;
	if (ui->flags & UI_QUIT) {
		ev_break(loop, EVBREAK_ALL);
		return;
	}
	if (ui->flags & UI_RESTART) {
		ui_stop(ui);
		if (ui_start(ui, err, sizeof err) != 0) {
			screen_fini();
			fprintf(stderr, "loopscope: %s\n", err);
			exit(1);
		}
		ev_io_stop(loop, &l->events);
		ev_io_set(&l->events, session_fd(ui->session), EV_READ);
		ev_io_start(loop, &l->events);
		if (ui->sim)
			ev_io_stop(loop, &l->input);
	}
	if (session_poll(ui->session, ui->live) > 0)
		ui->flags |= UI_REDRAW;
	/*
	 * Simulated runs take the keys once the whole trace is in: a step is
	 * then the same step however fast the engine was.
	 */
	if (ui->sim && !ev_is_active(&l->input) &&
	    timeline_finished(ui->live)) {
		ev_io_start(loop, &l->input);
		ev_feed_event(loop, &l->input, EV_READ);
		ev_idle_start(loop, &l->again);	/* so that it runs now */
	}
	if (ui->step_pending && ui->ph.k < ui->live->nlog) {
		ui->step_pending = false;
		ui->message[0] = '\0';
		playhead_step(&ui->ph, 1);
		ui->flags |= UI_REDRAW;
	}
	animate = !ui->paused && !playhead_at_end(&ui->ph);
	if (animate)
		ui_advance(ui);
	if (animate && !ev_is_active(&l->frame))
		ev_timer_again(loop, &l->frame);
	else if (!animate && ev_is_active(&l->frame))
		ev_timer_stop(loop, &l->frame);
	if (ui->flags & UI_RESIZE)
		screen_resize();
	if (ui->flags & (UI_REDRAW | UI_RESIZE)) {
		draw_screen(ui);
		screen_flush((ui->flags & UI_RESIZE) != 0);
	}
	ui->flags = 0;
	/*
	 * Ask to be woken by the next event. If some came in meanwhile, an
	 * idle watcher keeps the loop from blocking (a watcher fed from here
	 * would run now, and the loop would still sleep after it).
	 */
	if (session_arm(ui->session))
		ev_idle_start(loop, &l->again);
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

/* Run the terminal UI until the user quits. Returns the exit status. */
int
ui_run(const struct options *o)
{
	struct ui	 ui;
	struct ui_loop	 l;
	char		 err[256];

	memset(&ui, 0, sizeof ui);
	ui.opts = *o;
	ui.sim = o->clock == CLOCK_SIM;
	ui.speed = o->speed;
	ui.paused = o->paused;
	ui.show_source = true;
	ui.glyphs = glyphs_get(glyphs_locale_utf8());
	if (ui_start(&ui, err, sizeof err) != 0) {
		fprintf(stderr, "loopscope: %s: %s\n", o->demo->name, err);
		return 1;
	}
	if (screen_init() != 0) {
		ui_stop(&ui);
		fprintf(stderr, "loopscope: cannot start the terminal UI\n");
		return 1;
	}
	atexit(screen_fini);
	signal(SIGSEGV, ui_crash);
	signal(SIGABRT, ui_crash);
	signal(SIGBUS, ui_crash);
	signal(SIGFPE, ui_crash);

	memset(&l, 0, sizeof l);
	l.ui = &ui;
	l.loop = ev_default_loop(EVFLAG_AUTO);
	ev_io_init(&l.input, ui_input_cb, STDIN_FILENO, EV_READ);
	ev_io_init(&l.events, ui_events_cb, session_fd(ui.session), EV_READ);
	ev_signal_init(&l.winch, ui_signal_cb, SIGWINCH);
	ev_signal_init(&l.intr, ui_signal_cb, SIGINT);
	ev_signal_init(&l.term, ui_signal_cb, SIGTERM);
	ev_signal_init(&l.cont, ui_signal_cb, SIGCONT);
	ev_signal_init(&l.tstp, ui_signal_cb, SIGTSTP);
	ev_timer_init(&l.frame, ui_frame_cb, UI_FRAME, UI_FRAME);
	ev_prepare_init(&l.draw, ui_prepare_cb);
	ev_idle_init(&l.again, ui_again_cb);
	l.input.data = l.events.data = l.winch.data = l.intr.data = &l;
	l.term.data = l.cont.data = l.tstp.data = &l;
	l.frame.data = l.draw.data = l.again.data = &l;
	if (!ui.sim)
		ev_io_start(l.loop, &l.input);
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
	ev_idle_stop(l.loop, &l.again);
	ev_prepare_stop(l.loop, &l.draw);
	ev_io_stop(l.loop, &l.input);
	ev_io_stop(l.loop, &l.events);
	ev_signal_stop(l.loop, &l.winch);
	ev_signal_stop(l.loop, &l.intr);
	ev_signal_stop(l.loop, &l.term);
	ev_signal_stop(l.loop, &l.cont);
	ev_signal_stop(l.loop, &l.tstp);
	screen_fini();
	ui_stop(&ui);
	free(ui.lanes);
	return 0;
}
