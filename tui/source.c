/*
 * The source panel: the selected variant's program, and beside it, when
 * the panel is wide enough, the variant to compare it with (sync beside
 * async). Long lines wrap under their own indentation rather than being
 * cut: `str(x ** 1000000)` cut short reads as a wrong exponent.
 * Read-only, like every view.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "glyphs.h"
#include "i18n.h"
#include "screen.h"
#include "source.h"
#include "ui.h"


#define SOURCE_COL_MIN	36	/* a column: line numbers, mark, code */
#define SOURCE_GUTTER	6	/* "123 > " before the code */
#define SOURCE_LINE	1024	/* a line's bytes, tabs expanded */
#define SOURCE_HANG	4	/* a wrapped line's rows go under it, this in */

/* One program drawn in part of the panel. */
struct source_col {
	int			 x, w;
	const struct program	*p;
	const struct tl_variant	*v;
	const struct tl_task	*sel;	/* the selected lane's task */
};

/* The line starting at s into buf, tabs to 8-column stops; its end. */
static const char *
source_line(const char *s, char *buf, size_t len)
{
	size_t	n = 0;

	for (; *s != '\0' && *s != '\n'; s++) {
		if (*s == '\t') {
			do
				buf[n++] = ' ';
			while (n % 8 != 0 && n + 1 < len);
		} else if (n + 1 < len)
			buf[n++] = *s;
		if (n + 1 >= len)
			break;
	}
	buf[n] = '\0';
	while (*s != '\0' && *s != '\n')
		s++;
	return s;
}

/* Where a line's wrapped rows start, past its indentation (bounded). */
static int
source_hang(const char *line, int w)
{
	int	in = (int)strspn(line, " ") + SOURCE_HANG;

	return in < w / 2 ? in : w / 2;
}

/* The rows a line takes at w columns of code. */
static int
source_rows(const char *line, int w)
{
	const char	*s = line;
	int		 rows = 1, hang = source_hang(line, w);
	size_t		 n = glyphs_break(s, w);

	for (s += n; *s != '\0'; s += n, rows++)
		if ((n = glyphs_break(s, w - hang)) == 0)
			break;
	return rows;
}

/* The start of the line before the one at s (s is past the first). */
static const char *
source_prev(const char *start, const char *s)
{
	s--;			/* the '\n' ending the line before */
	while (s > start && s[-1] != '\n')
		s--;
	return s;
}

/*
 * The first line to draw, so that line want shows, with as much before
 * it as half the rows: from the top when it fits. Its start in *at.
 */
static int
source_first(const char *src, int want, int w, int rows, const char **at)
{
	char		 buf[SOURCE_LINE];
	const char	*s = src, *ws = src, *e;
	int		 line, above = 0, r;

	for (line = 1; *s != '\0' && line <= want; line++) {
		if (line == want)
			ws = s;
		e = source_line(s, buf, sizeof buf);
		above += source_rows(buf, w);
		s = *e != '\0' ? e + 1 : e;
	}
	*at = src;
	if (want <= 1 || line <= want || above <= rows)
		return 1;
	/* From want up, while the rows above stay within half. */
	line = want;
	above = 0;
	while (line > 1) {
		s = source_prev(src, ws);
		source_line(s, buf, sizeof buf);
		if ((r = source_rows(buf, w)) + above > (rows - 1) / 2)
			break;
		above += r;
		ws = s;
		line--;
	}
	*at = ws;
	return line;
}

/* What marks a line: the state of the tasks standing at it, if any. */
static int
source_mark(const struct tl_variant *v, int line)
{
	size_t	i;
	int	mark = -1;

	for (i = 0; v != NULL && i < v->ntasks; i++) {
		const struct tl_task *t = &v->tasks[i];

		if (t->line != line || trace_state_final(t->state) ||
		    t->state == TASK_CREATED)
			continue;
		if (mark < 0 || t->state == TASK_RUNNING ||
		    t->state == TASK_BLOCKED)
			mark = t->state;
	}
	return mark;
}

/* One program in its column, from the title's row down to y1. */
static void
source_draw(const struct ui *ui, const struct source_col *c, int y, int y1)
{
	char		 buf[SOURCE_LINE], num[16];
	const char	*s, *e, *row;
	int		 line, want = 0, w = c->w - SOURCE_GUTTER - 1, hang;
	int		 mark, attr;
	size_t		 n;

	if (w < 8 || c->p->source == NULL)
		return;
	if (c->sel != NULL)
		want = c->sel->line;
	else if (c->v != NULL && timeline_task(c->v, c->v->running) != NULL)
		want = timeline_task(c->v, c->v->running)->line;
	line = source_first(c->p->source, want, w, y1 - y, &s);
	for (; *s != '\0' && y < y1; line++, s = *e != '\0' ? e + 1 : e) {
		e = source_line(s, buf, sizeof buf);
		snprintf(num, sizeof num, "%3d", line);
		screen_put(y, c->x + 1, 3, num, screen_attr(SCREEN_DIM));
		if ((mark = source_mark(c->v, line)) >= 0)
			screen_put(y, c->x + 4, 1, ui->glyphs->arrow,
			    screen_attr(mark));
		attr = c->sel != NULL && c->sel->line == line &&
		    !trace_state_final(c->sel->state) ?
		    screen_attr(SCREEN_SELECT) : 0;
		hang = source_hang(buf, w);
		n = glyphs_break(buf, w);
		for (row = buf; y < y1; row += n, n = glyphs_break(row,
		    w - hang)) {
			char	part[SOURCE_LINE];

			snprintf(part, sizeof part, "%.*s", (int)n, row);
			screen_put(y++, c->x + SOURCE_GUTTER +
			    (row == buf ? 0 : hang), row == buf ? w : w - hang,
			    part, attr);
			if (row[n] == '\0' || n == 0)
				break;
		}
	}
}

/*
 * The variant to show beside vi: the first other one of the other kind
 * (sync beside async) with a source of its own, else the first other
 * one with a different source; -1 when none.
 */
static int
source_partner(const struct ui *ui, int vi)
{
	const struct program	*p = ui_program(ui, (size_t)vi), *q;
	size_t			 i, n = ui_nvariants(ui);
	int			 any = -1;

	for (i = 0; i < n; i++) {
		q = ui_program(ui, i);
		if ((int)i == vi || q->source == NULL || (p->source != NULL &&
		    strcmp(q->source, p->source) == 0))
			continue;
		if (q->kind != p->kind)
			return (int)i;
		if (any < 0)
			any = (int)i;
	}
	return any;
}

static void
source_col_set(const struct ui *ui, const struct timeline *tl,
    struct source_col *c, int vi)
{
	c->p = ui_program(ui, (size_t)vi);
	c->v = vi < (int)tl->nvariants ? &tl->v[vi] : NULL;
	c->sel = NULL;
	if (c->v != NULL && ui->view.selected >= 0 &&
	    ui->lanes[ui->view.selected].variant == vi &&
	    ui->lanes[ui->view.selected].task != 0)
		c->sel = timeline_task(c->v, ui->lanes[ui->view.selected].task);
}

/* The selected variant's source, each task's line marked. */
void
source_panel(const struct ui *ui, const struct timeline *tl)
{
	const struct rect	*r = &ui->layout.source;
	struct source_col	 col[2];
	char			 title[96];
	int			 vi = ui_selected_variant(ui), other = -1;
	int			 n = 1, i;

	if (!ui->layout.narrow && r->w >= 2 * SOURCE_COL_MIN)
		other = source_partner(ui, vi);
	if (other >= 0) {
		/* In the variants' order, as the lanes have them. */
		source_col_set(ui, tl, &col[0], vi < other ? vi : other);
		source_col_set(ui, tl, &col[1], vi < other ? other : vi);
		col[0].x = r->x;
		col[0].w = r->w / 2;
		col[1].x = r->x + col[0].w;
		col[1].w = r->w - col[0].w;
		n = 2;
	} else {
		source_col_set(ui, tl, &col[0], vi);
		col[0].x = r->x;
		col[0].w = r->w;
	}
	/* Narrow, the source stands where the output was: say so. */
	if (ui->layout.narrow)
		snprintf(title, sizeof title, _("Source %s %s %s s: output"),
		    ui->glyphs->sep, col[0].p->name, ui->glyphs->sep);
	else
		snprintf(title, sizeof title, _("Source %s %s"),
		    ui->glyphs->sep, col[0].p->name);
	screen_fill(r->y, r->x, r->w, " ", screen_attr(SCREEN_PANEL));
	screen_put(r->y, r->x + 1, col[0].w - 2, title,
	    screen_attr(SCREEN_PANEL));
	if (n == 2)
		screen_put(r->y, col[1].x + 1, col[1].w - 2, col[1].p->name,
		    screen_attr(SCREEN_PANEL));
	for (i = 0; i < n; i++)
		source_draw(ui, &col[i], r->y + 1, r->y + r->h);
}
