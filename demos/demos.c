/* The list of demos, in the order the menu shows them. */
#include "config.h"

#include <string.h>

#include "demos.h"

static const struct demo *const demos_all[] = {
	&demo_hello,
	&demo_gather,
	&demo_tasks,
	&demo_wiki,
	&demo_fanout,
	&demo_lesson,
	&demo_threads,
	&demo_costs,
};

size_t
demos_count(void)
{
	return sizeof demos_all / sizeof demos_all[0];
}

const struct demo *
demos_at(size_t i)
{
	return i < demos_count() ? demos_all[i] : NULL;
}

const struct demo *
demos_find(const char *name)
{
	size_t	i;

	for (i = 0; i < demos_count(); i++)
		if (strcmp(demos_all[i]->name, name) == 0)
			return demos_all[i];
	return NULL;
}

/* Whether the demo, with a fan-out of tasks, asks for page. */
bool
demos_fetches(const struct demo *d, const char *page, long tasks)
{
	return d->fetches != NULL && d->fetches(page, tasks);
}

const struct demo_variant *
demos_variant(const struct demo *d, const char *name)
{
	size_t	i;

	for (i = 0; i < d->nvariants; i++)
		if (strcmp(d->variants[i].name, name) == 0)
			return &d->variants[i];
	return NULL;
}
