/*
 * The caption: one line under the header that says, in plain words, what
 * just happened at the playhead ("t = 10.49 s: name()'s timer was due at
 * t = 10.00 s, but the loop was busy with calculation(3): it fired 0.49 s
 * late"). It reads only the timeline, so replays and exports say the same.
 */
#ifndef LOOPSCOPE_CAPTION_H
#define LOOPSCOPE_CAPTION_H

#include <stdbool.h>
#include <stddef.h>

#include "timeline.h"

#define CAPTION_NONE	((size_t)-1)	/* from: not a step */

/*
 * The caption of the playhead after k events of tl's log at time t. A
 * step from event `from` (CAPTION_NONE when playing) says what it stepped
 * over; playing, the latest event that shows something is told.
 */
void	caption_text(const struct timeline *tl, size_t k, size_t from,
	    vtime_t t, char *buf, size_t len);

/* Cut text (len bytes) to cols columns at a word, with an ellipsis. */
void	caption_fit(char *text, size_t len, int cols, bool utf8);

/* One event's sentence, without the time (event k of tl's log). */
void	caption_event(const struct timeline *tl, size_t k, char *buf,
	    size_t len);

#endif
