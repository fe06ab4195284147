/* Helpers of the HTTP tests: run programs against our server, read fetches. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "httputil.h"

/*
 * Run programs built for params side by side in simulated time. With scfg,
 * our server serves them on 127.0.0.1 (params->base_url then points at it,
 * for the length of the run); otherwise params->base_url is used as is.
 */
struct timeline *
http_run(const struct server_config *scfg, struct demo_params *params,
    const http_build_fn *builds, size_t n)
{
	struct session_config	 cfg = { CLOCK_SIM, 1.0, false, 0 };
	struct session		*s;
	struct program		*p;
	char			 err[256], base[128];
	size_t			 i;
	int			 port;

	s = session_new(&cfg, err, sizeof err);
	assert_non_null(s);
	if (scfg != NULL) {
		if ((port = session_serve(s, scfg, err, sizeof err)) < 0)
			fail_msg("session_serve: %s", err);
		snprintf(base, sizeof base, "http://127.0.0.1:%d%s", port,
		    SERVER_PATH);
		params->base_url = base;
		params->hold = true;
	}
	for (i = 0; i < n; i++) {
		p = builds[i](params);
		assert_non_null(p);
		if (session_add(s, p, err, sizeof err) != 0)
			fail_msg("session_add: %s", err);
	}
	if (scfg != NULL)
		params->base_url = NULL;
	return tu_finish(s);
}

/* The three variants of the wiki demo, each fetch cut after timeout. */
struct timeline *
http_wiki(const struct server_config *scfg, const char *base_url,
    vtime_t timeout)
{
	const struct demo	*d = demos_find("wiki");
	struct demo_params	 params = { 0 };
	http_build_fn		 builds[3];
	size_t			 i;

	assert_non_null(d);
	assert_int_equal(d->nvariants, 3);
	for (i = 0; i < 3; i++)
		builds[i] = d->variants[i].build;
	params.base_url = base_url;
	params.timeout = timeout;
	params.tasks = 1;
	return http_run(scfg, &params, builds, 3);
}

size_t
http_index(const struct timeline *tl, const struct tl_variant *v)
{
	return (size_t)(v - tl->v);
}

const struct tl_task *
http_summary(const struct tl_variant *v, const char *page)
{
	char	name[96];

	snprintf(name, sizeof name, "summary('%s')", page);
	return tu_task(v, name);
}

/*
 * A fetch's interval, from the trace: from the task's I/O wait (awaited)
 * or its blocked thread (requests.get) to the FETCH_DONE event. When it
 * lasts, the task's lane shows it as one segment of that state.
 */
void
http_span(const struct timeline *tl, const struct tl_variant *v,
    const struct tl_task *t, vtime_t *start, vtime_t *end)
{
	const struct trace_event	*ev = NULL;
	struct trace_event		 logged;
	enum task_state			 st = TASK_NSTATES;
	size_t				 i, vi = http_index(tl, v);

	for (i = 0; i < tl->nlog && st == TASK_NSTATES; i++) {
		timeline_event(tl, i, &logged);
		ev = &logged;
		if (ev->variant != vi || ev->task != t->id ||
		    ev->type != TRACE_TASK_STATE)
			continue;
		if (ev->reason == REASON_FETCH)
			st = TASK_WAITING_IO;
		else if (ev->reason == REASON_BLOCK_FETCH)
			st = TASK_BLOCKED;
	}
	if (st == TASK_NSTATES)
		fail_msg("%s: %s never fetched", v->name, t->name);
	assert_int_equal(ev->state, st);
	*start = ev->vtime;
	ev = tu_find(tl, vi, TRACE_FETCH_DONE, t->id, 0);
	assert_non_null(ev);
	*end = ev->vtime;
	assert_true(*end >= *start);
	if (*end == *start)
		return;
	for (i = 0; i < t->nsegs; i++)
		if (t->segs[i].start == *start && t->segs[i].state == st) {
			assert_int_equal(t->segs[i].end, *end);
			return;
		}
	fail_msg("%s: %s has no segment for its fetch", v->name, t->name);
}

/* The line the variant printed that starts with prefix, or NULL. */
const struct tl_line *
http_line(const struct tl_variant *v, const char *prefix)
{
	size_t	i;

	for (i = 0; i < v->nout; i++)
		if (strncmp(v->out[i].text, prefix, strlen(prefix)) == 0)
			return &v->out[i];
	return NULL;
}

/* The page's summary as the demo prints it: its first words at least. */
void
http_assert_summary_printed(const struct tl_variant *v, const char *page,
    vtime_t when)
{
	const struct tl_task	*t = http_summary(v, page);
	const struct tl_line	*l;
	char			 start[41];

	assert_int_equal(t->state, TASK_DONE);
	assert_null(timeline_more(t)->error);
	assert_int_equal(timeline_more(t)->http_status, 200);
	assert_true(timeline_more(t)->http_bytes > 0);
	snprintf(start, sizeof start, "%s", pages_extract(page));
	if ((l = http_line(v, start)) == NULL)
		fail_msg("%s: no summary of %s printed", v->name, page);
	assert_int_equal(l->vtime, when);
}

struct timeline *
http_fanout(const char *variant, long tasks, long max_connections)
{
	const struct demo	*d = demos_find("fanout");
	struct server_config	 scfg = { .latency = LATENCY };
	struct demo_params	 params = { 0 };
	http_build_fn		 build;

	assert_non_null(d);
	build = demos_variant(d, variant)->build;
	params.timeout = SEC(100);
	params.tasks = tasks;
	params.max_connections = max_connections;
	return http_run(&scfg, &params, &build, 1);
}
