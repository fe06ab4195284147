/*
 * Notebooks and percent scripts, read as cells. A Jupyter notebook
 * (nbformat 4, any minor: a cell's source a string or a list of lines,
 * its id optional) is read with jansson and shown as the percent script
 * it would be: "# %% In [n]" above each code cell, its markdown and raw
 * cells as comments. A script's "# %%" markers (also "#%%", "# %% title",
 * "# %% [markdown]") cut it into cells as it is; the code before the
 * first marker is a cell too. The child runs the cells from the same
 * reading (engine/pycell.c), so that both agree on every line.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "notebook.h"

/* Text being built; oom once memory ran out. */
struct notebook_buf {
	char	*s;
	size_t	 n;
	size_t	 cap;
	bool	 oom;
};

static void
notebook_put(struct notebook_buf *b, const char *s, size_t n)
{
	char	*ns;
	size_t	 cap;

	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		cap = b->cap ? b->cap : 256;
		while (cap < b->n + n + 1)
			cap *= 2;
		if ((ns = realloc(b->s, cap)) == NULL) {
			b->oom = true;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void
notebook_puts(struct notebook_buf *b, const char *s)
{
	notebook_put(b, s, strlen(s));
}

/* Lines of s, as the source panel shows them: a last one unended counts. */
static int
notebook_count(const char *s)
{
	size_t	n = strlen(s);
	int	k = 0;
	size_t	i;

	for (i = 0; i < n; i++)
		if (s[i] == '\n')
			k++;
	return k + (n > 0 && s[n - 1] != '\n');
}

/* Whether path names a Jupyter notebook (by its name, as Jupyter does). */
bool
notebook_is_ipynb(const char *path)
{
	size_t	n = strlen(path);

	return n > 6 && strcmp(path + n - 6, ".ipynb") == 0;
}

/* Add a cell; its source is taken (freed on failure). */
static int
notebook_add(struct notebook *nb, enum notebook_kind kind, char *source,
    int line)
{
	struct notebook_cell	*nc;

	if (nb->ncells == NOTEBOOK_MAX_CELLS) {
		free(source);
		return -1;
	}
	/* Room doubles: one realloc per cell is quadratic in a big book. */
	if (nb->ncells == nb->cap) {
		size_t	cap = nb->cap == 0 ? 16 : nb->cap * 2;

		if ((nc = realloc(nb->cells, cap * sizeof *nc)) == NULL) {
			free(source);
			return -1;
		}
		nb->cells = nc;
		nb->cap = cap;
	}
	nc = &nb->cells[nb->ncells++];
	memset(nc, 0, sizeof *nc);
	nc->kind = kind;
	nc->source = source;
	nc->line = line;
	nc->nlines = notebook_count(source);
	if (kind == NOTEBOOK_CODE)
		nc->number = ++nb->ncode;
	return 0;
}

void
notebook_clear(struct notebook *nb)
{
	size_t	i;

	for (i = 0; i < nb->ncells; i++)
		free(nb->cells[i].source);
	free(nb->cells);
	free(nb->text);
	memset(nb, 0, sizeof *nb);
}

/* A cell's source: a string, or a list of strings joined as they are. */
static char *
notebook_source(json_t *src, bool *bad)
{
	struct notebook_buf	 b = { 0 };
	json_t			*line;
	size_t			 i;

	*bad = false;
	if (json_is_string(src)) {
		notebook_put(&b, json_string_value(src),
		    json_string_length(src));
	} else if (json_is_array(src)) {
		json_array_foreach(src, i, line) {
			if (!json_is_string(line)) {
				*bad = true;
				break;
			}
			notebook_put(&b, json_string_value(line),
			    json_string_length(line));
		}
	} else
		*bad = true;
	if (!*bad && b.s == NULL && !b.oom)
		notebook_put(&b, "", 0);
	if (*bad || b.oom || strlen(b.s) != b.n) {
		*bad = *bad || !b.oom;
		free(b.s);
		return NULL;
	}
	return b.s;
}

/* Lines of source into the text, each after prefix ("# " or none). */
static void
notebook_render(struct notebook_buf *b, const char *source, bool comment)
{
	const char	*s = source, *nl;
	size_t		 k;

	while (*s != '\0') {
		nl = strchr(s, '\n');
		k = nl != NULL ? (size_t)(nl - s) : strlen(s);
		if (comment)
			notebook_puts(b, k > 0 ? "# " : "#");
		notebook_put(b, s, k);
		notebook_puts(b, "\n");
		s += k + (nl != NULL);
	}
}

/* One cell of a notebook into nb and its text; -1 with err said. */
static int
notebook_ipynb_cell(const char *path, size_t i, json_t *cell,
    struct notebook *nb, struct notebook_buf *b, int *line, char *err,
    size_t len)
{
	const char		*type;
	enum notebook_kind	 kind;
	char			*src, marker[64];
	bool			 bad;

	if (!json_is_object(cell)) {
		snprintf(err, len, _("%s: cell %zu: not a JSON object"), path,
		    i + 1);
		return -1;
	}
	type = json_string_value(json_object_get(cell, "cell_type"));
	if (type == NULL) {
		snprintf(err, len, _("%s: cell %zu: no cell_type"), path,
		    i + 1);
		return -1;
	}
	if (strcmp(type, "code") == 0)
		kind = NOTEBOOK_CODE;
	else if (strcmp(type, "markdown") == 0)
		kind = NOTEBOOK_MARKDOWN;
	else if (strcmp(type, "raw") == 0)
		kind = NOTEBOOK_RAW;
	else {
		snprintf(err, len, _("%s: cell %zu: unknown cell_type '%.40s' "
		    "(code, markdown or raw)"), path, i + 1, type);
		return -1;
	}
	if ((src = notebook_source(json_object_get(cell, "source"),
	    &bad)) == NULL) {
		if (bad)
			snprintf(err, len, _("%s: cell %zu: its source is "
			    "neither a string nor a list of strings (or holds "
			    "a NUL)"), path, i + 1);
		else
			snprintf(err, len, _("%s: cell %zu: out of memory"),
			    path, i + 1);
		return -1;
	}
	if (nb->ncells > 0) {
		notebook_puts(b, "\n");
		(*line)++;
	}
	if (kind == NOTEBOOK_CODE)
		snprintf(marker, sizeof marker, "# %%%% In [%d]\n",
		    nb->ncode + 1);
	else
		snprintf(marker, sizeof marker, "# %%%% [%s]\n", type);
	notebook_puts(b, marker);
	(*line)++;
	notebook_render(b, src, kind != NOTEBOOK_CODE);
	if (notebook_add(nb, kind, src, *line) != 0) {
		snprintf(err, len, _("%s: cell %zu: too many cells or out of "
		    "memory"), path, i + 1);
		return -1;
	}
	*line += nb->cells[nb->ncells - 1].nlines;
	return 0;
}

/* A Jupyter notebook, nbformat 4. */
static int
notebook_ipynb(const char *path, const char *data, size_t size,
    struct notebook *nb, char *err, size_t len)
{
	struct notebook_buf	 b = { 0 };
	json_error_t		 je;
	json_t			*root, *cells, *cell, *fmt;
	size_t			 i;
	int			 line = 1, rc = 0;

	if ((root = json_loadb(data, size, JSON_ALLOW_NUL, &je)) == NULL) {
		snprintf(err, len, _("%s: not a notebook: not JSON (line %d: "
		    "%s)"), path, je.line, je.text);
		return -1;
	}
	fmt = json_object_get(root, "nbformat");
	cells = json_object_get(root, "cells");
	if (!json_is_object(root) || !json_is_integer(fmt)) {
		snprintf(err, len, _("%s: not a notebook: no nbformat"), path);
		rc = -1;
	} else if (json_integer_value(fmt) != 4) {
		snprintf(err, len, _("%s: nbformat %lld: loopscope reads "
		    "nbformat 4 (save it again with a current Jupyter)"), path,
		    (long long)json_integer_value(fmt));
		rc = -1;
	} else if (!json_is_array(cells)) {
		snprintf(err, len, _("%s: not a notebook: no list of cells"),
		    path);
		rc = -1;
	}
	nb->format = NOTEBOOK_IPYNB;
	if (rc == 0)
		json_array_foreach(cells, i, cell)
			if ((rc = notebook_ipynb_cell(path, i, cell, nb, &b,
			    &line, err, len)) != 0)
				break;
	json_decref(root);
	if (rc == 0 && b.s == NULL)
		notebook_put(&b, "", 0);
	if (rc == 0 && b.oom) {
		snprintf(err, len, _("%s: out of memory"), path);
		rc = -1;
	}
	nb->text = b.s;
	return rc;
}

/*
 * Whether line (up to its newline) is a cell marker: "#", blanks, "%%",
 * then its end, a blank or "[". *rest gets what follows the "%%".
 */
static bool
notebook_marker(const char *line, const char **rest)
{
	const char	*s = line;

	if (*s++ != '#')
		return false;
	while (*s == ' ' || *s == '\t')
		s++;
	if (s[0] != '%' || s[1] != '%')
		return false;
	s += 2;
	if (*s != '\0' && *s != '\n' && *s != ' ' && *s != '\t' && *s != '[' &&
	    *s != '\r')
		return false;
	while (*s == ' ' || *s == '\t')
		s++;
	*rest = s;
	return true;
}

/* A percent cell's lines [from, to) of data; markdown unquoted. */
static int
notebook_percent_cell(struct notebook *nb, enum notebook_kind kind,
    const char *from, const char *to, int line)
{
	struct notebook_buf	 b = { 0 };
	const char		*s, *nl;

	if (kind == NOTEBOOK_CODE)
		notebook_put(&b, from, (size_t)(to - from));
	else
		for (s = from; s < to; s = nl + 1) {
			nl = memchr(s, '\n', (size_t)(to - s));
			if (nl == NULL)
				nl = to;
			if (*s == '#')
				s += 1 + (s[1] == ' ');
			if (s < nl)
				notebook_put(&b, s, (size_t)(nl - s));
			notebook_puts(&b, "\n");
		}
	if (b.s == NULL)
		notebook_put(&b, "", 0);
	if (b.oom) {
		free(b.s);
		return -1;
	}
	return notebook_add(nb, kind, b.s, line);
}

/* What follows a marker: the kind of its cell. */
static enum notebook_kind
notebook_percent_kind(const char *rest)
{
	if (strncmp(rest, "[markdown]", 10) == 0 || strncmp(rest, "[md]", 4) ==
	    0)
		return NOTEBOOK_MARKDOWN;
	if (strncmp(rest, "[raw]", 5) == 0)
		return NOTEBOOK_RAW;
	return NOTEBOOK_CODE;
}

/* Whether [from, to) holds anything but blanks. */
static bool
notebook_blank(const char *from, const char *to)
{
	for (; from < to; from++)
		if (*from != ' ' && *from != '\t' && *from != '\n' &&
		    *from != '\r')
			return false;
	return true;
}

/*
 * A script: cells when it has a marker, else a plain program. A cell's
 * lines are the file's own, so its tracebacks name the file's lines.
 */
static int
notebook_percent(const char *path, const char *data, size_t size,
    struct notebook *nb, char *err, size_t len)
{
	const char		*s, *nl, *rest, *start = data, *end = data + size;
	enum notebook_kind	 kind = NOTEBOOK_CODE;
	int			 line = 1, first = 1;
	bool			 any = false;

	if ((nb->text = malloc(size + 1)) == NULL) {
		snprintf(err, len, _("%s: out of memory"), path);
		return -1;
	}
	memcpy(nb->text, data, size);
	nb->text[size] = '\0';
	/*
	 * Read the copy: its NUL ends what the markers' tests look at past a
	 * last line without a newline (the caller's bytes may have none).
	 */
	start = data = nb->text;
	end = data + size;
	for (s = data; s < end; s = nl + 1, line++) {
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			nl = end;
		if (!notebook_marker(s, &rest))
			continue;
		/* The cell before this marker, if it is one. */
		if ((any || !notebook_blank(start, s)) &&
		    notebook_percent_cell(nb, kind, start, s, first) != 0)
			goto oom;
		any = true;
		kind = notebook_percent_kind(rest);
		start = nl < end ? nl + 1 : end;
		first = line + 1;
	}
	if (!any) {
		nb->format = NOTEBOOK_PLAIN;
		return 0;
	}
	nb->format = NOTEBOOK_PERCENT;
	if (notebook_percent_cell(nb, kind, start, end, first) != 0)
		goto oom;
	return 0;
oom:
	snprintf(err, len, _("%s: too many cells or out of memory"), path);
	return -1;
}

/*
 * Read data (size bytes, from path) as cells into nb (cleared first). A
 * plain program is one without cells (format NOTEBOOK_PLAIN). -1 with a
 * line naming the file and the cell in err for a bad notebook.
 */
int
notebook_parse(const char *path, const char *data, size_t size,
    struct notebook *nb, char *err, size_t len)
{
	int	rc;

	memset(nb, 0, sizeof *nb);
	if (memchr(data, '\0', size) != NULL) {
		snprintf(err, len, _("%s: not a Python program or notebook (it "
		    "holds NUL bytes)"), path);
		return -1;
	}
	if (notebook_is_ipynb(path))
		rc = notebook_ipynb(path, data, size, nb, err, len);
	else
		rc = notebook_percent(path, data, size, nb, err, len);
	if (rc != 0)
		notebook_clear(nb);
	return rc;
}

/* Read path as cells (see notebook_parse); at most NOTEBOOK_MAX_BYTES. */
int
notebook_read(const char *path, struct notebook *nb, char *err, size_t len)
{
	struct stat	 st;
	FILE		*f;
	char		*data;
	size_t		 n;
	int		 rc;

	memset(nb, 0, sizeof *nb);
	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, len, _("%s: not a regular file"), path);
		fclose(f);
		return -1;
	}
	if (st.st_size > NOTEBOOK_MAX_BYTES) {
		snprintf(err, len, _("%s: %lld bytes: larger than the %ld MiB "
		    "loopscope reads"), path, (long long)st.st_size,
		    NOTEBOOK_MAX_BYTES >> 20);
		fclose(f);
		return -1;
	}
	if ((data = malloc((size_t)st.st_size + 1)) == NULL) {
		snprintf(err, len, _("%s: out of memory"), path);
		fclose(f);
		return -1;
	}
	n = fread(data, 1, (size_t)st.st_size + 1, f);
	if (ferror(f) || n > (size_t)st.st_size) {
		snprintf(err, len, "%s: %s", path, ferror(f) ?
		    strerror(errno) : _("it grew while being read"));
		free(data);
		fclose(f);
		return -1;
	}
	fclose(f);
	rc = notebook_parse(path, data, n, nb, err, len);
	free(data);
	return rc;
}

/* Code cell number (In [number]), or NULL. */
const struct notebook_cell *
notebook_code(const struct notebook *nb, int number)
{
	size_t	i;

	for (i = 0; i < nb->ncells; i++)
		if (nb->cells[i].kind == NOTEBOOK_CODE &&
		    nb->cells[i].number == number)
			return &nb->cells[i];
	return NULL;
}

/* The markdown cell right before code cell number: its caption, or NULL. */
const char *
notebook_caption(const struct notebook *nb, int number)
{
	const struct notebook_cell	*c = notebook_code(nb, number);

	if (c == NULL || c == nb->cells || c[-1].kind != NOTEBOOK_MARKDOWN)
		return NULL;
	return c[-1].source;
}
