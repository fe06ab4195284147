/* 1. Await switch: N tasks awaiting sleep(0) K times, against libev and asyncio. */
#include "config.h"

#include <sched.h>

#include <ev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define SWITCH_N	1000
#define SWITCH_K	1000

static const char switch_python[] =
    "import asyncio, sys, time\n"
    "N, K = int(sys.argv[1]), int(sys.argv[2])\n"
    "async def worker():\n"
    "    for _ in range(K):\n"
    "        await asyncio.sleep(0)\n"
    "async def main():\n"
    "    t0 = time.perf_counter()\n"
    "    await asyncio.gather(*(worker() for _ in range(N)))\n"
    "    return time.perf_counter() - t0\n"
    "print(asyncio.run(main()))\n";

/* One of the N raw timers, and how many times it still has to fire. */
struct switch_timer {
	ev_timer	 w;
	unsigned long	 left;
};

/* What a trial runs: n tasks, k switches each, on one CPU or not. */
struct switch_size {
	size_t		 n;
	unsigned long	 k;
	bool		 one_cpu;
};

/*
 * Keep this process (the trial's child) and the threads it makes on the
 * CPU it runs on: what the guest kernel does at times on its own (it
 * packs runnable threads onto fewer vCPUs), done on purpose, so that the
 * figure with both threads sharing one CPU is measured in every run.
 */
static int
switch_pin(const struct switch_size *sz)
{
	cpu_set_t	set;
	int		cpu;

	if (!sz->one_cpu)
		return 0;
	if ((cpu = sched_getcpu()) < 0)
		return -1;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof set, &set);
}

/* main gathers n workers that each await asyncio.sleep(0) k times. */
static struct program *
switch_program(size_t n, unsigned long k)
{
	static const char	 src[] = "async def worker():\n"
	    "    for _ in range(K):\n"
	    "        await asyncio.sleep(0)\n"
	    "async def main():\n"
	    "    await asyncio.gather(*(worker() for _ in range(N)))\n";
	struct program		*p = program_new("async", VARIANT_ASYNC, src);
	int			*kids, w, main_;
	size_t			 i;

	if (p == NULL || (kids = calloc(n, sizeof *kids)) == NULL) {
		program_free(p);
		return NULL;
	}
	w = program_proc(p, "worker()", "worker", true);
	program_sleep(p, w, 3, 0);
	program_repeat(p, w, 2, 0, k - 1);
	for (i = 0; i < n; i++)
		kids[i] = w;
	main_ = program_proc(p, "main()", "main", true);
	program_gather(p, main_, 5, kids, n);
	program_entry(p, main_);
	free(kids);
	return p;
}

/* One run of ours: seconds, CPU seconds, events, loop iterations. */
static int
switch_ours(void *arg, double *out, size_t nout)
{
	const struct switch_size	*sz = arg;
	struct timeline			*tl;

	if (nout < 4 || switch_pin(sz) != 0)
		return -1;
	tl = bench_run(switch_program(sz->n, sz->k), CLOCK_SIM, 1.0, &out[0],
	    &out[1]);
	if (tl == NULL)
		return -1;
	out[2] = (double)bench_events(tl);
	out[3] = (double)tl->v[0].iteration;
	timeline_free(tl);
	return 4;
}

/* Re-arm at 0 s until this timer has fired its k times. */
static void
switch_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct switch_timer	*t = (struct switch_timer *)w;

	(void)revents;
	if (--t->left == 0)
		return;
	ev_timer_set(w, 0., 0.);
	ev_timer_start(loop, w);
}

/* n ev_timers each re-armed at 0 s k times: seconds it took. */
static int
switch_libev(void *arg, double *out, size_t nout)
{
	const struct switch_size	*sz = arg;
	struct ev_loop			*loop = ev_loop_new(EVFLAG_AUTO);
	struct switch_timer		*t = calloc(sz->n, sizeof *t);
	double				 t0;
	size_t				 i;

	if (loop == NULL || t == NULL || nout < 1 || switch_pin(sz) != 0) {
		free(t);
		if (loop != NULL)
			ev_loop_destroy(loop);
		return -1;
	}
	t0 = bench_now();
	for (i = 0; i < sz->n; i++) {
		t[i].left = sz->k;
		ev_timer_init(&t[i].w, switch_timer_cb, 0., 0.);
		ev_timer_start(loop, &t[i].w);
	}
	ev_run(loop, 0);
	out[0] = bench_now() - t0;
	ev_loop_destroy(loop);
	free(t);
	return 1;
}

/*
 * Several runs of each, every one in a fresh process, ours and libev's
 * taking turns: the best is the figure (the least disturbed by the rest
 * of the machine), the median is shown beside it.
 */
static int
switch_run(void)
{
	struct switch_size	 sz = { SWITCH_N, SWITCH_K, false };
	double			 v[4], best[4] = { 0 }, walls[BENCH_TRIALS];
	double			 raws[BENCH_TRIALS], py[1], total, per, per_raw;
	double			 per_py, ratio_raw, ratio_py, med, med_raw;
	double			 one[BENCH_TRIALS], one_raw[BENCH_TRIALS];
	size_t			 no = 0, nor = 0;
	char			 ns[32], ks[32];
	const char		*args[3] = { ns, ks, NULL };
	size_t			 i, nw = 0, nr = 0, trials;
	int			 got;

	if (bench_opts.quick)
		sz.k = 100;
	trials = bench_opts.quick ? 2 : BENCH_TRIALS;
	total = (double)sz.n * (double)sz.k;
	bench_say("1. await switch: %zu tasks x %lu awaits of sleep(0) = %.0f "
	    "switches, best of %zu runs each", sz.n, sz.k, total, trials);
	/*
	 * Ours and libev's in turn: a virtual machine's host speeds up and
	 * slows down from one second to the next, and the two sets of runs
	 * should see the same moments.
	 */
	for (i = 0; i < trials; i++) {
		if (bench_trial(switch_ours, &sz, v, 4) == 4) {
			if (nw == 0 || v[0] < best[0])
				memcpy(best, v, sizeof best);
			walls[nw++] = v[0];
		}
		if (bench_trial(switch_libev, &sz, v, 1) == 1)
			raws[nr++] = v[0];
	}
	if (nw == 0 || nr == 0) {
		bench_say("  the runs failed: nothing to compare");
		return 1;
	}
	per = best[0] / total * 1e9;
	med = bench_median(walls, nw) / total * 1e9;
	bench_say("  loopscope, one async variant, simulated clock, every event "
	    "folded into a timeline: %.1f ns/switch (median %.1f), %.3f s, "
	    "CPU %.3f s over both threads, %.0f events (%.2f per switch), "
	    "%.0f loop iterations", per, med, best[0], best[1], best[2],
	    best[2] / total, best[3]);
	per_raw = bench_min(raws, nr) / total * 1e9;
	med_raw = bench_median(raws, nr) / total * 1e9;
	bench_say("  raw libev (%s backend, %zu ev_timers re-armed at 0 s): "
	    "%.1f ns/switch (median %.1f)", "default", sz.n, per_raw, med_raw);

	/* The same, both threads on one CPU: no figure of a target. */
	sz.one_cpu = true;
	for (i = 0; i < trials; i++) {
		if (bench_trial(switch_ours, &sz, v, 4) == 4)
			one[no++] = v[0];
		if (bench_trial(switch_libev, &sz, v, 1) == 1)
			one_raw[nor++] = v[0];
	}
	sz.one_cpu = false;
	if (no > 0 && nor > 0)
		bench_say("  both on one CPU (the variant's thread and the "
		    "reader pinned together, as when the guest kernel packs "
		    "them): %.1f ns/switch (median %.1f) against libev's %.1f "
		    "on one CPU: %.2fx", bench_min(one, no) / total * 1e9,
		    bench_median(one, no) / total * 1e9,
		    bench_min(one_raw, nor) / total * 1e9,
		    bench_ratio(bench_min(one, no), bench_min(one_raw, nor)));
	else
		bench_say("  both on one CPU: the runs failed");

	snprintf(ns, sizeof ns, "%zu", sz.n);
	snprintf(ks, sizeof ks, "%lu", sz.k);
	got = bench_python(switch_python, args, py, 1);
	per_py = got == 1 ? py[0] / total * 1e9 : 0;
	if (got == 1)
		bench_say("  CPython asyncio (%s, asyncio.sleep(0) in %zu "
		    "gathered coroutines, one run): %.1f ns/switch, %.3f s",
		    bench_opts.python, sz.n, per_py, py[0]);
	else
		bench_say("  CPython asyncio: %s did not run; no reference",
		    bench_opts.python);

	ratio_raw = bench_ratio(per, per_raw);
	ratio_py = bench_ratio(per_py, per);
	bench_say("  ratios: loopscope / libev = %.2fx; asyncio / loopscope = "
	    "%.1fx", ratio_raw, ratio_py);
	bench_target("switch-vs-libev", ratio_raw > 0 && ratio_raw <= 3.0,
	    "%.2fx", ratio_raw);
	if (got == 1)
		bench_target("switch-vs-asyncio", ratio_py >= 20.0,
		    "%.1fx faster", ratio_py);
	else
		bench_target("switch-vs-asyncio", false, "n/a (no python3)");
	return 0;
}

const struct bench bench_switch = { "switch", "await switch", switch_run };
