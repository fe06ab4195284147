/* The engine in simulated time: the lesson's totals, orders and states. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpu.h"
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

static void
test_tasks_sync_prints_the_name_before_the_digits(void **state)
{
	struct timeline		*tl = tu_run_demo("tasks", NULL, 0);
	const struct tl_variant	*v = tu_variant(tl, "sync");
	char			 out[512];

	(void)state;
	assert_int_equal(v->total, SEC(20.49));
	output_of(v, out, sizeof out);
	assert_string_equal(out, "Daniel|10|17|"
	    "Durée totale d'exécution: 20.49 secondes");
	assert_int_equal(v->out[1].vtime, SEC(15.245));
	timeline_free(tl);
}

static void
test_tasks_async_calculations_hold_the_loop_past_the_timer(void **state)
{
	struct timeline		*tl = tu_run_demo("tasks", NULL, 0);
	const struct tl_variant	*v = tu_variant(tl, "async");
	char			 out[512];

	(void)state;
	assert_int_equal(v->total, SEC(10.49));
	output_of(v, out, sizeof out);
	assert_string_equal(out, "10|17|Daniel|"
	    "Durée totale d'exécution: 10.49 secondes");
	assert_int_equal(v->out[0].vtime, SEC(5.245));
	assert_int_equal(v->out[1].vtime, SEC(10.49));
	assert_int_equal(v->out[2].vtime, SEC(10.49));
	timeline_free(tl);
}

static void
test_a_timer_delayed_by_cpu_work_fires_late_by_exactly_that_work(void **state)
{
	struct timeline			*tl = tu_run_demo("tasks", NULL, 0);
	const struct tl_variant		*v = tu_variant(tl, "async");
	const struct tl_task		*name = tu_task(v, "name()");
	const struct trace_event	*fire;
	size_t				 vi = (size_t)(v - tl->v);

	(void)state;
	fire = tu_find(tl, vi, TRACE_TIMER_FIRE, name->id, 0);
	assert_non_null(fire);
	assert_int_equal(fire->a, SEC(10));		/* due */
	assert_int_equal(fire->vtime, SEC(10.49));	/* fired */
	assert_int_equal(timeline_more(name)->max_late, SEC(0.49));
	assert_int_equal(timeline_more(name)->timers_fired, 1);
	assert_null(tu_find(tl, vi, TRACE_TIMER_FIRE, name->id, 1));
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
	static const uint32_t ready[] = { 1, 3, 3, 1 };
	struct timeline			*tl = tu_run_demo("gather", NULL, 0);
	const struct tl_variant		*v = tu_variant(tl, "async");
	const struct trace_event	*ev;
	size_t				 vi = (size_t)(v - tl->v), i;

	(void)state;
	assert_int_equal(tu_count(tl, vi, TRACE_LOOP_ITER), 4);
	for (i = 0; i < 4; i++) {
		ev = tu_find(tl, vi, TRACE_LOOP_ITER, 0, i);
		assert_int_equal(ev->a, (int64_t)i + 1);
		assert_int_equal(ev->n_ready, ready[i]);
		assert_int_equal(ev->n_timers, 0);
	}
	assert_int_equal(tu_find(tl, vi, TRACE_LOOP_ITER, 0, 2)->vtime,
	    SEC(10));
	assert_int_equal(v->iteration, 4);
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
	size_t			 n;

	(void)state;
	assert_int_equal(v->nout, 2);
	assert_false(v->out[0].is_stderr);
	assert_memory_equal(v->out[0].text, "<coroutine object main at 0x",
	    28);
	assert_true(v->out[1].is_stderr);
	assert_string_equal(v->out[1].text,
	    "RuntimeWarning: coroutine 'main' was never awaited");
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
static struct program *
gather_order_program(void)
{
	static const char src[] = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
	struct program	*p = program_new("async", VARIANT_ASYNC, src);
	const char	*names[3] = { "a()", "b()", "c()" };
	const char	*vals[3] = { "'a'", "'b'", "'c'" };
	int		 secs[3] = { 3, 1, 2 }, kids[3], main_, i;

	for (i = 0; i < 3; i++) {
		kids[i] = program_proc(p, names[i], NULL, true);
		program_sleep(p, kids[i], 1, secs[i] * VTIME_SEC);
		program_print(p, kids[i], 2, names[i]);
		program_return(p, kids[i], 3, vals[i]);
	}
	main_ = program_proc(p, "main()", "main", true);
	program_gather(p, main_, 5, kids, 3);
	program_print(p, main_, 6, "{}");
	program_entry(p, main_);
	return p;
}

static void
test_gather_returns_results_in_call_order_not_finish_order(void **state)
{
	struct program		*p = gather_order_program();
	struct timeline		*tl = tu_run_programs(&p, 1, 0);
	const struct tl_variant	*v = &tl->v[0];
	char			 out[256];

	(void)state;
	output_of(v, out, sizeof out);
	assert_string_equal(out, "b()|c()|a()|['a', 'b', 'c']");
	assert_int_equal(v->total, SEC(3));
	timeline_free(tl);
}

/* Two tasks that print then sleep(0), n times each. */
static struct program *
yield_program(unsigned long n)
{
	static const char src[] = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
	struct program	*p = program_new("async", VARIANT_ASYNC, src);
	int		 a, b, main_;

	a = program_proc(p, "ping()", NULL, true);
	program_print(p, a, 1, "ping");
	program_sleep(p, a, 2, 0);
	program_repeat(p, a, 3, 0, n - 1);
	b = program_proc(p, "pong()", NULL, true);
	program_print(p, b, 4, "pong");
	program_sleep(p, b, 5, 0);
	program_repeat(p, b, 6, 0, n - 1);
	main_ = program_proc(p, "main()", "main", true);
	program_spawn(p, main_, 7, a, 0);
	program_spawn(p, main_, 8, b, 1);
	program_await_slot(p, main_, 9, 0);
	program_await_slot(p, main_, 9, 1);
	program_entry(p, main_);
	return p;
}

static void
test_sleep_zero_yields_to_the_other_ready_tasks(void **state)
{
	struct program		*p = yield_program(3);
	struct timeline		*tl = tu_run_programs(&p, 1, 0);
	char			 out[256];

	(void)state;
	output_of(&tl->v[0], out, sizeof out);
	assert_string_equal(out, "ping|pong|ping|pong|ping|pong");
	assert_int_equal(tl->v[0].total, 0);
	timeline_free(tl);
}

static void
test_a_million_events_keep_the_ring_and_the_model_bounded(void **state)
{
	struct session_config	 cfg = { CLOCK_SIM, 1.0, false, 64 };
	struct session		*s;
	struct timeline		*tl;
	const struct tl_task	*ping;
	char			 err[128];
	size_t			 before, iters = 150000;

	(void)state;
	s = session_new(&cfg, err, sizeof err);
	assert_int_equal(session_add(s, yield_program(iters), err,
	    sizeof err), 0);
	tl = timeline_new(50000);
	session_run(s, tl);
	assert_true(session_ring_high_water(s, 0) <=
	    session_ring_capacity(s, 0));
	assert_int_equal(session_ring_capacity(s, 0), 64);
	session_free(s);

	/* Every event arrived: one loop turn per round, two prints each. */
	assert_int_equal(tl->v[0].nout, 2 * iters);
	assert_true(tl->v[0].iteration >= iters);
	assert_true(tl->v[0].nevents > 1000000);
	/* The model folded them into a handful of segments per task. */
	ping = tu_task(&tl->v[0], "ping()");
	assert_true(ping->nsegs <= 4);
	/* The stepping log kept to its limit. */
	assert_true(tl->nlog <= 50000);
	assert_true(tl->log_dropped > 0);
	before = timeline_bytes(tl);
	assert_true(before < (size_t)64 << 20);
	timeline_free(tl);
}

/*
 * In the real clock every event reads the clock as it happens: the events
 * of one loop turn do not share the time of the first (in the simulated
 * clock they do, and a change of state then takes the ring's short form).
 */
static void
test_the_real_clock_stamps_each_event_as_it_happens(void **state)
{
	struct session_config	 cfg = { CLOCK_REAL, 1.0, false, 0 };
	struct session		*s;
	struct timeline		*tl;
	struct trace_event	 ev;
	char			 err[128];
	size_t			 k, pairs = 0, later = 0;
	vtime_t			 last = -1;

	(void)state;
	s = session_new(&cfg, err, sizeof err);
	assert_int_equal(session_add(s, yield_program(200), err, sizeof err),
	    0);
	tl = tu_finish(s);
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
	assert_true(pairs > 400);
	assert_true(later > pairs / 2);
	timeline_free(tl);
}

/* main spawns a long sleeper and returns at once. */
static void
test_closing_the_loop_cancels_pending_tasks(void **state)
{
	static const char	 src[] = "1\n2\n3\n";
	struct program		*p = program_new("async", VARIANT_ASYNC, src);
	struct timeline		*tl;
	const struct tl_task	*t;
	int			 sleeper, main_;

	(void)state;
	sleeper = program_proc(p, "sleeper()", NULL, true);
	program_sleep(p, sleeper, 1, 100 * VTIME_SEC);
	main_ = program_proc(p, "main()", "main", true);
	program_spawn(p, main_, 2, sleeper, 0);
	program_sleep(p, main_, 3, VTIME_SEC);
	program_entry(p, main_);
	tl = tu_run_programs(&p, 1, 0);
	t = tu_task(&tl->v[0], "sleeper()");
	assert_int_equal(t->state, TASK_CANCELLED);
	assert_int_equal(t->reason, REASON_LOOP_CLOSED);
	assert_int_equal(t->since, SEC(1));
	assert_int_equal(tl->v[0].total, SEC(1));
	timeline_free(tl);
}

static void
test_awaiting_a_coroutine_twice_fails_the_task(void **state)
{
	static const char	 src[] = "1\n2\n3\n4\n";
	struct program		*p = program_new("async", VARIANT_ASYNC, src);
	struct timeline		*tl;
	int			 c, main_;

	(void)state;
	c = program_proc(p, "c()", NULL, true);
	program_print(p, c, 1, "in c");
	main_ = program_proc(p, "main()", "main", true);
	program_coro(p, main_, 2, c, 0);
	program_await_slot(p, main_, 3, 0);
	program_await_slot(p, main_, 4, 0);
	program_entry(p, main_);
	tl = tu_run_programs(&p, 1, 0);
	assert_int_equal(tu_task(&tl->v[0], "main()")->state, TASK_FAILED);
	assert_int_equal(tl->v[0].nout, 2);
	assert_true(tl->v[0].out[1].is_stderr);
	assert_string_equal(tl->v[0].out[1].text,
	    "RuntimeError: cannot reuse already awaited coroutine");
	timeline_free(tl);
}

static void
test_a_program_that_makes_no_sense_is_refused_with_its_line(void **state)
{
	static const char	 src[] = "1\n2\n";
	struct session_config	 cfg = { CLOCK_SIM, 1.0, false, 0 };
	struct session		*s;
	struct program		*p;
	char			 err[256];
	int			 f;

	(void)state;
	s = session_new(&cfg, err, sizeof err);
	assert_non_null(s);
	p = program_new("sync", VARIANT_SYNC, src);
	f = program_proc(p, "f()", NULL, false);
	program_sleep(p, f, 2, VTIME_SEC);	/* await in a plain function */
	program_entry(p, f);
	assert_int_equal(session_add(s, p, err, sizeof err), -1);
	assert_string_equal(err, "sync: line 2: await outside a coroutine of "
	    "an asynchronous variant");
	p = program_new("async", VARIANT_ASYNC, src);
	f = program_proc(p, "f()", NULL, true);
	program_print(p, f, 7, "x");
	program_entry(p, f);
	assert_int_equal(session_add(s, p, err, sizeof err), -1);
	assert_string_equal(err, "async: f(): line 7 is outside the source "
	    "(2 lines)");
	p = program_new("async", VARIANT_ASYNC, src);
	f = program_proc(p, "f()", NULL, true);
	program_sleep(p, f, 1, 0);
	program_repeat(p, f, 2, 0, 4294967296UL);
	program_entry(p, f);
	assert_int_equal(session_add(s, p, err, sizeof err), -1);
	assert_string_equal(err, "async: line 2: a loop of more than "
	    "4294967295 turns");
	session_free(s);
}

static void
test_cpu_work_computes_the_real_leading_digits(void **state)
{
	char	buf[16];

	(void)state;
	assert_int_equal(cpu_leading_digits(5, 1000000, 2, buf, sizeof buf), 0);
	assert_string_equal(buf, "10");
	assert_int_equal(cpu_leading_digits(3, 1000000, 2, buf, sizeof buf), 0);
	assert_string_equal(buf, "17");
	assert_int_equal(cpu_leading_digits(2, 100, 3, buf, sizeof buf), 0);
	assert_string_equal(buf, "126");	/* 1267650600228229401496703205376 */
	assert_int_equal(cpu_leading_digits(2, 10, 2, buf, sizeof buf), 0);
	assert_string_equal(buf, "10");		/* 1024: exact path */
	assert_int_equal(cpu_leading_digits(7, 1, 2, buf, sizeof buf), 0);
	assert_string_equal(buf, "7");
	assert_int_equal(cpu_leading_digits(1, 5, 2, buf, sizeof buf), -1);
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
test_stepping_a_paused_real_clock_jumps_to_the_next_deadline(void **state)
{
	struct session_config	 cfg = { CLOCK_REAL, 1.0, true, 0 };
	const struct demo	*d = demos_find("gather");
	struct session		*s;
	struct timeline		*tl = timeline_new(0);
	char			 err[128];
	int			 tries;

	(void)state;
	s = session_new(&cfg, err, sizeof err);
	assert_int_equal(session_add(s, demos_variant(d, "async")->build(tu_params()),
	    err, sizeof err), 0);
	assert_int_equal(session_start(s), 0);
	wait_for_state(s, tl, 0, "name_async('Diane')", TASK_WAITING_TIMER);
	assert_int_equal(session_now(s), 0);	/* paused: frozen */
	for (tries = 0; session_step(s) != 0 && tries < 5000; tries++)
		usleep(1000);
	assert_int_equal(session_now(s), SEC(10));
	session_run(s, tl);
	assert_int_equal(tl->v[0].total, SEC(10));
	assert_string_equal(tl->v[0].out[3].text,
	    "Durée totale d'exécution: 10.00 secondes");
	session_free(s);
	timeline_free(tl);
}

static void
test_freeing_a_running_session_stops_its_threads(void **state)
{
	struct session_config	 cfg = { CLOCK_REAL, 1.0, false, 16 };
	const struct demo	*d = demos_find("tasks");
	struct session		*s;
	struct timeline		*tl = timeline_new(0);
	char			 err[128];

	(void)state;
	s = session_new(&cfg, err, sizeof err);
	assert_int_equal(session_add(s, d->variants[0].build(tu_params()), err,
	    sizeof err), 0);
	assert_int_equal(session_add(s, d->variants[1].build(tu_params()), err,
	    sizeof err), 0);
	/* session_start returns at once: the variants run on their threads. */
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
	/* async: await asyncio.sleep(10) is line 8, print("Daniel") 9. */
	static const enum task_state aw[] = { TASK_READY, TASK_RUNNING,
	    TASK_WAITING_TIMER, TASK_READY, TASK_RUNNING, TASK_DONE };
	static const int al[] = { 8, 8, 8, 8, 8, 9 };
	/* sync: time.sleep(10) is line 7, print("Daniel") 8. */
	static const enum task_state sw[] = { TASK_RUNNING, TASK_BLOCKED,
	    TASK_RUNNING, TASK_DONE };
	static const int sl[] = { 7, 7, 7, 8 };
	/* sync main(): stands on each call while it runs, 16 to 18. */
	static const enum task_state mw[] = { TASK_READY, TASK_RUNNING,
	    TASK_WAITING_TASK, TASK_RUNNING, TASK_WAITING_TASK, TASK_RUNNING,
	    TASK_WAITING_TASK, TASK_RUNNING, TASK_DONE };
	static const int ml[] = { 15, 15, 16, 16, 17, 17, 18, 18, 20 };
	struct timeline		*tl = tu_run_demo("tasks", NULL, 0);

	(void)state;
	assert_lines(tl, "async", "name()", aw, al, 6);
	assert_lines(tl, "sync", "name()", sw, sl, 4);
	assert_lines(tl, "sync", "main()", mw, ml, 9);
	timeline_free(tl);
}

static void
test_a_gathering_task_stands_on_its_gather(void **state)
{
	static const enum task_state want[] = { TASK_READY, TASK_RUNNING,
	    TASK_WAITING_TASK, TASK_READY, TASK_RUNNING, TASK_DONE };
	static const int at[] = { 5, 5, 5, 5, 5, 6 };
	static const enum task_state kw[] = { TASK_READY, TASK_RUNNING,
	    TASK_WAITING_TIMER, TASK_READY, TASK_RUNNING, TASK_DONE };
	static const int kl[] = { 1, 1, 1, 1, 1, 3 };
	struct program		*p = gather_order_program();
	struct timeline		*tl = tu_run_programs(&p, 1, 0);

	(void)state;
	assert_lines(tl, "async", "main()", want, at, 6);
	/* Its children sleep on their await asyncio.sleep, line 1. */
	assert_lines(tl, "async", "a()", kw, kl, 6);
	assert_int_equal(tu_task(&tl->v[0], "main()")->line, 6);	/* done */
	timeline_free(tl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gather_sync_runs_the_three_sleeps_one_after_another),
		cmocka_unit_test(test_gather_async_overlaps_the_three_sleeps),
		cmocka_unit_test(test_tasks_sync_prints_the_name_before_the_digits),
		cmocka_unit_test(test_tasks_async_calculations_hold_the_loop_past_the_timer),
		cmocka_unit_test(test_a_timer_delayed_by_cpu_work_fires_late_by_exactly_that_work),
		cmocka_unit_test(test_a_gathered_coroutine_waits_on_its_timer_then_runs),
		cmocka_unit_test(test_a_sync_call_blocks_the_thread_in_turn),
		cmocka_unit_test(test_loop_iterations_report_the_ready_queue_and_timers),
		cmocka_unit_test(test_calling_a_coroutine_function_runs_nothing_and_warns),
		cmocka_unit_test(test_running_a_coroutine_through_the_loop_prints_its_sentence),
		cmocka_unit_test(test_gather_returns_results_in_call_order_not_finish_order),
		cmocka_unit_test(test_sleep_zero_yields_to_the_other_ready_tasks),
		cmocka_unit_test(test_a_million_events_keep_the_ring_and_the_model_bounded),
		cmocka_unit_test(test_the_real_clock_stamps_each_event_as_it_happens),
		cmocka_unit_test(test_closing_the_loop_cancels_pending_tasks),
		cmocka_unit_test(test_awaiting_a_coroutine_twice_fails_the_task),
		cmocka_unit_test(test_a_program_that_makes_no_sense_is_refused_with_its_line),
		cmocka_unit_test(test_cpu_work_computes_the_real_leading_digits),
		cmocka_unit_test(test_stepping_a_paused_real_clock_jumps_to_the_next_deadline),
		cmocka_unit_test(test_freeing_a_running_session_stops_its_threads),
		cmocka_unit_test(test_a_waiting_task_stands_on_the_line_it_waits_in),
		cmocka_unit_test(test_a_gathering_task_stands_on_its_gather),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
