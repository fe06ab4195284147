/* fanout: N concurrent fetches, with a bounded pool of connections. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demos.h"
#include "i18n.h"

static const struct demo_variant fanout_variants[] = {
	{ .name = "sync", .summary = N_("N blocking GETs, one after another"),
	  .file = "fanout/sync.py" },
	{ .name = "async",
	  .summary = N_("N GETs gathered, sharing a pool of connections"),
	  .file = "fanout/async.py" },
};

/* Page_0 to Page_<tasks - 1>, as the fanout programs name them. */
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
