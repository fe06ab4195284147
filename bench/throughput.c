/* 5. Simulated throughput: a 10,000-task fan-out folded, then rendered. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "headless.h"

#define FANOUT_N	10000

/* Task i sleeps i + 1 virtual milliseconds. */
static vtime_t
fanout_duration(size_t i, size_t n)
{
	(void)n;
	return (vtime_t)(i + 1) * VTIME_MS;
}

/* main gathers n tasks, each sleeping its own time. */
static struct program *
fanout_program(size_t n)
{
	static const char	 src[] = "async def task(d):\n"
	    "    await asyncio.sleep(d)\n"
	    "async def main():\n"
	    "    await asyncio.gather(*(task(i / 1000) for i in range(1, N + 1)))\n";

	return bench_sleepers(src, "task", n, fanout_duration);
}

/* Render the model with one of the headless views; seconds and bytes. */
static double
fanout_render(const struct timeline *tl, bool json, size_t *bytes)
{
	struct headless_info	 info = { "fanout-bench",
	    "10,000 tasks gathered, each sleeping its own time", CLOCK_SIM,
	    1.0, 120, true };
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

/*
 * One run in a fresh process: seconds and CPU seconds to fold, events,
 * lanes, virtual total; seconds and bytes of each rendering.
 */
static int
throughput_trial(void *arg, double *out, size_t nout)
{
	size_t		 n = *(size_t *)arg, bytes;
	struct timeline	*tl;

	if (nout < 9)
		return -1;
	tl = bench_run(fanout_program(n), CLOCK_SIM, 1.0, &out[0], &out[1]);
	if (tl == NULL)
		return -1;
	out[2] = (double)bench_events(tl);
	out[3] = (double)tl->v[0].ntasks;
	out[4] = vtime_to_sec(tl->v[0].total);
	out[5] = fanout_render(tl, false, &bytes);
	out[6] = (double)bytes;
	out[7] = fanout_render(tl, true, &bytes);
	out[8] = (double)bytes;
	timeline_free(tl);
	return 9;
}

/* Fold the fan-out's trace, then render it: the best of a few runs. */
static int
throughput_run(void)
{
	size_t	n = bench_opts.quick ? 2000 : FANOUT_N, i, ok = 0;
	size_t	trials = bench_opts.quick ? 1 : 3;
	double	v[9], best[9] = { 0 };

	bench_say("5. simulated throughput: %zu tasks gathered, task i sleeping "
	    "i + 1 virtual ms, simulated clock, best of %zu runs", n, trials);
	for (i = 0; i < trials; i++) {
		if (bench_trial(throughput_trial, &n, v, 9) != 9)
			continue;
		if (ok++ == 0 || v[0] < best[0])
			memcpy(best, v, sizeof best);
	}
	if (ok == 0) {
		bench_say("  the runs failed: nothing to measure");
		return 1;
	}
	bench_say("  loopscope: %.0f events folded into the model in %.3f s: "
	    "%.0f events/s (CPU %.3f s, both threads); %.0f lanes, virtual "
	    "total %.3f s", best[2], best[0], best[2] / best[0], best[1],
	    best[3], best[4]);
	bench_say("  headless_text() at 120 columns into a memstream: %.3f s, "
	    "%.0f bytes", best[5], best[6]);
	bench_say("  headless_json() into a memstream: %.3f s, %.0f bytes",
	    best[7], best[8]);
	return 0;
}

const struct bench bench_throughput = { "throughput", "simulated throughput",
	throughput_run };
