/*
 * Real HTTP on the loop: fetches from our server on 127.0.0.1, simulated;
 * the wiki demo's totals, and each fault a fetch meets. Fan-outs and the
 * connection pool are in test_http_pool.c.
 */
#include "config.h"

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

#include "fetch.h"
#include "testutil.h"
#include "httputil.h"

#define SHORT_TIMEOUT	SEC(2)
/*
 * A name that cannot resolve, without the network: .invalid never does, and
 * a label of 64 letters does not fit in a DNS query, so the resolver says
 * so before sending anything.
 */
#define DNS_NAME	"loopscope-" \
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
			".invalid"

static const char *const http_pages[3] = {
	"Coroutine", "Threading", "Programmation_concurrente"
};

/* One injected fault on the page Threading, and what the task says. */
struct http_fault {
	enum server_fault	 fault;
	const char		*reason;	/* after "Threading: " */
	long			 status;
};

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

static void
http_never_done(void *arg, void *owner, struct fetch_result *r)
{
	(void)arg;
	(void)owner;
	(void)r;
	fail_msg("a transfer to a server that never answers was done");
}

/*
 * A run that ends while its pages are on their way (a restart, a quit):
 * the fetcher goes with every transfer still in flight, and each one's
 * handle, headers and buffers go with it (the leak checkers of make check
 * and check-valgrind see the rest: 25.7 kB a run, before).
 */
static void
test_a_fetcher_freed_with_transfers_in_flight_frees_each_of_them(
    void **state)
{
	struct sockaddr_in	 sa;
	socklen_t		 salen = sizeof sa;
	struct fetch_options	 o = { 0 };
	struct ev_loop		*loop;
	struct fetcher		*f;
	char			 url[128];
	int			 lfd, i;

	(void)state;
	/* A server that takes connections and never says a word. */
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(lfd >= 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(lfd, 16), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sa, &salen), 0);
	snprintf(url, sizeof url, "http://127.0.0.1:%d%sCoroutine",
	    ntohs(sa.sin_port), SERVER_PATH);
	o.url = url;
	o.timeout = 60;
	assert_non_null(loop = ev_loop_new(EVFLAG_AUTO));
	assert_non_null(f = fetcher_new(loop, 0, http_never_done, NULL, NULL));
	for (i = 0; i < 8; i++)
		assert_non_null(fetcher_start(f, &o, NULL));
	/* Connected and sent: the transfers wait for the answers. */
	for (i = 0; i < 20; i++)
		ev_run(loop, EVRUN_NOWAIT);
	assert_true(fetcher_sockets(f) > 0);
	fetcher_free(f);
	ev_loop_destroy(loop);
	close(lfd);
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
		cmocka_unit_test(
		    test_a_fetcher_freed_with_transfers_in_flight_frees_each_of_them),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
