/* wiki: three summaries after 6 s each: blocking, the chapter's, async. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "demos.h"
#include "i18n.h"

static const char *const wiki_pages[] = {
	"Coroutine", "Threading", "Programmation_concurrente"
};

static const char wiki_sync_source[] =
    "import time\n"
    "import requests\n"
    "\n"
    "URL = \"https://fr.wikipedia.org/api/rest_v1/page/summary/\"\n"
    "\n"
    "def summary(page):\n"
    "    response = requests.get(URL + page, timeout=10)\n"
    "    response.raise_for_status()\n"
    "    return response.json()[\"extract\"][:80]\n"
    "\n"
    "def wiki(page):\n"
    "    time.sleep(6)\n"
    "    try:\n"
    "        print(summary(page))\n"
    "    except Exception as error:\n"
    "        print(f\"{page}: {error}\")\n"
    "\n"
    "def main():\n"
    "    for page in [\"Coroutine\", \"Threading\", "
    "\"Programmation_concurrente\"]:\n"
    "        wiki(page)\n"
    "\n"
    "main()\n";

static const char wiki_blocking_source[] =
    "import asyncio\n"
    "import requests\n"
    "\n"
    "URL = \"https://fr.wikipedia.org/api/rest_v1/page/summary/\"\n"
    "\n"
    "def summary(page):\n"
    "    response = requests.get(URL + page, timeout=10)  # holds the loop\n"
    "    response.raise_for_status()\n"
    "    return response.json()[\"extract\"][:80]\n"
    "\n"
    "async def wiki(page):\n"
    "    await asyncio.sleep(6)\n"
    "    try:\n"
    "        print(summary(page))\n"
    "    except Exception as error:\n"
    "        print(f\"{page}: {error}\")\n"
    "\n"
    "async def main():\n"
    "    await asyncio.gather(\n"
    "        wiki(\"Coroutine\"),\n"
    "        wiki(\"Threading\"),\n"
    "        wiki(\"Programmation_concurrente\"),\n"
    "    )\n"
    "\n"
    "asyncio.run(main())\n";

static const char wiki_async_source[] =
    "import asyncio\n"
    "import httpx\n"
    "\n"
    "URL = \"https://fr.wikipedia.org/api/rest_v1/page/summary/\"\n"
    "\n"
    "async def summary(client, page):\n"
    "    response = await client.get(URL + page, timeout=10)\n"
    "    response.raise_for_status()\n"
    "    return response.json()[\"extract\"][:80]\n"
    "\n"
    "async def wiki(client, page):\n"
    "    await asyncio.sleep(6)\n"
    "    try:\n"
    "        print(await summary(client, page))\n"
    "    except Exception as error:\n"
    "        print(f\"{page}: {error}\")\n"
    "\n"
    "async def main():\n"
    "    async with httpx.AsyncClient() as client:\n"
    "        await asyncio.gather(\n"
    "            wiki(client, \"Coroutine\"),\n"
    "            wiki(client, \"Threading\"),\n"
    "            wiki(client, \"Programmation_concurrente\"),\n"
    "        )\n"
    "\n"
    "asyncio.run(main())\n";

/*
 * wiki(page) and summary(page) for one page: the wait (blocking or not),
 * then the fetch (blocking or not), printing the summary or the error.
 */
static int
wiki_page(struct program *p, const struct demo_params *params,
    const char *page, bool async_wait, bool async_fetch)
{
	char	label[96], url[512];
	int	wiki, summary;

	snprintf(url, sizeof url, "%s%s", params->base_url, page);
	snprintf(label, sizeof label, "summary('%s')", page);
	summary = program_proc(p, label, "summary", async_fetch);
	program_fetch(p, summary, 7, url, page, params->timeout, !async_fetch,
	    params->hold);
	snprintf(label, sizeof label, "wiki('%s')", page);
	wiki = program_proc(p, label, "wiki", async_wait);
	if (async_wait)
		program_sleep(p, wiki, 12, 6 * VTIME_SEC);
	else
		program_block_sleep(p, wiki, 12, 6 * VTIME_SEC);
	if (async_fetch)
		program_await(p, wiki, 14, summary);
	else
		program_call(p, wiki, 14, summary);
	program_print(p, wiki, 14, "{}");
	return wiki;
}

static struct program *
wiki_sync(const struct demo_params *params)
{
	struct program	*p = program_new("sync", VARIANT_SYNC,
			    wiki_sync_source);
	int		 pages[3], main_, i;

	for (i = 0; i < 3; i++)
		pages[i] = wiki_page(p, params, wiki_pages[i], false, false);
	main_ = program_proc(p, "main()", "main", false);
	for (i = 0; i < 3; i++)
		program_call(p, main_, 20, pages[i]);
	program_entry(p, main_);
	return p;
}

static struct program *
wiki_gathered(const struct demo_params *params, const char *name,
    const char *source, bool async_fetch, int gather_line)
{
	struct program	*p = program_new(name, VARIANT_ASYNC, source);
	int		 pages[3], main_, i;

	for (i = 0; i < 3; i++)
		pages[i] = wiki_page(p, params, wiki_pages[i], true,
		    async_fetch);
	main_ = program_proc(p, "main()", "main", true);
	program_gather(p, main_, gather_line, pages, 3);
	program_entry(p, main_);
	return p;
}

static struct program *
wiki_blocking(const struct demo_params *params)
{
	return wiki_gathered(params, "async-blocking", wiki_blocking_source,
	    false, 19);
}

static struct program *
wiki_async(const struct demo_params *params)
{
	return wiki_gathered(params, "async", wiki_async_source, true, 20);
}

static const struct demo_variant wiki_variants[] = {
	{ .name = "sync",
	  .summary = N_("time.sleep(6), then wikipedia.summary, three times in "
	    "a row"),
	  .build = wiki_sync, .file = "wiki/sync.py" },
	{ .name = "async-blocking",
	  .summary = N_("the chapter's: asyncio.sleep(6), then a blocking "
	    "wikipedia.summary that holds the loop"),
	  .build = wiki_blocking, .file = "wiki/async-blocking.py" },
	{ .name = "async",
	  .summary = N_("asyncio.sleep(6), then wikipedia.summary in a thread "
	    "(asyncio.to_thread): the fetches overlap"),
	  .build = wiki_async, .file = "wiki/async.py" },
};

static bool
wiki_has_page(const char *page, long tasks)
{
	size_t	i;

	(void)tasks;
	for (i = 0; i < sizeof wiki_pages / sizeof wiki_pages[0]; i++)
		if (strcmp(wiki_pages[i], page) == 0)
			return true;
	return false;
}

const struct demo demo_wiki = {
	.name = "wiki",
	.summary = N_("three Wikipedia summaries, each after 6 s: 3(6+f), 6+3f, "
	    "6+max(f)"),
	.variants = wiki_variants,
	.nvariants = sizeof wiki_variants / sizeof wiki_variants[0],
	.fetches = wiki_has_page,
};
