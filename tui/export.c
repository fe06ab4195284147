/*
 * The Trace Event Format export (Perfetto, chrome://tracing), and what the
 * exporters share. Reads the timeline model only, never the engine.
 */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "i18n.h"
#include "program.h"

/* A variant's threads: pid * stride for its loop, + task id for a task. */
#define EXPORT_TID_STRIDE	1000000u
#define EXPORT_CAT		"task"

struct chrome {
	FILE		*f;
	size_t		 n;		/* events written */
	bool		 failed;	/* out of memory or a write failed */
};

/* One print, for sorting a variant's output by task, then time. */
struct chrome_print {
	uint32_t		 task;
	vtime_t			 t;
	size_t			 i;
	const struct tl_line	*line;
};

/* A task's track: its process, its thread, its async id. */
struct chrome_track {
	unsigned	 pid;
	unsigned	 tid;
	char		 id[32];
};

static const char *const export_thread_names[VARIANT_NKINDS] = {
	[VARIANT_SYNC] = "main thread", [VARIANT_ASYNC] = "event loop",
	[VARIANT_THREADS] = "threads", [VARIANT_PROCESSES] = "processes"
};

/*
 * Bytes of the well-formed UTF-8 character s starts with, 0 when it is not
 * one (a stray byte, an overlong form, a surrogate, past U+10FFFF).
 */
size_t
export_utf8_len(const char *str)
{
	const unsigned char	*s = (const unsigned char *)str;
	unsigned char		 lo = 0x80, hi = 0xbf;
	size_t			 n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	if (s[0] < 0xe0)
		n = 2;
	else if (s[0] < 0xf0) {
		n = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else {
		n = 4;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	}
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/*
 * A copy of s that is valid UTF-8: each byte that starts no character
 * becomes '?', and so does each control character when xml (XML 1.0 has
 * no place for them). NULL when out of memory.
 */
char *
export_clean(const char *s, bool xml)
{
	char	*c, *p;
	size_t	 n;

	if (s == NULL)
		s = "";
	if ((c = malloc(strlen(s) + 1)) == NULL)
		return NULL;
	for (p = c; *s != '\0'; s += n) {
		n = export_utf8_len(s);
		if (n == 0 || (xml && n == 1 && (unsigned char)*s < 0x20 &&
		    *s != '\t' && *s != '\n')) {
			*p++ = '?';
			n = 1;
			continue;
		}
		memcpy(p, s, n);
		p += n;
	}
	*p = '\0';
	return c;
}

/* Where a variant's open segments end: its end, or the latest instant. */
vtime_t
export_close_time(const struct timeline *tl, size_t i)
{
	const struct tl_variant	*v = &tl->v[i];

	return v->ended ? v->end : tl->now;
}

/*
 * Flush what was written; -1 with the reason in err when a write failed
 * or, failed being set, something could not be made (memory).
 */
int
export_finish(FILE *out, bool failed, char *err, size_t len)
{
	/* A write that failed already left its reason (EFBIG, ENOSPC). */
	int	errnum = ferror(out) ? errno : 0;

	errno = 0;
	if (fflush(out) != 0 || ferror(out)) {
		if (errno != 0)
			errnum = errno;
		snprintf(err, len, _("cannot write the export: %s"),
		    errnum != 0 ? strerror(errnum) : "write error");
		return -1;
	}
	if (failed) {
		snprintf(err, len, _("out of memory"));
		return -1;
	}
	return 0;
}

/*
 * A JSON string for any text: bytes that are not UTF-8 are replaced, not
 * refused, and so are control characters, which jansson would write as
 * \uXXXX escapes that some versions of Perfetto's reader reject.
 */
static json_t *
export_chrome_str(const char *s)
{
	json_t	*j;
	char	*c;

	if ((c = export_clean(s, true)) == NULL)
		return NULL;
	j = json_string(c);
	free(c);
	return j;
}

/* Microseconds: a whole number when the instant falls on one. */
static json_t *
export_chrome_ts(vtime_t t)
{
	if (t % 1000 == 0)
		return json_integer(t / 1000);
	return json_real((double)t / 1000.0);
}

/* Write one event, one a line, and let it go. */
static void
export_chrome_emit(struct chrome *c, json_t *ev)
{
	if (ev == NULL) {
		c->failed = true;
		return;
	}
	if (!c->failed && (fputs(c->n++ > 0 ? ",\n" : "\n", c->f) == EOF ||
	    json_dumpf(ev, c->f, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0))
		c->failed = true;
	json_decref(ev);
}

static void
export_chrome_meta(struct chrome *c, const char *what, unsigned pid,
    unsigned tid, json_t *args)
{
	export_chrome_emit(c, json_pack("{s:s, s:s, s:I, s:I, s:o}", "name",
	    what, "ph", "M", "pid", (json_int_t)pid, "tid", (json_int_t)tid,
	    "args", args));
}

/* An async event on a task's track: begin, end or instant. */
static void
export_chrome_async(struct chrome *c, const struct chrome_track *k,
    const char *ph, const char *name, vtime_t t, json_t *args)
{
	export_chrome_emit(c,
	    json_pack("{s:o, s:s, s:s, s:o, s:I, s:I, s:s, s:o}",
	    "name", export_chrome_str(name), "cat", EXPORT_CAT, "ph", ph,
	    "ts", export_chrome_ts(t), "pid", (json_int_t)k->pid,
	    "tid", (json_int_t)k->tid, "id", k->id, "args", args));
}

/* An instant on a variant's thread. */
static void
export_chrome_instant(struct chrome *c, unsigned pid, const char *name,
    vtime_t t, json_t *args)
{
	export_chrome_emit(c,
	    json_pack("{s:s, s:s, s:s, s:s, s:o, s:I, s:I, s:o}",
	    "name", name, "cat", "loop", "ph", "i", "s", "t",
	    "ts", export_chrome_ts(t), "pid", (json_int_t)pid,
	    "tid", (json_int_t)(pid * EXPORT_TID_STRIDE), "args", args));
}

static json_t *
export_chrome_print_args(const struct tl_line *l)
{
	return json_pack("{s:o, s:s, s:I}", "text", export_chrome_str(l->text),
	    "stream", l->is_stderr ? "stderr" : "stdout",
	    "task", (json_int_t)l->task);
}

/* A print on its task's track. */
static void
export_chrome_print(struct chrome *c, const struct chrome_track *k,
    const struct tl_line *l)
{
	export_chrome_async(c, k, "n", l->is_stderr ? "stderr" : "print",
	    l->vtime, export_chrome_print_args(l));
}

/*
 * One task: a slice for its whole life named after it, and inside it a
 * slice per state segment. At one instant the order is: the state that
 * ends, the state that begins, what the task printed, its final state.
 */
static void
export_chrome_task(struct chrome *c, const struct chrome_track *k,
    const struct tl_task *t, const struct chrome_print *pr, size_t npr,
    vtime_t close)
{
	const struct tl_more	*m = timeline_more(t);
	const struct tl_segment	*sg, *open = NULL;
	vtime_t			 end, open_end = 0, last;
	size_t			 i, p = 0;
	json_t			*args;

	last = timeline_created(t);
	args = json_pack("{s:I, s:s, s:I, s:I}", "task", (json_int_t)t->id,
	    "kind", trace_kind_name(t->kind), "parent", (json_int_t)t->parent,
	    "line", (json_int_t)t->line);
	export_chrome_async(c, k, "b", t->name, timeline_created(t), args);
	for (i = 0; i < t->nsegs; i++) {
		sg = &t->segs[i];
		end = sg->end == VTIME_NEVER ? close : sg->end;
		if (end < sg->start)
			end = sg->start;
		if (open != NULL) {
			export_chrome_async(c, k, "e",
			    trace_state_name(open->state), open_end,
			    json_object());
			open = NULL;
		}
		if (trace_state_final(sg->state)) {
			for (; p < npr && pr[p].t <= sg->start; p++)
				export_chrome_print(c, k, pr[p].line);
			args = json_pack("{s:s}", "reason",
			    trace_reason_name(sg->reason));
			if (sg->state == TASK_FAILED && m->error != NULL &&
			    args != NULL)
				json_object_set_new(args, "error",
				    export_chrome_str(m->error));
			export_chrome_async(c, k, "n",
			    trace_state_name(sg->state), sg->start, args);
			last = sg->start;
			break;
		}
		export_chrome_async(c, k, "b", trace_state_name(sg->state),
		    sg->start, json_pack("{s:s}", "reason",
		    trace_reason_name(sg->reason)));
		open = sg;
		open_end = last = end;
		for (; p < npr && pr[p].t < end; p++)
			export_chrome_print(c, k, pr[p].line);
	}
	if (open != NULL)
		export_chrome_async(c, k, "e", trace_state_name(open->state),
		    open_end, json_object());
	if (i == t->nsegs) {
		for (; p < npr && pr[p].t <= close; p++)
			export_chrome_print(c, k, pr[p].line);
		if (close > last)
			last = close;
	}
	export_chrome_async(c, k, "e", t->name, last, json_object());
	for (; p < npr; p++)		/* after its end: never, but kept */
		export_chrome_print(c, k, pr[p].line);
}

static int
export_chrome_cmp_print(const void *a, const void *b)
{
	const struct chrome_print	*x = a, *y = b;

	if (x->task != y->task)
		return x->task < y->task ? -1 : 1;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* A variant: its process, its thread, its tasks, its loop's turns. */
static void
export_chrome_variant(struct chrome *c, const struct timeline *tl, size_t vi)
{
	const struct tl_variant		*v = &tl->v[vi];
	const struct trace_event	*ev;
	struct trace_event		 logged;
	struct chrome_print		*pr = NULL;
	struct chrome_track		 k;
	unsigned			 pid = (unsigned)vi + 1;
	vtime_t				 close = export_close_time(tl, vi);
	size_t				 i, p, q;

	export_chrome_meta(c, "process_name", pid, 0, json_pack("{s:o}",
	    "name", export_chrome_str(v->name)));
	export_chrome_meta(c, "process_sort_index", pid, 0, json_pack("{s:I}",
	    "sort_index", (json_int_t)vi));
	export_chrome_meta(c, "thread_name", pid, pid * EXPORT_TID_STRIDE,
	    json_pack("{s:s}", "name", v->kind < VARIANT_NKINDS ?
	    export_thread_names[v->kind] : "thread"));
	export_chrome_meta(c, "thread_sort_index", pid,
	    pid * EXPORT_TID_STRIDE, json_pack("{s:i}", "sort_index", 0));

	if (v->nout > 0 && (pr = calloc(v->nout, sizeof *pr)) == NULL) {
		c->failed = true;
		return;
	}
	for (i = 0; i < v->nout; i++)
		pr[i] = (struct chrome_print){ v->out[i].task, v->out[i].vtime,
		    i, &v->out[i] };
	if (v->nout > 1)
		qsort(pr, v->nout, sizeof *pr, export_chrome_cmp_print);
	/* What no known task printed goes on the thread. */
	for (p = 0; p < v->nout && (pr[p].task == 0 ||
	    pr[p].task > v->ntasks || timeline_task(v, pr[p].task) == NULL);
	    p++)
		export_chrome_instant(c, pid,
		    pr[p].line->is_stderr ? "stderr" : "print", pr[p].t,
		    export_chrome_print_args(pr[p].line));
	for (i = 0; i < v->ntasks && !c->failed; i++) {
		const struct tl_task *t = &v->tasks[i];

		k.pid = pid;
		k.tid = pid * EXPORT_TID_STRIDE + t->id;
		snprintf(k.id, sizeof k.id, "0x%llx",
		    (unsigned long long)pid << 32 | t->id);
		export_chrome_meta(c, "thread_name", pid, k.tid,
		    json_pack("{s:o}", "name", export_chrome_str(t->name)));
		export_chrome_meta(c, "thread_sort_index", pid, k.tid,
		    json_pack("{s:I}", "sort_index", (json_int_t)t->id));
		while (p < v->nout && pr[p].task < t->id)
			p++;
		for (q = p; q < v->nout && pr[q].task == t->id; q++)
			;
		export_chrome_task(c, &k, t, pr + p, q - p, close);
		p = q;
	}
	for (; p < v->nout; p++)	/* tasks past the known ones */
		export_chrome_instant(c, pid, "print", pr[p].t,
		    export_chrome_print_args(pr[p].line));
	free(pr);

	for (i = 0; i < tl->nlog && !c->failed; i++) {
		timeline_event(tl, i, &logged);
		ev = &logged;
		if (ev->variant != vi || ev->type != TRACE_LOOP_ITER)
			continue;
		export_chrome_instant(c, pid, "loop iteration", ev->vtime,
		    json_pack("{s:I, s:I, s:I, s:I}",
		    "iteration", (json_int_t)trace_iteration(ev),
		    "ready", (json_int_t)ev->n_ready,
		    "timers", (json_int_t)ev->n_timers,
		    "io", (json_int_t)ev->n_io));
	}
}

/*
 * The Trace Event Format, written one event at a time so that a session
 * of any size takes little memory: a process per variant, a thread and an
 * async track per task, instants for prints and the loop's turns.
 */
int
export_chrome(const struct timeline *tl, const struct export_info *info,
    FILE *out, char *err, size_t len)
{
	struct chrome	 c = { out, 0, false };
	json_t		*other;
	size_t		 i;

	if (fputs("{\"traceEvents\":[", out) == EOF)
		c.failed = true;
	for (i = 0; i < tl->nvariants && !c.failed; i++)
		if (tl->v[i].started)
			export_chrome_variant(&c, tl, i);
	other = json_pack("{s:o, s:f, s:s, s:s, s:I}",
	    "demo", export_chrome_str(info != NULL ? info->demo : NULL),
	    "speed", info != NULL ? info->speed : 1.0,
	    "clock", "virtual time: ts are the lesson's microseconds",
	    "generator", PACKAGE_STRING,
	    "events_dropped", (json_int_t)tl->log_dropped);
	if (other == NULL)
		c.failed = true;
	if (!c.failed) {
		fputs("\n],\n\"otherData\":", out);
		json_dumpf(other, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
		fputs("}\n", out);
	}
	json_decref(other);
	return export_finish(out, c.failed, err, len);
}

/*
 * The picture of one moment: the trace's first k events (those up to at),
 * what runs then drawn up to at, the playhead there (--export svg --at T,
 * and e in the interface).
 */
int
export_svg_at(const struct timeline *tl, size_t k, vtime_t at,
    struct export_info *info, FILE *out, char *err, size_t len)
{
	struct timeline	*p;
	int		 rc;

	if ((p = timeline_prefix(tl, k)) == NULL) {
		snprintf(err, len, _("out of memory"));
		return -1;
	}
	p->now = at;
	info->at = at;
	rc = export_svg(p, info, out, err, len);
	timeline_free(p);
	return rc;
}
