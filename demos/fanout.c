/* fanout: N concurrent fetches, with a bounded pool of connections. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demos.h"
#include "i18n.h"

static const char fanout_sync_source[] =
    "import time\n"
    "import requests\n"
    "\n"
    "URL = \"https://fr.wikipedia.org/api/rest_v1/page/summary/\"\n"
    "\n"
    "def fetch(session, page):\n"
    "    return session.get(URL + page, timeout=10).status_code\n"
    "\n"
    "def main(n):\n"
    "    start = time.perf_counter()\n"
    "    with requests.Session() as session:\n"
    "        for i in range(n):\n"
    "            fetch(session, f\"Page_{i}\")\n"
    "    elapsed = time.perf_counter() - start\n"
    "    print(f\"{n} pages en {elapsed:0.2f} secondes\")\n"
    "\n"
    "main(N)\n";

static const char fanout_async_source[] =
    "import asyncio\n"
    "import httpx\n"
    "\n"
    "URL = \"https://fr.wikipedia.org/api/rest_v1/page/summary/\"\n"
    "\n"
    "async def fetch(client, page):\n"
    "    return (await client.get(URL + page, timeout=10)).status_code\n"
    "\n"
    "async def main(n):\n"
    "    start = time.perf_counter()\n"
    "    limits = httpx.Limits(max_connections=MAX_CONNECTIONS)\n"
    "    async with httpx.AsyncClient(limits=limits) as client:\n"
    "        await asyncio.gather(*(fetch(client, f\"Page_{i}\")\n"
    "                               for i in range(n)),\n"
    "                             return_exceptions=True)\n"
    "    elapsed = time.perf_counter() - start\n"
    "    print(f\"{n} pages en {elapsed:0.2f} secondes\")\n"
    "\n"
    "asyncio.run(main(N))\n";

/* fetch('Page_i') for every i, as procedures; returns their indices. */
static int *
fanout_fetches(struct program *p, const struct demo_params *params,
    bool async)
{
	char	label[64], url[512], page[32];
	int	*procs;
	long	 i;

	if ((procs = calloc((size_t)params->tasks, sizeof *procs)) == NULL)
		return NULL;
	for (i = 0; i < params->tasks; i++) {
		snprintf(page, sizeof page, "Page_%ld", i);
		snprintf(url, sizeof url, "%s%s", params->base_url, page);
		snprintf(label, sizeof label, "fetch('%s')", page);
		procs[i] = program_proc(p, label, "fetch", async);
		program_fetch(p, procs[i], 7, url, page, params->timeout,
		    !async, params->hold);
	}
	return procs;
}

static struct program *
fanout_build(const struct demo_params *params, bool async)
{
	struct program	*p = program_new(async ? "async" : "sync",
			    async ? VARIANT_ASYNC : VARIANT_SYNC,
			    async ? fanout_async_source : fanout_sync_source);
	char		 text[96];
	int		*procs, main_;
	long		 i;

	if (p == NULL || (procs = fanout_fetches(p, params, async)) == NULL) {
		program_free(p);
		return NULL;
	}
	p->max_connections = params->max_connections;
	main_ = program_proc(p, "main()", "main", async);
	program_mark(p, main_, 10);
	if (async)
		program_gather(p, main_, 13, procs, (size_t)params->tasks);
	else
		for (i = 0; i < params->tasks; i++)
			program_call(p, main_, 13, procs[i]);
	snprintf(text, sizeof text, "%ld pages en {} secondes", params->tasks);
	program_print_elapsed(p, main_, async ? 17 : 15, text);
	program_entry(p, main_);
	free(procs);
	return p;
}

static struct program *
fanout_sync(const struct demo_params *params)
{
	return fanout_build(params, false);
}

static struct program *
fanout_async(const struct demo_params *params)
{
	return fanout_build(params, true);
}

static const struct demo_variant fanout_variants[] = {
	{ .name = "sync", .summary = N_("N blocking GETs, one after another"),
	  .build = fanout_sync, .file = "fanout/sync.py" },
	{ .name = "async",
	  .summary = N_("N GETs gathered, sharing a pool of connections"),
	  .build = fanout_async, .file = "fanout/async.py" },
};

/* Page_0 to Page_<tasks - 1>, as fanout_fetches names them. */
static bool
fanout_has_page(const char *page, long tasks)
{
	const char	*p;
	long		 i = 0;

	if (strncmp(page, "Page_", 5) != 0 || page[5] == '\0' ||
	    (page[5] == '0' && page[6] != '\0'))
		return false;
	for (p = page + 5; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || i >= tasks)
			return false;
		i = i * 10 + (*p - '0');
	}
	return i < tasks;
}

const struct demo demo_fanout = {
	.name = "fanout",
	.summary = N_("N concurrent fetches (--tasks, --max-connections): the "
	    "loop at scale"),
	.variants = fanout_variants,
	.nvariants = sizeof fanout_variants / sizeof fanout_variants[0],
	.fetches = fanout_has_page,
	.scales = true,
};
