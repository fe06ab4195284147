/* The SVG export's parts, shared by export-svg.c and export-svg-frame.c. */
#ifndef LOOPSCOPE_EXPORT_SVG_INT_H
#define LOOPSCOPE_EXPORT_SVG_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "export.h"
#include "timeline.h"

#define SVG_WIDTH	1600
#define SVG_MARGIN	32
#define SVG_LANE	34	/* a lane's pitch */
#define SVG_BAR		26	/* the tallest bar in a lane */
#define SVG_HEAD	56	/* a variant's heading */
#define SVG_LINE	28	/* a line of output, a row of the legend */
#define SVG_OUT_MAX	4	/* lines of output shown per variant */
#define SVG_FOLD	20	/* fold a variant with more tasks than this */
#define SVG_NAME_MAX	30	/* characters a lane name may take */
#define SVG_NAME_MIN	26
#define SVG_CHAR_W	11	/* pixels a character takes at 18 px */
#define SVG_TICK_GAP	100	/* pixels at least between tick labels */
#define SVG_OUT_CHARS	120

/* A folded variant: for each state, the most tasks in it, column by column. */
struct svg_fold {
	int		*most[TASK_NSTATES];
	int		 peak[TASK_NSTATES];
	size_t		 finals[TASK_NSTATES];	/* failures, cancellations */
	int		 nlanes;
};

struct svg {
	FILE			*f;
	const struct timeline	*tl;
	vtime_t			 span;
	vtime_t			 step;		/* between labelled ticks */
	int			 x0;		/* where the time axis starts */
	int			 w;		/* pixels for the span */
	int			 namechars;
	int			 y;		/* top of the next row */
	struct svg_fold		 fold[TRACE_MAX_VARIANTS];
	bool			 folded[TRACE_MAX_VARIANTS];
	bool			 failed;	/* out of memory */
	bool			 late;		/* a lane has a late timer */
	vtime_t			 at;		/* the playhead, or VTIME_NEVER */
};

#define SVG_NORDER	9	/* the states the legend shows */

extern const char *const	 svg_fill[TASK_NSTATES];
extern const int		 svg_bar[TASK_NSTATES];
extern const enum task_state	 svg_order[SVG_NORDER];

int	svg_chars(const char *p);
void	svg_text(struct svg *s, const char *text, int max);
int	svg_x(const struct svg *s, vtime_t t);
int	svg_legend(struct svg *s, int top, bool draw);
void	svg_header(struct svg *s, const struct export_info *info, int height,
	    int grid_end);

#endif
