/*
 * 1. Timer fidelity at 1x in the real clock, and the gather demo's total:
 * the same Python program on loopscope's loop (a session, as the binary
 * makes it) and on CPython's asyncio, with bare libev timers as the floor.
 */
#include "config.h"

#include <ev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define TIMERS_N	1000
#define TIMERS_STEP	(VTIME_MS * 1997 / 1000)	/* 1.997 ms apart */

/*
 * N sleepers gathered, sleeping 1 ms + a permutation of 0..N-1 steps
 * (about 2 s in all), each timing its own sleep; prints the lateness's
 * p50, p99 and max in seconds. Run as it is by loopscope and by CPython.
 */
static const char timers_python[] =
    "import asyncio, sys, time\n"
    "N, STEP = int(sys.argv[1]), float(sys.argv[2])\n"
    "late = []\n"
    "async def sleeper(d):\n"
    "    t0 = time.perf_counter()\n"
    "    await asyncio.sleep(d)\n"
    "    late.append(time.perf_counter() - t0 - d)\n"
    "async def main():\n"
    "    await asyncio.gather(*(sleeper(0.001 + (i * 7919 % N) * STEP)\n"
    "                           for i in range(N)))\n"
    "asyncio.run(main())\n"
    "late.sort()\n"
    "print(late[len(late) // 2], late[-(-len(late) * 99 // 100) - 1],\n"
    "      late[-1])\n";

/* One raw libev timer: when it was due, and how late it fired. */
struct timers_raw {
	ev_timer	 w;
	double		 due;
	int64_t		*late;
};

/* Sleeper i's duration, as the Python program computes it. */
static vtime_t
timers_duration(size_t i, size_t n)
{
	return VTIME_MS + (vtime_t)((i * 7919) % n) * TIMERS_STEP;
}

/* Print p50, p99 and max of n lateness values (ns), sorting them. */
static void
timers_print(const char *what, int64_t *late, size_t n, int64_t *p99)
{
	bench_sort(late, n);
	*p99 = bench_percentile(late, n, 99);
	bench_say("  %s: %zu wake-ups late by p50 %.3f ms, p99 %.3f ms, "
	    "max %.3f ms (min %.3f ms)", what, n,
	    (double)bench_percentile(late, n, 50) / 1e6, (double)*p99 / 1e6,
	    n ? (double)late[n - 1] / 1e6 : 0, n ? (double)late[0] / 1e6 : 0);
}

/* A raw timer fired: how late against its due time. */
static void
timers_raw_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct timers_raw	*t = (struct timers_raw *)w;

	(void)loop;
	(void)revents;
	*t->late = (int64_t)((bench_now() - t->due) * 1e9);
}

/* The same durations on bare libev ev_timers: the floor. */
static int
timers_libev(size_t n, int64_t *late)
{
	struct ev_loop		*loop = ev_loop_new(EVFLAG_AUTO);
	struct timers_raw	*t = calloc(n, sizeof *t);
	double			 t0, d;
	size_t			 i;

	if (loop == NULL || t == NULL) {
		free(t);
		if (loop != NULL)
			ev_loop_destroy(loop);
		return -1;
	}
	ev_now_update(loop);
	t0 = bench_now();
	for (i = 0; i < n; i++) {
		d = vtime_to_sec(timers_duration(i, n));
		t[i].due = t0 + d;
		t[i].late = &late[i];
		ev_timer_init(&t[i].w, timers_raw_cb, d, 0.);
		ev_timer_start(loop, &t[i].w);
	}
	ev_run(loop, 0);
	ev_loop_destroy(loop);
	free(t);
	return 0;
}

/*
 * The program in a session at 1x in the real clock: the lateness of each
 * wake-up from the trace (vtime - due of its timer_fire) into late, the
 * program's own p50, p99 and max into own. How many wake-ups, or -1.
 */
static int
timers_ours(size_t n, int64_t *late, double *own)
{
	static const char *const what = "loopscope (trace timer_fire: vtime - due)";
	const struct tl_variant	*v;
	struct trace_event	 ev;
	struct timeline		*tl;
	char			 ns[32], step[32], *path;
	const char		*args[8];
	size_t			 i, k = 0;

	if ((path = bench_source("timers", timers_python)) == NULL) {
		bench_say("  error: cannot write the program");
		return -1;
	}
	snprintf(ns, sizeof ns, "%zu", n);
	snprintf(step, sizeof step, "%.6f", vtime_to_sec(TIMERS_STEP));
	args[0] = "--clock";
	args[1] = "real";
	args[2] = path;
	args[3] = ns;
	args[4] = step;
	args[5] = NULL;
	tl = bench_session(args, NULL, NULL);
	bench_source_free(path);
	if (tl == NULL)
		return -1;
	for (i = 0; i < tl->nlog && k < n; i++) {
		timeline_event(tl, i, &ev);
		if (ev.variant == 0 && ev.type == TRACE_TIMER_FIRE)
			late[k++] = ev.vtime - ev.a;
	}
	v = &tl->v[0];
	if (v->nout == 0 || sscanf(v->out[v->nout - 1].text, "%lf %lf %lf",
	    &own[0], &own[1], &own[2]) != 3)
		own[0] = own[1] = own[2] = -1;
	timeline_free(tl);
	timers_print(what, late, k, &late[n]);
	return (int)k;
}

/* The gather demo's async variant at 1x in the real clock: its total. */
static int
timers_gather(void)
{
	static const char *const args[] = { "--clock", "real", "--variant",
	    "async", "gather", NULL };
	const struct tl_variant	*v;
	struct timeline		*tl;
	double			 wall;

	bench_say("  gather demo, async variant, 1x real clock (ideal 10.00 s; "
	    "CPython needed 10.01 s in the lesson):");
	if ((tl = bench_session(args, &wall, NULL)) == NULL)
		return 1;
	v = &tl->v[0];
	bench_say("  loopscope: total %.4f s (printed \"%s\"), %.3f s of real "
	    "time for the session; late by %.3f ms", vtime_to_sec(v->total),
	    v->nout > 0 ? v->out[v->nout - 1].text : "",
	    wall, (double)(v->total - 10 * VTIME_SEC) / 1e6);
	bench_target("gather-total", v->ended && v->total <= VTIME_SEC * 1001 /
	    100, "%.3f s", vtime_to_sec(v->total));
	timeline_free(tl);
	return 0;
}

/* Wake-ups of our sleepers, then libev's and asyncio's, then gather. */
static int
timers_run(void)
{
	int64_t		*late, p99 = 0, p99_raw;
	size_t		 n = TIMERS_N;
	double		 own[3], py[3];
	char		 ns[32], step[32];
	const char	*args[3] = { ns, step, NULL };
	int		 k, got;

	bench_say("1. timer fidelity: %zu sleepers due 1 ms to %.3f s, 1x "
	    "real clock", n, vtime_to_sec(VTIME_MS +
	    (vtime_t)(n - 1) * TIMERS_STEP));
	if ((late = calloc(n + 1, sizeof *late)) == NULL)
		return 1;
	if ((k = timers_ours(n, late, own)) >= 0) {
		p99 = late[n];
		if (own[0] >= 0)
			bench_say("  the same program's own measure on loopscope "
			    "(each sleep timed by time.perf_counter): late by "
			    "p50 %.3f ms, p99 %.3f ms, max %.3f ms",
			    own[0] * 1e3, own[1] * 1e3, own[2] * 1e3);
	}
	memset(late, 0, n * sizeof *late);
	if (timers_libev(n, late) == 0) {
		timers_print("raw libev ev_timers, same durations", late, n,
		    &p99_raw);
		if (k > 0)
			bench_say("  ratio: loopscope p99 / libev p99 = %.2fx",
			    bench_ratio((double)p99, (double)p99_raw));
	}
	snprintf(ns, sizeof ns, "%zu", n);
	snprintf(step, sizeof step, "%.6f", vtime_to_sec(TIMERS_STEP));
	got = bench_python(timers_python, args, py, 3);
	if (got == 3)
		bench_say("  CPython asyncio, the same program (%s): late by "
		    "p50 %.3f ms, p99 %.3f ms, max %.3f ms", bench_opts.python,
		    py[0] * 1e3, py[1] * 1e3, py[2] * 1e3);
	else
		bench_say("  CPython asyncio: %s did not run; no reference",
		    bench_opts.python);
	bench_target("timer-p99", k == (int)n && p99 < VTIME_MS, "%.3f ms",
	    k > 0 ? (double)p99 / 1e6 : 0);
	free(late);
	return timers_gather();
}

const struct bench bench_timers = { "timers", "timer fidelity", timers_run };
