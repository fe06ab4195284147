/* lesson: the chapter's examples as the lecturer has them, a notebook. */
#include "config.h"

#include "demos.h"
#include "i18n.h"

static const struct demo_variant lesson_variants[] = {
	{ .name = "lesson",
	  .summary = N_("the whole notebook, cell by cell (--cells 3,4: two "
	    "side by side)"),
	  .file = "lesson.ipynb" },
};

const struct demo demo_lesson = {
	.name = "lesson",
	.summary = N_("the examples as a notebook, French captions, cell by "
	    "cell (--cells 3,4)"),
	.variants = lesson_variants,
	.nvariants = sizeof lesson_variants / sizeof lesson_variants[0],
};
