/*
 * Notebooks and percent scripts: a lesson as the lecturer keeps it, read
 * as cells (engine/notebook.c). A Jupyter notebook (nbformat 4) is shown
 * as the percent script it would be; a .py with "# %%" markers is shown
 * as it is.
 */
#ifndef LOOPSCOPE_NOTEBOOK_H
#define LOOPSCOPE_NOTEBOOK_H

#include <stdbool.h>
#include <stddef.h>

#define NOTEBOOK_MAX_BYTES	(32L << 20)	/* a notebook we read */
#define NOTEBOOK_MAX_CELLS	10000

enum notebook_format {
	NOTEBOOK_PLAIN,		/* a program without cells */
	NOTEBOOK_IPYNB,		/* a Jupyter notebook */
	NOTEBOOK_PERCENT	/* a script with # %% markers */
};

enum notebook_kind {
	NOTEBOOK_CODE,
	NOTEBOOK_MARKDOWN,
	NOTEBOOK_RAW
};

struct notebook_cell {
	enum notebook_kind	 kind;
	int			 number;	/* a code cell's, from 1; else 0 */
	int			 line;		/* its first line in text */
	int			 nlines;
	char			*source;	/* its text (markdown: unquoted) */
};

struct notebook {
	enum notebook_format	 format;
	char			*text;		/* what the source panel shows */
	struct notebook_cell	*cells;		/* every cell, in order */
	size_t			 ncells;
	size_t			 cap;		/* cells room is made for */
	int			 ncode;		/* code cells */
};

int	notebook_read(const char *path, struct notebook *nb, char *err,
	    size_t len);
int	notebook_parse(const char *path, const char *data, size_t size,
	    struct notebook *nb, char *err, size_t len);
void	notebook_clear(struct notebook *nb);
bool	notebook_is_ipynb(const char *path);
const struct notebook_cell *notebook_code(const struct notebook *nb,
	    int number);
const char *notebook_caption(const struct notebook *nb, int number);

#endif
