/*
 * What comes over HTTP (issue 25), read strictly: a fetch's body within
 * its cap, the page server's X-Loopscope-Due only when well-formed and of
 * the last answer, a request's X-Loopscope-At and the page it names, and
 * a due time that never wraps. fuzz/fuzz_http.c fuzzes the same readers;
 * these are the cases that the strtoll, sscanf and strstr before them got
 * wrong.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pages.h"
#include "pyhttp-read.h"
#include "pyserve-req.h"
#include "testutil.h"

/* A chunk of curl's, handed over as curl does (size 1, n bytes). */
static size_t
th_body(struct pyhttp_read *r, const char *bytes, size_t n)
{
	return pyhttp_read_body((char *)bytes, 1, n, r);
}

static void
test_a_body_is_kept_whole_up_to_its_cap_and_refused_past_it(
    void **state)
{
	static char		 chunk[16384];
	struct pyhttp_read	 r;
	size_t			 i;

	(void)state;
	pyhttp_read_init(&r, 10);
	assert_int_equal(th_body(&r, "hello", 5), 5);
	assert_int_equal(th_body(&r, "", 0), 0);
	assert_int_equal(th_body(&r, "world", 5), 5);
	assert_false(r.too_big);
	assert_int_equal(th_body(&r, "!", 1), 0);
	assert_true(r.too_big);
	/* Refused from then on, as curl stops: nothing after a hole. */
	assert_int_equal(th_body(&r, "", 0), 0);
	assert_int_equal(r.len, 10);
	assert_string_equal(r.data, "helloworld");
	pyhttp_read_clear(&r);
	/* The real cap: 16 MiB whole, by doubling; the byte after refused. */
	memset(chunk, 'x', sizeof chunk);
	pyhttp_read_init(&r, PYHTTP_READ_BODY_MAX);
	for (i = 0; i < PYHTTP_READ_BODY_MAX / sizeof chunk; i++)
		assert_int_equal(th_body(&r, chunk, sizeof chunk),
		    sizeof chunk);
	assert_false(r.too_big);
	assert_int_equal(r.len, PYHTTP_READ_BODY_MAX);
	assert_int_equal(r.data[r.len], '\0');
	assert_int_equal(th_body(&r, chunk, 1), 0);
	assert_true(r.too_big);
	assert_int_equal(r.len, PYHTTP_READ_BODY_MAX);
	pyhttp_read_clear(&r);
}

/* Header lines to the fetch, one callback each; what it keeps of them. */
static void
th_due(const char *const *lines, enum pyhttp_read_due kind, vtime_t due)
{
	struct pyhttp_read	 r;
	const char *const	*l;
	char			*b;
	size_t			 n;

	pyhttp_read_init(&r, 0);
	for (l = lines; *l != NULL; l++) {
		/* As curl gives it: no NUL after the line. */
		n = strlen(*l);
		assert_non_null(b = malloc(n));
		memcpy(b, *l, n);
		assert_int_equal(pyhttp_read_header(b, 1, n, &r), n);
		free(b);
	}
	if (r.due_kind != kind || (kind == PYHTTP_READ_DUE_AT && r.due != due))
		fail_msg("%s: kind %d due %lld, not %d %lld", lines[1],
		    (int)r.due_kind, (long long)r.due, (int)kind,
		    (long long)due);
}

/* One answer: its status line, the header line, its end. */
#define TH_DUE(line, kind, due) do {					\
	const char *const th_l[] = { "HTTP/1.1 200 OK\r\n", line,	\
	    "\r\n", NULL };						\
	th_due(th_l, PYHTTP_READ_DUE_ ## kind, due);			\
} while (0)

static void
test_a_due_header_counts_when_well_formed_and_of_the_last_answer(
    void **state)
{
	const char *const	redirect[] = { "HTTP/1.1 301 Moved\r\n",
	    "X-Loopscope-Due: 500\r\n", "Location: /elsewhere\r\n", "\r\n",
	    "HTTP/1.1 200 OK\r\n", "\r\n", NULL };

	(void)state;
	TH_DUE("X-Loopscope-Due: 1250000000\r\n", AT, 1250000000);
	TH_DUE("x-loopscope-due:\t42 \r\n", AT, 42);
	TH_DUE("X-Loopscope-Due: 9223372036854775807\r\n", AT, VTIME_NEVER);
	TH_DUE("X-Loopscope-Due: silent\r\n", SILENT, 0);
	/* strtoll read these as 12, 0, 5, a saturated or a cut number. */
	TH_DUE("X-Loopscope-Due: 12abc\r\n", NONE, 0);
	TH_DUE("X-Loopscope-Due: abc\r\n", NONE, 0);
	TH_DUE("X-Loopscope-Due: -5\r\n", NONE, 0);
	TH_DUE("X-Loopscope-Due: +5\r\n", NONE, 0);
	TH_DUE("X-Loopscope-Due: 9223372036854775808\r\n", NONE, 0);
	TH_DUE("X-Loopscope-Due: 1234567890123456789012345678901234\r\n",
	    NONE, 0);
	/* strstr found "silent" anywhere: this was a timeout. */
	TH_DUE("X-Loopscope-Due: 5 not silent\r\n", NONE, 0);
	TH_DUE("X-Loopscope-Due: silently\r\n", NONE, 0);
	TH_DUE("X-Loopscope-Due:\r\n", NONE, 0);
	TH_DUE("X-Loopscope-Due : 7\r\n", NONE, 0);
	TH_DUE("X-Loopscope-Duet: 7\r\n", NONE, 0);
	/* A redirect's due is not the page's. */
	th_due(redirect, PYHTTP_READ_DUE_NONE, 0);
}

static void
test_a_request_time_is_read_strictly_and_its_due_never_wraps(
    void **state)
{
	static const char *const	bad[] = { "", "  ", "-5", "+5", "12abc",
	    "0x10", "1e9", "1 2", "9223372036854775808",
	    "99999999999999999999999" };
	vtime_t				t = 77;
	size_t				i;

	(void)state;
	assert_true(pyserve_req_time("1000", 4, &t));
	assert_int_equal(t, 1000);
	assert_true(pyserve_req_time(" 9223372036854775807\r\n", 22, &t));
	assert_int_equal(t, VTIME_NEVER);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		t = 77;
		if (pyserve_req_time(bad[i], strlen(bad[i]), &t) || t != 77)
			fail_msg("'%s' read as a time", bad[i]);
	}
	/* sent + latency wrapped negative (UB) for a far X-Loopscope-At. */
	assert_int_equal(pyserve_req_due(VTIME_NEVER, VTIME_SEC, 0, 0),
	    VTIME_NEVER);
	assert_int_equal(pyserve_req_due(VTIME_NEVER - 10, 0, 1, 1 << 20),
	    VTIME_NEVER);
	assert_int_equal(pyserve_req_due(1000, 5, 0, 0), 1005);
	assert_int_equal(pyserve_req_due(0, 0, 1000, 500), VTIME_SEC / 2);
	assert_string_equal(pyserve_req_title("GET", SERVER_PATH "Coroutine"),
	    "Coroutine");
	assert_null(pyserve_req_title("POST", SERVER_PATH "Coroutine"));
	assert_null(pyserve_req_title("GET", "/api/rest_v1/page/"));
}

static void
test_a_page_number_is_written_as_the_fanout_programs_write_it(void **state)
{
	static const char *const	found[] = { "Page_0", "Page_7",
	    "Page_4294967295", "Coroutine" };
	static const char *const	missing[] = { "Page_", "Page_01",
	    "Page_1x", "Page_-1", "Page_+1", "Page_ 1", "Page_4294967296",
	    "page_1", "Nope" };
	unsigned			status;
	size_t				i;
	char				*body;

	(void)state;
	for (i = 0; i < sizeof found / sizeof found[0]; i++) {
		assert_non_null(body = pages_body(found[i], &status));
		if (status != 200)
			fail_msg("%s: %u, not 200", found[i], status);
		free(body);
	}
	/* sscanf("Page_%u") served these as pages 1, 1, 4294967295... */
	for (i = 0; i < sizeof missing / sizeof missing[0]; i++) {
		assert_non_null(body = pages_body(missing[i], &status));
		if (status != 404)
			fail_msg("%s: %u, not 404", missing[i], status);
		free(body);
	}
	assert_non_null(body = pages_body("Page_12", &status));
	assert_non_null(strstr(body, "\"title\":\"Page 12\""));
	free(body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_a_body_is_kept_whole_up_to_its_cap_and_refused_past_it),
		cmocka_unit_test(
		    test_a_due_header_counts_when_well_formed_and_of_the_last_answer),
		cmocka_unit_test(
		    test_a_request_time_is_read_strictly_and_its_due_never_wraps),
		cmocka_unit_test(
		    test_a_page_number_is_written_as_the_fanout_programs_write_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
