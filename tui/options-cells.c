/*
 * Notebooks and percent scripts on the command line: each checked before
 * anything runs (a bad one is one line naming the file and the cell, exit
 * 2), and --cells LIST making one variant of each cell named, after the
 * cells before it: "--cells 2,4" puts In [2] and In [4] side by side.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "notebook.h"
#include "number.h"
#include "options-int.h"
#include "paths.h"

/* --cells LIST: code cell numbers, comma-separated, each once. */
int
options_cells_list(struct options *o, const char *arg, char *err, size_t len)
{
	char		 buf[256], *word, *save = NULL;
	long long	 n;
	size_t		 i;

	if (strlen(arg) >= sizeof buf) {
		snprintf(err, len, _("--cells: '%.40s...' is too long"), arg);
		return -1;
	}
	snprintf(buf, sizeof buf, "%s", arg);
	o->ncells = 0;
	for (word = strtok_r(buf, ",", &save); word != NULL;
	    word = strtok_r(NULL, ",", &save)) {
		if (number_whole(word, 1, NOTEBOOK_MAX_CELLS, &n) != 0) {
			snprintf(err, len, _("--cells: '%s' is not a cell number "
			    "from 1 to %d"), word, NOTEBOOK_MAX_CELLS);
			return -1;
		}
		for (i = 0; i < o->ncells; i++)
			if (o->cells[i] == (int)n) {
				snprintf(err, len, _("--cells: cell %lld twice"),
				    n);
				return -1;
			}
		if (o->ncells == TRACE_MAX_VARIANTS) {
			snprintf(err, len, _("--cells: at most %d cells side "
			    "by side"), TRACE_MAX_VARIANTS);
			return -1;
		}
		o->cells[o->ncells++] = (int)n;
	}
	if (o->ncells == 0) {
		snprintf(err, len, _("--cells: no cell named"));
		return -1;
	}
	return 0;
}

/* Where variant v of demo d has its program: the user's, or a demo's. */
int
options_cells_file(const struct demo *d, const struct demo_variant *v,
    char *buf, size_t len)
{
	int	n;

	if (d->user)
		n = snprintf(buf, len, "%s", v->file);
	else
		n = snprintf(buf, len, "%s/demos/%s", paths_data(), v->file);
	return n >= 0 && (size_t)n < len ? 0 : -1;
}

/* Check one variant's file; its code cells into *ncode (-1: none). */
static int
options_cells_check(const struct demo *d, const struct demo_variant *v,
    int *ncode, char *err, size_t len)
{
	struct notebook	nb;
	char		path[PATH_MAX + 80];

	*ncode = -1;
	if (v->file == NULL)
		return 0;
	if (options_cells_file(d, v, path, sizeof path) != 0) {
		snprintf(err, len, _("%s: the path is too long"), v->file);
		return -1;
	}
	if (notebook_read(path, &nb, err, len) != 0)
		return -1;
	if (nb.format != NOTEBOOK_PLAIN)
		*ncode = nb.ncode;
	notebook_clear(&nb);
	return 0;
}

/*
 * Make o's demo the cells o->cells of each variant of base, or base
 * itself when no cell is named; every variant chosen. Each named cell
 * must be one of its file's code cells.
 */
int
options_cells_apply(struct options *o, const struct demo *base, char *err,
    size_t len)
{
	struct options_user		*u = &o->user;
	const struct demo_variant	*v;
	struct demo_variant		*cv;
	size_t				 i, k, n = 0;
	int				 ncode;

	u->base = base;
	o->demo = base;
	if (o->ncells > 0) {
		if (base->nvariants * o->ncells > TRACE_MAX_VARIANTS) {
			snprintf(err, len, _("--cells: %zu cells of %zu programs: "
			    "at most %d side by side"), o->ncells,
			    base->nvariants, TRACE_MAX_VARIANTS);
			return -1;
		}
		for (i = 0; i < base->nvariants; i++) {
			v = &base->variants[i];
			if (options_cells_check(base, v, &ncode, err, len) != 0)
				return -1;
			if (ncode < 0) {
				snprintf(err, len, _("%s: --cells: it has no cells "
				    "(a notebook has, and a script with # %%%% "
				    "markers)"), v->file != NULL ? v->file :
				    v->name);
				return -1;
			}
			for (k = 0; k < o->ncells; k++) {
				if (o->cells[k] > ncode) {
					snprintf(err, len, _("%s: cell %d: there "
					    "is no In [%d] (it has %d code "
					    "cells)"), v->file, o->cells[k],
					    o->cells[k], ncode);
					return -1;
				}
				cv = &u->cvariants[n];
				*cv = *v;
				cv->cell = o->cells[k];
				if (base->nvariants == 1)
					snprintf(u->cnames[n], sizeof u->cnames[n],
					    "In [%d]", cv->cell);
				else
					snprintf(u->cnames[n], sizeof u->cnames[n],
					    "%.60s In [%d]", v->name, cv->cell);
				cv->name = u->cnames[n++];
			}
		}
		u->cdemo = *base;
		u->cdemo.variants = u->cvariants;
		u->cdemo.nvariants = n;
		o->demo = &u->cdemo;
	}
	for (i = 0; i < o->demo->nvariants && i < TRACE_MAX_VARIANTS; i++)
		o->variants[i] = o->demo->variants[i].name;
	o->nvariants = i;
	return 0;
}

/* After the demo is known: its notebooks checked, --cells applied. */
int
options_cells(struct options *o, char *err, size_t len)
{
	size_t	i;
	int	ncode;

	for (i = 0; i < o->demo->nvariants && o->ncells == 0; i++)
		if (options_cells_check(o->demo, &o->demo->variants[i], &ncode,
		    err, len) != 0)
			return -1;
	return options_cells_apply(o, o->demo, err, len);
}
