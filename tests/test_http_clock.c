/*
 * Real HTTP beside blocking calls, in simulated time: time passes while
 * the thread blocks, and the answers of one instant keep their order.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "httputil.h"

/*
 * One task awaits a fetch of Coroutine while the other blocks the thread
 * (the loop with it): time.sleep, CPU work, or a sleep then requests.get
 * of Threading. The blocking call lets virtual time pass, the answer
 * comes at LATENCY all the same, and the loop reads it once it runs.
 */
static const char http_blocker_source[] =
    "import asyncio, time, httpx, requests\n"
    "\n"
    "async def summary(client, page):\n"
    "    r = await client.get(URL + page, timeout=T)\n"
    "    print(r)\n"
    "\n"
    "async def nap():\n"
    "    time.sleep(NAP)  # or str(5 ** 1000), or requests.get(...)\n"
    "    print('awake')\n"
    "\n"
    "async def main(client):\n"
    "    await asyncio.gather(summary(client, 'Coroutine'), nap())\n";

enum http_block { HTTP_BLOCK_SLEEP, HTTP_BLOCK_CPU, HTTP_BLOCK_FETCH };

static struct {
	enum http_block	 kind;
	vtime_t		 nap;
	vtime_t		 timeout;	/* of the awaited fetch */
} http_blocker_how;

static struct program *
http_blocker(const struct demo_params *params)
{
	struct program	*p = program_new("async", VARIANT_ASYNC,
			    http_blocker_source);
	char		 url[256];
	int		 kids[2], main_;

	assert_non_null(p);
	snprintf(url, sizeof url, "%sCoroutine", params->base_url);
	kids[0] = program_proc(p, "summary('Coroutine')", "summary", true);
	program_fetch(p, kids[0], 4, url, "Coroutine",
	    http_blocker_how.timeout, false, params->hold);
	program_print(p, kids[0], 5, "{}");
	kids[1] = program_proc(p, "nap()", "nap", true);
	switch (http_blocker_how.kind) {
	case HTTP_BLOCK_SLEEP:
		program_block_sleep(p, kids[1], 8, http_blocker_how.nap);
		program_print(p, kids[1], 9, "awake");
		break;
	case HTTP_BLOCK_CPU:
		program_cpu(p, kids[1], 8, http_blocker_how.nap, 5, 1000);
		program_print(p, kids[1], 9, "awake");
		break;
	case HTTP_BLOCK_FETCH:
		program_block_sleep(p, kids[1], 8, http_blocker_how.nap);
		snprintf(url, sizeof url, "%sThreading", params->base_url);
		program_fetch(p, kids[1], 8, url, "Threading", SEC(10), true,
		    params->hold);
		program_print(p, kids[1], 9, "{}");
		break;
	}
	main_ = program_proc(p, "main()", "main", true);
	program_gather(p, main_, 12, kids, 2);
	program_entry(p, main_);
	return p;
}

static struct timeline *
http_run_blocker(enum http_block kind, vtime_t nap, vtime_t timeout)
{
	struct server_config	 scfg = { .latency = LATENCY };
	struct demo_params	 params = { 0 };
	http_build_fn		 build = http_blocker;

	http_blocker_how.kind = kind;
	http_blocker_how.nap = nap;
	http_blocker_how.timeout = timeout;
	return http_run(&scfg, &params, &build, 1);
}

/* The variant printed exactly these lines (prefixes), at these times. */
static void
http_assert_out(const struct tl_variant *v, const char *const *want,
    const vtime_t *at, size_t n)
{
	size_t	i;

	assert_int_equal(v->nout, n);
	for (i = 0; i < n; i++) {
		if (strncmp(v->out[i].text, want[i], strlen(want[i])) != 0)
			fail_msg("line %zu: '%s', not '%s'", i, v->out[i].text,
			    want[i]);
		assert_int_equal(v->out[i].vtime, at[i]);
	}
}

static void
test_a_blocking_sleep_beside_an_awaited_fetch_lets_time_pass(void **state)
{
	static const char *const want[] = { "awake", "En programmation" };
	static const vtime_t at[] = { SEC(1), SEC(1) };
	struct timeline		*tl;
	const struct tl_variant	*v;
	const struct tl_task	*t;
	const struct trace_event *ev;
	vtime_t			 start, end;

	(void)state;
	/* The answer is there at 0.5 s; the loop reads it at 1 s. */
	tl = http_run_blocker(HTTP_BLOCK_SLEEP, SEC(1), SEC(10));
	v = tu_variant(tl, "async");
	http_assert_out(v, want, at, 2);
	http_assert_summary_printed(v, "Coroutine", SEC(1));
	t = http_summary(v, "Coroutine");
	http_span(tl, v, t, &start, &end);
	assert_int_equal(start, 0);
	assert_int_equal(end, SEC(1));
	assert_int_equal(tu_task(v, "nap()")->since, SEC(1));
	assert_int_equal(v->total, SEC(1));
	/* It waited on the line of its await. */
	ev = tu_find(tl, http_index(tl, v), TRACE_TASK_STATE, t->id, 2);
	assert_non_null(ev);
	assert_int_equal(ev->state, TASK_WAITING_IO);
	assert_int_equal(ev->line, 4);
	timeline_free(tl);
}

static void
test_a_short_blocking_sleep_leaves_the_fetch_its_latency(void **state)
{
	static const char *const want[] = { "awake", "En programmation" };
	static const vtime_t at[] = { SEC(0.2), LATENCY };
	struct timeline		*tl;
	const struct tl_variant	*v;

	(void)state;
	tl = http_run_blocker(HTTP_BLOCK_SLEEP, SEC(0.2), SEC(10));
	v = tu_variant(tl, "async");
	http_assert_out(v, want, at, 2);
	assert_int_equal(v->total, LATENCY);
	timeline_free(tl);
}

static void
test_cpu_work_beside_an_awaited_fetch_lets_time_pass(void **state)
{
	static const char *const want[] = { "awake", "En programmation" };
	static const vtime_t at[] = { SEC(1.5), SEC(1.5) };
	struct timeline		*tl;
	const struct tl_variant	*v;

	(void)state;
	tl = http_run_blocker(HTTP_BLOCK_CPU, SEC(1.5), SEC(10));
	v = tu_variant(tl, "async");
	http_assert_out(v, want, at, 2);
	assert_int_equal(v->total, SEC(1.5));
	timeline_free(tl);
}

static void
test_a_blocking_fetch_beside_an_awaited_fetch_lets_time_pass(void **state)
{
	/* Threading: asked at 0.2 s, blocking until 0.7 s; then Coroutine. */
	static const char *const want[] = { "Un thread", "En programmation" };
	static const vtime_t at[] = { SEC(0.2) + LATENCY, SEC(0.2) + LATENCY };
	struct timeline		*tl;
	const struct tl_variant	*v;
	const struct trace_event *ev;
	const struct tl_task	*nap;

	(void)state;
	tl = http_run_blocker(HTTP_BLOCK_FETCH, SEC(0.2), SEC(10));
	v = tu_variant(tl, "async");
	http_assert_out(v, want, at, 2);
	assert_int_equal(v->total, SEC(0.2) + LATENCY);
	/* Blocked in requests.get on its line, 0.2 s to 0.7 s. */
	nap = tu_task(v, "nap()");
	ev = tu_find(tl, http_index(tl, v), TRACE_FETCH_DONE, nap->id, 0);
	assert_non_null(ev);
	assert_int_equal(ev->vtime, SEC(0.2) + LATENCY);
	assert_int_equal(ev->other, 200);
	timeline_free(tl);
}

static void
test_a_fetch_timeout_passed_in_a_blocking_call_fires_after_it(void **state)
{
	static const char *const want[] = { "awake" };
	static const vtime_t at[] = { SEC(1) };
	struct timeline		*tl;
	const struct tl_variant	*v;
	const struct tl_task	*t;

	(void)state;
	/* Due at 0.3 s, before the answer (0.5 s): cut, late, at 1 s. */
	tl = http_run_blocker(HTTP_BLOCK_SLEEP, SEC(1), SEC(0.3));
	v = tu_variant(tl, "async");
	http_assert_out(v, want, at, 1);
	t = http_summary(v, "Coroutine");
	assert_int_equal(t->state, TASK_FAILED);
	assert_string_equal(timeline_more(t)->error,
	    "Coroutine: timeout after 0.30 s");
	assert_int_equal(t->since, SEC(1));
	timeline_free(tl);
	/* Due at 0.8 s, after the answer (0.5 s): the answer wins. */
	tl = http_run_blocker(HTTP_BLOCK_SLEEP, SEC(1), SEC(0.8));
	v = tu_variant(tl, "async");
	http_assert_summary_printed(v, "Coroutine", SEC(1));
	timeline_free(tl);
}

/* Two runs logged the same events for a variant, real times aside. */
static void
http_assert_same_trace(const struct timeline *a, const struct timeline *b,
    size_t variant)
{
	struct trace_event	x, y;
	size_t			i = 0, j = 0, n = 0;

	for (;;) {
		for (; i < a->nlog; i++) {
			timeline_event(a, i, &x);
			if (x.variant == variant && x.type != TRACE_IO_WATCH)
				break;
		}
		for (; j < b->nlog; j++) {
			timeline_event(b, j, &y);
			if (y.variant == variant && y.type != TRACE_IO_WATCH)
				break;
		}
		if (i == a->nlog || j == b->nlog)
			break;
		if (x.type != y.type || x.task != y.task ||
		    x.state != y.state || x.reason != y.reason ||
		    x.vtime != y.vtime || x.line != y.line ||
		    x.other != y.other || x.a != y.a || x.b != y.b ||
		    x.n_ready != y.n_ready || x.n_timers != y.n_timers ||
		    (x.text == NULL) != (y.text == NULL) ||
		    (x.text != NULL && strcmp(x.text, y.text) != 0))
			fail_msg("event %zu differs: type %d task %u at %lld, "
			    "type %d task %u at %lld", n, x.type, x.task,
			    (long long)x.vtime, y.type, y.task,
			    (long long)y.vtime);
		i++;
		j++;
		n++;
	}
	assert_int_equal(i, a->nlog);
	assert_int_equal(j, b->nlog);
	assert_true(n > 0);
}

/* Why task id of variant vi failed, as its lane says. */
static const char *
http_error(const struct timeline *tl, size_t vi, uint32_t id)
{
	const struct tl_task	*t = timeline_task(&tl->v[vi], id);

	return t != NULL && t->more != NULL && t->more->error != NULL ?
	    t->more->error : "(no error)";
}

static void
test_answers_of_one_instant_come_in_the_order_of_their_requests(
    void **state)
{
	static const char *const want[] = { "En programmation", "Un thread",
	    "La programmation concurrente" };
	struct timeline		*tl[4];
	const struct tl_variant	*v;
	const struct trace_event *ev;
	uint32_t		 last = 0;
	size_t			 i, k, vi;

	(void)state;
	/* The wiki demo: three answers at 6.5 s, printed as asked. */
	for (i = 0; i < 4; i++) {
		tl[i] = http_wiki(&(struct server_config){ .latency = LATENCY },
		    NULL, SEC(10));
		v = tu_variant(tl[i], "async");
		assert_true(v->nout >= 3);
		for (k = 0; k < 3; k++) {
			if (strncmp(v->out[k].text, want[k],
			    strlen(want[k])) != 0)
				fail_msg("run %zu, line %zu: %s", i, k,
				    v->out[k].text);
			assert_int_equal(v->out[k].vtime, SEC(6) + LATENCY);
		}
		if (i > 0)
			for (k = 0; k < tl[0]->nvariants; k++)
				http_assert_same_trace(tl[0], tl[i], k);
	}
	for (i = 0; i < 4; i++)
		timeline_free(tl[i]);
	/* A fan-out of 200: every answer at 0.5 s, in the tasks' order. */
	for (i = 0; i < 3; i++) {
		tl[i] = http_fanout("async", 200, 0);
		vi = http_index(tl[i], tu_variant(tl[i], "async"));
		for (k = 0; (ev = tu_find(tl[i], vi, TRACE_FETCH_DONE, 0,
		    k)) != NULL; k++) {
			if (ev->vtime != LATENCY)
				fail_msg("run %zu, fetch %zu: task %u done at "
				    "%lld ns, status %u, %lld bytes: %s", i, k,
				    ev->task, (long long)ev->vtime, ev->other,
				    (long long)ev->a, http_error(tl[i], vi,
				    ev->task));
			assert_true(ev->task > last);
			last = ev->task;
		}
		assert_int_equal(k, 200);
		last = 0;
		if (i > 0)
			http_assert_same_trace(tl[0], tl[i], vi);
	}
	for (i = 0; i < 3; i++)
		timeline_free(tl[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_blocking_sleep_beside_an_awaited_fetch_lets_time_pass),
		cmocka_unit_test(test_a_short_blocking_sleep_leaves_the_fetch_its_latency),
		cmocka_unit_test(test_cpu_work_beside_an_awaited_fetch_lets_time_pass),
		cmocka_unit_test(test_a_blocking_fetch_beside_an_awaited_fetch_lets_time_pass),
		cmocka_unit_test(test_a_fetch_timeout_passed_in_a_blocking_call_fires_after_it),
		cmocka_unit_test(test_answers_of_one_instant_come_in_the_order_of_their_requests),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
