/* Exports of a finished trace for other tools: Perfetto, slides. */
#ifndef LOOPSCOPE_EXPORT_H
#define LOOPSCOPE_EXPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "timeline.h"

/* What an export says about the session besides its trace. */
struct export_info {
	const char	*demo;		/* the demo's name */
	double		 speed;		/* the speed it was run at */
	vtime_t		 at;		/* SVG: the instant shown, or VTIME_NEVER */
};

/*
 * Each writes the whole timeline (every variant, every task, from its
 * log) to out; 0 on success, -1 with a one-line reason in err.
 */
int	export_chrome(const struct timeline *tl,
	    const struct export_info *info, FILE *out, char *err, size_t len);
int	export_svg(const struct timeline *tl, const struct export_info *info,
	    FILE *out, char *err, size_t len);
int	export_svg_at(const struct timeline *tl, size_t k, vtime_t at,
	    struct export_info *info, FILE *out, char *err, size_t len);

/* Shared by the exporters (export.c). */
char	*export_clean(const char *s, bool xml);
size_t	 export_utf8_len(const char *str);
vtime_t	 export_close_time(const struct timeline *tl, size_t i);
int	 export_finish(FILE *out, bool failed, char *err, size_t len);

#endif
