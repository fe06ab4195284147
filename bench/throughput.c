/*
 * 3. Simulated throughput: a 10,000-task fan-out in Python, run in the
 * simulated clock by a session as the binary makes it, its trace folded;
 * then the model rendered by the headless views.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "headless.h"

#define FANOUT_N	10000

/* main gathers N tasks, task i sleeping i virtual milliseconds. */
static const char fanout_python[] =
    "import asyncio, sys\n"
    "N = int(sys.argv[1])\n"
    "async def task(d):\n"
    "    await asyncio.sleep(d)\n"
    "async def main():\n"
    "    await asyncio.gather(*(task(i / 1000) for i in range(1, N + 1)))\n"
    "asyncio.run(main())\n";

/* Render the model with one of the headless views; seconds and bytes. */
static double
fanout_render(const struct timeline *tl, bool json, size_t *bytes)
{
	struct headless_info	 info = { "fanout-bench",
	    "tasks gathered, each sleeping its own time", CLOCK_SIM,
	    1.0, 120, true, NULL };
	char			*buf = NULL;
	size_t			 len = 0;
	double			 t0;
	FILE			*f;
	int			 rc;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return -1;
	t0 = bench_now();
	rc = json ? headless_json(f, tl, &info) : headless_text(f, tl, &info);
	fclose(f);
	t0 = bench_now() - t0;
	*bytes = len;
	free(buf);
	return rc == 0 ? t0 : -1;
}

/* Real seconds from the program's first event to its last. */
static double
fanout_span(const struct timeline *tl)
{
	struct trace_event	ev;
	int64_t			first = -1, last = -1;
	size_t			i;

	for (i = 0; i < tl->nlog; i++) {
		timeline_event(tl, i, &ev);
		if (ev.variant != 0)
			continue;
		if (first < 0 || ev.rtime < first)
			first = ev.rtime;
		if (ev.rtime > last)
			last = ev.rtime;
	}
	return first < 0 ? 0 : (double)(last - first) / 1e9;
}

/*
 * One run in a fresh process: seconds and CPU seconds of the session,
 * events, lanes, virtual total; seconds and bytes of each rendering; the
 * real seconds between the program's first and last events.
 */
static int
throughput_trial(void *arg, double *out, size_t nout)
{
	size_t		 n = *(size_t *)arg, bytes;
	struct timeline	*tl;
	const char	*args[5];
	char		 ns[32], *path;

	if (nout < 10 || (path = bench_source("fanout", fanout_python)) == NULL)
		return -1;
	snprintf(ns, sizeof ns, "%zu", n);
	args[0] = "--clock";
	args[1] = "sim";
	args[2] = path;
	args[3] = ns;
	args[4] = NULL;
	tl = bench_session(args, &out[0], &out[1]);
	bench_source_free(path);
	if (tl == NULL)
		return -1;
	out[2] = (double)bench_events(tl);
	out[3] = (double)tl->v[0].ntasks;
	out[4] = vtime_to_sec(tl->v[0].total);
	out[5] = fanout_render(tl, false, &bytes);
	out[6] = (double)bytes;
	out[7] = fanout_render(tl, true, &bytes);
	out[8] = (double)bytes;
	out[9] = fanout_span(tl);
	timeline_free(tl);
	return 10;
}

/* Fold the fan-out's trace, then render it: the best of a few runs. */
static int
throughput_run(void)
{
	size_t	n = bench_opts.quick ? 2000 : FANOUT_N, i, ok = 0;
	size_t	trials = bench_opts.quick ? 1 : 3;
	double	v[10], best[10] = { 0 };

	bench_say("3. simulated throughput: %zu Python tasks gathered, task i "
	    "sleeping i virtual ms (1 to %zu), simulated clock, best of %zu "
	    "runs", n, n, trials);
	for (i = 0; i < trials; i++) {
		if (bench_trial(throughput_trial, &n, v, 10) != 10)
			continue;
		if (ok++ == 0 || v[0] < best[0])
			memcpy(best, v, sizeof best);
	}
	if (ok == 0) {
		bench_say("  the runs failed: nothing to measure");
		return 1;
	}
	bench_say("  loopscope: %.0f events folded into the model; the session "
	    "(its program's process started, run, ended) %.3f s, %.0f "
	    "events/s (CPU %.3f s, both processes); from the program's first "
	    "event to its last %.3f s, %.0f events/s; %.0f lanes, virtual "
	    "total %.3f s", best[2], best[0], best[2] / best[0], best[1],
	    best[9], bench_ratio(best[2], best[9]), best[3], best[4]);
	bench_say("  headless_text() at 120 columns into a memstream: %.3f s, "
	    "%.0f bytes", best[5], best[6]);
	bench_say("  headless_json() into a memstream: %.3f s, %.0f bytes",
	    best[7], best[8]);
	return 0;
}

const struct bench bench_throughput = { "throughput", "simulated throughput",
	throughput_run };
