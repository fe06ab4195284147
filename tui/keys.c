/* The keys: the request each makes, and the one place that carries it out. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "cells-ui.h"
#include "i18n.h"
#include "keys.h"
#include "quiz.h"
#include "replay.h"
#include "screen.h"
#include "seek.h"
#include "ui-watch.h"

/* Within the clock's range; live, the session's clock follows. */
static void
keys_speed(struct ui *ui, double speed)
{
	if (speed < CLOCK_SPEED_MIN)
		speed = CLOCK_SPEED_MIN;
	if (speed > CLOCK_SPEED_MAX)
		speed = CLOCK_SPEED_MAX;
	ui->view.speed = speed;
	if (!ui_playback(ui))
		session_set_speed(ui->session, speed);
}

/*
 * One event forward, or to the next turn of a loop. Live, past what has
 * arrived, the step waits for the engine: see ui_step_wait.
 */
static void
keys_step(struct ui *ui, bool iteration)
{
	int	rc;
	bool	live;

	ui_pause(ui, true);
	ui->view.stepping = true;
	ui->step_from = ui->ph.k;
	rc = iteration ? playhead_step_iteration(&ui->ph) :
	    playhead_step(&ui->ph, 1);
	if (rc == 0) {
		ui_say_event(ui);
		return;
	}
	/* Past what has arrived from a run: wait for the engine. */
	live = ui->replay.rec == NULL && ui->live != NULL &&
	    !timeline_finished(ui->live);
	if (live && (!iteration || ui_loop_ahead(ui))) {
		ui->step_pending = iteration ? UI_STEP_TURN : UI_STEP_EVENT;
		ui_say(ui, _("waiting for the engine"));
		return;
	}
	/* No loop turns ahead (the loops closed), but events: one of them. */
	if (iteration && playhead_step(&ui->ph, 1) == 0) {
		ui_say(ui, _(UI_STEP_FALLBACK));
		return;
	}
	ui_say_step_end(ui);
}

/*
 * p: a pause point at the instant shown, or none there any more. Playback
 * stops at it (tui/pause.c); a recording keeps it for its replays.
 */
static void
keys_mark(struct ui *ui)
{
	char	msg[96];

	if (pauses_unmark(&ui->pauses, ui->ph.t)) {
		i18n_snprintf(msg, sizeof msg, _("no pause point at %.2f s any "
		    "more"), vtime_to_sec(ui->ph.t));
	} else if (pauses_mark(&ui->pauses, ui->ph.t) != 0) {
		snprintf(msg, sizeof msg, "%s", _("out of memory"));
	} else
		i18n_snprintf(msg, sizeof msg, _("pause point at %.2f s: "
		    "playback stops here"), vtime_to_sec(ui->ph.t));
	ui_say(ui, msg);
}

/* Move the selection by delta lanes, around or stopping at the ends. */
static void
keys_select(struct ui *ui, int delta, bool wrap)
{
	int	n = ui->nlanes;

	if (n == 0)
		return;
	ui->view.selected += delta;
	if (wrap)
		ui->view.selected = (ui->view.selected % n + n) % n;
	else if (ui->view.selected < 0)
		ui->view.selected = 0;
	else if (ui->view.selected >= n)
		ui->view.selected = n - 1;
}

/* Keys of the demo and variant menus. */
static int
keys_menu(struct ui *ui, int key)
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
	case KEY_HOME:
	case KEY_PPAGE:
	case 'g':
		ui->menu_pos = 0;
		return UI_REDRAW;
	case KEY_END:
	case KEY_NPAGE:
	case 'G':
		ui->menu_pos = n - 1;
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
			/* Another demo: all of its cells, none chosen. */
			ui->opts.user.base = ui->opts.demo;
			ui->opts.ncells = 0;
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
				ui_say(ui, _("choose at least one variant"));
				return UI_REDRAW;
			}
			ui->opts.nvariants = k;
		}
		/* Folding was chosen for those lanes, not these. */
		memset(ui->view.fold, 0, sizeof ui->view.fold);
		ui->overlay = UI_OVERLAY_NONE;
		if (ui->view.paused)
			ui_say(ui, _("paused: Space runs it"));
		return UI_RESTART | UI_REDRAW;
	case 27:
	case 'q':
		ui->overlay = UI_OVERLAY_NONE;
		ui->act = RECORD_VIEW_OVERLAY;
		return UI_REDRAW;
	default:
		if (demos && key >= '1' && key < '1' + n) {
			ui->menu_pos = key - '1';
			return keys_menu(ui, '\n');
		}
		return 0;
	}
}

/* The variant menu, each variant ticked when it is running. */
static void
keys_open_variants(struct ui *ui)
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

/* Where the demo menu opens: on the demo shown. */
static int
keys_demo_index(const struct ui *ui)
{
	size_t	i;

	for (i = 0; i < demos_count(); i++)
		if (demos_at(i) == ui->opts.demo)
			return (int)i;
	return 0;
}

/* In a replay, the demo and its variants are the recording's. */
static int
keys_replay_fixed(struct ui *ui)
{
	ui_say(ui, _("a replay shows the recorded demo and variants"));
	return UI_REDRAW;
}

/* a: follow the lecturer's recorded actions, or explore freely. */
static void
keys_as_recorded(struct ui *ui)
{
	if (ui->replay.as_recorded) {
		replay_leave(ui);
		ui_say(ui, _("free exploration (a: as recorded)"));
	} else
		replay_follow(ui);
}

/*
 * The key map: which request each key makes (tig's enum request), read
 * once per key; keys_do is the one place that carries requests out.
 */
static const struct keys_binding {
	int			key;
	enum keys_request	req;
} keys_map[] = {
	{ 'q', KEYS_QUIT },		{ 'Q', KEYS_QUIT },
	{ ' ', KEYS_PLAY },
	{ 'n', KEYS_STEP },		{ KEY_RIGHT, KEYS_STEP },
	{ 'N', KEYS_TURN },
	{ 'b', KEYS_BACK },		{ KEY_LEFT, KEYS_BACK },
	{ 'o', KEYS_QUIZ },
	{ 'e', KEYS_PICTURE },
	{ 'p', KEYS_MARK },
	{ '+', KEYS_FASTER },		{ '=', KEYS_FASTER },
	{ '-', KEYS_SLOWER },
	{ '0', KEYS_SPEED_1 },
	{ 'r', KEYS_RESTART },
	{ 'a', KEYS_AS_RECORDED },
	{ 'd', KEYS_DEMOS },
	{ 'v', KEYS_VARIANTS },
	{ 'c', KEYS_CELLS },
	{ 'w', KEYS_WATCH },
	{ '\t', KEYS_NEXT_LANE },	{ KEY_BTAB, KEYS_PREV_LANE },
	{ KEY_DOWN, KEYS_DOWN },	{ 'j', KEYS_DOWN },
	{ KEY_UP, KEYS_UP },		{ 'k', KEYS_UP },
	{ '\r', KEYS_DETAILS },		{ '\n', KEYS_DETAILS },
	{ KEY_ENTER, KEYS_DETAILS },
	{ 's', KEYS_SOURCE },
	{ 'f', KEYS_FOLD },
	{ '?', KEYS_HELP },		{ 'h', KEYS_HELP },
	{ KEY_HOME, KEYS_SEEK },	{ KEY_END, KEYS_SEEK },
	{ '[', KEYS_SEEK },		{ ']', KEYS_SEEK },
	{ 'g', KEYS_SEEK },
	{ KEY_MOUSE, KEYS_CLICK },
};

/*
 * What a recording calls each request that it keeps (ui->act): one name
 * per request, but Space's, which is a pause or a resume.
 */
static const int keys_acts[KEYS_NREQUESTS] = {
	[KEYS_NONE] = -1,		[KEYS_QUIT] = -1,
	[KEYS_PLAY] = RECORD_VIEW_RESUME,
	[KEYS_STEP] = RECORD_VIEW_STEP,	[KEYS_TURN] = RECORD_VIEW_ITERATION,
	[KEYS_BACK] = RECORD_VIEW_BACK,	[KEYS_QUIZ] = -1,
	[KEYS_PICTURE] = -1,		[KEYS_MARK] = RECORD_VIEW_MARK,
	[KEYS_FASTER] = RECORD_VIEW_SPEED,
	[KEYS_SLOWER] = RECORD_VIEW_SPEED,
	[KEYS_SPEED_1] = RECORD_VIEW_SPEED,
	[KEYS_RESTART] = -1,		[KEYS_AS_RECORDED] = -1,
	[KEYS_DEMOS] = RECORD_VIEW_OVERLAY,
	[KEYS_VARIANTS] = RECORD_VIEW_OVERLAY,
	[KEYS_CELLS] = RECORD_VIEW_OVERLAY,
	[KEYS_WATCH] = -1,
	[KEYS_NEXT_LANE] = RECORD_VIEW_SELECT,
	[KEYS_PREV_LANE] = RECORD_VIEW_SELECT,
	[KEYS_DOWN] = RECORD_VIEW_SELECT, [KEYS_UP] = RECORD_VIEW_SELECT,
	[KEYS_DETAILS] = -1,		[KEYS_SOURCE] = RECORD_VIEW_SOURCE,
	[KEYS_FOLD] = -1,		[KEYS_HELP] = RECORD_VIEW_OVERLAY,
	[KEYS_SEEK] = -1,		[KEYS_CLICK] = -1,
	[KEYS_DEMO] = -1,
};

/* The request a key makes where no overlay has it: KEYS_NONE for none. */
enum keys_request
keys_request(int key)
{
	size_t	i;

	for (i = 0; i < sizeof keys_map / sizeof keys_map[0]; i++)
		if (keys_map[i].key == key)
			return keys_map[i].req;
	if (key >= '1' && key <= '9' && (size_t)(key - '1') < demos_count())
		return KEYS_DEMO;
	return KEYS_NONE;
}

/* b: one event back, the caption on the event the screen stands on. */
static void
keys_back(struct ui *ui)
{
	ui_pause(ui, true);
	ui->view.stepping = true;
	if (playhead_step(&ui->ph, -1) != 0)
		ui_say(ui, _("at the start"));
	else
		ui_say_event(ui);
	ui->step_from = ui->ph.k > 0 ? ui->ph.k - 1 : 0;
}

/* f: fold or unfold the selected lane's variant, the selection on it. */
static void
keys_fold(struct ui *ui)
{
	int	v;

	if (ui->view.selected < 0 || ui->view.selected >= ui->nlanes ||
	    ui->lanes[ui->view.selected].variant >= TRACE_MAX_VARIANTS)
		return;
	v = ui->lanes[ui->view.selected].variant;
	ui->view.fold[v] = ui->folded[v] || ui->merged[v] ? -1 : 1;
	ui->view.selected = 0;
	while (ui->view.selected < ui->nlanes &&
	    ui->lanes[ui->view.selected].variant != v)
		ui->view.selected++;
	ui->act = RECORD_VIEW_FOLD;
}

/* A click in the lanes selects the lane under it. */
static void
keys_click(struct ui *ui, int mouse_y)
{
	const struct rect	*box = &ui->layout.timelines;

	if (layout_contains(box, mouse_y, 0) && mouse_y >= box->y + 2 &&
	    mouse_y < box->y + box->h - 1 &&
	    ui->view.scroll + mouse_y - box->y - 2 < ui->nlanes) {
		ui->view.selected = ui->view.scroll + mouse_y - box->y - 2;
		ui->act = RECORD_VIEW_SELECT;
	}
}

/*
 * Carry out one request: the one place that changes the UI's state for a
 * key. Returns what the main loop must do (UI_* bits) and leaves in
 * ui->act what a recording says the lecturer did. said is what the last
 * step said, which stays under the help.
 */
int
keys_do(struct ui *ui, enum keys_request req, int key, int mouse_y,
    const char *said)
{
	bool	replay = ui->replay.rec != NULL;

	switch (req) {
	case KEYS_NONE:
	case KEYS_NREQUESTS:
		return 0;
	case KEYS_QUIT:
		return UI_QUIT;
	case KEYS_PLAY:
		/* A trace played to its end: one press plays it again. */
		if (!ui->view.paused && ui_playback(ui) &&
		    playhead_at_end(&ui->ph))
			ui->view.paused = true;
		ui_pause(ui, !ui->view.paused);
		ui->act = ui->view.paused ? RECORD_VIEW_PAUSE :
		    RECORD_VIEW_RESUME;
		return UI_REDRAW;
	case KEYS_STEP:
	case KEYS_TURN:
		keys_step(ui, req == KEYS_TURN);
		break;
	case KEYS_BACK:
		keys_back(ui);
		break;
	case KEYS_QUIZ:
		return quiz_open(ui);
	case KEYS_PICTURE:
		ui_picture(ui);
		break;
	case KEYS_MARK:
		keys_mark(ui);
		break;
	case KEYS_FASTER:
		keys_speed(ui, ui->view.speed * 2);
		break;
	case KEYS_SLOWER:
		keys_speed(ui, ui->view.speed / 2);
		break;
	case KEYS_SPEED_1:
		keys_speed(ui, 1.0);
		break;
	case KEYS_RESTART:
		if (replay) {
			/* From the recording's start, as it began. */
			ui->replay.run = 0;
			ui->replay.left = 0;
		}
		return UI_RESTART | UI_REDRAW;
	case KEYS_AS_RECORDED:
		if (!replay)
			return 0;
		keys_as_recorded(ui);
		break;
	case KEYS_DEMOS:
	case KEYS_DEMO:
		if (replay)
			return keys_replay_fixed(ui);
		ui->overlay = UI_OVERLAY_DEMOS;
		if (req == KEYS_DEMO) {
			ui->menu_pos = key - '1';
			return keys_menu(ui, '\n');
		}
		ui->menu_pos = keys_demo_index(ui);
		break;
	case KEYS_VARIANTS:
		if (replay)
			return keys_replay_fixed(ui);
		keys_open_variants(ui);
		break;
	case KEYS_CELLS:
		if (replay)
			return keys_replay_fixed(ui);
		ui->act = RECORD_VIEW_OVERLAY;
		return cells_ui_open(ui);
	case KEYS_WATCH:
		return ui_watch_toggle(ui);
	case KEYS_NEXT_LANE:
	case KEYS_PREV_LANE:
		keys_select(ui, req == KEYS_NEXT_LANE ? 1 : -1, true);
		break;
	case KEYS_DOWN:
	case KEYS_UP:
		keys_select(ui, req == KEYS_DOWN ? 1 : -1, false);
		break;
	case KEYS_DETAILS:
		if (ui->view.selected >= 0 && ui->view.selected < ui->nlanes &&
		    ui->lanes[ui->view.selected].task != 0) {
			ui->overlay = UI_OVERLAY_DETAILS;
			ui->act = RECORD_VIEW_OVERLAY;
		}
		return UI_REDRAW;
	case KEYS_SOURCE:
		ui->view.source = !ui->view.source;
		break;
	case KEYS_FOLD:
		keys_fold(ui);
		return UI_REDRAW;
	case KEYS_HELP:
		ui->overlay = UI_OVERLAY_HELP;
		snprintf(ui->message, sizeof ui->message, "%s", said);
		break;
	case KEYS_SEEK:
		return seek_key(ui, key);
	case KEYS_CLICK:
		keys_click(ui, mouse_y);
		return UI_REDRAW;
	}
	if (keys_acts[req] >= 0)
		ui->act = keys_acts[req];
	return UI_REDRAW;
}

/*
 * Handle one key: a resize, an open prompt, menu or overlay take it
 * first; else the key map's request, carried out by keys_do.
 */
int
keys_handle(struct ui *ui, int key, int mouse_y)
{
	char	said[sizeof ui->message];

	/* What the last step said stays under the help and the details. */
	memcpy(said, ui->message, sizeof said);
	ui->message[0] = '\0';
	/* Keys come in batches between frames: see the lanes as they are now. */
	draw_build_lanes(ui, playhead_model(&ui->ph));
	if (key == KEY_RESIZE) {
		int	rows, cols;

		/* A resize to the same size (a terminal's redraw) is none. */
		screen_size(&rows, &cols);
		if (rows != ui->replay.resized_rows || cols != ui->replay.resized_cols)
			ui->act = RECORD_VIEW_RESIZE;
		ui->replay.resized_rows = rows;
		ui->replay.resized_cols = cols;
		return UI_RESIZE | UI_REDRAW;
	}
	/* Any key but a, q and the help takes over from the lecturer. */
	if (ui->replay.as_recorded && key != 'a' && key != 'q' && key != 'Q')
		replay_leave(ui);
	if (ui->prompting)
		return seek_prompt_key(ui, key);
	if (ui->overlay == UI_OVERLAY_DEMOS ||
	    ui->overlay == UI_OVERLAY_VARIANTS)
		return keys_menu(ui, key);
	if (ui->overlay == UI_OVERLAY_CELLS)
		return cells_ui_key(ui, key);
	if (ui->overlay == UI_OVERLAY_QUIZ)
		return quiz_key(ui, key);
	if (ui->overlay != UI_OVERLAY_NONE) {
		memcpy(ui->message, said, sizeof said);
		if (key == 27 || key == 'q' || key == '?' || key == '\r' ||
		    key == '\n' || key == KEY_ENTER) {
			ui->overlay = UI_OVERLAY_NONE;
			ui->act = RECORD_VIEW_OVERLAY;
			return UI_REDRAW;
		}
		return 0;
	}
	return keys_do(ui, keys_request(key), key, mouse_y, said);
}
