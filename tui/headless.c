/* Headless views: the text timeline and the JSON document. */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "axis.h"
#include "cellrow.h"
#include "child.h"
#include "glyphs.h"
#include "headless.h"
#include "i18n.h"
#include "program.h"
#include "visible.h"

#define HEADLESS_NAME_MAX	28
#define HEADLESS_TICK_GAP	8
#define HEADLESS_FAILURES	10	/* failed lanes listed, at most */


/* How many of a variant's tasks failed. */
size_t
headless_failed(const struct tl_variant *v)
{
	size_t	k, n = 0;

	for (k = 0; k < v->ntasks; k++)
		n += v->tasks[k].state == TASK_FAILED;
	return n;
}

/*
 * What follows a variant's total: "2 of 7 tasks failed" when some did,
 * else "3.0x faster than sync", variant i against the first variant, the
 * baseline. Returns -1 when there is nothing to say.
 */
int
headless_speedup(const struct timeline *tl, size_t i, char *buf, size_t len)
{
	const struct tl_variant	*base = &tl->v[0], *v = &tl->v[i];
	size_t			 failed, bfailed;
	double			 r;

	if (i >= tl->nvariants || !v->ended)
		return -1;
	failed = headless_failed(v);
	bfailed = headless_failed(base);
	/* No speed-up is claimed over work that failed. */
	if (failed > 0) {
		snprintf(buf, len, _("%zu of %zu tasks failed"), failed,
		    v->ntasks);
		return 0;
	}
	/*
	 * Nor between totals that both show as 0.00 s, nor over failures,
	 * nor for a run whose process failed or was stopped, or against one.
	 */
	if (v->why != NULL || v->stopped || base->why != NULL ||
	    base->stopped)
		return -1;
	if (i == 0 || !base->started || !base->ended || bfailed > 0 ||
	    base->total < VTIME_MS * 5 || v->total < VTIME_MS * 5)
		return -1;
	r = (double)base->total / (double)v->total;
	if (r < 1.05 && r >= 1 / 1.05) {
		/* "1.0x faster" says nothing: the same, to a tenth. */
		snprintf(buf, len, _("as fast as %s"), base->name);
	} else if (base->total >= v->total) {
		i18n_snprintf(buf, len, _("%.1fx faster than %s"), r, base->name);
	} else {
		r = (double)v->total / (double)base->total;
		i18n_snprintf(buf, len, _("%.1fx slower than %s"), r, base->name);
	}
	return 0;
}

/* The first line of a failed lane's error, or NULL. */
static const char *
headless_error(const struct tl_task *t)
{
	return t->state == TASK_FAILED ? timeline_more(t)->error : NULL;
}

static bool
headless_same(const char *a, const char *b)
{
	size_t	la = strcspn(a, "\n"), lb = strcspn(b, "\n");

	return la == lb && strncmp(a, b, la) == 0;
}

/*
 * Why the failed lanes failed, a line each, the exception in Python's
 * words: where it was raised, not again for each caller it went through
 * (a caller that failed with what its callee raised, or "<module>").
 */
static void
headless_failures(FILE *f, const struct tl_variant *v,
    const struct glyphs *g)
{
	const struct tl_task	*t, *c;
	const char		*e, *ce;
	char			*skip, line[512];
	size_t			 j, k, shown = 0, more = 0;

	if ((skip = calloc(v->ntasks + 1, 1)) == NULL)
		return;
	for (j = 0; j < v->ntasks; j++) {
		c = &v->tasks[j];
		if ((ce = headless_error(c)) == NULL)
			continue;
		/* Ids count from 1 in the order lanes come. */
		if (c->parent > 0 && c->parent <= v->ntasks &&
		    v->tasks[c->parent - 1].id == c->parent &&
		    (e = headless_error(&v->tasks[c->parent - 1])) != NULL &&
		    headless_same(e, ce))
			skip[c->parent - 1] = 1;
		if (strcmp(c->name, "<module>") == 0)
			for (k = 0; k < v->ntasks; k++)
				if (k != j && (e = headless_error(
				    &v->tasks[k])) != NULL &&
				    headless_same(e, ce))
					skip[j] = 1;
	}
	for (j = 0; j < v->ntasks; j++) {
		t = &v->tasks[j];
		if (skip[j] || (e = headless_error(t)) == NULL)
			continue;
		if (shown == HEADLESS_FAILURES) {
			more++;
			continue;
		}
		shown++;
		k = strcspn(e, "\n");
		snprintf(line, sizeof line, "%.*s", (int)k, e);
		fprintf(f, "  %s ", g->state[TASK_FAILED]);
		visible_fputs(t->name, f);
		fputs(": ", f);
		visible_fputs(line, f);
		fputc('\n', f);
	}
	if (more > 0)
		fprintf(f, _("  %s and %zu more\n"), g->state[TASK_FAILED], more);
	free(skip);
}

static void
headless_pad(FILE *f, int n)
{
	while (n-- > 0)
		fputc(' ', f);
}

/* The axis line of labels and the line of ticks under it. */
static void
headless_axis(FILE *f, const struct axis *a, int indent,
    const struct glyphs *g)
{
	char	*labels;
	vtime_t	 t;
	int	 col;

	if ((labels = malloc((size_t)a->width + 2)) == NULL)
		return;
	axis_labels(a, labels, (size_t)a->width + 2, 1);
	headless_pad(f, indent);
	fprintf(f, "%s\n", labels);
	headless_pad(f, indent);
	for (col = 0, t = 0; col < a->width; col++) {
		if (col == axis_column(a, t)) {
			fputs(g->tick, f);
			t += a->step;
		} else
			fputs(g->fill, f);
	}
	fputc('\n', f);
	free(labels);
}

static void
headless_lane(FILE *f, const struct axis *a, const struct tl_task *t,
    vtime_t end, int namew, const struct glyphs *g)
{
	char		name[HEADLESS_NAME_MAX * 4 + 8];
	int		col, last, w;
	enum task_state	st;

	visible_copy(name, sizeof name, t->name);
	w = glyphs_width(name);
	if (w > namew) {
		/* Cut at a character boundary, then mark the cut. */
		while (w > namew - 1 && strlen(name) > 0) {
			size_t	l = strlen(name);

			do
				name[--l] = '\0';
			while (l > 0 && ((unsigned char)name[l] & 0xc0) == 0x80);
			w = glyphs_width(name);
		}
		strcat(name, "~");
		w++;
	}
	/* No trailing blanks: the lane stops where the task's life does. */
	for (last = a->width - 1; last >= 0; last--) {
		st = axis_cell(a, t, last, end);
		if (st != TASK_DONE && st != TASK_CREATED)
			break;
	}
	fprintf(f, "  %s", name);
	if (last >= 0)
		headless_pad(f, namew - w + 1);
	for (col = 0; col <= last; col++)
		fputs(g->state[axis_cell(a, t, col, end)], f);
	fputc('\n', f);
}

/* Every variant's output, then one timeline on one axis, then the legend. */
int
headless_text(FILE *f, const struct timeline *tl,
    const struct headless_info *info)
{
	const struct glyphs	*g = glyphs_get(info->utf8);
	const struct tl_variant	*v;
	struct axis		 a;
	char			 buf[128], why[256], *row;
	size_t			 i, j;
	bool			 said;
	int			 namew = 8, w, k;
	static const enum task_state legend[] = { TASK_RUNNING, TASK_READY,
	    TASK_WAITING_TIMER, TASK_WAITING_IO, TASK_WAITING_TASK,
	    TASK_BLOCKED, TASK_FAILED, TASK_CANCELLED, TASK_WAITING_GIL };
	int			 nlegend = 8;

	/* A recording's names and output are shown, never obeyed. */
	visible_fputs(info->demo, f);
	fprintf(f, ": %s\n", i18n_str(info->summary));
	i18n_fprintf(f, _("clock: %s, speed %gx\n"), info->clock == CLOCK_SIM ?
	    _("simulated") : _("real"), info->speed);
	for (i = 0; i < tl->nvariants; i++) {
		v = &tl->v[i];
		if (!v->started)
			continue;
		fprintf(f, "\n%s ", g->rule);
		visible_fputs(v->name, f);
		fprintf(f, " %s\n", g->rule);
		for (j = 0, said = false; j < v->nout; j++) {
			/* The program's stderr to ours, when we have one. */
			FILE	*to = v->out[j].is_stderr && info->err != NULL ?
				    info->err : f;

			/* Whose it is, when several programs share ours. */
			if (to != f && !said && tl->nvariants > 1) {
				fprintf(to, "%s ", g->rule);
				visible_fputs(v->name, to);
				fprintf(to, " %s\n", g->rule);
				said = true;
			}
			visible_fputs(v->out[j].text, to);
			fputc('\n', to);
		}
		for (j = 0; j < v->ntasks; j++) {
			w = glyphs_width(v->tasks[j].name);
			if (w > namew)
				namew = w;
		}
	}
	if (namew > HEADLESS_NAME_MAX)
		namew = HEADLESS_NAME_MAX;
	w = info->width - namew - 4;
	if (w < 10)
		w = 10;
	axis_init(&a, timeline_span(tl), w, HEADLESS_TICK_GAP);

	i18n_fprintf(f, _("\ntimeline (virtual seconds, one column = %.3g s)\n"),
	    vtime_to_sec(a.span) / a.width);
	headless_axis(f, &a, namew + 3, g);
	for (i = 0; i < tl->nvariants; i++) {
		v = &tl->v[i];
		if (!v->started)
			continue;
		visible_fputs(v->name, f);
		if (v->kind < VARIANT_NKINDS &&
		    strcmp(v->name, program_kind_name(v->kind)))
			fprintf(f, " (%s)", program_kind_name(v->kind));
		fputc('\n', f);
		if (v->ncells > 0 && (row = malloc((size_t)a.width + 1)) !=
		    NULL) {
			/* A notebook's cells, where each one's run begins. */
			cellrow_layout(&a, v, row, (size_t)a.width + 1, NULL);
			fprintf(f, "  %-*s %s\n", namew, _("cells"), row);
			free(row);
		}
		for (j = 0; j < v->ntasks; j++)
			headless_lane(f, &a, &v->tasks[j], v->ended ? v->end :
			    tl->now, namew, g);
		if (!v->ended) {
			/* Cut before its end: no total, where it got to. */
			i18n_fprintf(f, _("  not finished: cut at %.2f s\n"),
			    vtime_to_sec(tl->now - v->start));
			continue;
		}
		i18n_fprintf(f, _("  total %.2f s"), vtime_to_sec(v->total));
		if (v->stopped)
			fprintf(f, _(" (stopped)"));
		else if (v->why != NULL) {
			fputs(_(", failed: "), f);
			visible_fputs(child_reword(v->why, why, sizeof why), f);
		} else if (v->status != 0)
			fprintf(f, _(", exit status %d"), v->status);
		if (headless_speedup(tl, i, buf, sizeof buf) == 0) {
			fputs(", ", f);
			visible_fputs(buf, f);
		}
		fputc('\n', f);
		headless_failures(f, v, g);
	}
	/* The legend, wrapped to the width, no trailing blanks. */
	fprintf(f, _("\nlegend:"));
	if (timeline_has_threads(tl))
		nlegend = 9;	/* the GIL's state where threads are */
	for (k = 0, w = 7; k < nlegend; k++) {
		int	lw = 2 + 1 + 1 + glyphs_width(i18n_str(g->label[legend[k]]));

		if (w > 7 && w + lw > info->width - 1) {
			fprintf(f, "\n       ");
			w = 7;
		}
		fprintf(f, "%s%s %s", w > 7 ? "  " : " ", g->state[legend[k]],
		    i18n_str(g->label[legend[k]]));
		w += w > 7 ? lw : lw - 1;
	}
	fputc('\n', f);
	return ferror(f) ? -1 : 0;
}

static json_t *
headless_json_task(const struct tl_task *t, vtime_t end)
{
	const struct tl_more	*m = timeline_more(t);
	json_t		*task, *segs, *seg;
	vtime_t		 s1;
	size_t		 i;

	segs = json_array();
	for (i = 0; i < t->nsegs; i++) {
		s1 = t->segs[i].end == VTIME_NEVER ? end : t->segs[i].end;
		seg = json_pack("{s:s, s:s, s:f, s:f}",
		    "state", trace_state_name(t->segs[i].state),
		    "reason", trace_reason_name(t->segs[i].reason),
		    "start", vtime_to_sec(t->segs[i].start),
		    "end", vtime_to_sec(s1));
		json_array_append_new(segs, seg);
	}
	task = json_pack("{s:I, s:s, s:s, s:I, s:s, s:o}",
	    "id", (json_int_t)t->id,
	    "name", t->name,
	    "kind", trace_kind_name(t->kind),
	    "parent", (json_int_t)t->parent,
	    "state", trace_state_name(t->state),
	    "segments", segs);
	if (m->timers_fired > 0)
		json_object_set_new(task, "max_lateness",
		    json_real(vtime_to_sec(m->max_late)));
	if (m->error != NULL)
		json_object_set_new(task, "error", json_string(m->error));
	if (m->nphases > 0) {
		json_t	*phases = json_array();

		for (i = 0; i < m->nphases; i++)
			json_array_append_new(phases, json_pack(
			    "{s:s, s:f, s:f}", "phase",
			    trace_phase_name(m->phases[i].phase),
			    "start", vtime_to_sec(m->phases[i].start),
			    "end", vtime_to_sec(m->phases[i].end)));
		json_object_set_new(task, "fetch", json_pack("{s:I, s:I, s:o}",
		    "status", (json_int_t)m->http_status,
		    "bytes", (json_int_t)m->http_bytes, "phases", phases));
	}
	return task;
}

/* One JSON document: the demo, and for each variant its totals and tasks. */
int
headless_json(FILE *f, const struct timeline *tl,
    const struct headless_info *info)
{
	json_t			*doc, *vars, *var, *out, *lines, *tasks;
	const struct tl_variant	*v;
	char			 buf[128];
	size_t			 i, j;
	int			 rc;

	vars = json_array();
	for (i = 0; i < tl->nvariants; i++) {
		v = &tl->v[i];
		if (!v->started)
			continue;
		out = json_array();
		lines = json_array();
		for (j = 0; j < v->nout; j++) {
			json_array_append_new(out, json_string(v->out[j].text));
			json_array_append_new(lines, json_pack(
			    "{s:f, s:I, s:s, s:s}",
			    "time", vtime_to_sec(v->out[j].vtime),
			    "task", (json_int_t)v->out[j].task,
			    "stream", v->out[j].is_stderr ? "stderr" :
			    "stdout", "text", v->out[j].text));
		}
		tasks = json_array();
		for (j = 0; j < v->ntasks; j++)
			json_array_append_new(tasks, headless_json_task(
			    &v->tasks[j], v->ended ? v->end : tl->now));
		var = json_pack("{s:s, s:s, s:f, s:b, s:I, s:o, s:o, s:o}",
		    "name", v->name != NULL ? v->name : "",
		    "kind", program_kind_name(v->kind),
		    "total", vtime_to_sec(v->total),
		    "finished", v->ended && !v->stopped,
		    "iterations", (json_int_t)v->iteration,
		    "output", out, "lines", lines, "tasks", tasks);
		json_object_set_new(var, "failed",
		    json_integer((json_int_t)headless_failed(v)));
		json_object_set_new(var, "status", json_integer(v->status));
		if (v->why != NULL)
			json_object_set_new(var, "error", json_string(v->why));
		if (v->ncells > 0)
			json_object_set_new(var, "cells", cellrow_json(v,
			    v->ended ? v->end : tl->now));
		if (headless_speedup(tl, i, buf, sizeof buf) == 0 &&
		    headless_failed(v) == 0)
			json_object_set_new(var, "speedup", json_real(
			    (double)tl->v[0].total / (double)v->total));
		json_array_append_new(vars, var);
	}
	doc = json_pack("{s:s, s:s, s:f, s:o}",
	    "demo", info->demo,
	    "clock", info->clock == CLOCK_SIM ? "sim" : "real",
	    "speed", info->speed,
	    "variants", vars);
	if (doc == NULL)
		return -1;
	rc = json_dumpf(doc, f, JSON_INDENT(2) | JSON_REAL_PRECISION(12) |
	    JSON_PRESERVE_ORDER);
	fputc('\n', f);
	json_decref(doc);
	return rc != 0 || ferror(f) ? -1 : 0;
}
