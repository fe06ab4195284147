/*
 * Hostile input (issue 25), without a terminal: text from outside shown
 * only visibly, widths of what is drawn, numbers read strictly, file names
 * checked, temporaries never through a link, a reader's limits, and
 * arrays that grow by doubling. The binary is linked with realloc wrapped
 * (-Wl,--wrap=realloc), so that a test can count the blocks grown.
 */
#include "config.h"

#include <sys/stat.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "glyphs.h"
#include "number.h"
#include "options.h"
#include "record.h"
#include "testutil.h"
#include "visible.h"

void	*__real_realloc(void *, size_t);
void	*__wrap_realloc(void *, size_t);

static size_t	th_reallocs;
static char	th_dir[] = "/tmp/loopscope-test-hostile.XXXXXX";

/* Every realloc of the engine and the views that grows a block, counted. */
void *
__wrap_realloc(void *p, size_t n)
{
	if (p != NULL)
		th_reallocs++;
	return __real_realloc(p, n);
}

static int
th_setup(void **state)
{
	(void)state;
	return mkdtemp(th_dir) != NULL ? 0 : -1;
}

static int
th_teardown(void **state)
{
	char	cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", th_dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A path in the scratch directory. */
static const char *
th_path(const char *name)
{
	static char	buf[4][256];
	static int	i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%s/%s", th_dir, name);
	return buf[i];
}

static void
th_write(const char *path, const char *text)
{
	FILE	*f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void
th_visible(const char *in, const char *want)
{
	char	buf[256], *v;

	visible_copy(buf, sizeof buf, in);
	assert_string_equal(buf, want);
	assert_non_null(v = visible_dup(in));
	assert_string_equal(v, want);
	free(v);
	assert_true(visible_clean(want));
}

static void
test_every_control_character_is_shown_as_python_writes_it(void **state)
{
	(void)state;
	th_visible("plain text, Durée, \\ as is", "plain text, Durée, \\ as is");
	th_visible("\x1b]0;pwned\x07\x1b[2J\x1b[31mRED\x1b[0m",
	    "\\x1b]0;pwned\\x07\\x1b[2J\\x1b[31mRED\\x1b[0m");
	th_visible("a\tb\nc\rd\x7f", "a\\tb\\nc\\rd\\x7f");
	/* A C1 control (CSI, as UTF-8), a byte that is not UTF-8. */
	th_visible("\xc2\x9b" "31m \xff\xc3", "\\x9b31m \\xff\\xc3");
	/* Characters that reorder or break the line. */
	th_visible("a\xe2\x80\xae" "b\xe2\x80\xa8", "a\\u202eb\\u2028");
	/* Characters that hide in it: ZWSP, LRM, RLM, BOM, soft hyphen, ALM. */
	th_visible("a\xe2\x80\x8b" "b\xe2\x80\x8e" "c\xe2\x80\x8f" "d\xef\xbb\xbf"
	    "e\xc2\xad" "f\xd8\x9c" "g",
	    "a\\u200bb\\u200ec\\u200fd\\ufeffe\\xadf\\u061cg");
	/* Their neighbours are shown as they are: an en dash, a euro, é. */
	th_visible("\xe2\x80\x93 \xe2\x82\xac \xc3\xa9", "\xe2\x80\x93 \xe2\x82\xac \xc3\xa9");
	assert_false(visible_clean("\x1b"));
	assert_true(visible_clean("Programmation concurrente"));
}

static void
test_an_escape_is_never_cut_in_two(void **state)
{
	char	buf[8];

	(void)state;
	assert_int_equal(visible_copy(buf, sizeof buf, "ab\x1b"), 6);
	assert_string_equal(buf, "ab\\x1b");
	assert_int_equal(visible_copy(buf, 6, "ab\x1b"), 2);
	assert_string_equal(buf, "ab");
}

static void
test_widths_are_those_of_what_is_drawn(void **state)
{
	int	cols;

	(void)state;
	assert_int_equal(glyphs_width("ab"), 2);
	/* Each control character: the columns of its escape, never 0. */
	assert_int_equal(glyphs_width("a\x1b" "b"), 6);
	assert_int_equal(glyphs_width("\x01\x02\x03"), 12);
	assert_int_equal(glyphs_width("\t"), 2);
	/* A cut never splits one. */
	assert_int_equal(glyphs_fit("a\x1b" "b", 4, &cols), 1);
	assert_int_equal(cols, 1);
	assert_int_equal(glyphs_fit("a\x1b" "b", 5, &cols), 2);
	assert_int_equal(cols, 5);
	if (glyphs_locale_utf8())
		assert_int_equal(glyphs_width("Dur\xc3\xa9" "e"), 5);
}

static void
test_numbers_are_decimal_digits_and_nothing_else(void **state)
{
	static const char *const bad[] = { "", " 1", "1 ", "+1", "0x10",
	    "1e3", "1,5", "inf", "nan", "1.2.3", "-", ".", "12a",
	    "1234567890123456789012" };
	unsigned long long	 z;
	long long		 w;
	double			 r;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(number_whole(bad[i], -100, 100, &w), -1);
		assert_int_equal(number_real(bad[i], -100, 100, &r), -1);
		assert_int_equal(number_size(bad[i], 0, 1000, &z), -1);
	}
	assert_int_equal(number_whole("42", 1, 100, &w), 0);
	assert_int_equal(w, 42);
	assert_int_equal(number_whole("007", 1, 100, &w), 0);
	assert_int_equal(w, 7);
	assert_int_equal(number_whole("-1", 0, 100, &w), -1);
	assert_int_equal(number_whole("101", 0, 100, &w), -1);
	assert_int_equal(number_real("0.5", 0, 1, &r), 0);
	assert_true(r == 0.5);
	assert_int_equal(number_real(".25", 0, 1, &r), 0);
	assert_true(r == 0.25);
	assert_int_equal(number_real("0.01", 0.01, 1000, &r), 0);
	assert_true(r == 0.01);
	assert_int_equal(number_real("1000.0001", 0.01, 1000, &r), -1);
	assert_int_equal(number_size("512M", 1, 1ULL << 40, &z), 0);
	assert_true(z == 512ULL << 20);
	assert_int_equal(number_size("3G", 1, 1ULL << 40, &z), 0);
	assert_true(z == 3ULL << 30);
	assert_int_equal(number_size("4096", 1, 1ULL << 40, &z), 0);
	assert_true(z == 4096);
	assert_int_equal(number_size("1T", 1, 1ULL << 40, &z), -1);
	assert_int_equal(number_size("-1M", 0, 1ULL << 40, &z), -1);
}

/* options_parse on a line split at blanks ('' for an empty word). */
static int
th_parse(const char *line, struct options *o, char *err, size_t len)
{
	static char	 copy[512];
	char		*argv[24], *tok, *save = NULL;
	int		 argc = 0;

	snprintf(copy, sizeof copy, "loopscope %s", line);
	for (tok = strtok_r(copy, " ", &save); tok != NULL && argc < 23;
	    tok = strtok_r(NULL, " ", &save))
		argv[argc++] = strcmp(tok, "''") == 0 ? tok + 2 : tok;
	argv[argc] = NULL;
	return options_parse(argc, argv, o, err, len);
}

static void
th_refused(const char *line, const char *want)
{
	struct options	o;
	char		err[512];

	if (th_parse(line, &o, err, sizeof err) != -1)
		fail_msg("accepted: %s", line);
	if (strstr(err, want) == NULL)
		fail_msg("%s: '%s' does not say '%s'", line, err, want);
}

static void
test_numeric_options_name_their_range_and_refuse_blanks_and_hex(
    void **state)
{
	(void)state;
	th_refused("--speed 0x10 gather", "--speed: '0x10' is not a number from 0.01 to 1000");
	th_refused("--speed 5000 gather", "outside 0.01 to 1000");
	th_refused("--width 0x20", "from 20 to 1000");
	th_refused("--tasks 1e2 fanout", "from 1 to 10000");
	th_refused("--latency 0x1 wiki", "from 0 to 3600");
	th_refused("--bandwidth +5 wiki", "--bandwidth: '+5'");
	th_refused("--max-connections 1.5 wiki", "from 0 to 10000");
	th_refused("--replay x --max-events 0", "from 1 to");
	th_refused("--replay x --max-bytes 12X", "bytes, or with K, M or G");
	th_refused("--max-events 5 gather", "goes with --replay or --export");
}

static void
test_an_empty_file_name_and_one_file_twice_are_usage_errors(void **state)
{
	char	line[600];

	(void)state;
	th_refused("--record '' gather", "--record: an empty file name");
	th_refused("--cast '' gather", "--cast: an empty file name");
	th_refused("--replay ''", "--replay: an empty file name");
	th_refused("--export text ''", "--export: an empty file name");
	th_refused("--export text x -o ''", "-o: an empty file name");
	th_refused("--record x --cast x gather", "one file, written twice");
	th_refused("--record x --cast ./x gather", "one file, written twice");
	th_refused("--replay x --cast x", "read and overwritten");
	th_refused("--export svg x -o ./x", "read and overwritten");
	/* The same file by another name: a hard link, a symbolic link. */
	th_write(th_path("a.jsonl"), "x\n");
	assert_int_equal(link(th_path("a.jsonl"), th_path("hard.jsonl")), 0);
	assert_int_equal(symlink(th_path("a.jsonl"), th_path("soft.jsonl")),
	    0);
	snprintf(line, sizeof line, "--record %s --cast %s gather",
	    th_path("a.jsonl"), th_path("hard.jsonl"));
	th_refused(line, "one file, written twice");
	snprintf(line, sizeof line, "--record %s --cast %s gather",
	    th_path("soft.jsonl"), th_path("a.jsonl"));
	th_refused(line, "one file, written twice");
}

/* A recording's run with nothing in it, written down. */
static const struct record_run *
th_run(void)
{
	static struct record_run	run;

	run.demo = "hello";
	run.nvariants = 1;
	run.variants[0].name = "run";
	return &run;
}

static const struct record_header	th_header = { 1, NULL, 1.0, CLOCK_SIM,
					    false, 0, 0, NULL };

static void
test_a_symbolic_link_at_the_temporary_is_never_followed(void **state)
{
	struct record	*r;
	struct stat	 st;
	char		 err[512], victim[64];
	FILE		*f;

	(void)state;
	th_write(th_path("victim.txt"), "VICTIM\n");
	assert_int_equal(symlink(th_path("victim.txt"), th_path("s.jsonl.tmp")),
	    0);
	r = record_open(th_path("s.jsonl"), &th_header, th_run(), err,
	    sizeof err);
	assert_null(r);
	assert_non_null(strstr(err, "s.jsonl.tmp is in the way"));
	assert_non_null(f = fopen(th_path("victim.txt"), "r"));
	assert_non_null(fgets(victim, sizeof victim, f));
	fclose(f);
	assert_string_equal(victim, "VICTIM\n");
	/* The link is left as it was, and nothing else was made. */
	assert_int_equal(lstat(th_path("s.jsonl.tmp"), &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(lstat(th_path("s.jsonl"), &st), -1);
}

static void
test_a_temporary_left_by_a_crash_is_left_alone(void **state)
{
	struct record	*r;
	char		 err[512];

	(void)state;
	th_write(th_path("c.jsonl.tmp"), "what a crash left\n");
	r = record_open(th_path("c.jsonl"), &th_header, th_run(), err,
	    sizeof err);
	assert_null(r);
	assert_non_null(strstr(err, "left by a crash, or another loopscope "
	    "writing it"));
	assert_int_equal(access(th_path("c.jsonl.tmp"), F_OK), 0);
	unlink(th_path("c.jsonl.tmp"));
	r = record_open(th_path("c.jsonl"), &th_header, th_run(), err,
	    sizeof err);
	assert_non_null(r);
	assert_int_equal(record_close(r, err, sizeof err), 0);
}

#define TH_HEAD	"{\"format\":\"loopscope-recording\",\"version\":1," \
		"\"demo\":\"gather\",\"variants\":[{\"name\":\"sync\"," \
		"\"kind\":\"sync\",\"source\":\"\"}],\"clock\":\"sim\"}\n"
#define TH_RUN	"{\"run\":1,\"rtime\":0,\"demo\":\"gather\",\"variants\":" \
		"[{\"name\":\"sync\",\"kind\":\"sync\"}]}\n"
#define TH_EV	"{\"event\":\"clock\",\"variant\":65535,\"vtime\":0," \
		"\"a\":1000}\n"

/*
 * A recording of a header and n times line, and an end record if ends
 * (which counts them as events when they are).
 */
static const char *
th_recording(const char *name, const char *line, size_t n, bool ends)
{
	bool		 events = strncmp(line, "{\"event\"", 8) == 0;
	const char	*path = th_path(name);
	FILE		*f = fopen(path, "w");
	size_t		 i;

	assert_non_null(f);
	fputs(TH_HEAD, f);
	for (i = 0; i < n; i++)
		fputs(line, f);
	if (ends)
		fprintf(f, "{\"end\":true,\"events\":%zu,\"actions\":0}\n",
		    events ? n : 0);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void
test_a_recording_of_8000_runs_is_read_with_a_handful_of_reallocs(
    void **state)
{
	struct recording	*rec;
	const char		*path;
	char			 err[512];
	size_t			 before;

	(void)state;
	path = th_recording("runs.jsonl", TH_RUN, 8000, true);
	before = th_reallocs;
	rec = record_read(path, err, sizeof err);
	if (rec == NULL)
		fail_msg("%s", err);
	assert_int_equal(rec->nruns, 8001);
	/* Doubling: about log2(8000), not one a run (quadratic). */
	assert_true(th_reallocs - before < 64);
	record_free(rec);
}

static void
test_a_recording_past_its_limits_is_refused_naming_the_limit(void **state)
{
	struct record_limits	 lim;
	struct recording	*rec;
	const char		*path;
	char			 err[512];

	(void)state;
	path = th_recording("many.jsonl", TH_EV, 1000, true);
	record_limits_default(&lim);
	assert_int_equal(lim.max_events, RECORD_MAX_EVENTS_DEFAULT);
	assert_int_equal(lim.max_bytes, RECORD_MAX_BYTES_DEFAULT);
	lim.max_events = 999;
	assert_null(rec = record_read_limited(path, &lim, err, sizeof err));
	assert_non_null(strstr(err, "many.jsonl:1001: more than 999 events: "
	    "the most a recording is read with (--max-events raises it)"));
	lim.max_events = 1001;	/* the end record is one too */
	assert_non_null(rec = record_read_limited(path, &lim, err,
	    sizeof err));
	assert_int_equal(rec->runs[0].nevents, 1000);
	record_free(rec);
	record_limits_default(&lim);
	lim.max_bytes = 4096;
	assert_null(rec = record_read_limited(path, &lim, err, sizeof err));
	assert_non_null(strstr(err, ": more than 4096 bytes (once inflated): "
	    "the most a recording is read with (--max-bytes raises it)"));
	lim.max_bytes = 1 << 20;
	assert_null(rec = record_read_limited(th_recording("big.jsonl", TH_EV,
	    20000, false), &lim, err, sizeof err));
	assert_non_null(strstr(err, "more than 1 MiB (once inflated)"));
	/* Runs have a limit of their own: nobody restarts 10,000 times. */
	assert_null(rec = record_read(th_recording("restarts.jsonl", TH_RUN,
	    RECORD_MAX_RUNS, false), err, sizeof err));
	assert_non_null(strstr(err, "more than 10000 runs (restarts)"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_every_control_character_is_shown_as_python_writes_it),
		cmocka_unit_test(test_an_escape_is_never_cut_in_two),
		cmocka_unit_test(test_widths_are_those_of_what_is_drawn),
		cmocka_unit_test(
		    test_numbers_are_decimal_digits_and_nothing_else),
		cmocka_unit_test(
		    test_numeric_options_name_their_range_and_refuse_blanks_and_hex),
		cmocka_unit_test(
		    test_an_empty_file_name_and_one_file_twice_are_usage_errors),
		cmocka_unit_test(
		    test_a_symbolic_link_at_the_temporary_is_never_followed),
		cmocka_unit_test(test_a_temporary_left_by_a_crash_is_left_alone),
		cmocka_unit_test(
		    test_a_recording_of_8000_runs_is_read_with_a_handful_of_reallocs),
		cmocka_unit_test(
		    test_a_recording_past_its_limits_is_refused_naming_the_limit),
	};

	/* Widths in UTF-8, as a terminal that shows é draws them. */
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "C");
	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
