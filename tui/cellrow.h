/*
 * A notebook's cells in the views (tui/cellrow.c): the row of their
 * labels on the time axis, their list in the JSON document, and a cell's
 * caption (the markdown cell before it) from the source shown.
 */
#ifndef LOOPSCOPE_CELLROW_H
#define LOOPSCOPE_CELLROW_H

#include <jansson.h>
#include <stddef.h>

#include "axis.h"
#include "timeline.h"

void	 cellrow_layout(const struct axis *a, const struct tl_variant *v,
	     char *buf, size_t len, int *at);
json_t	*cellrow_json(const struct tl_variant *v, vtime_t now);
int	 cellrow_caption(const char *source, int number, char *buf,
	     size_t len);
int	 cellrow_task(const char *source, const struct tl_variant *v,
	     const struct tl_task *t, char *buf, size_t len);

#endif
