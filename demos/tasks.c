/* tasks: a 10 s sleep and two CPU-bound calculations, as tasks. */
#include "config.h"

#include "demos.h"
#include "i18n.h"

static const struct demo_variant tasks_variants[] = {
	{ .name = "sync",
	  .summary = N_("sleep 10 s, then two calculations, in a row"),
	  .file = "tasks/sync.py" },
	{ .name = "async",
	  .summary = N_("the same as three tasks: the calculations hold the loop"),
	  .file = "tasks/async.py" },
};

const struct demo demo_tasks = {
	.name = "tasks",
	.summary = N_("a sleep and two CPU-bound calculations as tasks (ensure_future)"),
	.variants = tasks_variants,
	.nvariants = sizeof tasks_variants / sizeof tasks_variants[0],
};
