/* Recordings: a session's trace and the lecturer's actions, in JSON Lines. */
#ifndef LOOPSCOPE_RECORD_H
#define LOOPSCOPE_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "session.h"
#include "timeline.h"
#include "trace.h"

#define RECORD_FORMAT		"loopscope-recording"
#define RECORD_VERSION		1	/* doc/recording.md */
#define RECORD_MAX_VARIANTS	TIMELINE_MAX_VARIANTS

/*
 * What a reader takes in before it gives up, so that a small file cannot
 * ask for unbounded memory (a gzip bomb): bytes once inflated, and records
 * (events, actions, runs). The largest demo's recording (fanout --tasks
 * 10000) holds about 210,000 records in 28 MiB; at the limits a reading
 * stays well under 1 GiB. --max-bytes and --max-events raise them.
 */
#define RECORD_MAX_BYTES_DEFAULT	((size_t)256 << 20)
#define RECORD_MAX_BYTES_MIN		((size_t)1 << 10)
#define RECORD_MAX_BYTES_MAX		((size_t)1 << 40)
#define RECORD_MAX_EVENTS_DEFAULT	2000000
#define RECORD_MAX_EVENTS_MAX		1000000000L
#define RECORD_MAX_RUNS			10000	/* restarts: never near */

struct record_limits {
	size_t		 max_bytes;
	size_t		 max_events;
};

/* What the lecturer did; the view it left is in the action's record_view. */
enum record_act {
	RECORD_START,		/* a run begins: the view at its start */
	RECORD_PAUSE,
	RECORD_RESUME,
	RECORD_STEP,		/* one event forward */
	RECORD_BACK,		/* one event back */
	RECORD_ITERATION,	/* one loop iteration forward */
	RECORD_SPEED,
	RECORD_SELECT,		/* a lane chosen */
	RECORD_RESTART,
	RECORD_SEEK,		/* Home, End, [, ], g */
	RECORD_SOURCE,		/* the source shown or hidden */
	RECORD_FOLD,
	RECORD_OVERLAY,		/* help, details or a menu opened or closed */
	RECORD_RESIZE,
	RECORD_QUIT,
	RECORD_OTHER,		/* a name this version does not know */
	RECORD_NACTS
};

enum record_overlay {
	RECORD_OVERLAY_NONE,
	RECORD_OVERLAY_HELP,
	RECORD_OVERLAY_DETAILS,
	RECORD_OVERLAY_DEMOS,
	RECORD_OVERLAY_VARIANTS,
	RECORD_NOVERLAYS
};

/* The screen an action left, apart from the trace: enough to show it again. */
struct record_view {
	vtime_t		 t;		/* the instant shown */
	size_t		 k;		/* events of the sorted log applied */
	bool		 following;	/* k: every event so far */
	bool		 paused;
	bool		 stepping;
	double		 speed;
	int		 selected;	/* lane index, -1: none */
	int		 scroll;
	bool		 source;	/* the source panel shown */
	int		 overlay;	/* enum record_overlay */
	int8_t		 fold[RECORD_MAX_VARIANTS];	/* -1, 0 (auto), 1 */
	int		 cols;		/* the terminal's size then */
	int		 rows;
	char		 message[128];	/* the key bar's message */
};

struct record_action {
	enum record_act	 act;
	int64_t		 rtime;		/* real ns since the recording began */
	size_t		 events;	/* its run's events written before */
	struct record_view view;
};

struct record_variant {
	char		*name;
	uint8_t		 kind;		/* enum variant_kind */
	char		*source;	/* the Python text shown beside it */
};

/* One run: the header's, then one more at each restart. */
struct record_run {
	char			*demo;
	struct record_variant	 variants[RECORD_MAX_VARIANTS];
	size_t			 nvariants;
	int64_t			 rtime;		/* real ns, recording's clock */
	struct trace_event	*events;	/* in the order they came */
	size_t			 nevents;
	size_t			 events_cap;
	struct record_action	*actions;
	size_t			 nactions;
	size_t			 actions_cap;
};

/* The header's settings, as the session started. */
struct record_header {
	int		 version;
	char		*loopscope;	/* the version that wrote it */
	double		 speed;
	enum clock_mode	 clock;
	bool		 paused;
	int		 cols;		/* the terminal, 0 when headless */
	int		 rows;
	char		*started;	/* ISO 8601, UTC */
};

/* A recording read back. */
struct recording {
	struct record_header	 h;
	struct record_run	*runs;
	size_t			 nruns;
	bool			 complete;	/* its end record was read */
	char			 warning[512];	/* read, but cut short */
};

struct record;		/* a recording being written */

struct record	*record_open(const char *, const struct record_header *,
		     const struct record_run *, char *, size_t);
int		 record_event(struct record *, const struct trace_event *);
int		 record_action(struct record *, const struct record_action *);
int		 record_restart(struct record *, const struct record_run *);
int		 record_flush(struct record *, bool);
int		 record_close(struct record *, char *, size_t);
void		 record_abort(struct record *);
const char	*record_error(const struct record *);
bool		 record_dirty(const struct record *);
size_t		 record_poll(struct record *, struct session *,
		     struct timeline *);
size_t		 record_poll_upto(struct record *r, struct session *s,
		     struct timeline *tl, size_t max);
void		 record_run_programs(struct record_run *, struct session *,
		     const char *);

void		 record_limits_default(struct record_limits *);
struct recording *record_read(const char *, char *, size_t);
struct recording *record_read_limited(const char *,
		     const struct record_limits *, char *, size_t);
struct recording *record_read_fd(int, const char *,
		     const struct record_limits *, char *, size_t);
void		 record_free(struct recording *);
struct timeline	*record_timeline(const struct record_run *, size_t);
void		 record_run_clear(struct record_run *);

const char	*record_act_name(enum record_act);
const char	*record_overlay_name(enum record_overlay);
bool		 record_event_equal(const struct trace_event *,
		     const struct trace_event *);

#endif
