/* The exports: Trace Event Format JSON for Perfetto, SVG for slides. */
#include "config.h"

#include <jansson.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "testutil.h"

#define US(s)	((json_int_t)((s) * 1000000.0 + 0.5))

typedef int (*export_fn)(const struct timeline *, const struct export_info *,
    FILE *, char *, size_t);

/* What an export writes, as a string the caller frees. */
static char *
run_export(export_fn fn, const struct timeline *tl, const char *demo)
{
	struct export_info	 info = { demo, 1.0, VTIME_NEVER };
	char			*buf = NULL, err[256] = "";
	size_t			 len = 0;
	FILE			*f = open_memstream(&buf, &len);

	assert_non_null(f);
	if (fn(tl, &info, f, err, sizeof err) != 0)
		fail_msg("export failed: %s", err);
	assert_int_equal(fclose(f), 0);
	assert_non_null(buf);
	return buf;
}

/*
 * The Chrome export, parsed back. UTF-8 is written as it is: no \u
 * escapes, which some versions of Perfetto's reader reject.
 */
static json_t *
chrome_of(const struct timeline *tl, const char *demo)
{
	char		*buf = run_export(export_chrome, tl, demo);
	json_error_t	 jerr;
	json_t		*doc = json_loads(buf, 0, &jerr);

	if (doc == NULL)
		fail_msg("not JSON: line %d: %s", jerr.line, jerr.text);
	assert_null(strstr(buf, "\\u"));
	free(buf);
	return doc;
}

static const char *
str_of(json_t *ev, const char *key)
{
	json_t	*v = json_object_get(ev, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static json_int_t
int_of(json_t *ev, const char *key)
{
	json_t	*v = json_object_get(ev, key);

	if (!json_is_integer(v))
		fail_msg("%s is not an integer", key);
	return json_integer_value(v);
}

/*
 * The format's rules: every event has a phase, a pid, a tid and a name;
 * every one but metadata a timestamp; each "b" is closed by an "e" of the
 * same name, category and id, nested, in time order; each "n" falls
 * inside its track's slices; each thread and process used has a name.
 * Returns the events.
 */
static json_t *
chrome_check(json_t *doc)
{
	json_t		*evs = json_object_get(doc, "traceEvents");
	json_t		*stacks = json_object(), *names = json_object();
	json_t		*used = json_object(), *ev, *stack, *last;
	const char	*ph, *name, *key;
	char		 k[128];
	size_t		 i;

	assert_true(json_is_array(evs));
	assert_true(json_array_size(evs) > 0);
	json_array_foreach(evs, i, ev) {
		ph = str_of(ev, "ph");
		name = str_of(ev, "name");
		assert_non_null(ph);
		assert_int_equal(strlen(ph), 1);
		assert_non_null(name);
		assert_true(name[0] != '\0');
		if (strcmp(ph, "M") == 0) {
			assert_true(json_is_object(json_object_get(ev,
			    "args")));
			if (strcmp(name, "process_name") == 0)
				snprintf(k, sizeof k, "p%lld", (long long)
				    int_of(ev, "pid"));
			else if (strcmp(name, "thread_name") == 0)
				snprintf(k, sizeof k, "t%lld/%lld",
				    (long long)int_of(ev, "pid"),
				    (long long)int_of(ev, "tid"));
			else
				continue;
			assert_non_null(str_of(json_object_get(ev, "args"),
			    "name"));
			json_object_set_new(names, k, json_true());
			continue;
		}
		assert_true(json_is_number(json_object_get(ev, "ts")));
		assert_true(json_number_value(json_object_get(ev, "ts")) >= 0);
		snprintf(k, sizeof k, "p%lld", (long long)int_of(ev, "pid"));
		json_object_set_new(used, k, json_true());
		snprintf(k, sizeof k, "t%lld/%lld", (long long)int_of(ev,
		    "pid"), (long long)int_of(ev, "tid"));
		json_object_set_new(used, k, json_true());
		if (strchr("ben", ph[0]) == NULL)
			continue;
		assert_non_null(str_of(ev, "cat"));
		assert_non_null(str_of(ev, "id"));
		snprintf(k, sizeof k, "%lld/%s/%s", (long long)int_of(ev,
		    "pid"), str_of(ev, "cat"), str_of(ev, "id"));
		if ((stack = json_object_get(stacks, k)) == NULL) {
			stack = json_array();
			json_object_set_new(stacks, k, stack);
		}
		last = json_array_get(stack, json_array_size(stack) - 1);
		if (last != NULL)	/* in time order on the track */
			assert_true(json_number_value(json_object_get(ev,
			    "ts")) >= json_number_value(json_object_get(last,
			    "ts")));
		if (ph[0] == 'b')
			json_array_append(stack, ev);
		else if (ph[0] == 'n') {
			if (last == NULL)
				fail_msg("instant %s outside its track's "
				    "slices on %s", name, k);
		} else {
			if (last == NULL)
				fail_msg("end %s with no begin on %s", name, k);
			if (strcmp(str_of(last, "name"), name) != 0)
				fail_msg("end %s closes %s on %s", name,
				    str_of(last, "name"), k);
			json_array_remove(stack, json_array_size(stack) - 1);
		}
	}
	json_object_foreach(stacks, key, stack)
		if (json_array_size(stack) != 0)
			fail_msg("%s: %s never ends", key,
			    str_of(json_array_get(stack, 0), "name"));
	json_object_foreach(used, key, last)
		if (json_object_get(names, key) == NULL)
			fail_msg("%s has no name", key);
	json_decref(stacks);
	json_decref(names);
	json_decref(used);
	return evs;
}

/* The k-th event of a phase and name in a process (NULL: none). */
static json_t *
chrome_find(json_t *evs, json_int_t pid, const char *ph, const char *name,
    const char *id, size_t k)
{
	json_t	*ev;
	size_t	 i;

	json_array_foreach(evs, i, ev)
		if (int_of(ev, "pid") == pid &&
		    strcmp(str_of(ev, "ph"), ph) == 0 &&
		    (name == NULL || strcmp(str_of(ev, "name"), name) == 0) &&
		    (id == NULL || (str_of(ev, "id") != NULL &&
		    strcmp(str_of(ev, "id"), id) == 0)) && k-- == 0)
			return ev;
	return NULL;
}

static size_t
chrome_count(json_t *evs, json_int_t pid, const char *ph, const char *name)
{
	size_t	n = 0;

	while (chrome_find(evs, pid, ph, name, NULL, n) != NULL)
		n++;
	return n;
}

static double
ts_of(json_t *ev)
{
	assert_non_null(ev);
	assert_true(json_is_number(json_object_get(ev, "ts")));
	return json_number_value(json_object_get(ev, "ts"));
}

/*
 * Every segment of every task is one slice on that task's track, at its
 * exact virtual time in microseconds; the final state is an instant.
 */
static void
chrome_check_segments(const struct timeline *tl, json_t *evs)
{
	const struct tl_variant	*v;
	const struct tl_task	*t;
	const struct tl_segment	*sg;
	json_t			*outer, *b, *e;
	const char		*id, *st;
	json_int_t		 pid;
	vtime_t			 end;
	size_t			 vi, i, j, k[TASK_NSTATES];

	for (vi = 0; vi < tl->nvariants; vi++) {
		v = &tl->v[vi];
		pid = (json_int_t)vi + 1;
		for (i = 0; i < v->ntasks; i++) {
			t = &v->tasks[i];
			outer = chrome_find(evs, pid, "b", t->name, NULL, 0);
			assert_non_null(outer);
			id = str_of(outer, "id");
			assert_true(ts_of(outer) == timeline_created(t) / 1e3);
			memset(k, 0, sizeof k);
			for (j = 0; j < t->nsegs; j++) {
				sg = &t->segs[j];
				st = trace_state_name(sg->state);
				if (trace_state_final(sg->state)) {
					e = chrome_find(evs, pid, "n", st, id,
					    0);
					assert_true(ts_of(e) ==
					    sg->start / 1e3);
					continue;
				}
				end = sg->end == VTIME_NEVER ?
				    export_close_time(tl, vi) : sg->end;
				b = chrome_find(evs, pid, "b", st, id,
				    k[sg->state]);
				e = chrome_find(evs, pid, "e", st, id,
				    k[sg->state]++);
				assert_true(ts_of(b) == sg->start / 1e3);
				assert_true(ts_of(e) == end / 1e3);
				assert_string_equal(str_of(json_object_get(b,
				    "args"), "reason"),
				    trace_reason_name(sg->reason));
			}
		}
	}
}

static void
test_every_chrome_begin_has_its_end_and_every_track_a_name(void **state)
{
	static const char *demos[] = { "hello", "gather", "tasks" };
	struct timeline	*tl;
	json_t		*doc;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof demos / sizeof demos[0]; i++) {
		tl = tu_run_demo(demos[i], NULL, 0);
		doc = chrome_of(tl, demos[i]);
		chrome_check_segments(tl, chrome_check(doc));
		json_decref(doc);
		timeline_free(tl);
	}
}

static void
test_chrome_times_are_the_exact_virtual_microseconds(void **state)
{
	static const char *names[] = { "Daniel", "Donna", "Diane" };
	struct timeline	*tl = tu_run_demo("gather", NULL, 0);
	json_t		*doc = chrome_of(tl, "gather");
	json_t		*evs = chrome_check(doc), *outer, *b, *e;
	char		 task[64];
	size_t		 i;

	(void)state;
	for (i = 0; i < 3; i++) {
		/* async: the three wait together, 0 to 10 s. */
		snprintf(task, sizeof task, "name_async('%s')", names[i]);
		outer = chrome_find(evs, 2, "b", task, NULL, 0);
		assert_non_null(outer);
		b = chrome_find(evs, 2, "b", "waiting_timer",
		    str_of(outer, "id"), 0);
		e = chrome_find(evs, 2, "e", "waiting_timer",
		    str_of(outer, "id"), 0);
		assert_non_null(b);
		assert_non_null(e);
		assert_int_equal(int_of(b, "ts"), 0);
		assert_int_equal(int_of(e, "ts"), US(10));
		assert_string_equal(str_of(json_object_get(b, "args"),
		    "reason"), "sleep");
		/* sync: each blocks the thread 10 s, one after another. */
		snprintf(task, sizeof task, "name('%s')", names[i]);
		outer = chrome_find(evs, 1, "b", task, NULL, 0);
		assert_non_null(outer);
		b = chrome_find(evs, 1, "b", "blocked", str_of(outer, "id"), 0);
		e = chrome_find(evs, 1, "e", "blocked", str_of(outer, "id"), 0);
		assert_int_equal(int_of(b, "ts"), US(10 * i));
		assert_int_equal(int_of(e, "ts"), US(10 * (i + 1)));
	}
	json_decref(doc);
	timeline_free(tl);
}

static void
test_chrome_has_a_process_per_variant_and_a_thread_per_task(void **state)
{
	struct timeline	*tl = tu_run_demo("gather", NULL, 0);
	json_t		*doc = chrome_of(tl, "gather");
	json_t		*evs = chrome_check(doc), *ev;
	size_t		 i, vi, tasks[2] = { 0, 0 };

	(void)state;
	json_array_foreach(evs, i, ev) {
		if (strcmp(str_of(ev, "ph"), "M") != 0)
			continue;
		vi = (size_t)int_of(ev, "pid") - 1;
		assert_true(vi < 2);
		if (strcmp(str_of(ev, "name"), "process_name") == 0)
			assert_string_equal(str_of(json_object_get(ev, "args"),
			    "name"), tl->v[vi].name);
		if (strcmp(str_of(ev, "name"), "thread_name") == 0 &&
		    int_of(ev, "tid") % 1000000 != 0) {
			const struct tl_task *t = timeline_task(&tl->v[vi],
			    (uint32_t)(int_of(ev, "tid") % 1000000));

			assert_non_null(t);
			assert_string_equal(str_of(json_object_get(ev, "args"),
			    "name"), t->name);
			tasks[vi]++;
		}
	}
	assert_int_equal(tasks[0], tl->v[0].ntasks);
	assert_int_equal(tasks[1], tl->v[1].ntasks);
	assert_int_equal(chrome_count(evs, 1, "M", "process_name"), 1);
	assert_int_equal(chrome_count(evs, 2, "M", "process_name"), 1);
	assert_string_equal(str_of(json_object_get(doc, "otherData"), "demo"),
	    "gather");
	json_decref(doc);
	timeline_free(tl);
}

static void
test_chrome_prints_and_loop_turns_are_instants(void **state)
{
	struct timeline	*tl = tu_run_demo("gather", NULL, 0);
	json_t		*doc = chrome_of(tl, "gather");
	json_t		*evs = chrome_check(doc), *ev, *outer;
	size_t		 vi, k;

	(void)state;
	for (vi = 0; vi < 2; vi++) {
		assert_int_equal(chrome_count(evs, (json_int_t)vi + 1, "n",
		    "print"), tl->v[vi].nout);
		assert_int_equal(chrome_count(evs, (json_int_t)vi + 1, "i",
		    "loop iteration"), tu_count(tl, vi, TRACE_LOOP_ITER));
	}
	assert_true(tu_count(tl, 1, TRACE_LOOP_ITER) > 0);
	/* "Daniel" at 10 s, on name_async('Daniel')'s own track. */
	outer = chrome_find(evs, 2, "b", "name_async('Daniel')", NULL, 0);
	ev = chrome_find(evs, 2, "n", "print", str_of(outer, "id"), 0);
	assert_non_null(ev);
	assert_int_equal(int_of(ev, "ts"), US(10));
	assert_string_equal(str_of(json_object_get(ev, "args"), "text"),
	    "Daniel");
	for (k = 0; (ev = chrome_find(evs, 2, "n", "print", NULL, k)); k++)
		if (strcmp(str_of(json_object_get(ev, "args"), "text"),
		    "Durée totale d'exécution: 10.00 secondes") == 0)
			break;
	assert_non_null(ev);
	assert_int_equal(int_of(ev, "ts"), US(10));
	ev = chrome_find(evs, 2, "i", "loop iteration", NULL, 0);
	assert_int_equal(int_of(json_object_get(ev, "args"), "iteration"),
	    tu_find(tl, 1, TRACE_LOOP_ITER, 0, 0)->a);
	json_decref(doc);
	timeline_free(tl);
}

/* Feed a hand-made trace to a model. */
static void
add(struct timeline *tl, enum trace_type type, uint32_t task,
    enum task_state st, vtime_t t, const char *text)
{
	static uint32_t		seq;
	struct trace_event	ev = { 0 };

	ev.type = type;
	ev.task = task;
	ev.state = st;
	ev.vtime = t;
	ev.seq = seq++;
	ev.text = (char *)text;
	if (type == TRACE_VARIANT_START)
		ev.a = 1;
	if (type == TRACE_TASK_CREATE)
		ev.a = TASK_KIND_TASK;
	if (type == TRACE_VARIANT_END)
		ev.a = t;
	if (type == TRACE_TASK_STATE)
		ev.reason = st == TASK_WAITING_TIMER ? REASON_SLEEP :
		    REASON_NONE;
	timeline_add(tl, &ev);
}

static void
test_chrome_closes_what_is_still_open_at_the_latest_instant(void **state)
{
	struct timeline	*tl = timeline_new(0);
	json_t		*doc, *evs, *outer, *e;

	(void)state;
	add(tl, TRACE_VARIANT_START, 0, 0, 0, "live");
	add(tl, TRACE_TASK_CREATE, 1, 0, 0, "f(\"quoted\")");
	add(tl, TRACE_TASK_STATE, 1, TASK_RUNNING, 0, NULL);
	add(tl, TRACE_TASK_STATE, 1, TASK_WAITING_TIMER, SEC(2.5), NULL);
	add(tl, TRACE_PRINT, 1, 0, SEC(2.5), "bad \xff\xfe bytes\x01 Durée");
	add(tl, TRACE_LOOP_ITER, 0, 0, SEC(5) + 500, NULL);
	assert_false(timeline_finished(tl));
	doc = chrome_of(tl, NULL);
	evs = chrome_check(doc);
	chrome_check_segments(tl, evs);
	outer = chrome_find(evs, 1, "b", "f(\"quoted\")", NULL, 0);
	assert_non_null(outer);
	e = chrome_find(evs, 1, "e", "waiting_timer", str_of(outer, "id"), 0);
	assert_true(json_is_real(json_object_get(e, "ts")));
	assert_true(json_real_value(json_object_get(e, "ts")) == 5000000.5);
	e = chrome_find(evs, 1, "e", "f(\"quoted\")", NULL, 0);
	assert_true(json_real_value(json_object_get(e, "ts")) == 5000000.5);
	e = chrome_find(evs, 1, "n", "print", NULL, 0);
	assert_string_equal(str_of(json_object_get(e, "args"), "text"),
	    "bad ?? bytes? Durée");
	json_decref(doc);
	timeline_free(tl);
}

/*
 * A small XML reader: tags balance, attributes are quoted, every '&'
 * starts an entity, the text is UTF-8, the root is <svg>.
 */
static void
assert_xml_well_formed(const char *x)
{
	static const char	*entities[] = { "&amp;", "&lt;", "&gt;",
				    "&quot;", "&apos;" };
	const char		*stack[64], *p = x, *name;
	size_t			 lens[64], n, i;
	int			 depth = 0, roots = 0;

	for (i = 0; x[i] != '\0'; i += n)
		if ((n = export_utf8_len(x + i)) == 0)
			fail_msg("not UTF-8 at byte %zu", i);
	if (strncmp(p, "<?xml ", 6) == 0)
		p = strstr(p, "?>") + 2;
	while (*p != '\0') {
		if (*p == '&') {
			for (i = 0; i < 5; i++)
				if (strncmp(p, entities[i],
				    strlen(entities[i])) == 0)
					break;
			if (i == 5)
				fail_msg("bare '&' at %.20s", p);
			p++;
			continue;
		}
		if (*p != '<') {
			p++;
			continue;
		}
		if (p[1] == '/') {
			name = p + 2;
			n = strcspn(name, " >");
			if (depth == 0 || lens[depth - 1] != n ||
			    strncmp(stack[depth - 1], name, n) != 0)
				fail_msg("</%.*s> closes nothing open", (int)n,
				    name);
			depth--;
			p = name + n + 1;
			continue;
		}
		name = p + 1;
		n = strcspn(name, " \n/>");
		assert_true(n > 0);
		if (depth == 0) {
			assert_int_equal(strncmp(name, "svg", n), 0);
			roots++;
		}
		for (p = name + n; *p != '>' && !(p[0] == '/' && p[1] == '>');
		    p++) {
			assert_true(*p != '\0' && *p != '<');
			if (*p != '"')
				continue;
			for (p++; *p != '"'; p++)
				assert_true(*p != '\0' && *p != '<');
		}
		if (*p == '>') {
			assert_true(depth < 64);
			stack[depth] = name;
			lens[depth++] = n;
			p++;
		} else
			p += 2;
	}
	assert_int_equal(depth, 0);
	assert_int_equal(roots, 1);
}

/* Every font size in the picture is at least min pixels. */
static void
assert_fonts_at_least(const char *svg, int min)
{
	const char	*p = svg;
	int		 n = 0;

	while ((p = strstr(p, "font-size:")) != NULL) {
		p += strlen("font-size:");
		if (atoi(p) < min)
			fail_msg("font-size %dpx is below %dpx", atoi(p), min);
		n++;
	}
	assert_true(n > 0);
}

static void
test_the_svg_shows_lanes_totals_and_the_speedup_readably(void **state)
{
	struct timeline	*tl = tu_run_demo("gather", NULL, 0);
	char		*svg = run_export(export_svg, tl, "gather");

	(void)state;
	assert_xml_well_formed(svg);
	assert_fonts_at_least(svg, 16);
	assert_non_null(strstr(svg, "width=\"1600\""));
	assert_non_null(strstr(svg, ">name_async(&apos;Daniel&apos;)<"));
	assert_non_null(strstr(svg, ">name(&apos;Diane&apos;)<"));
	assert_non_null(strstr(svg, "total 30.00 s"));
	assert_non_null(strstr(svg, "total 10.00 s"));
	assert_non_null(strstr(svg, "3.0x faster than sync"));
	assert_non_null(strstr(svg,
	    ">Durée totale d&apos;exécution: 30.00 secondes<"));
	/* Each segment to scale, said in its tooltip too. */
	assert_non_null(strstr(svg, "<title>name(&apos;Donna&apos;): blocked, "
	    "10.000 s to 20.000 s (time.sleep)</title>"));
	assert_non_null(strstr(svg, "<title>name_async(&apos;Diane&apos;): "
	    "waiting (timer), 0.000 s to 10.000 s (sleep)</title>"));
	/* The legend names the TUI's states. */
	assert_non_null(strstr(svg, ">waiting (timer)<"));
	assert_non_null(strstr(svg, ">blocked<"));
	assert_non_null(strstr(svg, ">cancelled<"));
	assert_null(strstr(svg, "folded"));
	free(svg);
	timeline_free(tl);
}

static void
test_the_svg_escapes_what_names_and_output_contain(void **state)
{
	struct timeline	*tl = timeline_new(0);
	char		*svg;

	(void)state;
	add(tl, TRACE_VARIANT_START, 0, 0, 0, "a<b>&\"c\"");
	add(tl, TRACE_TASK_CREATE, 1, 0, 0, "f('<x>' & \"y\")");
	add(tl, TRACE_TASK_STATE, 1, TASK_RUNNING, 0, NULL);
	add(tl, TRACE_PRINT, 1, 0, SEC(1), "1 < 2 && \x01 \xc3\x28 ]]> Durée");
	add(tl, TRACE_TASK_STATE, 1, TASK_FAILED, SEC(1), "boom <here>");
	add(tl, TRACE_VARIANT_END, 0, 0, SEC(1), NULL);
	svg = run_export(export_svg, tl, "x<y");
	assert_xml_well_formed(svg);
	assert_non_null(strstr(svg, ">f(&apos;&lt;x&gt;&apos; &amp; "
	    "&quot;y&quot;)<"));
	assert_non_null(strstr(svg, ">1 &lt; 2 &amp;&amp; ? ?( ]]&gt; Durée<"));
	assert_non_null(strstr(svg, ">a&lt;b&gt;&amp;&quot;c&quot;"));
	assert_non_null(strstr(svg, "boom &lt;here&gt;"));
	free(svg);
	timeline_free(tl);
}

static void
test_the_svg_folds_many_tasks_into_a_lane_per_state(void **state)
{
	struct timeline	*tl = timeline_new(0);
	char		*svg, name[32];
	uint32_t	 i;

	(void)state;
	add(tl, TRACE_VARIANT_START, 0, 0, 0, "async");
	for (i = 1; i <= 1000; i++) {
		snprintf(name, sizeof name, "fetch(%u)", i);
		add(tl, TRACE_TASK_CREATE, i, 0, 0, name);
		add(tl, TRACE_TASK_STATE, i, TASK_WAITING_TIMER, 0, NULL);
	}
	for (i = 1; i <= 1000; i++) {
		add(tl, TRACE_TASK_STATE, i, TASK_READY, SEC(1 + i % 10), NULL);
		add(tl, TRACE_TASK_STATE, i, TASK_RUNNING, SEC(1 + i % 10) +
		    VTIME_MS, NULL);
		add(tl, TRACE_TASK_STATE, i, i % 100 ? TASK_DONE : TASK_FAILED,
		    SEC(1 + i % 10) + 2 * VTIME_MS, "timeout");
	}
	add(tl, TRACE_VARIANT_END, 0, 0, SEC(11), NULL);
	svg = run_export(export_svg, tl, "fanout");
	assert_xml_well_formed(svg);
	assert_fonts_at_least(svg, 16);
	assert_non_null(strstr(svg, "1000 tasks, folded by state"));
	assert_non_null(strstr(svg, ">waiting (timer), max 1000<"));
	assert_non_null(strstr(svg, ">failed: 10<"));
	assert_null(strstr(svg, "fetch(1)"));
	assert_true(strlen(svg) < 200 * 1024);
	free(svg);
	timeline_free(tl);
}

static void
test_a_write_that_fails_is_reported(void **state)
{
	struct timeline		*tl = tu_run_demo("gather", NULL, 0);
	struct export_info	 info = { "gather", 1.0, VTIME_NEVER };
	char			 err[256];
	FILE			*f;

	(void)state;
	if ((f = fopen("/dev/full", "w")) == NULL)
		skip();
	err[0] = '\0';
	assert_int_equal(export_chrome(tl, &info, f, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot write"));
	fclose(f);
	assert_non_null(f = fopen("/dev/full", "w"));
	err[0] = '\0';
	assert_int_equal(export_svg(tl, &info, f, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot write"));
	fclose(f);
	timeline_free(tl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_every_chrome_begin_has_its_end_and_every_track_a_name),
		cmocka_unit_test(
		    test_chrome_times_are_the_exact_virtual_microseconds),
		cmocka_unit_test(
		    test_chrome_has_a_process_per_variant_and_a_thread_per_task),
		cmocka_unit_test(test_chrome_prints_and_loop_turns_are_instants),
		cmocka_unit_test(
		    test_chrome_closes_what_is_still_open_at_the_latest_instant),
		cmocka_unit_test(
		    test_the_svg_shows_lanes_totals_and_the_speedup_readably),
		cmocka_unit_test(
		    test_the_svg_escapes_what_names_and_output_contain),
		cmocka_unit_test(
		    test_the_svg_folds_many_tasks_into_a_lane_per_state),
		cmocka_unit_test(test_a_write_that_fails_is_reported),
	};

	setlocale(LC_ALL, "C");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
