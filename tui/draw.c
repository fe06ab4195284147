/* Drawing the screen: header, timelines, key bar. Reads; never changes. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis.h"
#include "caption.h"
#include "cells-ui.h"
#include "headless.h"
#include "i18n.h"
#include "panels.h"
#include "screen.h"
#include "source.h"
#include "ui.h"

#define DRAW_NAME_MIN	12
#define DRAW_NAME_MAX	28
#define DRAW_TICK_GAP	8


static const char *const draw_kind_names[VARIANT_NKINDS] = {
	[VARIANT_SYNC] = N_("synchronous, one thread"),
	[VARIANT_ASYNC] = N_("asyncio event loop"),
	[VARIANT_THREADS] = N_("threads"),
	[VARIANT_PROCESSES] = N_("processes")
};

/* The span the axis stands for: the instant shown, rounded up nicely. */
static vtime_t
draw_span(vtime_t t)
{
	static const int	steps[] = { 10, 12, 15, 20, 25, 30, 40, 50, 60,
				    80, 100 };
	vtime_t			base = VTIME_SEC / 10;
	size_t			i;

	if (t < VTIME_SEC)
		t = VTIME_SEC;
	for (;;) {
		for (i = 0; i < sizeof steps / sizeof steps[0]; i++)
			if (base * steps[i] >= t)
				return base * steps[i];
		base *= 10;
	}
}

/*
 * The run's state: "computing" while it plays but waits for the engine
 * to work out what comes next (paused or stepping, the screen is the
 * same whatever the engine does meanwhile, live or replayed).
 */
static const char *
draw_state_word(const struct ui *ui)
{
	if (playhead_at_end(&ui->ph))
		return _("finished");
	if (ui->view.stepping)
		return _("stepping");
	/* Live in the real clock, the view is at the programs: running. */
	if (!ui->view.paused && ui->held && !ui->real_clock)
		return _("computing");
	return ui->view.paused ? _("paused") : _("running");
}

static void
draw_header(const struct ui *ui)
{
	const struct rect	*r = &ui->layout.header;
	const struct glyphs	*g = ui->glyphs;
	char			 buf[256];
	int			 bar = screen_attr(SCREEN_BAR);

	screen_fill(r->y, r->x, r->w, " ", bar);
	i18n_snprintf(buf, sizeof buf, _(" loopscope %s %s %s t = %.2f s %s "
	    "speed %gx %s %s clock %s %s"), g->bar, ui->opts.demo->name, g->bar,
	    vtime_to_sec(ui->ph.t), g->bar, ui->view.speed, g->bar,
	    ui->real_clock ? _("real") : _("simulated"), g->bar, draw_state_word(ui));
	/* Narrow: the clock's kind goes first, the state must stay. */
	if (screen_width(buf) > r->w)
		i18n_snprintf(buf, sizeof buf, _(" loopscope %s %s %s t = %.2f s "
		    "%s %gx %s %s"), g->bar, ui->opts.demo->name, g->bar,
		    vtime_to_sec(ui->ph.t), g->bar, ui->view.speed, g->bar,
		    draw_state_word(ui));
	screen_put(r->y, r->x, r->w, buf, bar);
}

/* What just happened at the playhead: see tui/caption.c. */
static void
draw_caption(const struct ui *ui)
{
	const struct rect	*r = &ui->layout.caption;
	char			 buf[640];

	if (r->h == 0 || ui->live == NULL)
		return;
	caption_text(ui->live, ui->ph.k, ui->view.stepping ? ui->step_from :
	    CAPTION_NONE, ui->ph.t, buf, sizeof buf);
	caption_fit(buf, sizeof buf, r->w - 1, ui->glyphs->utf8);
	screen_put(r->y, r->x + 1, r->w - 1, buf, screen_attr(SCREEN_TITLE));
}

static void
draw_keybar(const struct ui *ui)
{
	static const char *const keys[][2] = {
		{ "Spc", NULL }, { "n", N_("Step") }, { "N", N_("Turn") },
		{ "b", N_("Back") }, { "+-", N_("Speed") }, { "r", N_("Restart") },
		{ "d", N_("Demo") }, { "v", N_("Variants") }, { "s", N_("Source") },
		{ "o", N_("Quiz") }, { "?", N_("Help") }, { "q", N_("Quit") },
	};
	const int		 nkeys = (int)(sizeof keys / sizeof keys[0]);
	const struct rect	*r = &ui->layout.keybar;
	const char		*label;
	int			 x = r->x, i, n, tail = 0, room, end = r->w;
	char			 buf[32];

	screen_fill(r->y, r->x, r->w, " ", screen_attr(SCREEN_BAR));
	/*
	 * Whole items only: a cut label reads as a different key. Help and
	 * Quit always show; the others while they fit before them.
	 */
	/* A message takes the right end; the keys what is left. */
	if (ui->message[0] != '\0' &&
	    (n = screen_width(ui->message)) < r->w)
		end = r->w - n - 2;
	for (i = nkeys - 2; i < nkeys; i++)
		tail += screen_width(keys[i][0]) +
		    screen_width(_(keys[i][1])) + 3;
	for (i = 0; i < nkeys; i++) {
		/* What Space does now: paused, or at the end, it plays. */
		label = keys[i][1] != NULL ? _(keys[i][1]) : ui->view.paused ||
		    (ui_playback(ui) && playhead_at_end(&ui->ph)) ? _("Play") :
		    _("Pause");
		snprintf(buf, sizeof buf, " %s  ", label);
		n = screen_width(keys[i][0]) + screen_width(buf);
		room = i < nkeys - 2 ? end - tail : end;
		if (x + n > room) {
			if (i < nkeys - 2)
				continue;
			break;
		}
		x += screen_put(r->y, x, r->w - x, keys[i][0],
		    screen_attr(SCREEN_KEY));
		x += screen_put(r->y, x, r->w - x, buf,
		    screen_attr(SCREEN_BAR));
	}
	if (ui->message[0] != '\0') {
		n = screen_width(ui->message);
		if (n < r->w)
			screen_put(r->y, r->w - n - 1, n + 1, ui->message,
			    screen_attr(SCREEN_KEY));
	}
}

/* A variant's heading: its name and kind, then its total and speed-up. */
static void
draw_heading(const struct ui *ui, const struct timeline *tl, int v, int y,
    int x, int w, bool selected)
{
	const struct program	*p = ui_program(ui, (size_t)v);
	const struct tl_variant	*tv = v < (int)tl->nvariants ? &tl->v[v] : NULL;
	char			 buf[160], cmp[96];
	int			 n;

	snprintf(buf, sizeof buf, "%s %s: %s", ui->glyphs->arrow,
	    p->name, p->kind < VARIANT_NKINDS ?
	    _(draw_kind_names[p->kind]) : "?");
	n = screen_put(y, x, w, buf, screen_attr(selected ? SCREEN_SELECT :
	    SCREEN_TITLE));
	if (tv == NULL || !tv->started)
		return;
	if (tv->ended) {
		i18n_snprintf(buf, sizeof buf, _("   total %.2f s"),
		    vtime_to_sec(tv->total));
		n += screen_put(y, x + n, w - n, buf, screen_attr(SCREEN_GOOD));
		if (headless_speedup(tl, (size_t)v, cmp, sizeof cmp) == 0) {
			snprintf(buf, sizeof buf, " %s %s", ui->glyphs->sep,
			    cmp);
			screen_put(y, x + n, w - n, buf,
			    screen_attr(SCREEN_GOOD));
		}
	} else {
		i18n_snprintf(buf, sizeof buf, _("   running, %.2f s so far"),
		    vtime_to_sec(ui->ph.t - tv->start));
		screen_put(y, x + n, w - n, buf, screen_attr(SCREEN_DIM));
	}
}

static void
draw_axis(const struct ui *ui, const struct axis *a, int y, int x)
{
	char	buf[1024];
	vtime_t	t;
	int	col, ph;

	axis_labels(a, buf, sizeof buf, 2);
	screen_put(y, x, a->width + 2, buf, screen_attr(SCREEN_DIM));
	for (col = 0, t = 0; col < a->width; col++) {
		if (col == axis_column(a, t)) {
			screen_put(y + 1, x + col, 1, ui->glyphs->tick,
			    screen_attr(SCREEN_DIM));
			t += a->step;
		} else
			screen_put(y + 1, x + col, 1, ui->glyphs->fill,
			    screen_attr(SCREEN_DIM));
	}
	ph = axis_column(a, ui->ph.t);
	if (ph >= a->width)
		ph = a->width - 1;
	screen_put(y + 1, x + ph, 1, ui->glyphs->playhead,
	    screen_attr(SCREEN_PLAYHEAD));
}

static void
draw_legend(const struct ui *ui, const struct timeline *tl, int y, int x,
    int w, bool late)
{
	static const enum task_state order[] = { TASK_RUNNING, TASK_READY,
	    TASK_WAITING_TIMER, TASK_WAITING_IO, TASK_WAITING_TASK,
	    TASK_BLOCKED, TASK_FAILED, TASK_CANCELLED, TASK_WAITING_GIL };
	static const char *const short_labels[] = { N_("running"), N_("ready"),
	    N_("timer"), N_("I/O"), N_("task"), N_("blocked"), N_("failed"),
	    N_("cancelled"), N_("GIL") };
	int	i, n = 0, last = 8;
	char	buf[32];

	/* The GIL's state where threads are. */
	if (timeline_has_threads(tl))
		last = 9;
	for (i = 0; i < last && n < w; i++) {
		n += screen_put(y, x + n, w - n, ui->glyphs->state[order[i]],
		    screen_attr(order[i]));
		snprintf(buf, sizeof buf, " %s  ", _(short_labels[i]));
		n += screen_put(y, x + n, w - n, buf, screen_attr(SCREEN_DIM));
	}
	/* Late timers, where a lane shows one. */
	if (late && n < w) {
		n += screen_put(y, x + n, w - n, ui->glyphs->late,
		    screen_attr(SCREEN_WARN));
		snprintf(buf, sizeof buf, " %s  ", _("late"));
		screen_put(y, x + n, w - n, buf, screen_attr(SCREEN_DIM));
	}
}

/*
 * A lane's late timers: a mark at each one's due time, then its late
 * stretch up to when it fired (the loop was busy); a timer due and not yet
 * fired at the playhead, up to the playhead. Whether any was drawn.
 */
static bool
draw_lates(const struct ui *ui, const struct axis *a, const struct tl_task *t,
    int y, int x)
{
	const struct tl_more	*m = timeline_more(t);
	struct tl_late		 now;
	const struct tl_late	*l;
	uint32_t		 i;
	int			 c0, c1, c;
	bool			 any = false;

	for (i = 0; i <= m->nlates; i++) {
		if (i < m->nlates)
			l = &m->lates[i];
		else if (timeline_late_now(t, ui->ph.t, &now))
			l = &now;
		else
			break;
		c0 = axis_column(a, l->due);
		c1 = axis_column(a, l->fired);
		if (c0 < 0 || c0 >= a->width)
			continue;
		for (c = c0 + 1; c < c1 && c < a->width; c++)
			screen_put(y, x + c, 1, ui->glyphs->late,
			    screen_attr(SCREEN_WARN));
		screen_put(y, x + c0, 1, ui->glyphs->due,
		    screen_attr(SCREEN_WARN));
		any = true;
	}
	return any;
}

/*
 * A cell's glyph: its state's, or inside an I/O wait the phase of the
 * fetch under way then (lookup, connect, TLS, send, receive, queued).
 */
static const char *
draw_glyph(const struct ui *ui, const struct axis *a, const struct tl_task *t,
    int col, enum task_state st)
{
	const struct tl_more	*m = timeline_more(t);
	vtime_t			 mid;
	size_t			 i;

	mid = (axis_time(a, col) + axis_time(a, col + 1)) / 2;

	if (st != TASK_WAITING_IO && st != TASK_BLOCKED)
		return ui->glyphs->state[st];
	for (i = 0; i < m->nphases; i++)
		if (m->phases[i].phase != PHASE_WAIT &&
		    m->phases[i].start <= mid && mid < m->phases[i].end)
			return ui->glyphs->phase[m->phases[i].phase];
	return ui->glyphs->state[st];
}

/*
 * Sub-cell resolution, where the terminal has UTF-8 and colour (the
 * colour says the state when the glyph is cut): a lane that starts or
 * ends inside a column covers that part of it, in eighths for the solid
 * states, in halves for the lines of the waits.
 */
static const char *
draw_partial(const char *g, enum task_state st, int cover)
{
	static const char *const left[7] = { "▏", "▎", "▍", "▌", "▋", "▊",
	    "▉" };
	int	n = cover < 0 ? -cover : cover;

	if (n >= 8)
		return g;
	switch (st) {
	case TASK_RUNNING:
	case TASK_READY:
	case TASK_BLOCKED:
		if (cover > 0)
			return left[n - 1];
		return n <= 2 ? "▕" : n <= 6 ? "▐" : g;
	case TASK_WAITING_TIMER:
	case TASK_WAITING_IO:
	case TASK_WAITING_TASK:
		if (n > 4)
			return g;
		return cover > 0 ? "╴" : "╶";
	default:
		return g;
	}
}

/* A lane's name in w columns; a name cut short ends with an ellipsis. */
static void
draw_name(const struct ui *ui, int y, int x, int w, const char *name,
    int attr)
{
	if (screen_width(name) <= w) {
		screen_put(y, x, w, name, attr);
		return;
	}
	screen_put(y, x, w - 1, name, attr);
	screen_put(y, x + w - 1, 1, ui->glyphs->utf8 ? "…" : "~", attr);
}

/* Why a task failed, written in its lane after the mark. */
static void
draw_reason(const struct tl_task *t, int y, int x, int w)
{
	if (w > 4)
		screen_put(y, x, w, timeline_more(t)->error,
		    screen_attr(TASK_FAILED));
}

/* Lanes by state, on one axis for every variant, with the playhead. */
static void
draw_timelines(struct ui *ui, const struct timeline *tl)
{
	const struct rect	*r = &ui->layout.timelines;
	const struct tl_task	*t;
	struct axis		 a;
	int			 namew = DRAW_NAME_MIN, w, rows, i, y, col;
	int			 last;
	enum task_state		 st;
	const char		*g;
	bool			 subcell = ui->glyphs->utf8 && screen_color();
	bool			 late = false;
	char			 name[DRAW_NAME_MAX * 4 + 8];

	for (i = 0; i < ui->nlanes; i++) {
		if (ui->lanes[i].state >= 0 ||
		    ui->lanes[i].state == UI_LANE_ALL) {
			/* A folded lane's count must never be cut. */
			draw_summary_label(&tl->v[ui->lanes[i].variant],
			    ui->lanes[i].state, name, sizeof name);
			if ((w = screen_width(name) + 1) > namew)
				namew = w;
			continue;
		}
		if (ui->lanes[i].task == 0)
			continue;
		t = timeline_task(&tl->v[ui->lanes[i].variant],
		    ui->lanes[i].task);
		if (t == NULL)
			continue;
		w = screen_width(t->name) + 3;
		if (w > namew)
			namew = w;
	}
	if (namew > DRAW_NAME_MAX)
		namew = DRAW_NAME_MAX;
	axis_init(&a, draw_span(ui->ph.t), r->w - namew - 2, DRAW_TICK_GAP);
	draw_axis(ui, &a, r->y, r->x + namew);

	rows = r->h - 3;
	if (ui->view.selected >= 0) {
		if (ui->view.selected < ui->view.scroll)
			ui->view.scroll = ui->view.selected;
		if (ui->view.selected >= ui->view.scroll + rows)
			ui->view.scroll = ui->view.selected - rows + 1;
	}
	if (ui->view.scroll > ui->nlanes - rows)
		ui->view.scroll = ui->nlanes - rows > 0 ? ui->nlanes - rows : 0;
	last = ui->view.scroll + rows < ui->nlanes ? ui->view.scroll + rows : ui->nlanes;
	for (i = ui->view.scroll, y = r->y + 2; i < last; i++, y++) {
		const struct ui_lane *l = &ui->lanes[i];

		if (l->state == UI_LANE_CELLS) {
			cells_ui_row(ui, &a, &tl->v[l->variant], y, r->x,
			    namew, i == ui->view.selected);
			continue;
		}
		if (l->state >= 0 || l->state == UI_LANE_ALL) {
			draw_summary(ui, &a, &tl->v[l->variant], l->state, y,
			    r->x, namew, i == ui->view.selected);
			continue;
		}
		if (l->task == 0) {
			draw_heading(ui, tl, l->variant, y, r->x, r->w,
			    i == ui->view.selected);
			continue;
		}
		if ((t = timeline_task(&tl->v[l->variant], l->task)) == NULL)
			continue;
		/* A thread's or process's lane: marked, beside the tasks. */
		if (TASK_KIND_BESIDE(t->kind))
			snprintf(name, sizeof name, " %s %s",
			    t->kind == TASK_KIND_PROCESS ? ui->glyphs->process :
			    ui->glyphs->thread, t->name);
		else
			snprintf(name, sizeof name, "  %s", t->name);
		draw_name(ui, y, r->x, namew - 1, name, i == ui->view.selected ?
		    screen_attr(SCREEN_SELECT) : 0);
		for (col = 0; col < a.width; col++) {
			st = axis_cell(&a, t, col, ui->ph.t);
			if (st == TASK_DONE)
				continue;
			g = draw_glyph(ui, &a, t, col, st);
			if (subcell)
				g = draw_partial(g, st,
				    axis_cover(&a, t, col, ui->ph.t));
			screen_put(y, r->x + namew + col, 1, g,
			    screen_attr(st));
			if (st == TASK_FAILED &&
			    timeline_more(t)->error != NULL)
				draw_reason(t, y, r->x + namew + col + 2,
				    r->w - namew - col - 2);
		}
		late |= draw_lates(ui, &a, t, y, r->x + namew);
	}
	if (ui->nlanes > rows) {
		snprintf(name, sizeof name, _(" %d-%d of %d lanes "), ui->view.scroll +
		    1, last, ui->nlanes);
		/* Narrow: the figures whole rather than the words cut. */
		if (screen_width(name) > namew - 1)
			snprintf(name, sizeof name, " %d-%d/%d ", ui->view.scroll +
			    1, last, ui->nlanes);
		screen_put(r->y, r->x, namew - 1, name, screen_attr(SCREEN_DIM));
	}
	draw_legend(ui, tl, r->y + r->h - 1, r->x + 2, r->w - 2, late);
}

static void
draw_too_small(void)
{
	int	rows, cols;

	screen_size(&rows, &cols);
	screen_put(rows / 2, 0, cols, _("loopscope: the terminal is too small"),
	    0);
	screen_put(rows / 2 + 1, 0, cols, _("(60x16 at least; q quits)"), 0);
}

/* Draw everything for the playhead's model: the one place that draws. */
void
draw_screen(struct ui *ui)
{
	const struct timeline	*tl = playhead_model(&ui->ph);
	int			 rows, cols;

	screen_size(&rows, &cols);
	screen_erase();
	draw_build_lanes(ui, tl);
	/*
	 * Rows for the lanes the run has at the playhead: a lane comes when
	 * its task is made, whatever the engine computed ahead. So the
	 * screen at a playhead is the same live, replayed or exported
	 * (doc/recording.md).
	 */
	layout_compute(&ui->layout, rows, cols, draw_timeline_rows(ui, tl),
	    ui->view.source);
	if (ui->layout.too_small) {
		draw_too_small();
		return;
	}
	draw_header(ui);
	draw_caption(ui);
	draw_timelines(ui, tl);
	panels_loop(ui, tl);
	if (ui->layout.output.h > 0)
		panels_output(ui, tl);
	if (ui->layout.source.h > 0)
		source_panel(ui, tl);
	draw_keybar(ui);
	panels_overlay(ui, tl);
}
