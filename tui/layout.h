/* Where each panel goes for a terminal size: no curses needed. */
#ifndef LOOPSCOPE_LAYOUT_H
#define LOOPSCOPE_LAYOUT_H

#include <stdbool.h>

#define LAYOUT_MIN_COLS	60
#define LAYOUT_MIN_ROWS	16
#define LAYOUT_BOTTOM_MIN	5	/* the panels, when the lanes need room */
#define LAYOUT_SOURCE_WIDE	150	/* the source takes half the width */

struct rect {
	int	y;
	int	x;
	int	h;
	int	w;
};

struct layout {
	bool		too_small;
	bool		narrow;		/* source and output share a place */
	struct rect	header;
	struct rect	caption;	/* what just happened, one line */
	struct rect	timelines;
	struct rect	loop;
	struct rect	output;
	struct rect	source;		/* h == 0 when hidden */
	struct rect	keybar;
};

void	layout_compute(struct layout *l, int rows, int cols, int want,
	    bool source);
bool	layout_contains(const struct rect *r, int y, int x);
int	layout_lane_rows(int rows);

#endif
