/*
 * Many fetches on the loop, from our server on 127.0.0.1, simulated: the
 * connection pool, its queue and its timeouts, fan-outs of a thousand,
 * and the summary a fetch prints.
 */
#include "config.h"

#include <sys/resource.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"
#include "testutil.h"
#include "httputil.h"

static const char http_pool_source[] =
    "import asyncio\n"
    "import httpx\n"
    "\n"
    "async def fetch(client, page, timeout):\n"
    "    return await client.get(URL + page, timeout=timeout)\n"
    "\n"
    "async def main():\n"
    "    limits = httpx.Limits(max_connections=1)\n"
    "    async with httpx.AsyncClient(limits=limits) as client:\n"
    "        await asyncio.gather(fetch(client, FIRST, T1),\n"
    "                             fetch(client, SECOND, T2))\n";

/* Two fetches gathered over one connection: first, then second. */
static struct program *
http_pool(const struct demo_params *params, vtime_t t1, vtime_t t2)
{
	struct program	*p = program_new("async", VARIANT_ASYNC,
			    http_pool_source);
	const char	*pages[2] = { "Coroutine", "Threading" };
	vtime_t		 timeouts[2] = { t1, t2 };
	char		 label[64], url[256];
	int		 procs[2], main_, i;

	assert_non_null(p);
	for (i = 0; i < 2; i++) {
		snprintf(label, sizeof label, "fetch('%s')", pages[i]);
		snprintf(url, sizeof url, "%s%s", params->base_url, pages[i]);
		procs[i] = program_proc(p, label, "fetch", true);
		program_fetch(p, procs[i], 5, url, pages[i], timeouts[i],
		    false, params->hold);
	}
	main_ = program_proc(p, "main()", "main", true);
	program_gather(p, main_, 10, procs, 2);
	program_entry(p, main_);
	p->max_connections = 1;
	return p;
}

static struct program *
http_pool_first_silent(const struct demo_params *params)
{
	return http_pool(params, SEC(1), SEC(5));
}

static struct program *
http_pool_second_impatient(const struct demo_params *params)
{
	return http_pool(params, SEC(3), SEC(1));
}

static struct timeline *
http_run_pool(http_build_fn build)
{
	struct server_config	 scfg = { .latency = LATENCY };
	struct demo_params	 params = { 0 };

	scfg.fault_page[0] = "Coroutine";
	scfg.fault[0] = SERVER_SILENT;
	scfg.nfaults = 1;
	return http_run(&scfg, &params, &build, 1);
}

/* The phase of a task's last fetch, or fail. */
static const struct tl_phase *
http_phase(const struct tl_task *t, enum io_phase phase)
{
	const struct tl_more	*m = timeline_more(t);
	size_t			 i;

	for (i = 0; i < m->nphases; i++)
		if (m->phases[i].phase == phase)
			return &m->phases[i];
	fail_msg("%s: no %s phase", t->name, trace_phase_name(phase));
	return NULL;
}

static void
test_a_timed_out_fetch_hands_its_connection_to_the_next_in_line(
    void **state)
{
	struct timeline		*tl = http_run_pool(http_pool_first_silent);
	const struct tl_variant	*v = tu_variant(tl, "async");
	const struct tl_task	*first = tu_task(v, "fetch('Coroutine')");
	const struct tl_task	*second = tu_task(v, "fetch('Threading')");
	const struct tl_phase	*ph;

	(void)state;
	assert_int_equal(first->state, TASK_FAILED);
	assert_string_equal(timeline_more(first)->error,
	    "Coroutine: timeout after 1.00 s");
	assert_int_equal(first->since, SEC(1));
	/* Queued for the only connection until 1 s, then answered. */
	assert_int_equal(second->state, TASK_DONE);
	assert_int_equal(timeline_more(second)->http_status, 200);
	ph = http_phase(second, PHASE_QUEUED);
	assert_int_equal(ph->start, 0);
	assert_int_equal(ph->end, SEC(1));
	ph = http_phase(second, PHASE_WAIT);
	assert_int_equal(ph->end, SEC(1) + LATENCY);
	assert_int_equal(second->since, SEC(1) + LATENCY);
	assert_int_equal(v->total, SEC(1) + LATENCY);
	timeline_free(tl);
}

static void
test_a_fetch_whose_timeout_comes_in_the_queue_fails_saying_so(void **state)
{
	struct timeline		*tl = http_run_pool(http_pool_second_impatient);
	const struct tl_variant	*v = tu_variant(tl, "async");
	const struct tl_task	*first = tu_task(v, "fetch('Coroutine')");
	const struct tl_task	*second = tu_task(v, "fetch('Threading')");
	const struct tl_phase	*ph;

	(void)state;
	assert_int_equal(second->state, TASK_FAILED);
	assert_string_equal(timeline_more(second)->error,
	    "Threading: timeout after 1.00 s waiting for a connection");
	assert_int_equal(second->since, SEC(1));
	ph = http_phase(second, PHASE_QUEUED);
	assert_int_equal(ph->start, 0);
	assert_int_equal(ph->end, SEC(1));
	assert_int_equal(first->state, TASK_FAILED);
	assert_string_equal(timeline_more(first)->error,
	    "Coroutine: timeout after 3.00 s");
	assert_int_equal(first->since, SEC(3));
	assert_int_equal(v->total, SEC(3));
	timeline_free(tl);
}

/* Enough descriptors for both ends of n connections, or skip. */
static void
http_descriptors(long n)
{
	struct rlimit	rl;

	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	}
	if (rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < (rlim_t)(2 * n + 100)) {
		print_message("[   SKIP   ] %llu descriptors, not enough for "
		    "%ld connections\n", (unsigned long long)rl.rlim_cur, n);
		skip();
	}
}

/*
 * Every fetch('Page_i') is done, having waited on I/O from 0 to the end of
 * its round: per_round at a time (0: all in one).
 */
static void
http_fanout_check(const struct tl_variant *v, long tasks, long per_round)
{
	const struct tl_task	*t;
	const struct tl_phase	*ph;
	vtime_t			 e;
	long			 i, done = 0, round;
	size_t			 k;

	for (k = 0; k < v->ntasks; k++) {
		t = &v->tasks[k];
		if (sscanf(t->name, "fetch('Page_%ld')", &i) != 1)
			continue;
		assert_int_equal(t->state, TASK_DONE);
		assert_int_equal(timeline_more(t)->http_status, 200);
		round = per_round > 0 ? i / per_round : 0;
		e = (round + 1) * LATENCY;
		assert_int_equal(t->since, e);
		assert_int_equal(timeline_state_at(t, 0), TASK_WAITING_IO);
		assert_int_equal(timeline_time_in(t, TASK_WAITING_IO, e), e);
		if (round > 0) {
			/* Waited in line for a connection, all that time. */
			ph = timeline_more(t)->phases;
			assert_int_equal(ph[0].phase, PHASE_QUEUED);
			assert_int_equal(ph[0].start, 0);
			assert_int_equal(ph[0].end, round * LATENCY);
		} else
			assert_int_not_equal(timeline_more(t)->phases[0].phase,
			    PHASE_QUEUED);
		done++;
	}
	assert_int_equal(done, tasks);
}

/* The most sockets the loop watched at once, from the IO_WATCH events. */
static size_t
http_max_sockets(const struct timeline *tl, size_t variant)
{
	bool	*on;
	size_t	 i, n = 0, max = 0;

	on = calloc(65536, sizeof *on);
	assert_non_null(on);
	for (i = 0; i < tl->nlog; i++) {
		struct trace_event logged, *ev = &logged;

		timeline_event(tl, i, ev);
		if (ev->variant != variant || ev->type != TRACE_IO_WATCH)
			continue;
		assert_true(ev->a >= 0 && ev->a < 65536);
		if (ev->other != 0 && !on[ev->a]) {
			on[ev->a] = true;
			if (++n > max)
				max = n;
		} else if (ev->other == 0 && on[ev->a]) {
			on[ev->a] = false;
			n--;
		}
	}
	free(on);
	return max;
}

static void
test_a_thousand_fetches_overlap_and_all_complete_in_one_latency(
    void **state)
{
	struct timeline		*tl;
	const struct tl_variant	*v;

	(void)state;
	http_descriptors(1000);
	tl = http_fanout("async", 1000, 0);
	v = tu_variant(tl, "async");
	http_fanout_check(v, 1000, 0);
	assert_int_equal(v->total, LATENCY);
	assert_non_null(http_line(v, "1000 pages en 0.50 secondes"));
	assert_true(http_max_sockets(tl, http_index(tl, v)) > 10);
	timeline_free(tl);
}

static void
test_a_thousand_fetches_over_ten_connections_queue_in_rounds(void **state)
{
	struct timeline		*tl;
	const struct tl_variant	*v;

	(void)state;
	http_descriptors(10);
	tl = http_fanout("async", 1000, 10);
	v = tu_variant(tl, "async");
	http_fanout_check(v, 1000, 10);
	/* 100 rounds of 10. */
	assert_int_equal(v->total, 100 * LATENCY);
	assert_non_null(http_line(v, "1000 pages en 50.00 secondes"));
	assert_true(http_max_sockets(tl, http_index(tl, v)) <= 10);
	timeline_free(tl);
}

static void
test_sync_fanout_fetches_one_page_after_another(void **state)
{
	struct timeline		*tl;
	const struct tl_variant	*v;

	(void)state;
	tl = http_fanout("sync", 50, 0);
	v = tu_variant(tl, "sync");
	assert_int_equal(v->total, 50 * LATENCY);
	assert_non_null(http_line(v, "50 pages en 25.00 secondes"));
	timeline_free(tl);
}

/*
 * The summary is ["extract"][:80]: 80 characters (not bytes: é is one),
 * cut with no mark; a shorter one whole; a body without it, an error.
 */
static void
test_a_summary_is_the_first_80_characters_as_python_slices(void **state)
{
	struct fetch_result	 r;
	char			 body[512], want[256], out[512], err[256];
	int			 i;

	(void)state;
	memset(&r, 0, sizeof r);
	strcpy(want, "");
	for (i = 0; i < 20; i++)
		strcat(want, "ééé ");		/* 80 characters, 140 bytes */
	snprintf(body, sizeof body, "{\"extract\": \"%sand more\"}", want);
	r.body = body;
	r.body_len = strlen(body);
	assert_int_equal(fetch_summary(&r, out, sizeof out, err, sizeof err),
	    0);
	assert_string_equal(out, want);
	snprintf(body, sizeof body, "{\"extract\": \"short\"}");
	r.body_len = strlen(body);
	assert_int_equal(fetch_summary(&r, out, sizeof out, err, sizeof err),
	    0);
	assert_string_equal(out, "short");
	snprintf(body, sizeof body, "{\"title\": \"x\"}");
	r.body_len = strlen(body);
	assert_int_equal(fetch_summary(&r, out, sizeof out, err, sizeof err),
	    -1);
	assert_string_equal(err, "no 'extract' in the JSON answer");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_a_timed_out_fetch_hands_its_connection_to_the_next_in_line),
		cmocka_unit_test(
		    test_a_fetch_whose_timeout_comes_in_the_queue_fails_saying_so),
		cmocka_unit_test(
		    test_a_thousand_fetches_overlap_and_all_complete_in_one_latency),
		cmocka_unit_test(
		    test_a_thousand_fetches_over_ten_connections_queue_in_rounds),
		cmocka_unit_test(test_sync_fanout_fetches_one_page_after_another),
		cmocka_unit_test(
		    test_a_summary_is_the_first_80_characters_as_python_slices),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
