/* The engine in simulated time: the lesson's totals, orders and states. */
#include "config.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

/* Output lines of a variant, in order, joined by '|'. */
static void
output_of(const struct tl_variant *v, char *buf, size_t len)
{
	size_t	i;

	buf[0] = '\0';
	for (i = 0; i < v->nout; i++) {
		if (i > 0)
			strncat(buf, "|", len - strlen(buf) - 1);
		strncat(buf, v->out[i].text, len - strlen(buf) - 1);
	}
}

static void
test_gather_sync_runs_the_three_sleeps_one_after_another(void **state)
{
	struct timeline		*tl = tu_run_demo("gather", NULL, 0);
	const struct tl_variant	*v = tu_variant(tl, "sync");
	char			 out[512];

	(void)state;
	assert_int_equal(v->total, SEC(30));
	output_of(v, out, sizeof out);
	assert_string_equal(out, "Daniel|Donna|Diane|"
	    "Durée totale d'exécution: 30.00 secondes");
	assert_int_equal(v->out[0].vtime, SEC(10));
	assert_int_equal(v->out[1].vtime, SEC(20));
	assert_int_equal(v->out[2].vtime, SEC(30));
	timeline_free(tl);
}

static void
test_gather_async_overlaps_the_three_sleeps(void **state)
{
	struct timeline		*tl = tu_run_demo("gather", NULL, 0);
	const struct tl_variant	*v = tu_variant(tl, "async");
	char			 out[512];
	size_t			 i;

	(void)state;
	assert_int_equal(v->total, SEC(10));
	output_of(v, out, sizeof out);
	assert_string_equal(out, "Daniel|Donna|Diane|"
	    "Durée totale d'exécution: 10.00 secondes");
	for (i = 0; i < 3; i++)
		assert_int_equal(v->out[i].vtime, SEC(10));
	timeline_free(tl);
}

/*
 * The seconds a variant printed in its last line ("...: 20.22 secondes"),
 * in nanoseconds, and that its total rounds to them.
 */
static void
assert_printed_total(const struct tl_variant *v)
{
	const char	*last = v->out[v->nout - 1].text, *colon;
	double		 secs;

	colon = strrchr(last, ':');
	assert_non_null(colon);
	secs = strtod(colon + 1, NULL);
	assert_true(secs * 1e9 - (double)v->total <= 0.005e9 + 1);
	assert_true((double)v->total - secs * 1e9 <= 0.005e9 + 1);
}

/*
 * The lines a program printed under /usr/bin/python3, joined by '|': its
 * stdout, or with stderr true its stderr.
 */
static void
python_output(const char *path, bool stderr_, char *buf, size_t len)
{
	char	 cmd[PATH_MAX + 64], line[512];
	FILE	*p;

	snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s'%s", path,
	    stderr_ ? " 2>&1 >/dev/null" : "");
	assert_non_null(p = popen(cmd, "r"));
	buf[0] = '\0';
	while (fgets(line, sizeof line, p) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (buf[0] != '\0')
			strncat(buf, "|", len - strlen(buf) - 1);
		strncat(buf, line, len - strlen(buf) - 1);
	}
	assert_int_equal(pclose(p), 0);
}

/* Python's own digits: the first two of 5 ** 100000 and 3 ** 100000. */
static void
python_digits(char *buf, size_t len)
{
	python_output(tu_source("digits",
	    "import sys\n"
	    "sys.set_int_max_str_digits(0)\n"
	    "print(str(5 ** 100000)[:2])\n"
	    "print(str(3 ** 100000)[:2])\n"), false, buf, len);
}

static void
test_tasks_sync_prints_the_name_before_the_digits(void **state)
{
	struct timeline		*tl = tu_run_demo("tasks", NULL, 0);
	const struct tl_variant	*v = tu_variant(tl, "sync");
	char			 out[512], digits[64], want[128];

	(void)state;
	assert_int_equal(v->nout, 4);
	output_of(v, out, sizeof out);
	python_digits(digits, sizeof digits);
	snprintf(want, sizeof want, "Daniel|%s|", digits);
	assert_memory_equal(out, want, strlen(want));
	assert_printed_total(v);
	/* The sleep, then each calculation's CPU in turn. */
	assert_int_equal(v->out[0].vtime, SEC(10));
	assert_true(v->out[1].vtime > SEC(10));
	assert_true(v->out[2].vtime > v->out[1].vtime);
	assert_int_equal(v->out[3].vtime, v->total);
	assert_int_equal(v->total, v->out[2].vtime);
	timeline_free(tl);
}

static void
test_tasks_async_calculations_run_while_the_timer_waits(void **state)
{
	struct timeline		*tl = tu_run_demo("tasks", NULL, 0);
	const struct tl_variant	*v = tu_variant(tl, "async");
	char			 out[512], digits[64], want[128];

	(void)state;
	assert_int_equal(v->nout, 4);
	output_of(v, out, sizeof out);
	python_digits(digits, sizeof digits);
	snprintf(want, sizeof want, "%s|Daniel|", digits);
	assert_memory_equal(out, want, strlen(want));
	/* Far under 10 s of CPU: the timer is on time, the total 10 s. */
	assert_true(v->out[0].vtime > 0);
	assert_true(v->out[1].vtime > v->out[0].vtime);
	assert_true(v->out[1].vtime < SEC(10));
	assert_int_equal(v->out[2].vtime, SEC(10));
	assert_int_equal(v->total, SEC(10));
	assert_printed_total(v);
	timeline_free(tl);
}

/* A timer due at 1 ms while another task computes for far longer. */
static const char late_source[] =
    "import asyncio\n"
    "\n"
    "async def sleeper():\n"
    "    await asyncio.sleep(0.001)\n"
    "    print('late')\n"
    "\n"
    "async def work():\n"
    "    total = 0\n"
    "    for i in range(300000):\n"
    "        total += i\n"
    "    print(total)\n"
    "\n"
    "async def main():\n"
    "    await asyncio.gather(sleeper(), work())\n"
    "\n"
    "asyncio.run(main())\n";

static void
test_a_timer_delayed_by_cpu_work_fires_late_by_exactly_that_work(void **state)
{
	struct timeline			*tl = tu_run_source("async",
					    late_source);
	const struct tl_variant		*v = &tl->v[0];
	const struct tl_task		*sleeper = tu_task(v, "sleeper()");
	const struct tl_task		*work = tu_task(v, "work()");
	const struct trace_event	*fire;
	enum task_state			 got[16];
	vtime_t				 when[16];
	size_t				 n;

	(void)state;
	n = tu_states(tl, 0, work->id, got, when, 16);
	assert_true(n >= 2);
	assert_int_equal(got[n - 1], TASK_DONE);
	assert_true(when[n - 1] > SEC(0.001));
	fire = tu_find(tl, 0, TRACE_TIMER_FIRE, sleeper->id, 0);
	assert_non_null(fire);
	assert_int_equal(fire->a, SEC(0.001));		/* due */
	assert_int_equal(fire->vtime, when[n - 1]);	/* when work ended */
	assert_int_equal(timeline_more(sleeper)->max_late,
	    when[n - 1] - SEC(0.001));
	assert_int_equal(timeline_more(sleeper)->timers_fired, 1);
	assert_null(tu_find(tl, 0, TRACE_TIMER_FIRE, sleeper->id, 1));
	timeline_free(tl);
}

static void
test_a_gathered_coroutine_waits_on_its_timer_then_runs(void **state)
{
	static const enum task_state want[] = { TASK_READY, TASK_RUNNING,
	    TASK_WAITING_TIMER, TASK_READY, TASK_RUNNING, TASK_DONE };
	static const vtime_t at[] = { 0, 0, 0, SEC(10), SEC(10), SEC(10) };
	struct timeline		*tl = tu_run_demo("gather", NULL, 0);
	const struct tl_variant	*v = tu_variant(tl, "async");
	const struct tl_task	*t = tu_task(v, "name_async('Donna')");
	enum task_state		 got[16];
	vtime_t			 when[16];
	size_t			 n, i;

	(void)state;
	n = tu_states(tl, (size_t)(v - tl->v), t->id, got, when, 16);
	assert_int_equal(n, sizeof want / sizeof want[0]);
	for (i = 0; i < n; i++) {
		assert_int_equal(got[i], want[i]);
		assert_int_equal(when[i], at[i]);
	}
	assert_int_equal(t->kind, TASK_KIND_TASK);
	timeline_free(tl);
}

static void
test_a_sync_call_blocks_the_thread_in_turn(void **state)
{
	static const enum task_state want[] = { TASK_RUNNING, TASK_BLOCKED,
	    TASK_RUNNING, TASK_DONE };
	static const vtime_t at[] = { SEC(10), SEC(10), SEC(20), SEC(20) };
	struct timeline		*tl = tu_run_demo("gather", NULL, 0);
	const struct tl_variant	*v = tu_variant(tl, "sync");
	const struct tl_task	*t = tu_task(v, "name('Donna')");
	enum task_state		 got[16];
	vtime_t			 when[16];
	size_t			 n, i;

	(void)state;
	n = tu_states(tl, (size_t)(v - tl->v), t->id, got, when, 16);
	assert_int_equal(n, sizeof want / sizeof want[0]);
	for (i = 0; i < n; i++) {
		assert_int_equal(got[i], want[i]);
		assert_int_equal(when[i], at[i]);
	}
	assert_int_equal(t->kind, TASK_KIND_FUNCTION);
	/* A synchronous program has no loop to show. */
	assert_int_equal(tu_count(tl, (size_t)(v - tl->v), TRACE_LOOP_ITER), 0);
	timeline_free(tl);
}

static void
test_loop_iterations_report_the_ready_queue_and_timers(void **state)
{
	/* main; its three children; their timers; gather's callbacks; main. */
	static const uint32_t ready[] = { 1, 3, 3, 3, 1 };
	struct timeline			*tl = tu_run_demo("gather", NULL, 0);
	const struct tl_variant		*v = tu_variant(tl, "async");
	const struct trace_event	*ev;
	size_t				 vi = (size_t)(v - tl->v), i;

	(void)state;
	assert_int_equal(tu_count(tl, vi, TRACE_LOOP_ITER), 5);
	for (i = 0; i < 5; i++) {
		ev = tu_find(tl, vi, TRACE_LOOP_ITER, 0, i);
		assert_int_equal(ev->a, (int64_t)i + 1);
		assert_int_equal(ev->n_ready, ready[i]);
		assert_int_equal(ev->n_timers, 0);
	}
	assert_int_equal(tu_find(tl, vi, TRACE_LOOP_ITER, 0, 2)->vtime,
	    SEC(10));
	assert_int_equal(v->iteration, 5);
	timeline_free(tl);
}

static void
test_calling_a_coroutine_function_runs_nothing_and_warns(void **state)
{
	static const char *const names[] = { "call" };
	struct timeline		*tl = tu_run_demo("hello", names, 1);
	const struct tl_variant	*v = tu_variant(tl, "call");
	const struct tl_task	*m = tu_task(v, "main()");
	enum task_state		 got[8];
	char			 path[PATH_MAX + 64], warned[512];
	size_t			 n;

	(void)state;
	/* Python's own warning, on stderr. */
	snprintf(path, sizeof path, "%s/demos/hello/call.py",
	    LOOPSCOPE_SRCDIR);
	python_output(path, true, warned, sizeof warned);
	assert_int_equal(v->nout, 2);
	assert_false(v->out[0].is_stderr);
	assert_memory_equal(v->out[0].text, "<coroutine object main at 0x",
	    28);
	assert_true(v->out[1].is_stderr);
	assert_string_equal(v->out[1].text, warned);
	n = tu_states(tl, 0, m->id, got, NULL, 8);
	assert_int_equal(n, 1);		/* never ran: discarded */
	assert_int_equal(got[0], TASK_CANCELLED);
	assert_int_equal(m->reason, REASON_NEVER_AWAITED);
	assert_int_equal(m->kind, TASK_KIND_COROUTINE);
	timeline_free(tl);
}

static void
test_running_a_coroutine_through_the_loop_prints_its_sentence(void **state)
{
	static const char *const names[] = { "run" };
	struct timeline		*tl = tu_run_demo("hello", names, 1);
	const struct tl_variant	*v = tu_variant(tl, "run");

	(void)state;
	assert_int_equal(v->nout, 1);
	assert_string_equal(v->out[0].text, "Nous découvrons les coroutines");
	assert_int_equal(tu_task(v, "main()")->state, TASK_DONE);
	timeline_free(tl);
}

/* main gathers a (3 s), b (1 s), c (2 s): they finish b, c, a. */
static const char gather_order_source[] =
    "import asyncio\n"
    "\n"
    "async def a():\n"
    "    await asyncio.sleep(3)\n"
    "    print('a()')\n"
    "    return 'a'\n"
    "\n"
    "async def b():\n"
    "    await asyncio.sleep(1)\n"
    "    print('b()')\n"
    "    return 'b'\n"
    "\n"
    "async def c():\n"
    "    await asyncio.sleep(2)\n"
    "    print('c()')\n"
    "    return 'c'\n"
    "\n"
    "async def main():\n"
    "    results = await asyncio.gather(a(), b(), c())\n"
    "    print(results)\n"
    "\n"
    "asyncio.run(main())\n";

static void
test_gather_returns_results_in_call_order_not_finish_order(void **state)
{
	struct timeline		*tl = tu_run_source("async",
				    gather_order_source);
	const struct tl_variant	*v = &tl->v[0];
	char			 out[256];

	(void)state;
	output_of(v, out, sizeof out);
	assert_string_equal(out, "b()|c()|a()|['a', 'b', 'c']");
	assert_int_equal(v->total, SEC(3));
	timeline_free(tl);
}

/* Two tasks that print then sleep(0), n times each. */
static struct session *
yield_session(unsigned long n, const char *const *args)
{
	char	src[1024];

	snprintf(src, sizeof src,
	    "import asyncio\n"
	    "\n"
	    "async def ping():\n"
	    "    for _ in range(%lu):\n"
	    "        print('ping')\n"
	    "        await asyncio.sleep(0)\n"
	    "\n"
	    "async def pong():\n"
	    "    for _ in range(%lu):\n"
	    "        print('pong')\n"
	    "        await asyncio.sleep(0)\n"
	    "\n"
	    "async def main():\n"
	    "    a = asyncio.ensure_future(ping())\n"
	    "    b = asyncio.ensure_future(pong())\n"
	    "    await a\n"
	    "    await b\n"
	    "\n"
	    "asyncio.run(main())\n", n, n);
	return tu_session(tu_source("async", src), NULL, 0, args);
}

static void
test_sleep_zero_yields_to_the_other_ready_tasks(void **state)
{
	struct timeline		*tl = tu_finish(yield_session(3, NULL));
	char			 out[256];

	(void)state;
	output_of(&tl->v[0], out, sizeof out);
	assert_string_equal(out, "ping|pong|ping|pong|ping|pong");
	assert_int_equal(tl->v[0].total, 0);
	timeline_free(tl);
}

static void
test_many_events_keep_the_ring_and_the_model_bounded(void **state)
{
	struct session		*s;
	struct timeline		*tl;
	const struct tl_task	*ping;
	size_t			 before, iters = 30000;

	(void)state;
	s = yield_session(iters, NULL);
	tl = timeline_new(50000);
	session_run(s, tl);
	assert_true(session_ring_high_water(s, 0) <=
	    session_ring_capacity(s, 0));
	session_free(s);

	/* Every event arrived: one loop turn per round, two prints each. */
	assert_int_equal(tl->v[0].nout, 2 * iters);
	assert_true(tl->v[0].iteration >= iters);
	/* A turn, two starts, two prints, two waits: 7 events a round. */
	assert_true(tl->v[0].nevents >= 7 * iters);
	/* The model folded 30,000 rounds into a handful of segments. */
	ping = tu_task(&tl->v[0], "ping()");
	assert_true(ping->nsegs <= 16);
	/* The stepping log kept to its limit. */
	assert_true(tl->nlog <= 50000);
	assert_true(tl->log_dropped > 0);
	before = timeline_bytes(tl);
	assert_true(before < (size_t)64 << 20);
	timeline_free(tl);
}

/*
 * In the real clock every event reads the clock as it happens: the events
 * of one loop turn do not all share the time of the first (in the
 * simulated clock they do).
 */
static void
test_the_real_clock_stamps_each_event_as_it_happens(void **state)
{
	static const char *const real[] = { "--clock", "real", NULL };
	struct timeline		*tl;
	struct trace_event	 ev;
	size_t			 k, pairs = 0, later = 0;
	vtime_t			 last = -1;

	(void)state;
	tl = tu_finish(yield_session(200, real));
	for (k = 0; k < tl->nlog; k++) {
		timeline_event(tl, k, &ev);
		if (ev.variant != 0 || ev.type == TRACE_LOOP_ITER) {
			last = -1;	/* a new turn, or the session's own */
			continue;
		}
		if (ev.type == TRACE_TASK_STATE && last >= 0) {
			pairs++;
			if (ev.vtime > last)
				later++;
		}
		last = ev.vtime;
	}
	/* A third of them here: a change of state takes a microsecond. */
	assert_true(pairs > 400);
	assert_true(later > pairs / 10);
	timeline_free(tl);
}

/* main makes a long sleeper a task and returns after 1 s. */
static void
test_closing_the_loop_cancels_pending_tasks(void **state)
{
	static const char	 src[] =
	    "import asyncio\n"
	    "\n"
	    "async def sleeper():\n"
	    "    await asyncio.sleep(100)\n"
	    "\n"
	    "async def main():\n"
	    "    asyncio.ensure_future(sleeper())\n"
	    "    await asyncio.sleep(1)\n"
	    "\n"
	    "asyncio.run(main())\n";
	struct timeline		*tl = tu_run_source("async", src);
	const struct tl_task	*t;

	(void)state;
	t = tu_task(&tl->v[0], "sleeper()");
	assert_int_equal(t->state, TASK_CANCELLED);
	assert_int_equal(t->since, SEC(1));
	assert_int_equal(tl->v[0].total, SEC(1));
	timeline_free(tl);
}

static void
test_awaiting_a_coroutine_twice_fails_the_task(void **state)
{
	static const char	 src[] =
	    "import asyncio\n"
	    "\n"
	    "async def c():\n"
	    "    print('in c')\n"
	    "\n"
	    "async def main():\n"
	    "    coro = c()\n"
	    "    await coro\n"
	    "    await coro\n"
	    "\n"
	    "asyncio.run(main())\n";
	struct timeline		*tl = tu_run_source("async", src);
	const struct tl_variant	*v = &tl->v[0];

	(void)state;
	assert_int_equal(tu_task(v, "main()")->state, TASK_FAILED);
	assert_true(v->nout >= 2);
	assert_string_equal(v->out[0].text, "in c");
	assert_true(v->out[v->nout - 1].is_stderr);
	assert_string_equal(v->out[v->nout - 1].text,
	    "RuntimeError: cannot reuse already awaited coroutine");
	timeline_free(tl);
}

/*
 * Poll a real-clock session until a task is in a state: for up to 20 s
 * and more, as a variant's thread under valgrind on a busy host may take
 * seconds to get that far.
 */
static void
wait_for_state(struct session *s, struct timeline *tl, size_t vi,
    const char *task, enum task_state st)
{
	int	tries;
	size_t	i;

	for (tries = 0; tries < 20000; tries++) {
		session_poll(s, tl);
		for (i = 0; i < tl->v[vi].ntasks; i++)
			if (strcmp(tl->v[vi].tasks[i].name, task) == 0 &&
			    tl->v[vi].tasks[i].state == st)
				return;
		usleep(1000);
	}
	fail_msg("%s never reached %s", task, trace_state_name(st));
}

static void
test_freeing_a_running_session_stops_its_children(void **state)
{
	static const char *const real[] = { "--clock", "real", NULL };
	struct session		*s = tu_session("tasks", NULL, 0, real);
	struct timeline		*tl = timeline_new(0);

	(void)state;
	/* session_start returns at once: the variants run in their children. */
	assert_int_equal(session_start(s), 0);
	assert_false(session_finished(s));
	wait_for_state(s, tl, 0, "name()", TASK_BLOCKED);
	session_free(s);	/* must interrupt a 10 s time.sleep */
	assert_false(timeline_finished(tl));
	timeline_free(tl);
}

/* A task's states and the lines it stood on in each, from the trace. */
static size_t
lines_of(const struct timeline *tl, size_t variant, uint32_t task,
    enum task_state *states, int *lines, size_t max)
{
	struct trace_event	ev;
	size_t			i, n = 0;

	for (i = 0; i < tl->nlog; i++) {
		timeline_event(tl, i, &ev);
		if (ev.variant != variant || ev.type != TRACE_TASK_STATE ||
		    ev.task != task)
			continue;
		if (n < max) {
			states[n] = ev.state;
			lines[n] = ev.line;
		}
		n++;
	}
	return n;
}

/* Each state of a task stands on its line: the awaits, not the next one. */
static void
assert_lines(const struct timeline *tl, const char *variant,
    const char *task, const enum task_state *want, const int *at, size_t nw)
{
	const struct tl_variant	*v = tu_variant(tl, variant);
	const struct tl_task	*t = tu_task(v, task);
	enum task_state		 got[16];
	int			 line[16];
	size_t			 n, i;

	n = lines_of(tl, (size_t)(v - tl->v), t->id, got, line, 16);
	assert_int_equal(n, nw);
	for (i = 0; i < n; i++) {
		assert_int_equal(got[i], want[i]);
		assert_int_equal(line[i], at[i]);
	}
}

static void
test_a_waiting_task_stands_on_the_line_it_waits_in(void **state)
{
	/*
	 * async: made a task on line 17, starts on its def (7), awaits
	 * asyncio.sleep(10) on line 8 and wakes there.
	 */
	static const enum task_state aw[] = { TASK_READY, TASK_RUNNING,
	    TASK_WAITING_TIMER, TASK_READY, TASK_RUNNING, TASK_DONE };
	static const int al[] = { 17, 7, 8, 8, 8, 8 };
	/* sync: blocked in time.sleep(10), line 7, and back from it there. */
	static const enum task_state sw[] = { TASK_RUNNING, TASK_BLOCKED,
	    TASK_RUNNING, TASK_DONE };
	static const int sl[] = { 0, 7, 7, 7 };
	struct timeline		*tl = tu_run_demo("tasks", NULL, 0);

	(void)state;
	assert_lines(tl, "async", "name()", aw, al, 6);
	assert_lines(tl, "sync", "name()", sw, sl, 4);
	timeline_free(tl);
}

static void
test_a_gathering_task_stands_on_its_gather(void **state)
{
	/* main: made by asyncio.run (22), gathers on line 19. */
	static const enum task_state want[] = { TASK_READY, TASK_RUNNING,
	    TASK_WAITING_TASK, TASK_READY, TASK_RUNNING, TASK_DONE };
	static const int at[] = { 22, 18, 19, 19, 19, 19 };
	/* a(): made by the gather, sleeps on its await, line 4. */
	static const enum task_state kw[] = { TASK_READY, TASK_RUNNING,
	    TASK_WAITING_TIMER, TASK_READY, TASK_RUNNING, TASK_DONE };
	static const int kl[] = { 19, 3, 4, 4, 4, 4 };
	struct timeline		*tl = tu_run_source("async",
				    gather_order_source);

	(void)state;
	assert_lines(tl, "async", "main()", want, at, 6);
	assert_lines(tl, "async", "a()", kw, kl, 6);
	timeline_free(tl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gather_sync_runs_the_three_sleeps_one_after_another),
		cmocka_unit_test(test_gather_async_overlaps_the_three_sleeps),
		cmocka_unit_test(test_tasks_sync_prints_the_name_before_the_digits),
		cmocka_unit_test(test_tasks_async_calculations_run_while_the_timer_waits),
		cmocka_unit_test(test_a_timer_delayed_by_cpu_work_fires_late_by_exactly_that_work),
		cmocka_unit_test(test_a_gathered_coroutine_waits_on_its_timer_then_runs),
		cmocka_unit_test(test_a_sync_call_blocks_the_thread_in_turn),
		cmocka_unit_test(test_loop_iterations_report_the_ready_queue_and_timers),
		cmocka_unit_test(test_calling_a_coroutine_function_runs_nothing_and_warns),
		cmocka_unit_test(test_running_a_coroutine_through_the_loop_prints_its_sentence),
		cmocka_unit_test(test_gather_returns_results_in_call_order_not_finish_order),
		cmocka_unit_test(test_sleep_zero_yields_to_the_other_ready_tasks),
		cmocka_unit_test(test_many_events_keep_the_ring_and_the_model_bounded),
		cmocka_unit_test(test_the_real_clock_stamps_each_event_as_it_happens),
		cmocka_unit_test(test_closing_the_loop_cancels_pending_tasks),
		cmocka_unit_test(test_awaiting_a_coroutine_twice_fails_the_task),
		cmocka_unit_test(test_freeing_a_running_session_stops_its_children),
		cmocka_unit_test(test_a_waiting_task_stands_on_the_line_it_waits_in),
		cmocka_unit_test(test_a_gathering_task_stands_on_its_gather),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
