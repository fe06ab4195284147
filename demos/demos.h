/* The demo programs: the lesson's examples, each a set of variants. */
#ifndef LOOPSCOPE_DEMOS_H
#define LOOPSCOPE_DEMOS_H

#include <stdbool.h>
#include <stddef.h>

#include "program.h"
#include "vtime.h"

struct demo_variant {
	const char		 *name;
	const char		 *summary;
	const char		 *file;		/* its Python program */
	int			  cell;		/* its code cell traced, 0: all */
};

struct demo {
	const char			*name;
	const char			*summary;
	const struct demo_variant	*variants;
	size_t				 nvariants;
	/* Whether it fetches page (NULL: it fetches none) with --tasks n. */
	bool				(*fetches)(const char *page,
					    long tasks);
	bool				 scales;	/* takes --tasks */
	long				 tasks_default;	/* 0: DEMO_TASKS_DEFAULT */
	bool				 real_clock;	/* unless --clock */
	bool				 user;		/* the user's files */
};

#define DEMO_TASKS_DEFAULT	100
#define DEMO_TASKS_MAX		10000
#define DEMO_TIMEOUT_DEFAULT	(10 * VTIME_SEC)
#define DEMO_WIKI_URL		"https://fr.wikipedia.org/api/rest_v1/" \
				"page/summary/"

#define DEMO_DEFAULT	"gather"

size_t			 demos_count(void);
const struct demo	*demos_at(size_t i);
const struct demo	*demos_find(const char *name);
bool			 demos_fetches(const struct demo *d, const char *page,
			     long tasks);
const struct demo_variant *demos_variant(const struct demo *d,
			     const char *name);

extern const struct demo demo_hello;
extern const struct demo demo_gather;
extern const struct demo demo_tasks;
extern const struct demo demo_wiki;
extern const struct demo demo_fanout;
extern const struct demo demo_lesson;
extern const struct demo demo_threads;
extern const struct demo demo_costs;

#endif
