/*
 * threads: the same work done by plain calls, threads, coroutines and
 * processes, waiting or computing (the lesson's first section: the GIL);
 * costs: what N threads and N coroutines cost on this machine. Python
 * programs only (demos/threads/, demos/costs/).
 */
#include "config.h"

#include "demos.h"
#include "i18n.h"

static const struct demo_variant threads_variants[] = {
	{ .name = "wait-calls",
	  .summary = N_("three time.sleep(1), one after the other: 3 s"),
	  .file = "threads/wait-calls.py" },
	{ .name = "wait-threads",
	  .summary = N_("three threads sleep at once: a sleeping thread lets "
	    "the GIL go, 1 s"),
	  .file = "threads/wait-threads.py" },
	{ .name = "wait-coroutines",
	  .summary = N_("three coroutines on one loop, one thread: 1 s"),
	  .file = "threads/wait-coroutines.py" },
	{ .name = "wait-processes",
	  .summary = N_("three processes sleep at once: 1 s, and starting "
	    "them costs"),
	  .file = "threads/wait-processes.py" },
	{ .name = "cpu-calls",
	  .summary = N_("three calculations, one after the other"),
	  .file = "threads/cpu-calls.py" },
	{ .name = "cpu-threads",
	  .summary = N_("three calculations in threads: no faster, they take "
	    "turns holding the GIL"),
	  .file = "threads/cpu-threads.py" },
	{ .name = "cpu-coroutines",
	  .summary = N_("three calculations in coroutines: the loop runs them "
	    "one after the other"),
	  .file = "threads/cpu-coroutines.py" },
	{ .name = "cpu-processes",
	  .summary = N_("three calculations in processes: a GIL each, in "
	    "parallel on several cores"),
	  .file = "threads/cpu-processes.py" },
};

const struct demo demo_threads = {
	.name = "threads",
	.summary = N_("calls, threads, coroutines, processes: waiting work "
	    "overlaps in all but calls, CPU work only in processes (the GIL)"),
	.variants = threads_variants,
	.nvariants = sizeof threads_variants / sizeof threads_variants[0],
};

static const struct demo_variant costs_variants[] = {
	{ .name = "costs",
	  .summary = N_("N threads and N coroutines sleep 5 s: time to make "
	    "and finish them, bytes each, context switches"),
	  .file = "costs/costs.py" },
};

const struct demo demo_costs = {
	.name = "costs",
	.summary = N_("what threads and coroutines cost on this machine "
	    "(--tasks N, default 10000)"),
	.variants = costs_variants,
	.nvariants = 1,
	.scales = true,
	.tasks_default = 10000,
	/* Its figures are this machine's, not the simulated clock's. */
	.real_clock = true,
};
