/*
 * The lanes the timelines show: each variant's heading, then its tasks,
 * or, folded, one lane per state its tasks were in. Folding is what lets
 * every demo's lanes fit a projector's 100x30 without scrolling.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis.h"
#include "i18n.h"
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

/* Rows variant v's lanes take, as folded or merged now. */
static int
draw_variant_rows(const struct ui *ui, const struct timeline *tl, size_t v)
{
	if (ui->merged[v])
		return 1;
	return ui->folded[v] ? draw_fold_rows(ui, v) : (int)tl->v[v].ntasks;
}

/*
 * Whether folding v more merges its lanes into one: once folded by state,
 * or at once for a variant of a few tasks (a lane a state would save
 * little).
 */
static bool
draw_merges(const struct ui *ui, const struct timeline *tl, size_t v)
{
	return ui->folded[v] || tl->v[v].ntasks <= UI_FOLD_AUTO;
}

/*
 * Which variants are folded: as asked (f), else a big one that would take
 * most of the screen; then, while the lanes do not fit above the panels
 * given way, the variant that folding saves most rows of: folded by
 * state, or merged into one lane (eight variants of four to six lanes on
 * a projector's 100x30). A variant folded or unfolded with f is left as
 * f made it.
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
		ui->merged[i] = false;
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
		for (i = 0; i < nv && i < TRACE_MAX_VARIANTS &&
		    i < tl->nvariants; i++) {
			if (ui->merged[i] || ui->view.fold[i] != 0)
				continue;
			save = draw_variant_rows(ui, tl, i) -
			    (draw_merges(ui, tl, i) ? 1 : draw_fold_rows(ui, i));
			if (save > best_save) {
				best_save = save;
				best = i;
			}
		}
		if (best == nv)
			break;
		ui->merged[best] = draw_merges(ui, tl, best);
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
		if (i < TRACE_MAX_VARIANTS && ui->merged[i]) {
			ui->lanes[ui->nlanes++] = (struct ui_lane){ (int)i, 0,
			    UI_LANE_ALL };
			continue;
		}
		if (i < TRACE_MAX_VARIANTS && ui->folded[i]) {
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
	for (i = 0; i < tl->nvariants && i < TRACE_MAX_VARIANTS; i++)
		n += (size_t)draw_variant_rows(ui, tl, i) +
		    (tl->v[i].ncells > 0);
	return (int)n + 3;
}

/*
 * A folded lane's label: the state, short, and how many are in it; a
 * merged one's, how many lanes it stands for.
 */
void
draw_summary_label(const struct tl_variant *v, int state, char *buf,
    size_t len)
{
	static const char *const names[TASK_NSTATES] = {
		[TASK_CREATED] = N_("created"), [TASK_READY] = N_("ready"),
		[TASK_RUNNING] = N_("running"), [TASK_WAITING_TIMER] = N_("timer"),
		[TASK_WAITING_IO] = N_("I/O"), [TASK_WAITING_TASK] = N_("task"),
		[TASK_BLOCKED] = N_("blocked"), [TASK_DONE] = N_("done"),
		[TASK_FAILED] = N_("failed"), [TASK_CANCELLED] = N_("cancelled"),
		[TASK_WAITING_GIL] = N_("GIL")
	};
	size_t	i, now = 0;

	if (state == UI_LANE_ALL) {
		snprintf(buf, len, P_("  %zu lane", "  %zu lanes", v->ntasks),
		    v->ntasks);
		return;
	}
	for (i = 0; i < v->ntasks; i++)
		if (v->tasks[i].state == state)
			now++;
	snprintf(buf, len, "  %s %zu", (unsigned)state < TASK_NSTATES ?
	    _(names[state]) : "?", now);
}

/*
 * A merged lane's cells (a->width of them) into best: of its tasks'
 * states in each column, the one that says most (a failure, a wait for
 * the GIL, work, a wait); TASK_DONE where none is alive. Each segment
 * paints the columns it touches, so a frame costs the segments once, not
 * every task's segments for every column.
 */
static void
draw_merged_cells(const struct ui *ui, const struct axis *a,
    const struct tl_variant *v, uint8_t *best)
{
	static const uint8_t rank[TASK_NSTATES] = {
		[TASK_FAILED] = 10, [TASK_WAITING_GIL] = 9, [TASK_RUNNING] = 8,
		[TASK_READY] = 7, [TASK_BLOCKED] = 6, [TASK_WAITING_IO] = 5,
		[TASK_WAITING_TIMER] = 4, [TASK_WAITING_TASK] = 3,
		[TASK_CANCELLED] = 2, [TASK_CREATED] = 0, [TASK_DONE] = 0
	};
	const struct tl_segment	*sg;
	vtime_t			 s1;
	size_t			 i, j;
	int			 c, c0, c1;

	memset(best, TASK_DONE, (size_t)a->width);
	for (i = 0; i < v->ntasks; i++)
		for (j = 0; j < v->tasks[i].nsegs; j++) {
			sg = &v->tasks[i].segs[j];
			if (sg->state >= TASK_NSTATES || rank[sg->state] == 0 ||
			    sg->start >= ui->ph.t)
				continue;
			s1 = sg->end == VTIME_NEVER || sg->end > ui->ph.t ?
			    ui->ph.t : sg->end;
			c0 = axis_column(a, sg->start);
			/* An end is an instant: a failure's, a cancel's. */
			c1 = sg->state == TASK_FAILED ||
			    sg->state == TASK_CANCELLED || s1 <= sg->start ?
			    c0 : axis_column(a, s1 - 1);
			if (c0 < 0)
				c0 = 0;
			for (c = c0; c <= c1 && c < a->width; c++)
				if (rank[sg->state] > rank[best[c]])
					best[c] = sg->state;
		}
}

/*
 * A folded variant's lane for one state: a column is drawn when any task
 * spent most of it in that state; the label counts them at the playhead.
 * A merged variant's lane (UI_LANE_ALL): each column in the state that
 * says most of its tasks' there.
 */
void
draw_summary(const struct ui *ui, const struct axis *a,
    const struct tl_variant *v, int state, int y, int x, int namew,
    bool selected)
{
	const struct tl_task	*t;
	char			 name[64];
	bool			*on;
	uint8_t			*best;
	size_t			 i, j;
	enum task_state		 st;
	int			 col, left;

	draw_summary_label(v, state, name, sizeof name);
	screen_put(y, x, namew - 1, name, selected ?
	    screen_attr(SCREEN_SELECT) : screen_attr(SCREEN_DIM));
	if (state == UI_LANE_ALL) {
		if ((best = malloc((size_t)a->width)) == NULL)
			return;
		draw_merged_cells(ui, a, v, best);
		for (col = 0; col < a->width; col++)
			if ((st = best[col]) != TASK_DONE)
				screen_put(y, x + namew + col, 1,
				    ui->glyphs->state[st], screen_attr(st));
		free(best);
		return;
	}
	if ((on = calloc((size_t)a->width, sizeof *on)) == NULL)
		return;
	/*
	 * Task by task, only those ever in the state, and only the columns
	 * not yet marked: a frame of a thousand lanes stays cheap.
	 */
	left = a->width;
	for (i = 0; i < v->ntasks && left > 0; i++) {
		t = &v->tasks[i];
		for (j = 0; j < t->nsegs && t->segs[j].state != state; j++)
			;
		if (j == t->nsegs)
			continue;
		for (col = 0; col < a->width; col++)
			if (!on[col] && axis_cell(a, t, col, ui->ph.t) ==
			    (enum task_state)state) {
				on[col] = true;
				left--;
			}
	}
	for (col = 0; col < a->width; col++)
		if (on[col])
			screen_put(y, x + namew + col, 1,
			    ui->glyphs->state[state], screen_attr(state));
	free(on);
}
