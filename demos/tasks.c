/* tasks: a 10 s sleep and two CPU-bound calculations, as tasks. */
#include "config.h"

#include "demos.h"
#include "i18n.h"

/* What str(x ** 1000000) cost in the lesson's Python, in seconds. */
#define TASKS_CPU_COST	(5245 * VTIME_MS)
#define TASKS_EXPONENT	1000000UL

static const char tasks_sync_source[] =
    "import sys\n"
    "import time\n"
    "\n"
    "sys.set_int_max_str_digits(0)  # Python 3.11+ refuses str() of huge ints\n"
    "\n"
    "def name():\n"
    "    time.sleep(10)\n"
    "    print(\"Daniel\")\n"
    "\n"
    "def calculation(x):\n"
    "    digits = str(x ** 1000000)[:2]\n"
    "    print(digits)\n"
    "\n"
    "def main():\n"
    "    start = time.perf_counter()\n"
    "    name()\n"
    "    calculation(5)\n"
    "    calculation(3)\n"
    "    elapsed = time.perf_counter() - start\n"
    "    print(f\"Durée totale d'exécution: {elapsed:0.2f} secondes\")\n"
    "\n"
    "main()\n";

static const char tasks_async_source[] =
    "import asyncio\n"
    "import sys\n"
    "import time\n"
    "\n"
    "sys.set_int_max_str_digits(0)  # Python 3.11+ refuses str() of huge ints\n"
    "\n"
    "async def name():\n"
    "    await asyncio.sleep(10)\n"
    "    print(\"Daniel\")\n"
    "\n"
    "async def calculation(x):\n"
    "    digits = str(x ** 1000000)[:2]\n"
    "    print(digits)\n"
    "\n"
    "async def main():\n"
    "    start = time.perf_counter()\n"
    "    t1 = asyncio.ensure_future(name())\n"
    "    t2 = asyncio.ensure_future(calculation(5))\n"
    "    t3 = asyncio.ensure_future(calculation(3))\n"
    "    await t1\n"
    "    await t2\n"
    "    await t3\n"
    "    elapsed = time.perf_counter() - start\n"
    "    print(f\"Durée totale d'exécution: {elapsed:0.2f} secondes\")\n"
    "\n"
    "asyncio.run(main())\n";

/* name() and calculation(5), calculation(3), from the line of def. */
static void
tasks_procs(struct program *p, bool coroutine, int def_line, int *procs)
{
	static const unsigned long	bases[2] = { 5, 3 };
	static const char *const	labels[2] = { "calculation(5)",
					    "calculation(3)" };
	int				i, calc_line = def_line + 4;

	procs[0] = program_proc(p, "name()", "name", coroutine);
	if (coroutine)
		program_sleep(p, procs[0], def_line + 1, 10 * VTIME_SEC);
	else
		program_block_sleep(p, procs[0], def_line + 1, 10 * VTIME_SEC);
	program_print(p, procs[0], def_line + 2, "Daniel");
	for (i = 0; i < 2; i++) {
		procs[i + 1] = program_proc(p, labels[i], "calculation",
		    coroutine);
		program_cpu(p, procs[i + 1], calc_line + 1, TASKS_CPU_COST,
		    bases[i], TASKS_EXPONENT);
		program_print(p, procs[i + 1], calc_line + 2, "{}");
	}
}

static struct program *
tasks_sync(const struct demo_params *params)
{
	(void)params;
	struct program	*p = program_new("sync", VARIANT_SYNC,
			    tasks_sync_source);
	int		 procs[3], main_, i;

	tasks_procs(p, false, 6, procs);
	main_ = program_proc(p, "main()", "main", false);
	program_mark(p, main_, 15);
	for (i = 0; i < 3; i++)
		program_call(p, main_, 16 + i, procs[i]);
	program_print_elapsed(p, main_, 20, DEMO_TOTAL_FMT);
	program_entry(p, main_);
	return p;
}

static struct program *
tasks_async(const struct demo_params *params)
{
	(void)params;
	struct program	*p = program_new("async", VARIANT_ASYNC,
			    tasks_async_source);
	int		 procs[3], main_, i;

	tasks_procs(p, true, 7, procs);
	main_ = program_proc(p, "main()", "main", true);
	program_mark(p, main_, 16);
	for (i = 0; i < 3; i++)
		program_spawn(p, main_, 17 + i, procs[i], i);
	for (i = 0; i < 3; i++)
		program_await_slot(p, main_, 20 + i, i);
	program_print_elapsed(p, main_, 24, DEMO_TOTAL_FMT);
	program_entry(p, main_);
	return p;
}

static const struct demo_variant tasks_variants[] = {
	{ .name = "sync",
	  .summary = N_("sleep 10 s, then two calculations, in a row"),
	  .build = tasks_sync, .file = "tasks/sync.py" },
	{ .name = "async",
	  .summary = N_("the same as three tasks: the calculations hold the loop"),
	  .build = tasks_async, .file = "tasks/async.py" },
};

const struct demo demo_tasks = {
	.name = "tasks",
	.summary = N_("a sleep and two CPU-bound calculations as tasks (ensure_future)"),
	.variants = tasks_variants,
	.nvariants = sizeof tasks_variants / sizeof tasks_variants[0],
};
