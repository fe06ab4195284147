/* The shared time axis: scale, ticks and the state of each cell. */
#ifndef LOOPSCOPE_AXIS_H
#define LOOPSCOPE_AXIS_H

#include <stddef.h>

#include "timeline.h"

struct axis {
	vtime_t		span;		/* time the width stands for */
	int		width;		/* columns */
	vtime_t		step;		/* between labelled ticks */
};

void		axis_init(struct axis *, vtime_t, int, int);
vtime_t		axis_nice_step(vtime_t, int, int);
int		axis_column(const struct axis *, vtime_t);
vtime_t		axis_time(const struct axis *, int);
void		axis_format(vtime_t, vtime_t, char *, size_t);
int		axis_labels(const struct axis *, char *, size_t, int);
enum task_state	axis_cell(const struct axis *, const struct tl_task *, int,
		    vtime_t);
int		axis_cover(const struct axis *, const struct tl_task *, int,
		    vtime_t);

#endif
