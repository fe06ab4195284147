/*
 * Recordings: a session's trace and the lecturer's actions, in JSON Lines
 * (doc/recording.md).
 */
#ifndef LOOPSCOPE_RECORD_H
#define LOOPSCOPE_RECORD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "session.h"
#include "timeline.h"
#include "trace.h"

#define RECORD_FORMAT		"loopscope-recording"
#define RECORD_VERSION		1	/* doc/recording.md */

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

/* The largest time (11.6 days) and number a reader takes in a field. */
#define RECORD_TIME_MAX		((int64_t)1000000 * VTIME_SEC)
#define RECORD_VALUE_MAX	((int64_t)1 << 62)

struct record_limits {
	size_t		 max_bytes;
	size_t		 max_events;
};

/*
 * What an action of the lecturer's left on screen, its view, is the UI's
 * (tui/record-view.c): the engine carries it and never looks into it. The
 * recorder writes the view's object after the action's own fields (its
 * name, time and count of events); the reader keeps the line's other
 * fields as the view's object. A reading given a check
 * (record_read_checked) asks it of each view as it comes, so that a view
 * the UI could not show stops the reading at its line, as any other wrong
 * field does; the check says why in why.
 */
typedef int	record_check_fn(const json_t *view, char *why, size_t len);

/* One of the lecturer's actions, read back. */
struct record_action {
	char		*act;		/* its name: "start", "step"... */
	int64_t		 rtime;		/* real ns since the recording began */
	size_t		 events;	/* its run's events written before */
	json_t		*view;		/* the view it left: the UI's */
};

struct record_variant {
	char		*name;
	uint8_t		 kind;		/* enum variant_kind */
	char		*source;	/* the Python text shown beside it */
};

/* One run: the header's, then one more at each restart. */
struct record_run {
	char			*demo;
	struct record_variant	 variants[TRACE_MAX_VARIANTS];
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

struct record	*record_open(const char *path, const struct record_header *h,
		     const struct record_run *run, char *err, size_t len);
int		 record_event(struct record *r, const struct trace_event *ev);
int		 record_action(struct record *r, const char *act,
		     const json_t *view);
int		 record_restart(struct record *r,
		     const struct record_run *run);
int		 record_flush(struct record *r, bool force);
int		 record_close(struct record *r, char *err, size_t len);
void		 record_abort(struct record *r);
const char	*record_error(const struct record *r);
bool		 record_dirty(const struct record *r);
int		 record_attach(struct record *r, struct session *s);
void		 record_run_programs(struct record_run *run, struct session *s,
		     const char *demo);

void		 record_limits_default(struct record_limits *lim);
struct recording *record_read(const char *path, char *err, size_t len);
struct recording *record_read_limited(const char *path,
		     const struct record_limits *lim, char *err, size_t len);
struct recording *record_read_checked(const char *path,
		     const struct record_limits *lim, record_check_fn *check,
		     char *err, size_t len);
struct recording *record_read_fd(int fd, const char *name,
		     const struct record_limits *lim, record_check_fn *check,
		     char *err, size_t len);
void		 record_free(struct recording *rec);
struct timeline	*record_timeline(const struct record_run *run, size_t limit);
void		 record_run_clear(struct record_run *run);

json_t		*record_json_string(const char *s);
bool		 record_event_equal(const struct trace_event *a,
		     const struct trace_event *b);

#endif
