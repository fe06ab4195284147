/*
 * A notebook's cells in the model: each "cell" event begins a section of
 * its variant's run, labelled In [number], which lasts until the next
 * one begins or the variant ends.
 */
#include "config.h"

#include <stdlib.h>

#include "timeline.h"

/* Fold a cell event: a section begins. */
void
timeline_cell(struct tl_variant *v, const struct trace_event *ev)
{
	struct tl_cell	*nc;

	/* Room for powers of two: realloc only when a count reaches one. */
	if ((v->ncells & (v->ncells - 1)) == 0) {
		nc = realloc(v->cells, (v->ncells ? v->ncells * 2 : 1) *
		    sizeof *nc);
		if (nc == NULL)
			return;
		v->cells = nc;
	}
	nc = &v->cells[v->ncells++];
	nc->start = ev->vtime;
	nc->number = trace_cell_number(ev);
	nc->line = trace_cell_line(ev);
	nc->out = v->nout;
	nc->tasks = v->ntasks;
}

/* When section i ends: the next one's start, the variant's end, or now. */
vtime_t
timeline_cell_end(const struct tl_variant *v, size_t i, vtime_t now)
{
	if (i + 1 < v->ncells)
		return v->cells[i + 1].start;
	return v->ended ? v->end : now;
}

/* The section at time t (the last to begin by then), or NULL. */
const struct tl_cell *
timeline_cell_at(const struct tl_variant *v, vtime_t t)
{
	size_t	i;

	for (i = v->ncells; i > 0; i--)
		if (v->cells[i - 1].start <= t)
			return &v->cells[i - 1];
	return NULL;
}
