/* The demo programs: the lesson's examples, each a set of variants. */
#ifndef LOOPSCOPE_DEMOS_H
#define LOOPSCOPE_DEMOS_H

#include <stddef.h>

#include "program.h"

struct demo_variant {
	const char		 *name;
	const char		 *summary;
	struct program		*(*build)(void);
};

struct demo {
	const char			*name;
	const char			*summary;
	const struct demo_variant	*variants;
	size_t				 nvariants;
};

#define DEMO_DEFAULT	"gather"
#define DEMO_TOTAL_FMT	"Durée totale d'exécution: {} secondes"

size_t			 demos_count(void);
const struct demo	*demos_at(size_t);
const struct demo	*demos_find(const char *);
const struct demo_variant *demos_variant(const struct demo *, const char *);

extern const struct demo demo_hello;
extern const struct demo demo_gather;
extern const struct demo demo_tasks;

#endif
