/*
 * A notebook's cells in the terminal UI: the row of their labels under a
 * variant's heading (the cell at the playhead lit), and the menu that
 * c opens to choose the cells side by side (as --cells does).
 */
#include "config.h"

#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellrow.h"
#include "cells-ui.h"
#include "i18n.h"
#include "notebook.h"
#include "screen.h"

#define CELLS_UI_MAX	99	/* code cells the menu lists */

/* The menu's state: the notebook it lists and the cells ticked. */
static struct {
	struct notebook	 nb;
	bool		 want[CELLS_UI_MAX];
	int		 n;		/* code cells listed */
	int		 pos;
	int		 top;		/* first row shown */
} cells_ui;

/* Variant v's row of cell labels on axis a, at row y. */
void
cells_ui_row(const struct ui *ui, const struct axis *a,
    const struct tl_variant *v, int y, int x, int namew, bool selected)
{
	const struct tl_cell	*now = timeline_cell_at(v, ui->ph.t);
	char			 buf[1024];
	int			*at, n;
	size_t			 i;

	screen_put(y, x, namew - 1, _("  cells"), selected ?
	    screen_attr(SCREEN_SELECT) : screen_attr(SCREEN_DIM));
	if ((at = calloc(v->ncells, sizeof *at)) == NULL)
		return;
	cellrow_layout(a, v, buf, sizeof buf, at);
	screen_put(y, x + namew, a->width, buf, screen_attr(SCREEN_DIM));
	for (i = 0; i < v->ncells; i++) {
		if (at[i] < 0 || &v->cells[i] != now)
			continue;
		for (n = 0; buf[at[i] + n] != ' ' && buf[at[i] + n] != '\0';
		    n++)
			;
		screen_put(y, x + namew + at[i], n, buf + at[i],
		    screen_attr(SCREEN_TITLE));
	}
	free(at);
}

/* The notebook of the demo's first variant that has cells, into nb. */
static int
cells_ui_read(const struct ui *ui, struct notebook *nb, char *err,
    size_t len)
{
	const struct demo	*d = ui->opts.user.base != NULL ?
				    ui->opts.user.base : ui->opts.demo;
	char			 path[PATH_MAX + 80];
	size_t			 i;

	for (i = 0; i < d->nvariants; i++) {
		if (d->variants[i].file == NULL ||
		    options_cells_file(d, &d->variants[i], path,
		    sizeof path) != 0)
			continue;
		if (notebook_read(path, nb, err, len) != 0)
			return -1;
		if (nb->format != NOTEBOOK_PLAIN)
			return 0;
		notebook_clear(nb);
	}
	snprintf(err, len, _("%s has no cells (a notebook has, and a script "
	    "with # %%%% markers)"), d->name);
	return -1;
}

/* c: the menu of the notebook's code cells, those running ticked. */
int
cells_ui_open(struct ui *ui)
{
	char	err[256];
	size_t	i;

	notebook_clear(&cells_ui.nb);
	if (cells_ui_read(ui, &cells_ui.nb, err, sizeof err) != 0) {
		ui_say(ui, err);
		return UI_REDRAW;
	}
	cells_ui.n = cells_ui.nb.ncode < CELLS_UI_MAX ? cells_ui.nb.ncode :
	    CELLS_UI_MAX;
	memset(cells_ui.want, 0, sizeof cells_ui.want);
	for (i = 0; i < ui->opts.ncells; i++)
		if (ui->opts.cells[i] <= cells_ui.n)
			cells_ui.want[ui->opts.cells[i] - 1] = true;
	cells_ui.pos = cells_ui.top = 0;
	ui->overlay = UI_OVERLAY_CELLS;
	return UI_REDRAW;
}

/* Run the cells ticked side by side, or the whole notebook for none. */
static int
cells_ui_apply(struct ui *ui)
{
	struct options	 o = ui->opts;
	const struct demo *base = o.user.base != NULL ? o.user.base : o.demo;
	char		 err[256];
	int		 i;

	o.ncells = 0;
	for (i = 0; i < cells_ui.n; i++) {
		if (!cells_ui.want[i])
			continue;
		if (o.ncells == TRACE_MAX_VARIANTS) {
			char	said[80];

			snprintf(said, sizeof said, _("at most %d cells side "
			    "by side"), TRACE_MAX_VARIANTS);
			ui_say(ui, said);
			return UI_REDRAW;
		}
		o.cells[o.ncells++] = i + 1;
	}
	if (options_cells_apply(&o, base, err, sizeof err) != 0) {
		ui_say(ui, err);
		return UI_REDRAW;
	}
	ui->opts = o;
	/* The variants' names point into ui->opts now, not into o. */
	options_cells_apply(&ui->opts, base, err, sizeof err);
	memset(ui->view.fold, 0, sizeof ui->view.fold);
	ui->overlay = UI_OVERLAY_NONE;
	notebook_clear(&cells_ui.nb);
	return UI_RESTART | UI_REDRAW;
}

/* A key while the cells menu is open. */
int
cells_ui_key(struct ui *ui, int key)
{
	int	n = cells_ui.n;

	switch (key) {
	case KEY_UP:
	case 'k':
		cells_ui.pos = n > 0 ? (cells_ui.pos + n - 1) % n : 0;
		return UI_REDRAW;
	case KEY_DOWN:
	case 'j':
	case '\t':
		cells_ui.pos = n > 0 ? (cells_ui.pos + 1) % n : 0;
		return UI_REDRAW;
	case ' ':
		if (n > 0)
			cells_ui.want[cells_ui.pos] =
			    !cells_ui.want[cells_ui.pos];
		return UI_REDRAW;
	case 'a':
		memset(cells_ui.want, 0, sizeof cells_ui.want);
		return UI_REDRAW;
	case '\r':
	case '\n':
	case KEY_ENTER:
		return cells_ui_apply(ui);
	case 27:
	case 'q':
	case 'c':
		ui->overlay = UI_OVERLAY_NONE;
		notebook_clear(&cells_ui.nb);
		return UI_REDRAW;
	default:
		return 0;
	}
}

/* One cell's line in the menu: ticked, number, caption or first line. */
static void
cells_ui_line(int i, char *buf, size_t len)
{
	const struct notebook_cell	*c = notebook_code(&cells_ui.nb, i + 1);
	const char			*s, *e;
	char				 caption[160];

	if (cellrow_caption(cells_ui.nb.text, i + 1, caption,
	    sizeof caption) == 0) {
		snprintf(buf, len, "[%c] In [%d]  %s", cells_ui.want[i] ?
		    'x' : ' ', i + 1, caption);
		return;
	}
	for (s = c != NULL ? c->source : ""; *s == '\n'; s++)
		;
	e = strchr(s, '\n');
	snprintf(buf, len, "[%c] In [%d]  %.*s", cells_ui.want[i] ? 'x' : ' ',
	    i + 1, e != NULL ? (int)(e - s) : (int)strlen(s), s);
}

/* The cells menu, on top of the screen. */
void
cells_ui_draw(const struct ui *ui)
{
	char	buf[256];
	int	rows, cols, h, w = 60, y, x, i, fit;

	(void)ui;
	screen_size(&rows, &cols);
	h = cells_ui.n + 6;
	if (h > rows - 2)
		h = rows - 2;
	if (w > cols - 2)
		w = cols - 2;
	fit = h - 6;
	if (cells_ui.pos < cells_ui.top)
		cells_ui.top = cells_ui.pos;
	if (cells_ui.pos >= cells_ui.top + fit)
		cells_ui.top = cells_ui.pos - fit + 1;
	y = (rows - h) / 2;
	x = (cols - w) / 2;
	screen_box(y, x, h, w, _(" Cells (Space: tick, Enter: run) "));
	for (i = cells_ui.top; i < cells_ui.n && i < cells_ui.top + fit;
	    i++) {
		cells_ui_line(i, buf, sizeof buf);
		screen_put(y + 2 + i - cells_ui.top, x + 2, w - 4, buf,
		    i == cells_ui.pos ? screen_attr(SCREEN_SELECT) : 0);
	}
	screen_put(y + h - 3, x + 2, w - 4, _("ticked: side by side, each after "
	    "the cells before it"), screen_attr(SCREEN_DIM));
	screen_put(y + h - 2, x + 2, w - 4, _("none ticked (a: clear): the "
	    "whole notebook"), screen_attr(SCREEN_DIM));
}
