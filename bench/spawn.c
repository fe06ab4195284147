/* 2. Spawn: a million tasks that await once, against asyncio and threads. */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define SPAWN_TASKS	1000000
#define SPAWN_PYTASKS	100000
#define SPAWN_THREADS	10000
#define SPAWN_TRIALS	3

/*
 * The same shape as ours: every task made before any runs, each awaits
 * once. Memory is the growth of the peak RSS (VmHWM, which is per
 * process image: ru_maxrss would carry the forking parent's peak).
 */
static const char spawn_python[] =
    "import asyncio, sys, time\n"
    "def kb(field):\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith(field + ':'):\n"
    "            return int(line.split()[1])\n"
    "N = int(sys.argv[1])\n"
    "async def task():\n"
    "    await asyncio.sleep(0)\n"
    "async def main():\n"
    "    r0 = kb('VmRSS')\n"
    "    t0 = time.perf_counter()\n"
    "    tasks = [asyncio.ensure_future(task()) for _ in range(N)]\n"
    "    await asyncio.gather(*tasks)\n"
    "    del tasks\n"
    "    t1 = time.perf_counter()\n"
    "    print(t1 - t0, (kb('VmHWM') - r0) * 1024 / N)\n"
    "asyncio.run(main())\n";

/* Where the threads wait once, all together, like the tasks' one await. */
struct spawn_gate {
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	bool		 open;
};

/*
 * main spawns n tasks that each await sleep(0) once, then sleeps past
 * them: every task is alive at once, as in a fan-out.
 */
static struct program *
spawn_program(unsigned long n)
{
	static const char	 src[] = "async def task():\n"
	    "    await asyncio.sleep(0)\n"
	    "async def main():\n"
	    "    for _ in range(N):\n"
	    "        asyncio.ensure_future(task())\n"
	    "    await asyncio.sleep(1e-9)\n";
	struct program		*p = program_new("async", VARIANT_ASYNC, src);
	int			 t, main_;

	if (p == NULL)
		return NULL;
	t = program_proc(p, "task()", "task", true);
	program_sleep(p, t, 2, 0);
	main_ = program_proc(p, "main()", "main", true);
	program_spawn(p, main_, 5, t, -1);
	program_repeat(p, main_, 4, 0, n - 1);
	program_sleep(p, main_, 6, 1);
	program_entry(p, main_);
	return p;
}

/*
 * One run of ours in a fresh process: seconds, CPU seconds, peak RSS
 * growth in bytes, the model's own bytes, events.
 */
static int
spawn_ours(void *arg, double *out, size_t nout)
{
	unsigned long	 n = *(unsigned long *)arg;
	struct program	*p = spawn_program(n);
	struct timeline	*tl;
	long		 rss0, hwm;

	if (nout < 5)
		return -1;
	bench_reset_peak();
	rss0 = bench_status_kb(0, "VmRSS");
	tl = bench_run(p, CLOCK_SIM, 1.0, &out[0], &out[1]);
	if (tl == NULL)
		return -1;
	hwm = bench_status_kb(0, "VmHWM");
	out[2] = (double)(hwm - rss0) * 1024;
	out[3] = (double)timeline_bytes(tl);
	out[4] = (double)bench_events(tl);
	timeline_free(tl);
	return 5;
}

/* A thread's whole life: wait at the gate once, then end. */
static void *
spawn_thread(void *arg)
{
	struct spawn_gate	*g = arg;

	pthread_mutex_lock(&g->lock);
	while (!g->open)
		pthread_cond_wait(&g->cond, &g->lock);
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

/*
 * n threads with the default attributes, all waiting once at a gate, then
 * joined, in a fresh process: seconds and peak RSS growth per thread, and
 * how many were made.
 */
static int
spawn_threads(void *arg, double *out, size_t nout)
{
	size_t			 n = *(size_t *)arg, i, made;
	struct spawn_gate	 g;
	pthread_t		*th = calloc(n, sizeof *th);
	long			 rss0, hwm;
	double			 t0;

	if (th == NULL || nout < 3) {
		free(th);
		return -1;
	}
	bench_reset_peak();
	rss0 = bench_status_kb(0, "VmRSS");
	t0 = bench_now();
	pthread_mutex_init(&g.lock, NULL);
	pthread_cond_init(&g.cond, NULL);
	g.open = false;
	for (made = 0; made < n; made++)
		if (pthread_create(&th[made], NULL, spawn_thread, &g) != 0)
			break;
	pthread_mutex_lock(&g.lock);
	g.open = true;
	pthread_cond_broadcast(&g.cond);
	pthread_mutex_unlock(&g.lock);
	for (i = 0; i < made; i++)
		pthread_join(th[i], NULL);
	hwm = bench_status_kb(0, "VmHWM");
	out[0] = made ? (bench_now() - t0) / (double)made : 0;
	out[1] = made ? (double)(hwm - rss0) * 1024 / (double)made : 0;
	out[2] = (double)made;
	pthread_mutex_destroy(&g.lock);
	pthread_cond_destroy(&g.cond);
	free(th);
	return 3;
}

/* Ours (best of a few runs), then the references, per task. */
static int
spawn_run(void)
{
	unsigned long	 n = bench_opts.quick ? 100000 : SPAWN_TASKS;
	unsigned long	 npy = bench_opts.quick ? 20000 : SPAWN_PYTASKS;
	size_t		 nth = bench_opts.quick ? 1000 : SPAWN_THREADS, i, ok;
	size_t		 trials = bench_opts.quick ? 1 : SPAWN_TRIALS;
	double		 v[5], best[5] = { 0 }, walls[SPAWN_TRIALS], bytes = 0;
	double		 per, th[3], py[2], py_us;
	char		 ns[32];
	const char	*args[2] = { ns, NULL };
	int		 got;

	bench_say("2. spawn: %lu tasks created, run (each awaits sleep(0) "
	    "once) and freed, best of %zu runs", n, trials);
	for (i = ok = 0; i < trials; i++) {
		if (bench_trial(spawn_ours, &n, v, 5) != 5)
			continue;
		if (ok == 0 || v[0] < best[0])
			memcpy(best, v, sizeof best);
		if (v[2] > bytes)
			bytes = v[2];	/* the most any run took */
		walls[ok++] = v[0];
	}
	if (ok == 0) {
		bench_say("  the runs failed: nothing to measure");
		return 1;
	}
	per = best[0] / (double)n * 1e6;
	bytes /= (double)n;
	bench_say("  loopscope (simulated clock, every event folded into a "
	    "timeline): %.3f us/task (median %.3f), %.3f s, CPU %.3f s; peak "
	    "RSS growth %.0f B/task, engine, rings and model together (the "
	    "model alone: %.0f B/task); %.0f events, %.1f per task", per,
	    bench_median(walls, ok) / (double)n * 1e6, best[0], best[1],
	    bytes, best[3] / (double)n, best[4], best[4] / (double)n);

	if (bench_trial(spawn_threads, &nth, th, 3) == 3)
		bench_say("  POSIX threads (%.0f of %zu made, default attributes, "
		    "each waits once at a gate): %.2f us/thread, %.0f B/thread "
		    "of peak RSS growth (stacks as touched, not reserved)",
		    th[2], nth, th[0] * 1e6, th[1]);
	else {
		bench_say("  POSIX threads: the run failed");
		th[0] = th[1] = 0;
	}

	snprintf(ns, sizeof ns, "%lu", npy);
	got = bench_python(spawn_python, args, py, 2);
	py_us = got == 2 ? py[0] * 1e6 / (double)npy : 0;
	if (got == 2)
		bench_say("  CPython asyncio (%lu tasks, ensure_future + gather): "
		    "%.3f us/task, %.0f B/task of peak RSS growth", npy, py_us,
		    py[1]);
	else
		bench_say("  CPython asyncio: %s did not run; no reference",
		    bench_opts.python);
	bench_say("  ratios: time asyncio / loopscope = %.1fx, threads / "
	    "loopscope = %.1fx; memory asyncio / loopscope = %.2fx, threads / "
	    "loopscope = %.1fx", bench_ratio(py_us, per),
	    bench_ratio(th[0] * 1e6, per),
	    got == 2 ? bench_ratio(py[1], bytes) : 0, bench_ratio(th[1], bytes));
	bench_target("spawn-time", per < 1.0, "%.3f us/task", per);
	bench_target("spawn-memory", bytes < 256, "%.0f B/task", bytes);
	return 0;
}

const struct bench bench_spawn = { "spawn", "spawn", spawn_run };
