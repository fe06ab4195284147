/* The shared time axis: scale, ticks and the state of each cell. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "axis.h"
#include "glyphs.h"
#include "i18n.h"

/*
 * An axis of width columns for span virtual time, labelled every step,
 * with at least gap columns between labels.
 */
void
axis_init(struct axis *a, vtime_t span, int width, int gap)
{
	if (span <= 0)
		span = VTIME_SEC;
	if (width < 1)
		width = 1;
	a->span = span;
	a->width = width;
	a->step = axis_nice_step(span, width, gap);
}

/* The smallest step of 1, 2 or 5 times a power of ten that leaves gap. */
vtime_t
axis_nice_step(vtime_t span, int width, int gap)
{
	static const int	mult[3] = { 1, 2, 5 };
	vtime_t			base = 1000;	/* 1 µs */
	int			i;

	if (span <= 0 || width <= 0)
		return VTIME_SEC;
	for (;;) {
		for (i = 0; i < 3; i++) {
			vtime_t	step = base * mult[i];

			if ((double)step / (double)span * width >= gap)
				return step;
		}
		if (base > INT64_MAX / 100)
			return base;
		base *= 10;
	}
}

/* The column an instant falls in (may be outside 0..width-1). */
int
axis_column(const struct axis *a, vtime_t t)
{
	return (int)((double)t / (double)a->span * a->width);
}

/* The instant a column starts at. */
vtime_t
axis_time(const struct axis *a, int col)
{
	return (vtime_t)((double)a->span * col / a->width);
}

/* A tick label: "10s", "2.5s", "500ms", as precise as the step needs. */
void
axis_format(vtime_t t, vtime_t step, char *buf, size_t len)
{
	if (step >= VTIME_SEC)
		snprintf(buf, len, "%llds", (long long)(t / VTIME_SEC));
	else if (step >= 100 * VTIME_MS && t % VTIME_SEC != 0)
		i18n_snprintf(buf, len, "%.1fs", vtime_to_sec(t));
	else if (step >= VTIME_MS && t % VTIME_SEC != 0)
		snprintf(buf, len, "%lldms", (long long)(t / VTIME_MS));
	else if (t % VTIME_SEC == 0)
		snprintf(buf, len, "%llds", (long long)(t / VTIME_SEC));
	else
		snprintf(buf, len, "%lldus", (long long)(t / 1000));
}

/*
 * The line of tick labels, in width + extra columns at most: each label
 * starts at its tick; one that would run past the end is pulled back, and
 * one that would touch its neighbour is left out. Returns the columns used.
 */
int
axis_labels(const struct axis *a, char *buf, size_t len, int extra)
{
	char	label[32];
	vtime_t	t;
	int	col, n, end = 0, limit = a->width + extra;

	if (len == 0)
		return 0;
	if ((size_t)limit >= len)
		limit = (int)len - 1;
	memset(buf, ' ', (size_t)limit);
	buf[limit] = '\0';
	for (t = 0; t <= a->span; t += a->step) {
		col = axis_column(a, t);
		axis_format(t, a->step, label, sizeof label);
		n = (int)strlen(label);
		if (col + n > limit)
			col = limit - n;
		if (col < 0 || (end > 0 && col <= end))
			continue;
		memcpy(buf + col, label, (size_t)n);
		end = col + n;
	}
	buf[end] = '\0';
	return end;
}

/*
 * The state a task shows in a column: the one it spent most of the cell
 * in; ties go to the state with the higher priority. Failure and
 * cancellation are instants: they mark the cell they happen in. Returns
 * TASK_DONE for an empty cell. end closes segments still open.
 */
enum task_state
axis_cell(const struct axis *a, const struct tl_task *t, int col, vtime_t end)
{
	vtime_t			c0 = axis_time(a, col), c1 = axis_time(a, col + 1);
	vtime_t			share[TASK_NSTATES] = { 0 };
	enum task_state		best = TASK_DONE;
	const struct tl_segment	*sg;
	vtime_t			s0, s1;
	size_t			i;
	int			k;

	for (i = 0; i < t->nsegs; i++) {
		sg = &t->segs[i];
		s0 = sg->start;
		s1 = sg->end == VTIME_NEVER ? end : sg->end;
		if (sg->state == TASK_FAILED || sg->state == TASK_CANCELLED) {
			if (s0 >= c0 && (s0 < c1 || (col == a->width - 1 &&
			    s0 <= c1)))
				return sg->state;
			continue;
		}
		if (s1 <= c0 || s0 >= c1)
			continue;
		share[sg->state] += (s1 < c1 ? s1 : c1) - (s0 > c0 ? s0 : c0);
	}
	for (k = 0; k < TASK_NSTATES; k++) {
		if (k == TASK_DONE || k == TASK_CREATED || share[k] == 0)
			continue;
		if (best == TASK_DONE || share[k] > share[best] ||
		    (share[k] == share[best] &&
		    glyphs_priority(k) > glyphs_priority(best)))
			best = (enum task_state)k;
	}
	return best;
}

/*
 * How much of a column the task's life covers, in eighths, where it
 * starts or ends inside the column: positive when it covers the left part
 * (it ends there), negative when it covers the right part (it starts
 * there), 8 when it fills the column, starts and ends in it, or is not
 * in it at all. Its life runs from its first state past created to its
 * last before done; end closes segments still open.
 */
int
axis_cover(const struct axis *a, const struct tl_task *t, int col,
    vtime_t end)
{
	vtime_t	c0 = axis_time(a, col), c1 = axis_time(a, col + 1);
	vtime_t	from = VTIME_NEVER, to = 0, s1, part;
	size_t	i;
	int	n;

	for (i = 0; i < t->nsegs; i++) {
		const struct tl_segment *sg = &t->segs[i];

		if (sg->state == TASK_CREATED || sg->state == TASK_DONE)
			continue;
		s1 = sg->end == VTIME_NEVER ? end : sg->end;
		if (sg->start < from)
			from = sg->start;
		if (s1 > to)
			to = s1;
	}
	if (from == VTIME_NEVER || c1 <= c0 || to <= c0 || from >= c1 ||
	    (from > c0 && to < c1) || (from <= c0 && to >= c1))
		return 8;
	part = from > c0 ? c1 - from : to - c0;
	n = (int)((part * 8 + (c1 - c0) / 2) / (c1 - c0));
	if (n < 1)
		n = 1;
	if (n >= 8)
		return 8;
	return from > c0 ? -n : n;
}
