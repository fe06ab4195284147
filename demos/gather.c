/* gather: three names, each after 10 s, blocking or gathered. */
#include "config.h"

#include <stdio.h>

#include "demos.h"
#include "i18n.h"

static const struct demo_variant gather_variants[] = {
	{ .name = "sync",
	  .summary = N_("time.sleep(10) three times in a row"),
	  .file = "gather/sync.py" },
	{ .name = "async",
	  .summary = N_("asyncio.sleep(10) three times, gathered"),
	  .file = "gather/async.py" },
};

const struct demo demo_gather = {
	.name = "gather",
	.summary = N_("three names after 10 s each: blocking calls vs asyncio.gather"),
	.variants = gather_variants,
	.nvariants = sizeof gather_variants / sizeof gather_variants[0],
};
