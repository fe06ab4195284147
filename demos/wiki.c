/* wiki: three summaries after 6 s each: blocking, the chapter's, async. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "demos.h"
#include "i18n.h"

static const char *const wiki_pages[] = {
	"Coroutine", "Threading", "Programmation_concurrente"
};

static const struct demo_variant wiki_variants[] = {
	{ .name = "sync",
	  .summary = N_("time.sleep(6), then wikipedia.summary, three times in "
	    "a row"),
	  .file = "wiki/sync.py" },
	{ .name = "async-blocking",
	  .summary = N_("the chapter's: asyncio.sleep(6), then a blocking "
	    "wikipedia.summary that holds the loop"),
	  .file = "wiki/async-blocking.py" },
	{ .name = "async",
	  .summary = N_("asyncio.sleep(6), then wikipedia.summary in a thread "
	    "(asyncio.to_thread): the fetches overlap"),
	  .file = "wiki/async.py" },
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
