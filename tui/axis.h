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

void		axis_init(struct axis *a, vtime_t span, int width, int gap);
vtime_t		axis_nice_step(vtime_t span, int width, int gap);
int		axis_column(const struct axis *a, vtime_t t);
vtime_t		axis_time(const struct axis *a, int col);
void		axis_format(vtime_t t, vtime_t step, char *buf, size_t len);
int		axis_labels(const struct axis *a, char *buf, size_t len,
		    int extra);
enum task_state	axis_cell(const struct axis *a, const struct tl_task *t,
		    int col, vtime_t end);
int		axis_cover(const struct axis *a, const struct tl_task *t,
		    int col, vtime_t end);

#endif
