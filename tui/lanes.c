/*
 * The lanes the timelines show: each variant's heading, then its tasks,
 * or, folded, one lane per state its tasks were in. Folding is what lets
 * every demo's lanes fit a projector's 100x30 without scrolling.
 */
#include "config.h"

#include <stdlib.h>

#include "screen.h"
#include "ui.h"

/*
 * The states a folded variant shows, one lane each: those its tasks were
 * ever in, in the whole trace known (the live one), so that the rows stay
 * put while the playhead moves.
 */
static unsigned
draw_fold_states(const struct ui *ui, size_t v)
{
	unsigned	all = (1u << TASK_NSTATES) - 1;
	unsigned	seen = ui->live != NULL && v < ui->live->nvariants ?
			    ui->live->v[v].states_seen : all;

	seen &= all & ~(1u << TASK_CREATED);
	return seen != 0 ? seen : 1u << TASK_READY;
}

static int
draw_fold_rows(const struct ui *ui, size_t v)
{
	return __builtin_popcount(draw_fold_states(ui, v));
}

/*
 * Which variants are folded: as asked (f), else a big one that would take
 * most of the screen; then, while the lanes do not fit above the panels
 * given way, the variant that folding saves most rows of.
 */
static void
draw_folds(struct ui *ui, const struct timeline *tl, size_t nv)
{
	int	rows, total = (int)nv, save, best_save;
	size_t	i, best;

	screen_size(&rows, &(int){ 0 });
	for (i = 0; i < nv && i < tl->nvariants; i++)
		total += (int)tl->v[i].ntasks + (tl->v[i].ncells > 0);
	for (i = 0; i < nv && i < TRACE_MAX_VARIANTS; i++) {
		if (ui->view.fold[i] != 0)
			ui->folded[i] = ui->view.fold[i] > 0;
		else
			ui->folded[i] = i < tl->nvariants &&
			    tl->v[i].ntasks > UI_FOLD_AUTO &&
			    total + 3 > rows * 3 / 5;
		if (ui->folded[i] && i < tl->nvariants)
			total -= (int)tl->v[i].ntasks - draw_fold_rows(ui, i);
	}
	while (total > layout_lane_rows(rows)) {
		best_save = 0;
		best = nv;
		for (i = 0; i < nv && i < 8 && i < tl->nvariants; i++) {
			if (ui->folded[i] || ui->view.fold[i] != 0)
				continue;
			save = (int)tl->v[i].ntasks - draw_fold_rows(ui, i);
			if (save > best_save) {
				best_save = save;
				best = i;
			}
		}
		if (best == nv)
			break;
		ui->folded[best] = true;
		total -= best_save;
	}
}

/* The lanes to show: each variant's heading, then its tasks or states. */
void
draw_build_lanes(struct ui *ui, const struct timeline *tl)
{
	size_t		 nv = ui_nvariants(ui), i, j, n, ncap;
	struct ui_lane	*nl;
	unsigned	 states;
	int		 s;

	n = nv;
	for (i = 0; i < nv && i < tl->nvariants; i++)
		n += tl->v[i].ntasks + (tl->v[i].ncells > 0);
	/* Doubling: live, the tasks come a few at a time, frame after frame. */
	if ((int)(n + nv * TASK_NSTATES) > ui->lanes_cap) {
		ncap = (size_t)ui->lanes_cap * 2;
		if (ncap < n + nv * TASK_NSTATES)
			ncap = n + nv * TASK_NSTATES;
		if ((nl = realloc(ui->lanes, ncap * sizeof *nl)) == NULL)
			return;
		ui->lanes = nl;
		ui->lanes_cap = (int)ncap;
	}
	draw_folds(ui, tl, nv);
	ui->nlanes = 0;
	for (i = 0; i < nv; i++) {
		ui->lanes[ui->nlanes++] = (struct ui_lane){ (int)i, 0, -1 };
		if (i >= tl->nvariants)
			continue;
		if (tl->v[i].ncells > 0)
			ui->lanes[ui->nlanes++] = (struct ui_lane){ (int)i, 0,
			    UI_LANE_CELLS };
		if (i < 8 && ui->folded[i]) {
			states = draw_fold_states(ui, i);
			for (s = 0; s < TASK_NSTATES; s++)
				if (states & (1u << s))
					ui->lanes[ui->nlanes++] = (struct
					    ui_lane){ (int)i, 0, s };
			continue;
		}
		for (j = 0; j < tl->v[i].ntasks; j++)
			ui->lanes[ui->nlanes++] = (struct ui_lane){ (int)i,
			    tl->v[i].tasks[j].id, -1 };
	}
	if (ui->view.selected >= ui->nlanes)
		ui->view.selected = ui->nlanes - 1;
}

/* Rows the timelines would like: axis, lanes, legend. */
int
draw_timeline_rows(const struct ui *ui, const struct timeline *tl)
{
	size_t	i, n = ui_nvariants(ui);

	/* Sized for every lane of tl, so that stepping within it never moves. */
	for (i = 0; i < tl->nvariants; i++)
		n += (i < 8 && ui->folded[i] ? (size_t)draw_fold_rows(ui, i) :
		    tl->v[i].ntasks) + (tl->v[i].ncells > 0);
	return (int)n + 3;
}
