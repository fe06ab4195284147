/*
 * A notebook's cells in the views: each cell's run is a section of its
 * variant's timeline, labelled In [n] where it begins on the axis.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellrow.h"
#include "notebook.h"

/* The label of a cell in one of three forms: "In [n]", "[n]", "n". */
static int
cellrow_label(int form, int number, char *buf, size_t len)
{
	return snprintf(buf, len, form == 0 ? "In [%d]" : form == 1 ? "[%d]" :
	    "%d", number);
}

/*
 * Place the labels of form: each where its cell begins or after the one
 * before, then, from the right, moved back to end within w. Whether the
 * first one still starts on the row.
 */
static bool
cellrow_place(const struct axis *a, const struct tl_variant *v, int form,
    int w, int *at)
{
	char	label[32];
	size_t	i;
	int	pos = 0, limit = w, n, col;

	for (i = 0; i < v->ncells; i++) {
		col = axis_column(a, v->cells[i].start);
		at[i] = col > pos ? col : pos;
		pos = at[i] + cellrow_label(form, v->cells[i].number, label,
		    sizeof label) + 1;
	}
	for (i = v->ncells; i > 0; i--) {
		n = cellrow_label(form, v->cells[i - 1].number, label,
		    sizeof label);
		if (at[i - 1] + n > limit)
			at[i - 1] = limit - n;
		limit = at[i - 1] - 1;
	}
	return v->ncells == 0 || at[0] >= 0;
}

/*
 * Variant v's cell labels on a row of a->width columns (ASCII, into buf
 * with its NUL): "In [n]" where the cell's section begins, or "[n]" or
 * "n" for all when that does not fit. at (NULL, or room for v->ncells)
 * gets each label's column, -1 for one left out.
 */
void
cellrow_layout(const struct axis *a, const struct tl_variant *v, char *buf,
    size_t len, int *at)
{
	char	label[32];
	int	*col, form, n;
	size_t	i, w = (size_t)a->width < len ? (size_t)a->width : len - 1;

	memset(buf, ' ', w);
	buf[w] = '\0';
	for (i = 0; at != NULL && i < v->ncells; i++)
		at[i] = -1;
	if (v->ncells == 0 || (col = calloc(v->ncells, sizeof *col)) == NULL)
		return;
	for (form = 0; form < 2; form++)
		if (cellrow_place(a, v, form, (int)w, col))
			break;
	if (form == 2)
		cellrow_place(a, v, form, (int)w, col);
	for (i = 0; i < v->ncells; i++) {
		n = cellrow_label(form, v->cells[i].number, label,
		    sizeof label);
		/* Too many to show at all: the first ones are left out. */
		if (col[i] < 0 || col[i] + n > (int)w)
			continue;
		memcpy(buf + col[i], label, (size_t)n);
		if (at != NULL)
			at[i] = col[i];
	}
	free(col);
	/* No trailing blanks. */
	while (w > 0 && buf[w - 1] == ' ')
		buf[--w] = '\0';
}

/* The cells of v as JSON: number, first line, start and end. */
json_t *
cellrow_json(const struct tl_variant *v, vtime_t now)
{
	json_t	*cells = json_array();
	size_t	 i;

	for (i = 0; i < v->ncells; i++)
		json_array_append_new(cells, json_pack("{s:i, s:i, s:f, s:f}",
		    "cell", v->cells[i].number, "line", v->cells[i].line,
		    "start", vtime_to_sec(v->cells[i].start),
		    "end", vtime_to_sec(timeline_cell_end(v, i, now))));
	return cells;
}

/*
 * The caption of cell number (the first line of the markdown cell just
 * before it, its heading marks dropped) from the source shown, a percent
 * script; -1 when it has none.
 */
int
cellrow_caption(const char *source, int number, char *buf, size_t len)
{
	struct notebook	 nb;
	const char	*md, *s, *e;
	char		 err[64];
	int		 rc = -1;

	if (notebook_parse("shown.py", source, strlen(source), &nb, err,
	    sizeof err) != 0)
		return -1;
	if ((md = notebook_caption(&nb, number)) != NULL) {
		for (s = md; *s == '\n' || *s == ' '; s++)
			;
		while (*s == '#')
			s++;
		while (*s == ' ')
			s++;
		e = strchr(s, '\n');
		if (e == NULL)
			e = s + strlen(s);
		if (e > s) {
			snprintf(buf, len, "%.*s", (int)(e - s), s);
			rc = 0;
		}
	}
	notebook_clear(&nb);
	return rc;
}

/*
 * What a task's details say of its cell: "In [n]: caption", the cell
 * whose run made it; -1 when its variant has no cells.
 */
int
cellrow_task(const char *source, const struct tl_variant *v,
    const struct tl_task *t, char *buf, size_t len)
{
	const struct tl_cell	*c = NULL;
	char			 caption[160];
	size_t			 i;
	int			 n;

	/* The last cell begun before the task was made. */
	for (i = 0; i < v->ncells; i++)
		if (v->cells[i].tasks < t->id)
			c = &v->cells[i];
	if (c == NULL)
		return -1;
	n = snprintf(buf, len, "In [%d]", c->number);
	if (source != NULL && n >= 0 && (size_t)n < len &&
	    cellrow_caption(source, c->number, caption, sizeof caption) == 0)
		snprintf(buf + n, len - (size_t)n, ": %s", caption);
	return 0;
}
