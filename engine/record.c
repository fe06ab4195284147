/* Recordings: writing a session down as it runs, safely. */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "i18n.h"
#include "outfile.h"
#include "record-int.h"

#define RECORD_FLUSH_NS		(500 * VTIME_MS)	/* of real time */
#define RECORD_FLUSH_EVENTS	4096

/*
 * The file is written as FILE.tmp beside FILE and renamed over it only
 * once complete (outfile.c), so FILE is always either the previous
 * recording or a whole new one.
 */
struct record {
	char		*path;		/* for the messages */
	struct outfile	 out;
	gzFile		 gz;
	int64_t		 t0;		/* real ns when it began */
	int64_t		 last_flush;
	size_t		 unflushed;	/* records since the last flush */
	size_t		 events;	/* of the current run */
	size_t		 total_events;
	size_t		 total_actions;
	char		 error[512];	/* the first failure, once failed */
};

static int	record_fail(struct record *, const char *);
static int	record_line(struct record *, json_t *);

/* The same event, field by field, text included (what a reader gets). */
bool
record_event_equal(const struct trace_event *a, const struct trace_event *b)
{
	if (a->type != b->type || a->state != b->state ||
	    a->reason != b->reason ||
	    (a->flags & ~TRACE_F_OWNED) != (b->flags & ~TRACE_F_OWNED) ||
	    a->variant != b->variant || a->line != b->line ||
	    a->task != b->task || a->other != b->other ||
	    a->vtime != b->vtime || a->rtime != b->rtime || a->a != b->a ||
	    a->b != b->b || a->n_ready != b->n_ready ||
	    a->n_timers != b->n_timers || a->n_io != b->n_io ||
	    a->seq != b->seq)
		return false;
	if (a->text == NULL || b->text == NULL)
		return a->text == b->text;
	return strcmp(a->text, b->text) == 0;
}

/* The first failure: remember it, drop the temporary file, write no more. */
static int
record_fail(struct record *r, const char *why)
{
	if (r->error[0] != '\0')
		return -1;
	snprintf(r->error, sizeof r->error, _("%s: cannot write the recording: "
	    "%s"), r->path, why);
	if (r->gz != NULL)
		gzclose_w(r->gz);
	r->gz = NULL;
	outfile_discard(&r->out);
	return -1;
}

/* What zlib says went wrong, or errno's words when the system did. */
static const char *
record_gz_error(gzFile gz)
{
	int		 errnum;
	const char	*msg = gzerror(gz, &errnum);

	return errnum == Z_ERRNO ? strerror(errno) : msg;
}

/* Write out what is buffered, so that a crash keeps it. */
static int
record_sync(struct record *r)
{
	if (r->gz == NULL)
		return -1;
	if (gzflush(r->gz, Z_SYNC_FLUSH) != Z_OK)
		return record_fail(r, record_gz_error(r->gz));
	r->unflushed = 0;
	r->last_flush = vtime_real_ns();
	return 0;
}

/* One record, one line; flushed every half second or so many records. */
static int
record_line(struct record *r, json_t *o)
{
	char	*s;
	size_t	 n;
	int	 rc = 0;

	if (o == NULL) {
		errno = ENOMEM;
		return record_fail(r, strerror(ENOMEM));
	}
	if (r->gz == NULL) {
		json_decref(o);
		return -1;
	}
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (s == NULL)
		return record_fail(r, strerror(ENOMEM));
	n = strlen(s);
	s[n] = '\n';		/* json_dumps leaves room: its NUL */
	if (gzwrite(r->gz, s, (unsigned)n + 1) != (int)n + 1)
		rc = record_fail(r, record_gz_error(r->gz));
	free(s);
	if (rc != 0)
		return rc;
	if (++r->unflushed >= RECORD_FLUSH_EVENTS ||
	    vtime_real_ns() - r->last_flush >= RECORD_FLUSH_NS)
		return record_sync(r);
	return 0;
}

/* Fill run from a session's programs (strings copied; record_run_clear). */
void
record_run_programs(struct record_run *run, struct session *s,
    const char *demo)
{
	const struct program	*p;
	size_t			 i;

	memset(run, 0, sizeof *run);
	run->demo = strdup(demo);
	for (i = 0; i < session_nvariants(s) && i < TRACE_MAX_VARIANTS; i++) {
		p = session_program(s, i);
		run->variants[i].name = strdup(p->name);
		run->variants[i].kind = (uint8_t)p->kind;
		run->variants[i].source = strdup(p->source);
	}
	run->nvariants = i;
}

/* Free what a run holds, and empty it. */
void
record_run_clear(struct record_run *run)
{
	size_t	i;

	free(run->demo);
	for (i = 0; i < run->nvariants; i++) {
		free(run->variants[i].name);
		free(run->variants[i].source);
	}
	for (i = 0; i < run->nevents; i++)
		trace_event_clear(&run->events[i]);
	free(run->events);
	for (i = 0; i < run->nactions; i++) {
		free(run->actions[i].act);
		json_decref(run->actions[i].view);
	}
	free(run->actions);
	memset(run, 0, sizeof *run);
}

/*
 * Start a recording at path: its header, with the first run's demo and
 * variants. NULL with a one-line reason in err when it cannot be created.
 */
struct record *
record_open(const char *path, const struct record_header *h,
    const struct record_run *run, char *err, size_t len)
{
	struct record	*r;
	json_t		*o;
	const char	*mode;
	char		 when[32], why[400];
	struct tm	 tm;
	time_t		 now = time(NULL);
	size_t		 n = strlen(path);
	int		 dupfd;

	if ((r = calloc(1, sizeof *r)) == NULL ||
	    (r->path = strdup(path)) == NULL) {
		snprintf(err, len, _("%s: out of memory"), path);
		free(r);
		return NULL;
	}
	/* Named as given: FILE.tmp is ours, not the user's. */
	if (outfile_open(&r->out, path, why, sizeof why) != 0) {
		snprintf(err, len, _("%s: cannot record: %s"), path, why);
		free(r->path);
		free(r);
		return NULL;
	}
	mode = n > 3 && strcmp(path + n - 3, ".gz") == 0 ? "wb6" : "wbT";
	if ((dupfd = dup(r->out.fd)) < 0 || (r->gz = gzdopen(dupfd, mode)) ==
	    NULL) {
		snprintf(err, len, _("%s: cannot record: %s"), path,
		    strerror(errno != 0 ? errno : ENOMEM));
		if (dupfd >= 0)
			close(dupfd);
		outfile_discard(&r->out);
		free(r->path);
		free(r);
		return NULL;
	}
	r->t0 = r->last_flush = vtime_real_ns();

	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	o = json_object();
	json_object_set_new(o, "format", json_string(RECORD_FORMAT));
	json_object_set_new(o, "version", json_integer(RECORD_VERSION));
	json_object_set_new(o, "loopscope", json_string(PACKAGE_VERSION));
	record_json_run(o, run);
	json_object_set_new(o, "speed", json_real(h->speed));
	json_object_set_new(o, "clock", json_string(h->clock == CLOCK_SIM ?
	    "sim" : "real"));
	json_object_set_new(o, "paused", json_boolean(h->paused));
	json_object_set_new(o, "cols", json_integer(h->cols));
	json_object_set_new(o, "rows", json_integer(h->rows));
	json_object_set_new(o, "started", json_string(when));
	/* The header goes out at once: a file with one is a recording. */
	if (record_line(r, o) != 0 || record_sync(r) != 0) {
		snprintf(err, len, "%s", r->error);
		record_abort(r);
		return NULL;
	}
	return r;
}

/* One trace event, as it came. */
int
record_event(struct record *r, const struct trace_event *ev)
{
	if (r == NULL || r->gz == NULL)
		return -1;
	r->events++;
	r->total_events++;
	return record_line(r, record_json_event(ev));
}

/*
 * One of the lecturer's actions, act, and the view it left: the UI's
 * object, its fields written after the action's own as they are.
 */
int
record_action(struct record *r, const char *act, const json_t *view)
{
	json_t	*o;

	if (r == NULL || r->gz == NULL)
		return -1;
	o = json_object();
	json_object_set_new(o, "action", record_json_string(act));
	json_object_set_new(o, "rtime", json_integer(vtime_real_ns() - r->t0));
	json_object_set_new(o, "events", json_integer((json_int_t)r->events));
	if (view != NULL)
		json_object_update(o, (json_t *)view);
	r->total_actions++;
	/* At human pace: each goes to disk at once, pauses included. */
	if (record_line(r, o) != 0)
		return -1;
	return r->unflushed > 0 ? record_sync(r) : 0;
}

/* The session was made again (restart, another demo): a new run. */
int
record_restart(struct record *r, const struct record_run *run)
{
	json_t	*o;

	if (r == NULL || r->gz == NULL)
		return -1;
	o = json_object();
	json_object_set_new(o, "run", json_integer(1));
	json_object_set_new(o, "rtime", json_integer(vtime_real_ns() - r->t0));
	record_json_run(o, run);
	r->events = 0;
	return record_line(r, o);
}

/* Flush if half a second has passed since the last time (or now, if force). */
int
record_flush(struct record *r, bool force)
{
	if (r == NULL || r->gz == NULL)
		return -1;
	if (r->unflushed == 0)
		return 0;
	if (force || vtime_real_ns() - r->last_flush >= RECORD_FLUSH_NS)
		return record_sync(r);
	return 0;
}

/*
 * The end: an end record, everything on disk, then FILE.tmp renamed to
 * FILE. Returns 0, or -1 with the reason in err (and no file left behind).
 * Frees r either way.
 */
int
record_close(struct record *r, char *err, size_t len)
{
	json_t	*o;
	int	 rc = 0;

	if (r == NULL)
		return 0;
	if (r->gz != NULL) {
		o = json_object();
		json_object_set_new(o, "end", json_true());
		json_object_set_new(o, "rtime",
		    json_integer(vtime_real_ns() - r->t0));
		json_object_set_new(o, "events",
		    json_integer((json_int_t)r->total_events));
		json_object_set_new(o, "actions",
		    json_integer((json_int_t)r->total_actions));
		record_line(r, o);
	}
	if (r->gz != NULL) {
		rc = gzclose_w(r->gz);
		r->gz = NULL;
		if (rc != Z_OK)
			record_fail(r, rc == Z_ERRNO ? strerror(errno) :
			    _("compression failed"));
	}
	if (r->error[0] == '\0' && outfile_commit(&r->out) != 0)
		record_fail(r, strerror(errno));
	outfile_discard(&r->out);
	rc = r->error[0] != '\0' ? -1 : 0;
	if (rc != 0)
		snprintf(err, len, "%s", r->error);
	free(r->path);
	free(r);
	return rc;
}

/* Give up: the temporary file goes, FILE stays as it was. Frees r. */
void
record_abort(struct record *r)
{
	if (r == NULL)
		return;
	if (r->gz != NULL)
		gzclose_w(r->gz);
	outfile_discard(&r->out);
	free(r->path);
	free(r);
}

/* The first failure's one line, or NULL while all is well. */
const char *
record_error(const struct record *r)
{
	return r != NULL && r->error[0] != '\0' ? r->error : NULL;
}

/* Written since the last flush: a crash now would lose it. */
bool
record_dirty(const struct record *r)
{
	return r != NULL && r->gz != NULL && r->unflushed > 0;
}

/*
 * A session's events, as it reads them (session_sink): each written down
 * in the order the timeline gets it, so that the recording folds into the
 * very model the views drew.
 */
static void
record_take(void *arg, const struct trace_event *evs, size_t n)
{
	struct record	*r = arg;
	size_t		 i;

	for (i = 0; i < n; i++)
		record_event(r, &evs[i]);
}

/* Record every event s reads from now on, once, in its order. */
int
record_attach(struct record *r, struct session *s)
{
	return session_sink(s, record_take, r);
}
