/* hello: a coroutine function called, then run through the loop. */
#include "config.h"

#include "demos.h"
#include "i18n.h"

static const struct demo_variant hello_variants[] = {
	{ .name = "call",
	  .summary = N_("main() alone: a coroutine object, never awaited"),
	  .file = "hello/call.py" },
	{ .name = "run",
	  .summary = N_("asyncio.run(main()): the loop runs the coroutine"),
	  .file = "hello/run.py" },
};

const struct demo demo_hello = {
	.name = "hello",
	.summary = N_("calling a coroutine function runs nothing; the loop runs it"),
	.variants = hello_variants,
	.nvariants = sizeof hello_variants / sizeof hello_variants[0],
};
