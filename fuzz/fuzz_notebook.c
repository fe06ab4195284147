/*
 * A libFuzzer target for the notebook reader: any bytes are read as a
 * Jupyter notebook (a path ending in .ipynb) and as a percent script (a
 * .py), as loopscope reads a lecturer's lesson (engine/notebook.c). Every
 * cell of what is accepted is read as the UI and the child read it (its
 * source, the code cell of a number, its caption), and a notebook's text
 * is read again as the percent script it is shown as, as the terminal UI
 * reads captions from it (tui/cellrow.c). Nothing may crash, leak or read
 * out of bounds (the bytes are given as they are, without a NUL after
 * them), and what is accepted holds together: cells numbered In [1],
 * In [2]... in order, each at the line of the text it says, a code cell's
 * source the text's own lines.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "notebook.h"

#define FUZZ_NUMBERS	32	/* code cells looked up at each end */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Lines of s as notebook.c counts them: a last one unended counts. */
static int
fuzz_lines(const char *s)
{
	size_t	n = strlen(s), i;
	int	k = 0;

	for (i = 0; i < n; i++)
		if (s[i] == '\n')
			k++;
	return k + (n > 0 && s[n - 1] != '\n');
}

/* Move *at (the start of line *now of a text) on to line `line`. */
static const char *
fuzz_seek(const char **at, int *now, int line)
{
	const char	*nl;

	while (*now < line && **at != '\0') {
		if ((nl = strchr(*at, '\n')) == NULL)
			*at += strlen(*at);
		else
			*at = nl + 1;
		(*now)++;
	}
	return *now == line ? *at : NULL;
}

/* Look code cell number up as the UI does, against what it must find. */
static void
fuzz_number(const struct notebook *nb, int number)
{
	const struct notebook_cell	*c, *want = NULL;
	const char			*caption, *md = NULL;
	size_t				 i;

	for (i = 0; i < nb->ncells; i++)
		if (nb->cells[i].kind == NOTEBOOK_CODE &&
		    nb->cells[i].number == number) {
			want = &nb->cells[i];
			if (i > 0 && nb->cells[i - 1].kind == NOTEBOOK_MARKDOWN)
				md = nb->cells[i - 1].source;
			break;
		}
	c = notebook_code(nb, number);
	caption = notebook_caption(nb, number);
	if (c != want || caption != md)
		abort();
	if (caption != NULL)
		(void)strlen(caption);
}

/* Every cell of an accepted reading of text (len bytes). */
static void
fuzz_cells(const struct notebook *nb, size_t len)
{
	const struct notebook_cell	*c;
	const char			*at, *t;
	size_t				 i;
	int				 now = 1, code = 0, next, k;

	if (nb->text == NULL || strlen(nb->text) != len ||
	    nb->ncells > NOTEBOOK_MAX_CELLS)
		abort();
	/* A script has cells when it has a marker, and then one at least. */
	if (nb->format != NOTEBOOK_IPYNB &&
	    (nb->ncells == 0) != (nb->format == NOTEBOOK_PLAIN))
		abort();
	at = nb->text;
	next = nb->format == NOTEBOOK_IPYNB ? 2 : 0;
	for (i = 0; i < nb->ncells; i++) {
		c = &nb->cells[i];
		if (c->source == NULL || c->nlines != fuzz_lines(c->source))
			abort();
		if (c->kind == NOTEBOOK_CODE) {
			if (c->number != ++code)
				abort();
		} else if ((c->kind != NOTEBOOK_MARKDOWN &&
		    c->kind != NOTEBOOK_RAW) || c->number != 0)
			abort();
		/*
		 * Cells follow one another: a marker line before each (and
		 * a blank one before that in a notebook's text, but the
		 * first); a script's first cell may be the code before it.
		 */
		if (c->line < 1 || (next > 0 && c->line != next))
			abort();
		next = c->line + c->nlines +
		    (nb->format == NOTEBOOK_IPYNB ? 2 : 1);
		/* Its lines are the text's; a code cell's as they are. */
		if ((t = fuzz_seek(&at, &now, c->line)) == NULL) {
			if (c->nlines > 0)
				abort();
			continue;
		}
		if (c->kind == NOTEBOOK_CODE &&
		    strncmp(t, c->source, strlen(c->source)) != 0)
			abort();
		for (k = 1; k < c->nlines; k++)
			if (strchr(t, '\n') == NULL)
				abort();
			else
				t = strchr(t, '\n') + 1;
	}
	if (code != nb->ncode)
		abort();
	/* The UI's look-ups: the first and last numbers, and none. */
	for (k = -1; k <= nb->ncode + 1; k++) {
		if (k > FUZZ_NUMBERS && k < nb->ncode - FUZZ_NUMBERS)
			k = nb->ncode - FUZZ_NUMBERS;
		fuzz_number(nb, k);
	}
}

/* What the terminal UI does with a notebook's text: read it as a script. */
static void
fuzz_shown(const char *text)
{
	struct notebook	 nb;
	char		 err[64];
	int		 k;

	if (notebook_parse("shown.py", text, strlen(text), &nb, err,
	    sizeof err) != 0)
		return;
	fuzz_cells(&nb, strlen(text));
	for (k = 1; k <= nb.ncode && k <= FUZZ_NUMBERS; k++)
		(void)notebook_caption(&nb, k);
	notebook_clear(&nb);
}

/* One reading of the bytes, as if from path. */
static void
fuzz_read(const char *path, const uint8_t *data, size_t size)
{
	struct notebook	 nb;
	char		 err[512];

	err[0] = '\0';
	if (notebook_parse(path, (const char *)data, size, &nb, err,
	    sizeof err) != 0) {
		/* Refused: said, and nothing left behind. */
		if (err[0] == '\0' || nb.text != NULL || nb.cells != NULL ||
		    nb.ncells != 0)
			abort();
		return;
	}
	if (nb.format == NOTEBOOK_IPYNB) {
		if (!notebook_is_ipynb(path))
			abort();
		fuzz_cells(&nb, strlen(nb.text));
		fuzz_shown(nb.text);
	} else {
		/* A script's text is its bytes. */
		if (notebook_is_ipynb(path) ||
		    memcmp(nb.text, data, size) != 0)
			abort();
		fuzz_cells(&nb, size);
	}
	notebook_clear(&nb);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_read("fuzz.ipynb", data, size);
	fuzz_read("fuzz.py", data, size);
	return 0;
}
