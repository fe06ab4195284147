/* Where each panel goes for a terminal size: no curses needed. */
#include "config.h"

#include <string.h>

#include "layout.h"

/*
 * Header on top, the caption under it, key bar at the bottom, the timelines as tall as they ask
 * (within most of the screen), and below them the loop, the output and the
 * source side by side; on wide ones the source takes half, for two
 * programs side by side; on narrow screens it takes the output's place.
 */
void
layout_compute(struct layout *l, int rows, int cols, int want, bool source)
{
	int	body, top, bottom, y, w1, w2;

	memset(l, 0, sizeof *l);
	if (rows < LAYOUT_MIN_ROWS || cols < LAYOUT_MIN_COLS) {
		l->too_small = true;
		return;
	}
	l->header = (struct rect){ 0, 0, 1, cols };
	l->caption = (struct rect){ 1, 0, 1, cols };
	l->keybar = (struct rect){ rows - 1, 0, 1, cols };
	body = rows - 3;
	bottom = body * 2 / 5;
	if (bottom < 7)
		bottom = 7;
	top = body - bottom;
	if (want > 0 && want < top) {
		top = want;
		bottom = body - top;
	} else if (want > top) {
		/* The panels give way to the lanes, down to their title and 4. */
		bottom = body - want > LAYOUT_BOTTOM_MIN ? body - want :
		    LAYOUT_BOTTOM_MIN;
		top = body - bottom;
	}
	l->timelines = (struct rect){ 2, 0, top, cols };
	y = 2 + top;
	if (cols >= LAYOUT_SOURCE_WIDE && source) {
		/* Room for two sources side by side: they take half. */
		w1 = cols / 4;
		l->loop = (struct rect){ y, 0, bottom, w1 };
		l->output = (struct rect){ y, w1, bottom, w1 };
		l->source = (struct rect){ y, 2 * w1, bottom, cols - 2 * w1 };
	} else if (cols >= 100) {
		w1 = cols / 3;
		if (source) {
			w2 = (cols - w1) / 2;
			l->loop = (struct rect){ y, 0, bottom, w1 };
			l->output = (struct rect){ y, w1, bottom, w2 };
			l->source = (struct rect){ y, w1 + w2, bottom,
			    cols - w1 - w2 };
		} else {
			l->loop = (struct rect){ y, 0, bottom, w1 };
			l->output = (struct rect){ y, w1, bottom, cols - w1 };
		}
	} else {
		l->narrow = true;
		w1 = cols * 45 / 100;
		l->loop = (struct rect){ y, 0, bottom, w1 };
		if (source)
			l->source = (struct rect){ y, w1, bottom, cols - w1 };
		else
			l->output = (struct rect){ y, w1, bottom, cols - w1 };
	}
}

/* The most lanes a screen of rows shows at once, the panels given way. */
int
layout_lane_rows(int rows)
{
	return rows - 3 - LAYOUT_BOTTOM_MIN - 3;
}

bool
layout_contains(const struct rect *r, int y, int x)
{
	return r->h > 0 && y >= r->y && y < r->y + r->h && x >= r->x &&
	    x < r->x + r->w;
}
