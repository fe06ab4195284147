/*
 * The SVG export: a static picture of the timelines for slides, in the
 * TUI's states and colours, large enough to read when projected.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis.h"
#include "demos.h"
#include "export.h"
#include "glyphs.h"
#include "export-svg-int.h"
#include "headless.h"

/* One end of a segment, for counting the tasks in each state. */
struct svg_edge {
	vtime_t		 t;
	int		 delta;
	int		 state;
};

/* The TUI's colours (screen.c) on a white page. */
const char *const svg_fill[TASK_NSTATES] = {
	[TASK_READY] = "#e0b000",
	[TASK_RUNNING] = "#2ca02c",
	[TASK_WAITING_TIMER] = "#17becf",
	[TASK_WAITING_IO] = "#c23fc2",
	[TASK_WAITING_TASK] = "#3b6fd6",
	[TASK_BLOCKED] = "#d62728",
	[TASK_FAILED] = "#d62728",
	[TASK_CANCELLED] = "#7f7f7f", [TASK_WAITING_GIL] = "#ff7f0e",
};

/* How tall a state's bar is: what holds the thread in full, waits thin. */
const int svg_bar[TASK_NSTATES] = {
	[TASK_READY] = SVG_BAR * 2 / 3,
	[TASK_RUNNING] = SVG_BAR,
	[TASK_WAITING_TIMER] = SVG_BAR / 3,
	[TASK_WAITING_IO] = SVG_BAR / 3,
	[TASK_WAITING_TASK] = SVG_BAR / 3,
	[TASK_BLOCKED] = SVG_BAR,
	[TASK_WAITING_GIL] = SVG_BAR * 2 / 3,
};

const enum task_state svg_order[SVG_NORDER] = { TASK_RUNNING, TASK_READY,
    TASK_WAITING_TIMER, TASK_WAITING_IO, TASK_WAITING_TASK, TASK_BLOCKED,
    TASK_FAILED, TASK_CANCELLED, TASK_WAITING_GIL };

static const char *const svg_kind_names[VARIANT_NKINDS] = {
	[VARIANT_SYNC] = "synchronous, one thread",
	[VARIANT_ASYNC] = "asyncio event loop",
	[VARIANT_THREADS] = "threads", [VARIANT_PROCESSES] = "processes"
};

/* Characters (code points) in a string; a stray byte counts as one. */
int
svg_chars(const char *p)
{
	size_t	n;
	int	chars = 0;

	for (; *p != '\0'; p += n) {
		if ((n = export_utf8_len(p)) == 0)
			n = 1;
		chars++;
	}
	return chars;
}

/* Write text for XML, cut to max characters (0: all) with an ellipsis. */
void
svg_text(struct svg *s, const char *text, int max)
{
	char	*c, *p;
	size_t	 n;
	int	 total, limit, chars;

	if ((c = export_clean(text, true)) == NULL) {
		s->failed = true;
		return;
	}
	total = svg_chars(c);
	limit = max > 0 && total > max ? max - 1 : total;
	for (p = c, chars = 0; *p != '\0' && chars < limit; p += n, chars++) {
		n = export_utf8_len(p);
		switch (*p) {
		case '&':
			fputs("&amp;", s->f);
			break;
		case '<':
			fputs("&lt;", s->f);
			break;
		case '>':
			fputs("&gt;", s->f);
			break;
		case '"':
			fputs("&quot;", s->f);
			break;
		case '\'':
			fputs("&apos;", s->f);
			break;
		default:
			fwrite(p, 1, n, s->f);
		}
	}
	if (limit < total)
		fputs("…", s->f);
	free(c);
}

int
svg_x(const struct svg *s, vtime_t t)
{
	return s->x0 + (int)((double)t / (double)s->span * s->w + 0.5);
}

static int
svg_cmp_edge(const void *a, const void *b)
{
	const struct svg_edge	*x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->delta - y->delta;	/* leave a state before entering one */
}

/*
 * Fold a variant: sweep the ends of every segment in time order and keep,
 * for each state and each pixel column, the most tasks in it at once.
 */
static int
svg_fold(struct svg *s, size_t vi, struct svg_fold *fd)
{
	const struct tl_variant	*v = &s->tl->v[vi];
	const struct tl_segment	*sg;
	struct svg_edge		*e;
	vtime_t			 close = export_close_time(s->tl, vi), end, c0;
	vtime_t			 c1;
	size_t			 i, j, n = 0, k = 0;
	int			 cur[TASK_NSTATES] = { 0 }, st, col;

	for (i = 0; i < v->ntasks; i++)
		n += v->tasks[i].nsegs;
	if ((e = calloc(n * 2 + 1, sizeof *e)) == NULL)
		return -1;
	for (st = 0; st < TASK_NSTATES; st++)
		if ((fd->most[st] = calloc((size_t)s->w, sizeof(int))) ==
		    NULL) {
			free(e);
			return -1;
		}
	for (i = 0, n = 0; i < v->ntasks; i++)
		for (j = 0; j < v->tasks[i].nsegs; j++) {
			sg = &v->tasks[i].segs[j];
			if (sg->state == TASK_FAILED ||
			    sg->state == TASK_CANCELLED) {
				col = svg_x(s, sg->start) - s->x0;
				if (col < 0)
					col = 0;
				if (col >= s->w)
					col = s->w - 1;
				fd->most[sg->state][col]++;
				fd->finals[sg->state]++;
				continue;
			}
			end = sg->end == VTIME_NEVER ? close : sg->end;
			if (svg_bar[sg->state] == 0 || end <= sg->start)
				continue;
			e[n++] = (struct svg_edge){ sg->start, 1, sg->state };
			e[n++] = (struct svg_edge){ end, -1, sg->state };
		}
	qsort(e, n, sizeof *e, svg_cmp_edge);
	for (col = 0; col < s->w; col++) {
		c0 = (vtime_t)((double)s->span * col / s->w);
		c1 = (vtime_t)((double)s->span * (col + 1) / s->w);
		for (; k < n && e[k].t <= c0; k++)
			cur[e[k].state] += e[k].delta;
		for (st = 0; st < TASK_NSTATES; st++)
			if (svg_bar[st] != 0)
				fd->most[st][col] = cur[st];
		for (; k < n && e[k].t < c1; k++) {
			st = e[k].state;
			if ((cur[st] += e[k].delta) > fd->most[st][col])
				fd->most[st][col] = cur[st];
		}
	}
	free(e);
	for (st = 0; st < TASK_NSTATES; st++) {
		for (col = 0; col < s->w; col++)
			if (fd->most[st][col] > fd->peak[st])
				fd->peak[st] = fd->most[st][col];
		if (fd->peak[st] > 0 && (svg_bar[st] != 0 || fd->finals[st]))
			fd->nlanes++;
	}
	return 0;
}

/* Rows a variant takes below its heading: lanes, then its output. */
static int
svg_variant_height(const struct svg *s, size_t vi)
{
	const struct tl_variant	*v = &s->tl->v[vi];
	int			 lanes, out;

	lanes = s->folded[vi] ? s->fold[vi].nlanes : (int)v->ntasks;
	out = v->nout <= SVG_OUT_MAX ? (int)v->nout : SVG_OUT_MAX;
	return SVG_HEAD + lanes * SVG_LANE + out * SVG_LINE + 16;
}

static void
svg_marker(struct svg *s, enum task_state st, int x, int cy)
{
	if (st == TASK_FAILED)
		fprintf(s->f, "<path class=\"failed\" d=\"M%d %dl12 12m0 "
		    "-12l-12 12\"/>\n", x - 6, cy - 6);
	else
		fprintf(s->f, "<circle class=\"cancelled\" cx=\"%d\" "
		    "cy=\"%d\" r=\"7\"/><path class=\"cancelled\" "
		    "d=\"M%d %dl10 -10\"/>\n", x, cy, x - 5, cy + 5);
}

/* A lane's name, in the left column. */
static void
svg_lane_name(struct svg *s, int y, const char *name)
{
	fprintf(s->f, "<text class=\"mono\" x=\"%d\" y=\"%d\">",
	    SVG_MARGIN + 12, y + SVG_LANE / 2 + 6);
	svg_text(s, name, s->namechars);
	fputs("</text>\n", s->f);
}

/*
 * A lane's late timers, as on screen: a dashed mark at the due time, then
 * the late stretch up to when the timer fired, over the waiting bar.
 */
static void
svg_lates(struct svg *s, const struct tl_task *t, int cy)
{
	const struct tl_more	*m = timeline_more(t);
	struct tl_late		 l;
	uint32_t		 i;
	int			 x1, x2;

	for (i = 0; i <= m->nlates; i++) {
		if (i < m->nlates)
			l = m->lates[i];
		else if (!timeline_late_now(t, s->at, &l))
			break;
		x1 = svg_x(s, l.due);
		x2 = svg_x(s, l.fired);
		fprintf(s->f, "<rect class=\"late\" x=\"%d\" y=\"%d\" "
		    "width=\"%d\" height=\"%d\"><title>", x1, cy - SVG_BAR / 4,
		    x2 - x1 > 1 ? x2 - x1 : 1, SVG_BAR / 2);
		svg_text(s, t->name, 0);
		fprintf(s->f, ": timer due at %.3f s, %.3f s late</title>"
		    "</rect>\n<line class=\"due\" x1=\"%d\" y1=\"%d\" "
		    "x2=\"%d\" y2=\"%d\"/>\n", vtime_to_sec(l.due),
		    vtime_to_sec(l.fired - l.due), x1, cy - SVG_BAR / 2, x1,
		    cy + SVG_BAR / 2);
	}
}

/* One task's lane: a bar per segment, marks for its end and its prints. */
static void
svg_task(struct svg *s, const struct tl_task *t, vtime_t close, int y)
{
	const struct tl_more	*m = timeline_more(t);
	const struct glyphs	*g = glyphs_get(true);
	const struct tl_segment	*sg;
	vtime_t			 end;
	size_t			 i;
	int			 x1, x2, h, n, cy = y + SVG_LANE / 2;

	svg_lane_name(s, y, t->name);
	for (i = 0; i < t->nsegs; i++) {
		sg = &t->segs[i];
		end = sg->end == VTIME_NEVER ? close : sg->end;
		if (sg->state == TASK_FAILED || sg->state == TASK_CANCELLED) {
			x1 = svg_x(s, sg->start);
			svg_marker(s, sg->state, x1, cy);
			if (sg->state == TASK_FAILED && m->error != NULL) {
				/*
				 * After the mark; near the edge, before the
				 * task's first bar, or over its bars at worst.
				 */
				n = (svg_chars(m->error) < 60 ?
				    svg_chars(m->error) : 60) * 9;
				x2 = svg_x(s, timeline_created(t)) - 10;
				if (x1 + 14 + n < SVG_WIDTH - SVG_MARGIN)
					x2 = x1 + 14;
				else if (x2 - n < s->x0)
					x2 = x1 - 14;
				fprintf(s->f, "<text class=\"err\" x=\"%d\" "
				    "y=\"%d\"%s>", x2, cy + 6, x2 > x1 ? "" :
				    " text-anchor=\"end\"");
				svg_text(s, m->error, 60);
				fputs("</text>\n", s->f);
			}
			continue;
		}
		if ((h = svg_bar[sg->state]) == 0 || end <= sg->start)
			continue;
		x1 = svg_x(s, sg->start);
		x2 = svg_x(s, end);
		fprintf(s->f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
		    "height=\"%d\" fill=\"%s\"><title>", x1, cy - h / 2,
		    x2 - x1 > 1 ? x2 - x1 : 1, h, svg_fill[sg->state]);
		svg_text(s, t->name, 0);
		fprintf(s->f, ": %s, %.3f s to %.3f s", g->label[sg->state],
		    vtime_to_sec(sg->start), vtime_to_sec(end));
		if (sg->reason != REASON_NONE)
			fprintf(s->f, " (%s)", trace_reason_name(sg->reason));
		fputs("</title></rect>\n", s->f);
	}
	svg_lates(s, t, cy);
}

/* A folded variant's lane for one state: how many tasks are in it. */
static void
svg_summary(struct svg *s, const struct svg_fold *fd, enum task_state st,
    int y)
{
	const struct glyphs	*g = glyphs_get(true);
	char			 name[80];
	int			 col, run, h, hh, cy = y + SVG_LANE / 2;

	if (svg_bar[st] == 0)
		snprintf(name, sizeof name, "%s: %zu", g->label[st],
		    fd->finals[st]);
	else
		snprintf(name, sizeof name, "%s, max %d", g->label[st],
		    fd->peak[st]);
	svg_lane_name(s, y, name);
	for (col = 0; col < s->w; col = run) {
		for (run = col + 1; run < s->w &&
		    fd->most[st][run] == fd->most[st][col]; run++)
			;
		if (fd->most[st][col] == 0)
			continue;
		if (svg_bar[st] == 0) {
			svg_marker(s, st, s->x0 + col, cy);
			continue;
		}
		/* Bottom-aligned, as tall as the share of the lane's peak. */
		h = (int)((double)SVG_BAR * fd->most[st][col] / fd->peak[st] +
		    0.5);
		hh = h < 3 ? 3 : h;
		fprintf(s->f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
		    "height=\"%d\" fill=\"%s\"/>\n", s->x0 + col,
		    cy + SVG_BAR / 2 - hh, run - col, hh, svg_fill[st]);
	}
}

/* A print's mark on its task's lane, the text in its tooltip. */
static void
svg_print(struct svg *s, const struct tl_line *l, int y)
{
	fprintf(s->f, "<circle class=\"print\" cx=\"%d\" cy=\"%d\" r=\"6\">"
	    "<title>", svg_x(s, l->vtime), y + (SVG_LANE - SVG_BAR) / 2);
	svg_text(s, l->text, 0);
	fputs("</title></circle>\n", s->f);
}

/* A line of output: when it was printed, then the text. */
static void
svg_output_line(struct svg *s, const char *when, const char *text,
    bool is_stderr)
{
	int	y = s->y + SVG_LINE - 8;

	fprintf(s->f, "<text class=\"mono dim\" x=\"%d\" y=\"%d\" "
	    "text-anchor=\"end\">%s</text>\n<text class=\"mono%s\" "
	    "x=\"%d\" y=\"%d\">", SVG_MARGIN + 12 + 10 * SVG_CHAR_W, y,
	    when, is_stderr ? " warn" : "", SVG_MARGIN + 12 + 12 * SVG_CHAR_W,
	    y);
	svg_text(s, text, SVG_OUT_CHARS);
	fputs("</text>\n", s->f);
	s->y += SVG_LINE;
}

/* A variant: its heading with its total, its lanes, its output. */
static void
svg_variant(struct svg *s, size_t vi)
{
	const struct tl_variant	*v = &s->tl->v[vi];
	char			 buf[128];
	vtime_t			 close = export_close_time(s->tl, vi);
	size_t			 i, k;
	int			 top;

	fprintf(s->f, "<line class=\"rule\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\"/>\n", SVG_MARGIN, s->y + 6, SVG_WIDTH - SVG_MARGIN,
	    s->y + 6);
	fprintf(s->f, "<text class=\"head\" x=\"%d\" y=\"%d\">", SVG_MARGIN,
	    s->y + 40);
	svg_text(s, v->name, 40);
	fprintf(s->f, "<tspan class=\"kind\" dx=\"14\">· %s", v->kind < VARIANT_NKINDS ?
	    svg_kind_names[v->kind] : "?");
	if (s->folded[vi])
		fprintf(s->f, " · %zu tasks, folded by state", v->ntasks);
	fputs("</tspan></text>\n", s->f);
	fprintf(s->f, "<text class=\"total\" x=\"%d\" y=\"%d\">",
	    SVG_WIDTH - SVG_MARGIN, s->y + 40);
	if (v->ended)
		fprintf(s->f, "total %.2f s%s", vtime_to_sec(v->total),
		    v->stopped ? " (stopped)" : "");
	else
		fprintf(s->f, "%.2f s so far", vtime_to_sec(close - v->start));
	if (headless_speedup(s->tl, vi, buf, sizeof buf) == 0) {
		fprintf(s->f, "<tspan class=\"%s\" dx=\"14\">· ", strstr(buf,
		    "slower") != NULL ? "slower" : "faster");
		svg_text(s, buf, 0);
		fputs("</tspan>", s->f);
	}
	fputs("</text>\n", s->f);
	s->y += SVG_HEAD;

	top = s->y;
	if (s->folded[vi]) {
		for (k = 0; k < SVG_NORDER; k++) {
			enum task_state	st = svg_order[k];

			if (s->fold[vi].peak[st] == 0)
				continue;
			if ((s->y - top) / SVG_LANE % 2 == 0)
				fprintf(s->f, "<rect class=\"stripe\" x=\"%d\" "
				    "y=\"%d\" width=\"%d\" height=\"%d\"/>\n",
				    SVG_MARGIN, s->y, SVG_WIDTH -
				    2 * SVG_MARGIN, SVG_LANE);
			svg_summary(s, &s->fold[vi], st, s->y);
			s->y += SVG_LANE;
		}
	} else {
		for (i = 0; i < v->ntasks; i++) {
			if (i % 2 == 0)
				fprintf(s->f, "<rect class=\"stripe\" x=\"%d\" "
				    "y=\"%d\" width=\"%d\" height=\"%d\"/>\n",
				    SVG_MARGIN, s->y, SVG_WIDTH -
				    2 * SVG_MARGIN, SVG_LANE);
			svg_task(s, &v->tasks[i], close, s->y);
			s->y += SVG_LANE;
		}
		for (i = 0; i < v->nout; i++)
			if (v->out[i].task >= 1 && v->out[i].task <= v->ntasks)
				svg_print(s, &v->out[i], top +
				    (int)(v->out[i].task - 1) * SVG_LANE);
	}

	/* The output: all of it when short, else its start and its end. */
	for (i = 0; i < v->nout; i++) {
		if (v->nout > SVG_OUT_MAX && i == SVG_OUT_MAX - 2) {
			snprintf(buf, sizeof buf, "%zu more lines",
			    v->nout - (SVG_OUT_MAX - 1));
			svg_output_line(s, "⋯", buf, false);
			i = v->nout - 1;
		}
		snprintf(buf, sizeof buf, "%.2f s", vtime_to_sec(
		    v->out[i].vtime));
		svg_output_line(s, buf, v->out[i].text,
		    v->out[i].is_stderr);
	}
	s->y += 16;
}

/*
 * Lay the picture out: the width of the name column, the axis, which
 * variants fold; then write it top to bottom.
 */
int
export_svg(const struct timeline *tl, const struct export_info *info,
    FILE *out, char *err, size_t len)
{
	struct svg		 s;
	struct tl_late		 late;
	const struct tl_variant	*v;
	vtime_t			 round;
	size_t			 i, j;
	int			 height, lanes_end, n, st;

	memset(&s, 0, sizeof s);
	s.f = out;
	s.tl = tl;
	s.namechars = SVG_NAME_MIN;
	s.at = info != NULL ? info->at : VTIME_NEVER;
	if (s.at != VTIME_NEVER)
		s.span = s.at;
	for (i = 0; i < tl->nvariants; i++) {
		v = &tl->v[i];
		if (!v->started)
			continue;
		if (export_close_time(tl, i) > s.span)
			s.span = export_close_time(tl, i);
		s.folded[i] = v->ntasks > SVG_FOLD;
		for (j = 0; !s.folded[i] && j < v->ntasks; j++) {
			if ((n = svg_chars(v->tasks[j].name)) > s.namechars)
				s.namechars = n;
			if (timeline_more(&v->tasks[j])->nlates > 0 ||
			    timeline_late_now(&v->tasks[j], s.at, &late))
				s.late = true;
		}
	}
	if (s.namechars > SVG_NAME_MAX)
		s.namechars = SVG_NAME_MAX;
	if (s.span <= 0)
		s.span = VTIME_SEC;
	s.x0 = SVG_MARGIN + 12 + s.namechars * SVG_CHAR_W + 24;
	s.w = SVG_WIDTH - SVG_MARGIN - 28 - s.x0;
	/* End the axis on a labelled tick when that costs little room. */
	s.step = axis_nice_step(s.span, s.w, SVG_TICK_GAP);
	round = (s.span + s.step - 1) / s.step * s.step;
	if (round - s.span <= s.span / 7)
		s.span = round;

	height = SVG_MARGIN + 128;
	for (i = 0; i < tl->nvariants && !s.failed; i++) {
		if (!tl->v[i].started)
			continue;
		if (s.folded[i] && svg_fold(&s, i, &s.fold[i]) != 0)
			s.failed = true;
		height += svg_variant_height(&s, i);
	}
	lanes_end = height;
	height += 16 + svg_legend(&s, 0, false) * SVG_LINE + SVG_MARGIN;

	if (!s.failed) {
		svg_header(&s, info, height, lanes_end);
		for (i = 0; i < tl->nvariants; i++)
			if (tl->v[i].started)
				svg_variant(&s, i);
		svg_legend(&s, s.y + 16, true);
		fputs("</svg>\n", out);
	}
	for (i = 0; i < TRACE_MAX_VARIANTS; i++)
		for (st = 0; st < TASK_NSTATES; st++)
			free(s.fold[i].most[st]);
	return export_finish(out, s.failed, err, len);
}
