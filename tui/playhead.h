/* The playhead: which prefix of the trace the screen shows, and when. */
#ifndef LOOPSCOPE_PLAYHEAD_H
#define LOOPSCOPE_PLAYHEAD_H

#include <stdbool.h>
#include <stddef.h>

#include "timeline.h"

struct playhead {
	struct timeline	*live;		/* everything so far; not owned */
	struct timeline	*shown;		/* the prefix, when not following */
	size_t		 k;		/* events of the log applied */
	vtime_t		 t;		/* the instant shown */
	bool		 following;	/* at the live end */
	uint64_t	 inserts;	/* live->log_inserts when shown was built */
	struct {			/* event k - 1, before new events came */
		bool	 set;
		uint16_t variant;
		uint32_t seq;
		uint64_t inserts;
		size_t	 dropped;
	}		 mark;
};

void			 playhead_init(struct playhead *p,
			     struct timeline *live);
void			 playhead_free(struct playhead *p);
const struct timeline	*playhead_model(struct playhead *p);
void			 playhead_follow(struct playhead *p, vtime_t now);
void			 playhead_hold(struct playhead *p);
void			 playhead_mark(struct playhead *p);
void			 playhead_keep(struct playhead *p);
int			 playhead_step(struct playhead *p, int dir);
int			 playhead_step_iteration(struct playhead *p);
void			 playhead_seek(struct playhead *p, vtime_t t);
void			 playhead_rewind(struct playhead *p);
bool			 playhead_at_end(const struct playhead *p);
vtime_t			 playhead_end_time(const struct playhead *p);

#endif
