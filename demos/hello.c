/* hello: a coroutine function called, then run through the loop. */
#include "config.h"

#include "demos.h"
#include "i18n.h"

#define HELLO_SENTENCE	"Nous découvrons les coroutines"

static const char hello_call_source[] =
    "import asyncio\n"
    "\n"
    "async def main():\n"
    "    print(\"" HELLO_SENTENCE "\")\n"
    "\n"
    "coro = main()   # runs nothing: gives a coroutine object\n"
    "print(coro)\n";

static const char hello_run_source[] =
    "import asyncio\n"
    "\n"
    "async def main():\n"
    "    print(\"" HELLO_SENTENCE "\")\n"
    "\n"
    "asyncio.run(main())\n";

/* The body both variants share: main() prints one sentence. */
static int
hello_main(struct program *p)
{
	int	main_ = program_proc(p, "main()", "main", true);

	program_print(p, main_, 4, HELLO_SENTENCE);
	return main_;
}

static struct program *
hello_call(const struct demo_params *params)
{
	(void)params;
	struct program	*p = program_new("call", VARIANT_SYNC,
			    hello_call_source);
	int		 main_, module;

	main_ = hello_main(p);
	module = program_proc(p, "<module>", NULL, false);
	program_coro(p, module, 6, main_, 0);
	program_print(p, module, 7, "{}");
	program_entry(p, module);
	return p;
}

static struct program *
hello_run(const struct demo_params *params)
{
	(void)params;
	struct program	*p = program_new("run", VARIANT_ASYNC,
			    hello_run_source);

	program_entry(p, hello_main(p));
	return p;
}

static const struct demo_variant hello_variants[] = {
	{ .name = "call",
	  .summary = N_("main() alone: a coroutine object, never awaited"),
	  .build = hello_call, .file = "hello/call.py" },
	{ .name = "run",
	  .summary = N_("asyncio.run(main()): the loop runs the coroutine"),
	  .build = hello_run, .file = "hello/run.py" },
};

const struct demo demo_hello = {
	.name = "hello",
	.summary = N_("calling a coroutine function runs nothing; the loop runs it"),
	.variants = hello_variants,
	.nvariants = sizeof hello_variants / sizeof hello_variants[0],
};
