/* Real HTTP on the loop: fetches from our server on 127.0.0.1, simulated. */
#include "config.h"

#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#define LATENCY		(500 * VTIME_MS)	/* the server's, and the CLI's */
#define SHORT_TIMEOUT	SEC(2)
/*
 * A name that cannot resolve, without the network: .invalid never does, and
 * a label of 64 letters does not fit in a DNS query, so the resolver says
 * so before sending anything.
 */
#define DNS_NAME	"loopscope-" \
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
			".invalid"

typedef struct program *(*http_build_fn)(const struct demo_params *);

static const char *const http_pages[3] = {
	"Coroutine", "Threading", "Programmation_concurrente"
};

/* One injected fault on the page Threading, and what the task says. */
struct http_fault {
	enum server_fault	 fault;
	const char		*reason;	/* after "Threading: " */
	long			 status;
};

/*
 * Run programs built for params side by side in simulated time. With scfg,
 * our server serves them on 127.0.0.1 (params->base_url then points at it,
 * for the length of the run); otherwise params->base_url is used as is.
 */
static struct timeline *
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
static struct timeline *
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

static size_t
http_index(const struct timeline *tl, const struct tl_variant *v)
{
	return (size_t)(v - tl->v);
}

static const struct tl_task *
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
static void
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
static const struct tl_line *
http_line(const struct tl_variant *v, const char *prefix)
{
	size_t	i;

	for (i = 0; i < v->nout; i++)
		if (strncmp(v->out[i].text, prefix, strlen(prefix)) == 0)
			return &v->out[i];
	return NULL;
}

/* The page's summary as the demo prints it: its first words at least. */
static void
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
	snprintf(start, sizeof start, "%s", server_extract(page));
	if ((l = http_line(v, start)) == NULL)
		fail_msg("%s: no summary of %s printed", v->name, page);
	assert_int_equal(l->vtime, when);
}

/* The fetch of a page failed with "page: reason" at the time when. */
static void
http_assert_failed(const struct timeline *tl, const struct tl_variant *v,
    const char *page, const char *reason, vtime_t when)
{
	const struct tl_task	*t = http_summary(v, page);
	const struct tl_line	*l;
	char			 want[300];
	vtime_t			 start, end;

	snprintf(want, sizeof want, "%s: %s", page, reason);
	assert_int_equal(t->state, TASK_FAILED);
	assert_non_null(timeline_more(t)->error);
	assert_string_equal(timeline_more(t)->error, want);
	assert_int_equal(t->since, when);
	http_span(tl, v, t, &start, &end);
	assert_int_equal(end, when);
	/* wiki() catches it and prints it; the task that printed is done. */
	if ((l = http_line(v, want)) == NULL)
		fail_msg("%s: '%s' not printed", v->name, want);
	assert_string_equal(l->text, want);
	assert_int_equal(l->vtime, when);
}

static bool
http_overlap(vtime_t a0, vtime_t a1, vtime_t b0, vtime_t b1)
{
	return a0 < b1 && b0 < a1;
}

static void
test_wiki_fetches_overlap_in_async_and_are_disjoint_when_blocking(void **state)
{
	struct server_config	 scfg = { .latency = LATENCY };
	struct timeline		*tl = http_wiki(&scfg, NULL, SEC(10));
	const char		*names[3] = { "sync", "async-blocking", "async" };
	vtime_t			 s[3], e[3];
	size_t			 k, i, j;

	(void)state;
	for (k = 0; k < 3; k++) {
		const struct tl_variant *v = tu_variant(tl, names[k]);

		for (i = 0; i < 3; i++)
			http_span(tl, v, http_summary(v, http_pages[i]), &s[i],
			    &e[i]);
		for (i = 0; i < 3; i++)
			for (j = i + 1; j < 3; j++) {
				if (k == 2)
					assert_true(http_overlap(s[i], e[i],
					    s[j], e[j]));
				else
					assert_false(http_overlap(s[i], e[i],
					    s[j], e[j]));
			}
	}
	timeline_free(tl);
}

/* sync: 3 x (6 + f); the chapter's: 6 + 3f; async: 6 + max(f). */
static void
test_wiki_totals_are_three_times_six_plus_f_six_plus_3f_six_plus_f(
    void **state)
{
	struct server_config	 scfg = { .latency = LATENCY };
	struct timeline		*tl = http_wiki(&scfg, NULL, SEC(10));
	const struct tl_variant	*sync = tu_variant(tl, "sync");
	const struct tl_variant	*blocking = tu_variant(tl, "async-blocking");
	const struct tl_variant	*async = tu_variant(tl, "async");
	vtime_t			 s, e;
	vtime_t			 i;

	(void)state;
	assert_int_equal(sync->total, 3 * (SEC(6) + LATENCY));
	assert_int_equal(blocking->total, SEC(6) + 3 * LATENCY);
	assert_int_equal(async->total, SEC(6) + LATENCY);
	for (i = 0; i < 3; i++) {
		const char *page = http_pages[i];

		http_span(tl, sync, http_summary(sync, page), &s, &e);
		assert_int_equal(s, (i + 1) * SEC(6) + i * LATENCY);
		assert_int_equal(e, (i + 1) * (SEC(6) + LATENCY));
		http_assert_summary_printed(sync, page, e);

		http_span(tl, blocking, http_summary(blocking, page), &s, &e);
		assert_int_equal(s, SEC(6) + i * LATENCY);
		assert_int_equal(e, SEC(6) + (i + 1) * LATENCY);
		http_assert_summary_printed(blocking, page, e);

		http_span(tl, async, http_summary(async, page), &s, &e);
		assert_int_equal(s, SEC(6));
		assert_int_equal(e, SEC(6) + LATENCY);
		http_assert_summary_printed(async, page, e);
	}
	assert_int_equal(sync->nout, 3);
	assert_int_equal(blocking->nout, 3);
	assert_int_equal(async->nout, 3);
	timeline_free(tl);
}

/*
 * With a bandwidth limit each page takes latency + size / bandwidth, its
 * own f; async waits for the longest only.
 */
static void
test_wiki_with_a_bandwidth_limit_async_lasts_six_plus_the_longest_f(
    void **state)
{
	struct server_config	 scfg = { .latency = LATENCY, .bandwidth = 100 };
	struct timeline		*tl = http_wiki(&scfg, NULL, SEC(30));
	const struct tl_variant	*sync = tu_variant(tl, "sync");
	const struct tl_variant	*blocking = tu_variant(tl, "async-blocking");
	const struct tl_variant	*async = tu_variant(tl, "async");
	const struct tl_task	*t;
	vtime_t			 f[3], sum = 0, max = 0, s, e;
	size_t			 i;

	(void)state;
	for (i = 0; i < 3; i++) {
		t = http_summary(async, http_pages[i]);
		assert_int_equal(t->state, TASK_DONE);
		/* The server's own sum: the body's bytes at 100 per second. */
		f[i] = LATENCY + (vtime_t)((double)timeline_more(t)->http_bytes /
		    100 * VTIME_SEC);
		assert_true(f[i] > LATENCY + SEC(2));
		http_span(tl, async, t, &s, &e);
		assert_int_equal(s, SEC(6));
		assert_int_equal(e, SEC(6) + f[i]);
		sum += f[i];
		if (f[i] > max)
			max = f[i];
	}
	/* The pages differ in size: max(f) is not any f. */
	assert_true(f[0] != f[1] && f[1] != f[2] && f[0] != f[2]);
	assert_int_equal(sync->total, 3 * SEC(6) + sum);
	assert_int_equal(blocking->total, SEC(6) + sum);
	assert_int_equal(async->total, SEC(6) + max);
	timeline_free(tl);
}

/*
 * Inject the fault on Threading in every variant: that fetch fails with
 * the reason (after the latency, or at the timeout for a silent page);
 * Coroutine and Programmation_concurrente complete and print.
 */
static void
http_fault_check(const struct http_fault *hf)
{
	struct server_config	 scfg = { .latency = LATENCY };
	struct timeline		*tl;
	const struct tl_variant	*v;
	const struct tl_task	*t;
	vtime_t			 f, six = SEC(6), L = LATENCY;
	size_t			 k;

	scfg.fault_page[0] = "Threading";
	scfg.fault[0] = hf->fault;
	scfg.nfaults = 1;
	f = hf->fault == SERVER_SILENT ? SHORT_TIMEOUT : LATENCY;
	tl = http_wiki(&scfg, NULL, SHORT_TIMEOUT);

	v = tu_variant(tl, "sync");
	http_assert_summary_printed(v, "Coroutine", six + L);
	http_assert_failed(tl, v, "Threading", hf->reason, 2 * six + L + f);
	http_assert_summary_printed(v, "Programmation_concurrente",
	    3 * six + 2 * L + f);
	assert_int_equal(v->total, 3 * six + 2 * L + f);

	v = tu_variant(tl, "async-blocking");
	http_assert_summary_printed(v, "Coroutine", six + L);
	http_assert_failed(tl, v, "Threading", hf->reason, six + L + f);
	http_assert_summary_printed(v, "Programmation_concurrente",
	    six + 2 * L + f);
	assert_int_equal(v->total, six + 2 * L + f);

	v = tu_variant(tl, "async");
	http_assert_summary_printed(v, "Coroutine", six + L);
	http_assert_failed(tl, v, "Threading", hf->reason, six + f);
	http_assert_summary_printed(v, "Programmation_concurrente", six + L);
	assert_int_equal(v->total, six + (f > L ? f : L));

	for (k = 0; k < tl->nvariants; k++) {
		v = &tl->v[k];
		t = http_summary(v, "Threading");
		assert_int_equal(timeline_more(t)->http_status, hf->status);
		assert_int_equal(tu_task(v, "wiki('Threading')")->state,
		    TASK_DONE);
		assert_int_equal(tu_task(v, "main()")->state, TASK_DONE);
		assert_int_equal(v->nout, 3);
	}
	timeline_free(tl);
}

static void
test_a_404_page_fails_its_task_and_the_others_complete(void **state)
{
	const struct http_fault hf = { SERVER_404, "HTTP 404 Not Found", 404 };

	(void)state;
	http_fault_check(&hf);
}

static void
test_a_500_page_fails_its_task_and_the_others_complete(void **state)
{
	const struct http_fault hf = { SERVER_500,
	    "HTTP 500 Internal Server Error", 500 };

	(void)state;
	http_fault_check(&hf);
}

static void
test_a_reset_connection_fails_its_task_and_the_others_complete(void **state)
{
	const struct http_fault hf = { SERVER_RESET,
	    "connection reset: no reply", 0 };

	(void)state;
	http_fault_check(&hf);
}

static void
test_a_truncated_body_fails_its_task_with_the_bytes_received(void **state)
{
	struct server_config	 scfg = { .latency = LATENCY };
	struct timeline		*tl = http_wiki(&scfg, NULL, SHORT_TIMEOUT);
	char			 reason[64];
	struct http_fault	 hf = { SERVER_TRUNCATED, reason, 200 };
	int64_t			 full;

	(void)state;
	/* The server sends the first half of the page's body, then hangs up. */
	full = timeline_more(http_summary(tu_variant(tl, "async"),
	    "Threading"))->http_bytes;
	assert_true(full > 100);
	timeline_free(tl);
	snprintf(reason, sizeof reason, "truncated body (%lld bytes received)",
	    (long long)(full / 2));
	http_fault_check(&hf);
}

static void
test_invalid_json_fails_its_task_and_the_others_complete(void **state)
{
	/* jansson's words, as the engine passes them on. */
	const struct http_fault hf = { SERVER_BADJSON, "invalid JSON: "
	    "premature end of input near '\"Une ' (column 37)", 200 };

	(void)state;
	http_fault_check(&hf);
}

/* The silent page is cut by the fetch's (virtual) timeout, exactly. */
static void
test_a_silent_page_is_cut_by_the_timeout_and_the_next_fetch_succeeds(
    void **state)
{
	const struct http_fault hf = { SERVER_SILENT,
	    "timeout after 2.00 s", 0 };

	(void)state;
	http_fault_check(&hf);
}

/* A page longer to come than the timeout is cut too; the next one is not. */
static void
test_a_slow_page_is_cut_by_the_timeout_in_every_variant(void **state)
{
	struct server_config	 scfg = { .latency = SEC(3) };
	struct timeline		*tl = http_wiki(&scfg, NULL, SHORT_TIMEOUT);
	const char		*why = "timeout after 2.00 s";
	const struct tl_variant	*v;
	size_t			 i;

	(void)state;
	v = tu_variant(tl, "sync");
	for (i = 0; i < 3; i++)
		http_assert_failed(tl, v, http_pages[i], why,
		    (vtime_t)(i + 1) * SEC(8));
	v = tu_variant(tl, "async-blocking");
	for (i = 0; i < 3; i++)
		http_assert_failed(tl, v, http_pages[i], why,
		    SEC(6) + (vtime_t)(i + 1) * SEC(2));
	v = tu_variant(tl, "async");
	for (i = 0; i < 3; i++)
		http_assert_failed(tl, v, http_pages[i], why, SEC(8));
	timeline_free(tl);
}

/* A port of 127.0.0.1 that nobody listens on (bound, then closed). */
static int
http_dead_port(void)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof sin;
	int			fd, port;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

/*
 * Every page fails the same way, when its fetch starts: without our
 * server nothing holds the clock back, so a failure takes no virtual time.
 */
static void
http_unreachable_check(const char *base, const char *reason)
{
	struct timeline		*tl = http_wiki(NULL, base, SHORT_TIMEOUT);
	const struct tl_variant	*v;
	size_t			 i;

	v = tu_variant(tl, "sync");
	for (i = 0; i < 3; i++)
		http_assert_failed(tl, v, http_pages[i], reason,
		    (vtime_t)(i + 1) * SEC(6));
	assert_int_equal(v->total, SEC(18));
	v = tu_variant(tl, "async-blocking");
	for (i = 0; i < 3; i++)
		http_assert_failed(tl, v, http_pages[i], reason, SEC(6));
	v = tu_variant(tl, "async");
	for (i = 0; i < 3; i++)
		http_assert_failed(tl, v, http_pages[i], reason, SEC(6));
	for (i = 0; i < tl->nvariants; i++) {
		assert_int_equal(tl->v[i].nout, 3);
		assert_int_equal(tu_task(&tl->v[i], "main()")->state,
		    TASK_DONE);
	}
	timeline_free(tl);
}

static void
test_a_refused_connection_fails_every_task_with_its_reason(void **state)
{
	char	base[128];

	(void)state;
	snprintf(base, sizeof base, "http://127.0.0.1:%d%s", http_dead_port(),
	    SERVER_PATH);
	http_unreachable_check(base, "connection refused");
}

/*
 * Whether this machine's resolver says at once that DNS_NAME does not
 * exist (asked in a child, given 3 real seconds): a resolver of another
 * kind could take the name to the network, or even answer it.
 */
static bool
http_dns_fails_fast(void)
{
	struct addrinfo	*ai, hints = { .ai_socktype = SOCK_STREAM };
	struct pollfd	 pfd;
	pid_t		 pid;
	char		 c = 0;
	int		 p[2], status;

	if (pipe(p) != 0)
		return false;
	if ((pid = fork()) < 0) {
		close(p[0]);
		close(p[1]);
		return false;
	}
	if (pid == 0) {
		close(p[0]);
		c = getaddrinfo(DNS_NAME, "80", &hints, &ai) != 0 ? 'n' : 'y';
		if (write(p[1], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 3000) != 1 || read(p[0], &c, 1) != 1)
		c = 0;
	close(p[0]);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return c == 'n';
}

static void
test_a_dns_failure_fails_every_task_with_its_reason(void **state)
{
	(void)state;
	if (!http_dns_fails_fast()) {
		print_message("[   SKIP   ] the resolver does not fail on "
		    DNS_NAME " at once here\n");
		skip();
	}
	http_unreachable_check("http://" DNS_NAME SERVER_PATH,
	    "DNS failure: cannot resolve the host");
}

/* ------------------------------------------------------------ fan-out */

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

static struct timeline *
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
			assert_int_equal(ev->vtime, LATENCY);
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
		cmocka_unit_test(test_wiki_fetches_overlap_in_async_and_are_disjoint_when_blocking),
		cmocka_unit_test(test_wiki_totals_are_three_times_six_plus_f_six_plus_3f_six_plus_f),
		cmocka_unit_test(test_wiki_with_a_bandwidth_limit_async_lasts_six_plus_the_longest_f),
		cmocka_unit_test(test_a_404_page_fails_its_task_and_the_others_complete),
		cmocka_unit_test(test_a_500_page_fails_its_task_and_the_others_complete),
		cmocka_unit_test(test_a_reset_connection_fails_its_task_and_the_others_complete),
		cmocka_unit_test(test_a_truncated_body_fails_its_task_with_the_bytes_received),
		cmocka_unit_test(test_invalid_json_fails_its_task_and_the_others_complete),
		cmocka_unit_test(test_a_silent_page_is_cut_by_the_timeout_and_the_next_fetch_succeeds),
		cmocka_unit_test(test_a_slow_page_is_cut_by_the_timeout_in_every_variant),
		cmocka_unit_test(test_a_refused_connection_fails_every_task_with_its_reason),
		cmocka_unit_test(test_a_dns_failure_fails_every_task_with_its_reason),
		cmocka_unit_test(test_a_timed_out_fetch_hands_its_connection_to_the_next_in_line),
		cmocka_unit_test(test_a_fetch_whose_timeout_comes_in_the_queue_fails_saying_so),
		cmocka_unit_test(test_a_thousand_fetches_overlap_and_all_complete_in_one_latency),
		cmocka_unit_test(test_a_thousand_fetches_over_ten_connections_queue_in_rounds),
		cmocka_unit_test(test_sync_fanout_fetches_one_page_after_another),
		cmocka_unit_test(test_a_blocking_sleep_beside_an_awaited_fetch_lets_time_pass),
		cmocka_unit_test(test_a_short_blocking_sleep_leaves_the_fetch_its_latency),
		cmocka_unit_test(test_cpu_work_beside_an_awaited_fetch_lets_time_pass),
		cmocka_unit_test(test_a_blocking_fetch_beside_an_awaited_fetch_lets_time_pass),
		cmocka_unit_test(test_a_fetch_timeout_passed_in_a_blocking_call_fires_after_it),
		cmocka_unit_test(test_answers_of_one_instant_come_in_the_order_of_their_requests),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
