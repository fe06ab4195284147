/*
 * The UI's view in a recording: what each of the lecturer's actions was
 * and what it left on screen (doc/recording.md, "Actions"). The engine's
 * recorder carries a view as a JSON object it never looks into
 * (engine/record.h); this is what the fields of that object mean.
 */
#ifndef LOOPSCOPE_RECORD_VIEW_H
#define LOOPSCOPE_RECORD_VIEW_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"

/* What the lecturer did. */
enum record_view_act {
	RECORD_VIEW_START,	/* a run begins: the view at its start */
	RECORD_VIEW_PAUSE,
	RECORD_VIEW_RESUME,
	RECORD_VIEW_STEP,	/* one event forward */
	RECORD_VIEW_BACK,	/* one event back */
	RECORD_VIEW_ITERATION,	/* one loop iteration forward */
	RECORD_VIEW_SPEED,
	RECORD_VIEW_SELECT,	/* a lane chosen */
	RECORD_VIEW_RESTART,
	RECORD_VIEW_SEEK,	/* Home, End, [, ], g */
	RECORD_VIEW_SOURCE,	/* the source shown or hidden */
	RECORD_VIEW_FOLD,
	RECORD_VIEW_OVERLAY,	/* help, details or a menu opened or closed */
	RECORD_VIEW_RESIZE,
	RECORD_VIEW_QUIT,
	RECORD_VIEW_MARK,	/* p: a pause point at the instant shown */
	RECORD_VIEW_OTHER,	/* a name this version does not know */
	RECORD_VIEW_NACTS
};

/* The overlays a recording names (the UI's others are recorded as none). */
enum record_view_overlay {
	RECORD_VIEW_OVERLAY_NONE,
	RECORD_VIEW_OVERLAY_HELP,
	RECORD_VIEW_OVERLAY_DETAILS,
	RECORD_VIEW_OVERLAY_DEMOS,
	RECORD_VIEW_OVERLAY_VARIANTS,
	RECORD_VIEW_NOVERLAYS
};

/*
 * The lecturer's view: what the UI shows apart from the trace and the
 * playhead. The UI keeps one (struct ui's view) and a recording holds it
 * as it is, so that a replay puts it back whole.
 */
struct view_state {
	bool		 paused;
	bool		 stepping;
	double		 speed;
	int		 selected;	/* lane index, -1: none */
	int		 scroll;
	bool		 source;	/* the source panel shown */
	int8_t		 fold[TRACE_MAX_VARIANTS];	/* -1, 0 (auto), 1 */
};

/* The screen an action left, apart from the trace: enough to show it again. */
struct record_view {
	vtime_t			 t;		/* the instant shown */
	size_t			 k;		/* events of the sorted log applied */
	bool			 following;	/* k: every event so far */
	struct view_state	 view;
	int			 overlay;	/* enum record_view_overlay */
	int		 cols;		/* the terminal's size then */
	int		 rows;
	char		 message[128];	/* the key bar's message */
};

const char	*record_view_act_name(enum record_view_act act);
enum record_view_act record_view_act_of(const char *name);
const char	*record_view_overlay_name(enum record_view_overlay overlay);

json_t		*record_view_json(const struct record_view *v);
int		 record_view_parse(const json_t *o, double speed,
		     struct record_view *v, char *why, size_t len);
int		 record_view_check(const json_t *o, char *why, size_t len);

int		 record_view_write(struct record *r, enum record_view_act act,
		     const struct record_view *v);
struct recording *record_view_read(const char *path,
		     const struct record_limits *lim, char *err, size_t len);
enum record_view_act record_view_of(const struct recording *rec,
		     const struct record_action *a, struct record_view *v);

#endif
