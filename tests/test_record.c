/* Recordings: what is written is read back, event for event; bad files. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record-view.h"
#include "testutil.h"

static char	tr_dir[] = "/tmp/loopscope-test-record.XXXXXX";

static int
tr_setup(void **state)
{
	(void)state;
	return mkdtemp(tr_dir) != NULL ? 0 : -1;
}

static int
tr_teardown(void **state)
{
	char	cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tr_dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A path in the scratch directory. */
static const char *
tr_path(const char *name)
{
	static char	buf[4][256];
	static int	i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%s/%s", tr_dir, name);
	return buf[i];
}

static void
tr_write(const char *path, const char *text)
{
	FILE	*f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

static bool
tr_exists(const char *path)
{
	struct stat	st;

	return stat(path, &st) == 0;
}

static const struct record_header tr_header = {
	.speed = 2.0, .clock = CLOCK_SIM, .paused = true, .cols = 120,
	.rows = 40
};

/*
 * Run a demo in simulated time as the UI does, recording to path; returns
 * the model the views would have drawn.
 */
static struct timeline *
tr_run_recorded(const char *demo, const char *path)
{
	struct record_run	 run;
	struct session		*s = tu_session(demo, NULL, 0, NULL);
	struct timeline		*tl;
	struct record		*r;
	char			 err[512];

	record_run_programs(&run, s, demo);
	r = record_open(path, &tr_header, &run, err, sizeof err);
	if (r == NULL)
		fail_msg("record_open: %s", err);
	record_run_clear(&run);
	assert_int_equal(record_attach(r, s), 0);
	tl = timeline_new(0);
	assert_non_null(tl);
	assert_int_equal(session_start(s), 0);
	for (;;) {
		session_poll(s, tl);
		if (session_finished(s))
			break;
		session_sleep(s);
	}
	session_poll(s, tl);
	session_free(s);
	if (record_close(r, err, sizeof err) != 0)
		fail_msg("record_close: %s", err);
	assert_true(timeline_finished(tl));
	return tl;
}

/* Two models are the same: every event of the log, then what it implies. */
static void
tr_assert_same(const struct timeline *a, const struct timeline *b)
{
	struct trace_event	ea, eb;
	size_t			i, j, k;

	assert_int_equal(a->nlog, b->nlog);
	for (i = 0; i < a->nlog; i++) {
		timeline_event(a, i, &ea);
		timeline_event(b, i, &eb);
		if (!record_event_equal(&ea, &eb))
			fail_msg("event %zu of the log differs (%s, %s)", i,
			    trace_type_name(ea.type), trace_type_name(eb.type));
	}
	assert_int_equal(a->nvariants, b->nvariants);
	assert_int_equal(a->now, b->now);
	for (i = 0; i < a->nvariants; i++) {
		const struct tl_variant *va = &a->v[i], *vb = &b->v[i];

		assert_string_equal(va->name, vb->name);
		assert_int_equal(va->total, vb->total);
		assert_int_equal(va->ntasks, vb->ntasks);
		assert_int_equal(va->nout, vb->nout);
		for (j = 0; j < va->nout; j++)
			assert_string_equal(va->out[j].text, vb->out[j].text);
		for (j = 0; j < va->ntasks; j++) {
			assert_string_equal(va->tasks[j].name,
			    vb->tasks[j].name);
			assert_int_equal(va->tasks[j].nsegs,
			    vb->tasks[j].nsegs);
			for (k = 0; k < va->tasks[j].nsegs; k++) {
				assert_int_equal(va->tasks[j].segs[k].start,
				    vb->tasks[j].segs[k].start);
				assert_int_equal(va->tasks[j].segs[k].end,
				    vb->tasks[j].segs[k].end);
				assert_int_equal(va->tasks[j].segs[k].state,
				    vb->tasks[j].segs[k].state);
			}
		}
	}
}

/* Record a demo, read it back, fold it again: the same timeline. */
static void
tr_round_trip(const char *demo, const char *file)
{
	const char		*path = tr_path(file);
	struct timeline		*live, *again;
	struct recording	*rec;
	char			 err[512];
	char			 tmp[300];

	live = tr_run_recorded(demo, path);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	assert_false(tr_exists(tmp));
	rec = record_read(path, err, sizeof err);
	if (rec == NULL)
		fail_msg("record_read: %s", err);
	assert_string_equal(rec->warning, "");
	assert_true(rec->complete);
	assert_int_equal(rec->h.version, RECORD_VERSION);
	assert_string_equal(rec->h.loopscope, PACKAGE_VERSION);
	assert_int_equal(rec->h.clock, CLOCK_SIM);
	assert_true(rec->h.speed == 2.0);
	assert_true(rec->h.paused);
	assert_int_equal(rec->h.cols, 120);
	assert_int_equal(rec->h.rows, 40);
	assert_int_equal(rec->nruns, 1);
	assert_string_equal(rec->runs[0].demo, demo);
	assert_int_equal(rec->runs[0].nvariants,
	    demos_find(demo)->nvariants);
	assert_string_equal(rec->runs[0].variants[0].name,
	    demos_find(demo)->variants[0].name);
	assert_true(strlen(rec->runs[0].variants[0].source) > 20);
	assert_int_equal(rec->runs[0].nevents, live->nlog);
	again = record_timeline(&rec->runs[0], 0);
	assert_non_null(again);
	tr_assert_same(live, again);
	timeline_free(again);
	timeline_free(live);
	record_free(rec);
}

static void
test_every_demo_reads_back_to_the_same_timeline(void **state)
{
	(void)state;
	tr_round_trip("hello", "hello.jsonl");
	tr_round_trip("gather", "gather.jsonl");
	tr_round_trip("tasks", "tasks.jsonl");
}

static void
test_a_gz_name_writes_gzip_and_reads_back_the_same(void **state)
{
	FILE		*f;
	unsigned char	 magic[2];

	(void)state;
	tr_round_trip("tasks", "tasks.jsonl.gz");
	f = fopen(tr_path("tasks.jsonl.gz"), "rb");
	assert_non_null(f);
	assert_int_equal(fread(magic, 1, 2, f), 2);
	fclose(f);
	assert_int_equal(magic[0], 0x1f);
	assert_int_equal(magic[1], 0x8b);
}

/* An action's view, every field set to something other than its default. */
static void
tr_view(struct record_view *v, int n)
{
	memset(v, 0, sizeof *v);
	v->t = SEC(n) + 5;
	v->k = (size_t)n * 3;
	v->following = n % 2;
	v->view.paused = !(n % 2);
	v->view.stepping = true;
	v->view.speed = 0.5 * n;
	v->view.selected = n;
	v->view.scroll = n - 1;
	v->view.source = false;
	v->overlay = RECORD_VIEW_OVERLAY_DETAILS;
	v->view.fold[1] = -1;
	v->view.fold[2] = 1;
	v->cols = 80;
	v->rows = 24;
	snprintf(v->message, sizeof v->message, " end of the trace %d ", n);
}

static void
test_actions_and_restarts_read_back_with_their_views(void **state)
{
	const char		*path = tr_path("actions.jsonl");
	struct record_run	 run = { 0 };
	struct trace_event	 ev = { 0 };
	struct recording	*rec;
	struct record		*r;
	struct record_view	 view, got, want;
	char			 err[512];

	(void)state;
	run.demo = "gather";
	run.nvariants = 1;
	run.variants[0].name = "async";
	run.variants[0].kind = VARIANT_ASYNC;
	run.variants[0].source = "import asyncio\n";
	r = record_open(path, &tr_header, &run, err, sizeof err);
	assert_non_null(r);
	tr_view(&view, 2);
	ev.type = TRACE_PRINT;
	ev.text = "Daniel, l'été";
	ev.vtime = SEC(10);
	assert_int_equal(record_event(r, &ev), 0);
	assert_int_equal(record_view_write(r, RECORD_VIEW_STEP, &view), 0);
	run.demo = "tasks";
	assert_int_equal(record_restart(r, &run), 0);
	tr_view(&view, 3);
	assert_int_equal(record_view_write(r, RECORD_VIEW_SEEK, &view), 0);
	assert_int_equal(record_close(r, err, sizeof err), 0);

	rec = record_view_read(path, NULL, err, sizeof err);
	if (rec == NULL)
		fail_msg("%s", err);
	assert_int_equal(rec->nruns, 2);
	assert_string_equal(rec->runs[0].demo, "gather");
	assert_string_equal(rec->runs[1].demo, "tasks");
	assert_int_equal(rec->runs[0].variants[0].kind, VARIANT_ASYNC);
	assert_string_equal(rec->runs[0].variants[0].source,
	    "import asyncio\n");
	assert_int_equal(rec->runs[0].nevents, 1);
	assert_string_equal(rec->runs[0].events[0].text, "Daniel, l'été");
	assert_int_equal(rec->runs[0].nactions, 1);
	assert_int_equal(record_view_of(rec, &rec->runs[0].actions[0], &got),
	    RECORD_VIEW_STEP);
	assert_int_equal(rec->runs[0].actions[0].events, 1);
	tr_view(&want, 2);
	assert_memory_equal(&got, &want, sizeof want);
	assert_int_equal(rec->runs[1].nactions, 1);
	assert_int_equal(record_view_of(rec, &rec->runs[1].actions[0], &got),
	    RECORD_VIEW_SEEK);
	assert_int_equal(rec->runs[1].actions[0].events, 0);
	tr_view(&want, 3);
	assert_memory_equal(&got, &want, sizeof want);
	assert_true(rec->runs[1].actions[0].rtime >=
	    rec->runs[0].actions[0].rtime);
	record_free(rec);
}

/* Until it is closed, FILE is the old one; aborted, it stays so. */
static void
test_the_previous_file_stays_until_the_new_one_is_complete(void **state)
{
	const char		*path = tr_path("keep.jsonl");
	const char		*tmp = tr_path("keep.jsonl.tmp");
	struct record_run	 run = { 0 };
	struct recording	*rec;
	struct record		*r;
	char			 err[512];

	(void)state;
	run.demo = "hello";
	run.nvariants = 1;
	run.variants[0].name = "run";
	tr_write(path, "old\n");
	r = record_open(path, &tr_header, &run, err, sizeof err);
	assert_non_null(r);
	assert_true(tr_exists(tmp));
	rec = record_read(path, err, sizeof err);
	assert_null(rec);
	assert_non_null(strstr(err, "not a loopscope recording"));
	record_abort(r);
	assert_false(tr_exists(tmp));
	rec = record_read(path, err, sizeof err);
	assert_null(rec);

	r = record_open(path, &tr_header, &run, err, sizeof err);
	assert_non_null(r);
	assert_int_equal(record_close(r, err, sizeof err), 0);
	assert_false(tr_exists(tmp));
	rec = record_read(path, err, sizeof err);
	assert_non_null(rec);
	assert_true(rec->complete);
	record_free(rec);
}

/* A full disk: one line, and nothing left behind. */
static void
test_a_full_disk_is_one_line_and_leaves_no_file(void **state)
{
	struct record_run	 run = { 0 };
	struct record		*r;
	char			 err[512];

	(void)state;
	if (!tr_exists("/dev/full"))
		skip();
	run.demo = "hello";
	run.nvariants = 1;
	run.variants[0].name = "run";
	r = record_open("/dev/full", &tr_header, &run, err, sizeof err);
	assert_null(r);
	assert_string_equal(err, "/dev/full: cannot write the recording: "
	    "No space left on device");
	r = record_open(tr_path("no/such/dir.jsonl"), &tr_header, &run, err,
	    sizeof err);
	assert_null(r);
	assert_non_null(strstr(err, "no/such/dir.jsonl: cannot record: "
	    "No such file or directory"));
}

/* A file whose writer died: read up to its last whole line, with a warning. */
static void
test_a_crash_leaves_a_tmp_file_readable_up_to_the_last_flush(void **state)
{
	const char		*path = tr_path("crash.jsonl.gz");
	const char		*copy = tr_path("crashed.jsonl.gz");
	struct record_run	 run = { 0 };
	struct trace_event	 ev = { 0 };
	struct recording	*rec;
	struct record		*r;
	char			 err[512], cmd[700];
	int			 i;

	(void)state;
	run.demo = "hello";
	run.nvariants = 1;
	run.variants[0].name = "run";
	r = record_open(path, &tr_header, &run, err, sizeof err);
	assert_non_null(r);
	ev.type = TRACE_LOOP_ITER;
	for (i = 0; i < 10; i++) {
		ev.seq = (uint32_t)i;
		assert_int_equal(record_event(r, &ev), 0);
	}
	assert_int_equal(record_flush(r, true), 0);
	/* What a crash now would leave: the .tmp as it is on disk. */
	snprintf(cmd, sizeof cmd, "cp '%s.tmp' '%s'", path, copy);
	assert_int_equal(system(cmd), 0);
	record_abort(r);
	rec = record_read(copy, err, sizeof err);
	if (rec == NULL)
		fail_msg("%s", err);
	assert_false(rec->complete);
	assert_int_equal(rec->runs[0].nevents, 10);
	assert_non_null(strstr(rec->warning, "crashed.jsonl.gz:11: warning: "
	    "no end record after line 11"));
	record_free(rec);
}

/* What a bad file says: name, line, problem. */
static void
tr_bad(const char *name, const char *text, const char *want)
{
	const char		*path = tr_path(name);
	struct recording	*rec;
	char			 err[512], full[700];

	if (text != NULL)
		tr_write(path, text);
	rec = record_read(path, err, sizeof err);
	if (rec != NULL)
		fail_msg("%s: read, but should not be", name);
	snprintf(full, sizeof full, "%s%s", path, want);
	assert_string_equal(err, full);
}

#define TR_HEAD	"{\"format\":\"loopscope-recording\",\"version\":1," \
		"\"demo\":\"gather\",\"variants\":[{\"name\":\"sync\"," \
		"\"kind\":\"sync\",\"source\":\"\"}],\"clock\":\"sim\"}\n"
#define TR_EV	"{\"event\":\"print\",\"variant\":0,\"vtime\":1,\"rtime\":0," \
		"\"seq\":0,\"text\":\"x\"}\n"

static void
test_each_kind_of_bad_file_gets_one_line_naming_file_and_line(void **state)
{
	(void)state;
	tr_bad("missing.jsonl", NULL, ": cannot open: No such file or "
	    "directory");
	assert_int_equal(mkdir(tr_path("dir.jsonl"), 0755), 0);
	tr_bad("dir.jsonl", NULL, ": is a directory, not a recording");
	tr_bad("empty.jsonl", "", ": the file is empty: not a loopscope "
	    "recording");
	tr_bad("foreign.txt", "hello, world\n", ":1: not a loopscope "
	    "recording (its first line is not a JSON header)");
	tr_bad("foreign.json", "{\"format\":\"other\"}\n", ":1: not a "
	    "loopscope recording (its first line is no \"format\": "
	    "\"loopscope-recording\" header)");
	tr_bad("newer.jsonl", "{\"format\":\"loopscope-recording\","
	    "\"version\":2}\n", ":1: format version 2 is newer than this "
	    "loopscope reads (1): a newer loopscope wrote it");
	tr_bad("header-cut.jsonl", "{\"format\":\"loopscope-recording\","
	    "\"vers", ":1: truncated inside its header: not a recording yet");
	tr_bad("corrupt.jsonl", TR_HEAD TR_EV "{\"event\":\"print\",]\n" TR_EV,
	    ":3: corrupt JSON at column 18: string or '}' expected near ']'");
	tr_bad("variant.jsonl", TR_HEAD TR_EV
	    "{\"event\":\"print\",\"variant\":3}\n",
	    ":3: variant 3: the run has 1 variants");
	tr_bad("state.jsonl", TR_HEAD "{\"event\":\"task_state\","
	    "\"variant\":0,\"state\":\"asleep\"}\n", ":2: unknown state "
	    "'asleep'");
	tr_bad("type.jsonl", TR_HEAD "{\"event\":\"teleport\"}\n",
	    ":2: unknown event 'teleport'");
	tr_bad("line.jsonl", TR_HEAD "{\"event\":\"print\",\"line\":70000}\n",
	    ":2: 'line' must be a whole number from 0 to 65535");
	tr_bad("record.jsonl", TR_HEAD "{\"what\":1}\n", ":2: not a record "
	    "of a recording (no \"event\", \"action\", \"run\" or \"end\")");
	tr_bad("count.jsonl", TR_HEAD TR_EV "{\"end\":true,\"events\":2,"
	    "\"actions\":0}\n", ":3: the end record counts 2 events, the file "
	    "holds 1");
	tr_bad("after.jsonl", TR_HEAD TR_EV "{\"end\":true,\"events\":1,"
	    "\"actions\":0}\n" TR_EV, ":4: a record after the end record");
}

static void
test_a_last_line_cut_short_is_read_up_to_the_line_before(void **state)
{
	const char		*path = tr_path("cut.jsonl");
	struct recording	*rec;
	char			 err[512], want[700];

	(void)state;
	tr_write(path, TR_HEAD TR_EV TR_EV "{\"event\":\"print\",\"vari");
	rec = record_read(path, err, sizeof err);
	if (rec == NULL)
		fail_msg("%s", err);
	assert_int_equal(rec->runs[0].nevents, 2);
	assert_false(rec->complete);
	snprintf(want, sizeof want, "%s:4: warning: the recording stops in "
	    "the middle of line 4 (cut short by a crash?); read up to line 3",
	    path);
	assert_string_equal(rec->warning, want);
	record_free(rec);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_demo_reads_back_to_the_same_timeline),
		cmocka_unit_test(test_a_gz_name_writes_gzip_and_reads_back_the_same),
		cmocka_unit_test(test_actions_and_restarts_read_back_with_their_views),
		cmocka_unit_test(test_the_previous_file_stays_until_the_new_one_is_complete),
		cmocka_unit_test(test_a_full_disk_is_one_line_and_leaves_no_file),
		cmocka_unit_test(test_a_crash_leaves_a_tmp_file_readable_up_to_the_last_flush),
		cmocka_unit_test(test_each_kind_of_bad_file_gets_one_line_naming_file_and_line),
		cmocka_unit_test(test_a_last_line_cut_short_is_read_up_to_the_line_before),
	};

	return cmocka_run_group_tests(tests, tr_setup, tr_teardown);
}
