/* Headless views: the text timeline and the JSON document. */
#ifndef LOOPSCOPE_HEADLESS_H
#define LOOPSCOPE_HEADLESS_H

#include <stdbool.h>
#include <stdio.h>

#include "clock.h"
#include "timeline.h"

struct headless_info {
	const char	*demo;
	const char	*summary;
	enum clock_mode	 clock;
	double		 speed;
	int		 width;		/* columns for the whole line */
	bool		 utf8;
	FILE		*err;		/* the programs' stderr; NULL: inline */
};

int	headless_text(FILE *f, const struct timeline *tl,
	    const struct headless_info *info);
int	headless_json(FILE *f, const struct timeline *tl,
	    const struct headless_info *info);
size_t	headless_failed(const struct tl_variant *v);
int	headless_speedup(const struct timeline *tl, size_t i, char *buf,
	    size_t len);

#endif
