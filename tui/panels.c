/* The panels under the timelines, and the overlays. Read-only, too. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cellrow.h"
#include "cells-ui.h"
#include "demos.h"
#include "i18n.h"
#include "panels.h"
#include "quiz.h"
#include "screen.h"
#include "ui.h"


#define PANELS_IDS	64

/* The loop to show: the selected variant's if it has one, else the first. */
static int
panels_loop_variant(const struct ui *ui)
{
	size_t	i, n = ui_nvariants(ui);
	int	v = ui_selected_variant(ui);

	if ((size_t)v < n && ui_program(ui, (size_t)v)->kind == VARIANT_ASYNC)
		return v;
	for (i = 0; i < n; i++)
		if (ui_program(ui, i)->kind == VARIANT_ASYNC)
			return (int)i;
	return -1;
}

static void
panels_title(const struct rect *r, const char *title)
{
	screen_fill(r->y, r->x, r->w, " ", screen_attr(SCREEN_PANEL));
	screen_put(r->y, r->x + 1, r->w - 2, title, screen_attr(SCREEN_PANEL));
}

/* A row of the loop panel: a label, then text. */
static void
panels_row(const struct rect *r, int y, const char *label, const char *text,
    int attr)
{
	if (y >= r->y + r->h)
		return;
	screen_put(y, r->x + 1, 9, label, screen_attr(SCREEN_DIM));
	screen_put(y, r->x + 10, r->w - 11, text, attr);
}

/* The loop's insides: turn, running task, ready queue, timers, I/O. */
void
panels_loop(const struct ui *ui, const struct timeline *tl)
{
	const struct rect	*r = &ui->layout.loop;
	const struct tl_variant	*v;
	const struct tl_task	*t;
	uint32_t		 ids[PANELS_IDS];
	char			 buf[200];
	size_t			 n, i;
	vtime_t			 due;
	int			 vi = panels_loop_variant(ui), y = r->y + 1;

	if (vi < 0) {
		panels_title(r, _("Event loop"));
		screen_put(y, r->x + 1, r->w - 2, _("no asynchronous variant: "
		    "nothing multiplexes"), screen_attr(SCREEN_DIM));
		return;
	}
	if (vi >= (int)tl->nvariants || !tl->v[vi].started) {
		/* Narrower and narrower: the words go before the state. */
		snprintf(buf, sizeof buf, _("Event loop %s %s %s not started"),
		    ui->glyphs->sep, ui_program(ui, (size_t)vi)->name,
		    ui->glyphs->sep);
		if (glyphs_width(buf) > r->w - 2)
			snprintf(buf, sizeof buf, _("Loop %s %s %s not started"),
			    ui->glyphs->sep, ui_program(ui, (size_t)vi)->name,
			    ui->glyphs->sep);
		if (glyphs_width(buf) > r->w - 2)
			snprintf(buf, sizeof buf, _("%s %s not started"),
			    ui_program(ui, (size_t)vi)->name, ui->glyphs->sep);
		panels_title(r, buf);
		return;
	}
	v = &tl->v[vi];
	snprintf(buf, sizeof buf, _("Event loop %s %s %s turn %llu"),
	    ui->glyphs->sep, v->name, ui->glyphs->sep,
	    (unsigned long long)v->iteration);
	/* Narrow: the variant and the turn matter more than the words. */
	if (glyphs_width(buf) > r->w - 4)
		snprintf(buf, sizeof buf, _("Loop %s %s %s turn %llu"),
		    ui->glyphs->sep, v->name, ui->glyphs->sep,
		    (unsigned long long)v->iteration);
	panels_title(r, buf);

	t = timeline_task(v, v->running);
	if (t != NULL && (t->state == TASK_BLOCKED ||
	    (t->state == TASK_RUNNING && t->reason == REASON_CPU))) {
		/* The loop is held: by whom first, why if it fits. */
		snprintf(buf, sizeof buf, "%s (%s)", t->name,
		    i18n_str(trace_reason_name(t->reason)));
		panels_row(r, y++, _("held by"), glyphs_width(buf) > r->w - 11 ?
		    t->name : buf, screen_attr(SCREEN_WARN));
	} else if (t != NULL && t->state == TASK_RUNNING) {
		snprintf(buf, sizeof buf, _("%s, line %d"), t->name, t->line);
		if (screen_width(buf) > r->w - 11)	/* the figure first */
			snprintf(buf, sizeof buf, _("line %d: %s"), t->line,
			    t->name);
		panels_row(r, y++, _("running"), buf, screen_attr(TASK_RUNNING));
	} else
		panels_row(r, y++, _("running"), v->ended ? _("loop closed") :
		    _("nothing (waiting)"), screen_attr(SCREEN_DIM));

	n = timeline_ready(v, ids, PANELS_IDS);
	if (n == 0)
		panels_row(r, y++, _("ready"), _("empty"), screen_attr(SCREEN_DIM));
	for (i = 0; i < n && y < r->y + r->h - 3; i++) {
		snprintf(buf, sizeof buf, "%zu. %s", i + 1,
		    timeline_task(v, ids[i])->name);
		panels_row(r, y++, i == 0 ? _("ready") : "", buf,
		    screen_attr(TASK_READY));
	}
	n = timeline_timers(v, ids, PANELS_IDS);
	if (n == 0)
		panels_row(r, y++, _("timers"), _("none"), screen_attr(SCREEN_DIM));
	for (i = 0; i < n && y < r->y + r->h - 2; i++) {
		t = timeline_task(v, ids[i]);
		due = timeline_more(t)->due;
		if (due > ui->ph.t)
			i18n_snprintf(buf, sizeof buf, _("%s at %.2f s, in %.2f s"),
			    t->name, vtime_to_sec(due),
			    vtime_to_sec(due - ui->ph.t));
		else
			i18n_snprintf(buf, sizeof buf, _("%s at %.2f s, due %.2f s "
			    "ago"), t->name, vtime_to_sec(due),
			    vtime_to_sec(ui->ph.t - due));
		/* Narrow: how long yet, first; the name is cut, not it. */
		if (screen_width(buf) > r->w - 11)
			i18n_snprintf(buf, sizeof buf, due > ui->ph.t ?
			    _("in %.2f s: %s") : _("%.2f s ago: %s"),
			    vtime_to_sec(due > ui->ph.t ? due - ui->ph.t :
			    ui->ph.t - due), t->name);
		panels_row(r, y++, i == 0 ? _("timers") : "", buf,
		    screen_attr(TASK_WAITING_TIMER));
	}
	if (v->nsockets == 0)
		panels_row(r, y++, _("I/O"), _("no socket watched"),
		    screen_attr(SCREEN_DIM));
	else {
		int	m = snprintf(buf, sizeof buf, P_("%zu socket:",
			    "%zu sockets:", v->nsockets), v->nsockets);

		for (i = 0; i < v->nsockets && m < (int)sizeof buf - 16; i++)
			m += snprintf(buf + m, sizeof buf - (size_t)m,
			    " fd %d %s%s", v->sockets[i].fd,
			    v->sockets[i].events & IO_IN ? "r" : "",
			    v->sockets[i].events & IO_OUT ? "w" : "");
		panels_row(r, y++, _("I/O"), buf, screen_attr(TASK_WAITING_IO));
	}
	if ((t = timeline_task(v, v->last_timer_task)) != NULL) {
		if (v->last_timer_fired > v->last_timer_due) {
			/*
			 * The figure first: a long name is cut, not it; when
			 * the due time does not fit whole, it goes.
			 */
			i18n_snprintf(buf, sizeof buf, _("%.2f s: %s, due "
			    "%.2f s"), vtime_to_sec(v->last_timer_fired -
			    v->last_timer_due), t->name,
			    vtime_to_sec(v->last_timer_due));
			if (screen_width(buf) > r->w - 11)
				i18n_snprintf(buf, sizeof buf, "%.2f s: %s",
				    vtime_to_sec(v->last_timer_fired -
				    v->last_timer_due), t->name);
		} else
			i18n_snprintf(buf, sizeof buf, _("on time at %.2f s: %s"),
			    vtime_to_sec(v->last_timer_fired), t->name);
		panels_row(r, y, _("late"), buf, v->last_timer_fired >
		    v->last_timer_due ? screen_attr(SCREEN_WARN) :
		    screen_attr(SCREEN_DIM));
	}
}

/*
 * The next row of text wrapped at w columns, after a space where there is
 * one: its bytes (at least one, unless text is empty).
 */
static size_t
panels_wrap(const char *text, int w)
{
	size_t	n = glyphs_fit(text, w, NULL), k;

	if (n == 0)
		return *text == '\0' ? 0 : 1;
	if (text[n] == '\0' || text[n] == ' ')
		return text[n] == ' ' ? n + 1 : n;
	for (k = n; k > 0; k--)
		if (text[k - 1] == ' ')
			return k;
	return n;
}

/* Rows text takes wrapped at w columns: one at least. */
static size_t
panels_rows(const char *text, int w)
{
	size_t	rows = 1, n;

	while ((n = panels_wrap(text, w)) > 0 && text[n] != '\0') {
		text += n;
		rows++;
	}
	return rows;
}

/*
 * Where the panel starts when it shows the newest rows it can hold: the
 * variant *vi, from its line *line (-1: its heading), *skip rows into it.
 * Found from the newest line back, so that a frame costs what it shows,
 * however much was printed before (it did cost all of it: an export of a
 * long session drew in time quadratic in its printed text).
 */
static void
panels_output_start(const struct timeline *tl, size_t rows, int w,
    size_t *vi, long *line, size_t *skip)
{
	const struct tl_variant	*v;
	size_t			 i, j, k;

	*vi = 0;
	*line = -1;
	*skip = 0;
	for (i = tl->nvariants; i-- > 0 && rows > 0;) {
		v = &tl->v[i];
		if (!v->started)
			continue;
		for (j = v->nout; j-- > 0;) {
			k = panels_rows(v->out[j].text, w);
			if (k >= rows) {
				*vi = i;
				*line = (long)j;
				*skip = k - rows;
				return;
			}
			rows -= k;
		}
		*vi = i;	/* its heading is the first row, or fits */
		rows--;
	}
}

/*
 * What each variant printed, stamped with its virtual time, long lines
 * wrapped; the newest rows kept.
 */
void
panels_output(const struct ui *ui, const struct timeline *tl)
{
	const struct rect	*r = &ui->layout.output;
	const char		*p;
	size_t			 i, j, skip, n, m, vi;
	long			 line;
	int			 y = r->y + 1, w = r->w - 9;
	char			 buf[64], row[1024];
	bool			 first;

	/* Narrow, the source takes this place: say how to get it. */
	if (ui->layout.narrow) {
		snprintf(buf, sizeof buf, _("Output %s s: source"),
		    ui->glyphs->sep);
		panels_title(r, buf);
	} else
		panels_title(r, _("Output"));
	if (w < 1 || r->h < 2)
		return;
	panels_output_start(tl, (size_t)(r->h - 1), w, &vi, &line, &skip);
	for (i = vi; i < tl->nvariants && y < r->y + r->h; i++) {
		const struct tl_variant *v = &tl->v[i];

		if (!v->started)
			continue;	/* its first events are still to come */
		if (i != vi || line < 0)
			screen_put(y++, r->x + 1, r->w - 2, v->name,
			    screen_attr(SCREEN_TITLE));
		j = i == vi && line >= 0 ? (size_t)line : 0;
		for (; j < v->nout && y < r->y + r->h; j++) {
			p = v->out[j].text;
			first = true;
			do {
				n = panels_wrap(p, w);
				if (skip > 0)
					skip--;
				else {
					if (first) {
						i18n_snprintf(buf, sizeof buf,
						    "%6.2f ", vtime_to_sec(
						    v->out[j].vtime));
						screen_put(y, r->x + 1, 7, buf,
						    screen_attr(SCREEN_DIM));
					}
					m = n < sizeof row ? n : sizeof row - 1;
					memcpy(row, p, m);
					row[m] = '\0';
					screen_put(y++, r->x + 8, w, row,
					    v->out[j].is_stderr ?
					    screen_attr(SCREEN_WARN) : 0);
				}
				first = false;
				p += n;
			} while (*p != '\0' && y < r->y + r->h);
		}
	}
}

static void
panels_help(void)
{
	static const char *const lines[] = {
		N_("Space        pause or resume"),
		N_("n  Right     step to the next event"),
		N_("N            step one whole turn of the loop"),
		N_("b  Left      step back one event"),
		N_("+  -         speed x2, /2       0   back to 1x"),
		N_("r            restart the demo"),
		N_("d  1-9       choose a demo"),
		N_("v  c         choose the variants, a notebook's cells"),
		N_("w            run again on each save (--watch)"),
		N_("Tab Up Down  select a lane (a click too); Enter: details"),
		N_("s  f         show the source; fold the lanes by state"),
		N_("Home End [ ] the start, the end; a tenth back, forth"),
		N_("p            a pause point here (again: none)"),
		N_("o            predict the order of the prints (--quiz)"),
		N_("e            the screen's moment as an SVG picture"),
		N_("g            go to a time typed in (Esc: cancel)"),
		N_("a            replay: as recorded, or free"),
		N_("?            this help        Esc  close"),
		N_("q            quit"),
	};
	int	rows, cols, h, w = 52, y, x, i;

	screen_size(&rows, &cols);
	h = (int)(sizeof lines / sizeof lines[0]) + 4;
	/* As wide as the longest line in the interface's language. */
	for (i = 0; i < h - 4; i++)
		if (screen_width(_(lines[i])) + 4 > w)
			w = screen_width(_(lines[i])) + 4;
	if (w > cols - 2)
		w = cols - 2;
	y = (rows - h) / 2;
	x = (cols - w) / 2;
	screen_box(y, x, h, w, _(" Keys "));
	for (i = 0; i < (int)(sizeof lines / sizeof lines[0]); i++)
		screen_put(y + 2 + i, x + 2, w - 4, _(lines[i]), 0);
}

static void
panels_details(const struct ui *ui, const struct timeline *tl)
{
	const struct ui_lane	*l;
	const struct tl_variant	*v;
	const struct tl_task	*t;
	const struct tl_more	*m;
	char			 buf[160];
	int			 rows, cols, h, w = 76, y, x, row;
	size_t			 i;
	vtime_t			 waiting, end;

	if (ui->view.selected < 0 || ui->view.selected >= ui->nlanes)
		return;
	l = &ui->lanes[ui->view.selected];
	if (l->task == 0 || l->variant >= (int)tl->nvariants)
		return;
	v = &tl->v[l->variant];
	if ((t = timeline_task(v, l->task)) == NULL)
		return;
	m = timeline_more(t);
	screen_size(&rows, &cols);
	h = rows - 4;
	if (w > cols - 2)
		w = cols - 2;
	y = 2;
	x = (cols - w) / 2;
	snprintf(buf, sizeof buf, " %s %s %s ", t->name, ui->glyphs->sep,
	    v->name);
	screen_box(y, x, h, w, buf);
	row = y + 2;
	end = ui->ph.t;
	waiting = timeline_time_in(t, TASK_WAITING_TIMER, end) +
	    timeline_time_in(t, TASK_WAITING_IO, end) +
	    timeline_time_in(t, TASK_WAITING_TASK, end);
	i18n_snprintf(buf, sizeof buf, _("%s, created at %.2f s; now %s (%s) since "
	    "%.2f s"), i18n_str(trace_kind_name(t->kind)),
	    vtime_to_sec(timeline_created(t)),
	    i18n_str(trace_state_name(t->state)),
	    i18n_str(trace_reason_name(t->reason)), vtime_to_sec(t->since));
	screen_put(row++, x + 2, w - 4, buf, 0);
	/* A notebook's: the cell that made it, and its caption. */
	if (cellrow_task(ui_program(ui, (size_t)l->variant)->source, v, t,
	    buf, sizeof buf) == 0)
		screen_put(row++, x + 2, w - 4, buf, screen_attr(SCREEN_TITLE));
	i18n_snprintf(buf, sizeof buf, _("running %.2f s  ready %.2f s  waiting "
	    "%.2f s  blocked %.2f s"),
	    vtime_to_sec(timeline_time_in(t, TASK_RUNNING, end)),
	    vtime_to_sec(timeline_time_in(t, TASK_READY, end)),
	    vtime_to_sec(waiting),
	    vtime_to_sec(timeline_time_in(t, TASK_BLOCKED, end)));
	screen_put(row++, x + 2, w - 4, buf, 0);
	if (m->timers_fired > 0)
		i18n_snprintf(buf, sizeof buf, _("timers fired: %zu, worst lateness "
		    "%.2f s"), m->timers_fired, vtime_to_sec(m->max_late));
	else
		snprintf(buf, sizeof buf, _("timers fired: none"));
	screen_put(row++, x + 2, w - 4, buf, m->max_late > 0 ?
	    screen_attr(SCREEN_WARN) : 0);
	if (m->error != NULL)
		screen_put(row++, x + 2, w - 4, m->error,
		    screen_attr(TASK_FAILED));
	if (m->nphases > 0) {
		int	n = snprintf(buf, sizeof buf, _("HTTP %d, %lld bytes:"),
			    m->http_status, (long long)m->http_bytes);

		for (i = 0; i < m->nphases && n < (int)sizeof buf - 32; i++)
			n += i18n_snprintf(buf + n, sizeof buf - (size_t)n,
			    " %s %.2f s", trace_phase_name(m->phases[i].phase),
			    vtime_to_sec(m->phases[i].end -
			    m->phases[i].start));
		screen_put(row++, x + 2, w - 4, buf,
		    screen_attr(TASK_WAITING_IO));
	}
	row++;
	screen_put(row++, x + 2, w - 4, _("history"), screen_attr(SCREEN_TITLE));
	for (i = 0; i < t->nsegs && row < y + h - 1; i++) {
		const struct tl_segment *sg = &t->segs[i];
		vtime_t e = sg->end == VTIME_NEVER ? end : sg->end;

		i18n_snprintf(buf, sizeof buf, "%8.2f  %8.2f  %-14s %s",
		    vtime_to_sec(sg->start), vtime_to_sec(e),
		    i18n_str(trace_state_name(sg->state)),
		    i18n_str(trace_reason_name(sg->reason)));
		screen_put(row++, x + 2, w - 4, buf, screen_attr(sg->state));
	}
}

static void
panels_menu(const struct ui *ui)
{
	const struct demo	*d;
	char			 buf[160];
	int			 rows, cols, h, w = 44, y, x, i, n, lw;
	bool			 demos = ui->overlay == UI_OVERLAY_DEMOS;

	n = demos ? (int)demos_count() : (int)ui->opts.demo->nvariants;
	screen_size(&rows, &cols);
	h = n + 5;
	/* As wide as its longest line, if the terminal is. */
	for (i = 0; i < n; i++) {
		lw = 4 + 9 + glyphs_width(i18n_str(demos ?
		    demos_at((size_t)i)->summary :
		    ui->opts.demo->variants[i].summary)) + 4;
		if (lw > w)
			w = lw;
	}
	if (w > cols - 2)
		w = cols - 2;
	y = (rows - h) / 2;
	x = (cols - w) / 2;
	screen_box(y, x, h, w, demos ? _(" Demos (Enter: run, Esc: close) ") :
	    _(" Variants (Space: toggle, Enter: run) "));
	for (i = 0; i < n; i++) {
		if (demos) {
			d = demos_at((size_t)i);
			snprintf(buf, sizeof buf, "%d  %-8s %s", i + 1, d->name,
			    i18n_str(d->summary));
		} else
			snprintf(buf, sizeof buf, "[%c] %-8s %s",
			    ui->menu_want[i] ? 'x' : ' ',
			    ui->opts.demo->variants[i].name,
			    i18n_str(ui->opts.demo->variants[i].summary));
		screen_put(y + 2 + i, x + 2, w - 4, buf, i == ui->menu_pos ?
		    screen_attr(SCREEN_SELECT) : 0);
	}
}

void
panels_overlay(const struct ui *ui, const struct timeline *tl)
{
	switch (ui->overlay) {
	case UI_OVERLAY_HELP:
		panels_help();
		break;
	case UI_OVERLAY_DETAILS:
		panels_details(ui, tl);
		break;
	case UI_OVERLAY_DEMOS:
	case UI_OVERLAY_VARIANTS:
		panels_menu(ui);
		break;
	case UI_OVERLAY_CELLS:
		cells_ui_draw(ui);
		break;
	case UI_OVERLAY_QUIZ:
		quiz_draw(ui);
		break;
	default:
		break;
	}
}
