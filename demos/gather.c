/* gather: three names, each after 10 s, blocking or gathered. */
#include "config.h"

#include <stdio.h>

#include "demos.h"
#include "i18n.h"

static const char *const gather_names[] = { "Daniel", "Donna", "Diane" };

static const char gather_sync_source[] =
    "import time\n"
    "\n"
    "def name(first_name):\n"
    "    time.sleep(10)\n"
    "    print(first_name)\n"
    "\n"
    "def main():\n"
    "    start = time.perf_counter()\n"
    "    name(\"Daniel\")\n"
    "    name(\"Donna\")\n"
    "    name(\"Diane\")\n"
    "    elapsed = time.perf_counter() - start\n"
    "    print(f\"Durée totale d'exécution: {elapsed:0.2f} secondes\")\n"
    "\n"
    "main()\n";

static const char gather_async_source[] =
    "import asyncio\n"
    "import time\n"
    "\n"
    "async def name_async(first_name):\n"
    "    await asyncio.sleep(10)\n"
    "    print(first_name)\n"
    "\n"
    "async def main():\n"
    "    start = time.perf_counter()\n"
    "    await asyncio.gather(\n"
    "        name_async(\"Daniel\"),\n"
    "        name_async(\"Donna\"),\n"
    "        name_async(\"Diane\"),\n"
    "    )\n"
    "    elapsed = time.perf_counter() - start\n"
    "    print(f\"Durée totale d'exécution: {elapsed:0.2f} secondes\")\n"
    "\n"
    "asyncio.run(main())\n";

/* One procedure per call: name('Daniel') and its two lines. */
static int
gather_name(struct program *p, const char *func, const char *who,
    bool coroutine, int sleep_line)
{
	char	label[64];
	int	proc;

	snprintf(label, sizeof label, "%s('%s')", func, who);
	proc = program_proc(p, label, func, coroutine);
	if (coroutine)
		program_sleep(p, proc, sleep_line, 10 * VTIME_SEC);
	else
		program_block_sleep(p, proc, sleep_line, 10 * VTIME_SEC);
	program_print(p, proc, sleep_line + 1, who);
	return proc;
}

static struct program *
gather_sync(const struct demo_params *params)
{
	(void)params;
	struct program	*p = program_new("sync", VARIANT_SYNC,
			    gather_sync_source);
	int		 names[3], main_, i;

	for (i = 0; i < 3; i++)
		names[i] = gather_name(p, "name", gather_names[i], false, 4);
	main_ = program_proc(p, "main()", "main", false);
	program_mark(p, main_, 8);
	for (i = 0; i < 3; i++)
		program_call(p, main_, 9 + i, names[i]);
	program_print_elapsed(p, main_, 13, DEMO_TOTAL_FMT);
	program_entry(p, main_);
	return p;
}

static struct program *
gather_async(const struct demo_params *params)
{
	(void)params;
	struct program	*p = program_new("async", VARIANT_ASYNC,
			    gather_async_source);
	int		 names[3], main_, i;

	for (i = 0; i < 3; i++)
		names[i] = gather_name(p, "name_async", gather_names[i], true,
		    5);
	main_ = program_proc(p, "main()", "main", true);
	program_mark(p, main_, 9);
	program_gather(p, main_, 10, names, 3);
	program_print_elapsed(p, main_, 16, DEMO_TOTAL_FMT);
	program_entry(p, main_);
	return p;
}

static const struct demo_variant gather_variants[] = {
	{ .name = "sync",
	  .summary = N_("time.sleep(10) three times in a row"),
	  .build = gather_sync, .file = "gather/sync.py" },
	{ .name = "async",
	  .summary = N_("asyncio.sleep(10) three times, gathered"),
	  .build = gather_async, .file = "gather/async.py" },
};

const struct demo demo_gather = {
	.name = "gather",
	.summary = N_("three names after 10 s each: blocking calls vs asyncio.gather"),
	.variants = gather_variants,
	.nvariants = sizeof gather_variants / sizeof gather_variants[0],
};
