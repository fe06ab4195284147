/* Recordings: writing a session down as it runs, safely. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "record.h"

#define RECORD_FLUSH_NS		(500 * VTIME_MS)	/* of real time */
#define RECORD_FLUSH_EVENTS	4096

/*
 * The file is written as FILE.tmp beside FILE and renamed over it only
 * once complete, so FILE is always either the previous recording or a
 * whole new one. A device or a pipe (/dev/stdout, /dev/full) is written
 * in place.
 */
struct record {
	char		*path;
	char		*tmp;		/* NULL: written in place */
	int		 fd;
	gzFile		 gz;
	int64_t		 t0;		/* real ns when it began */
	int64_t		 last_flush;
	size_t		 unflushed;	/* records since the last flush */
	size_t		 events;	/* of the current run */
	size_t		 total_events;
	size_t		 total_actions;
	char		 error[512];	/* the first failure, once failed */
};

static const char *record_act_names[RECORD_NACTS] = {
	"start", "pause", "resume", "step", "back", "iteration", "speed",
	"select", "restart", "seek", "source", "fold", "overlay", "resize",
	"quit", "other"
};

static const char *record_overlay_names[RECORD_NOVERLAYS] = {
	"none", "help", "details", "demos", "variants"
};

static const char *record_kind_names[] = { "sync", "async", "threads" };

static int	record_fail(struct record *, const char *);
static int	record_line(struct record *, json_t *);

const char *
record_act_name(enum record_act a)
{
	return (unsigned)a < RECORD_NACTS ? record_act_names[a] : "other";
}

const char *
record_overlay_name(enum record_overlay o)
{
	return (unsigned)o < RECORD_NOVERLAYS ? record_overlay_names[o] :
	    "none";
}

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

/* Bytes of the valid UTF-8 character at p, or 0 when it is not one. */
static size_t
record_utf8(const unsigned char *p)
{
	size_t	n, i;
	int	lo = 0x80, hi = 0xbf;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		if (p[0] == 0xe0)
			lo = 0xa0;
		else if (p[0] == 0xed)
			hi = 0x9f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		if (p[0] == 0xf0)
			lo = 0x90;
		else if (p[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if (p[i] < lo || p[i] > hi)
			return 0;	/* a NUL stops here too */
		lo = 0x80;
		hi = 0xbf;
	}
	return n;
}

/* A JSON string of s; bytes that are not UTF-8 become '?'. */
static json_t *
record_string(const char *s)
{
	json_t		*j;
	unsigned char	*copy, *p;
	size_t		 n;

	if ((j = json_string(s)) != NULL)
		return j;
	if ((copy = (unsigned char *)strdup(s)) == NULL)
		return NULL;
	for (p = copy; *p != '\0'; p += n)
		if ((n = record_utf8(p)) == 0) {
			*p = '?';
			n = 1;
		}
	j = json_string((char *)copy);
	free(copy);
	return j;
}

/* Set key to a number unless it is 0 (a reader takes a missing one as 0). */
static void
record_set_int(json_t *o, const char *key, int64_t v)
{
	if (v != 0)
		json_object_set_new(o, key, json_integer(v));
}

/* One trace event as a JSON object: every field, zeros left out. */
static json_t *
record_event_json(const struct trace_event *ev)
{
	json_t	*o;

	if ((o = json_object()) == NULL)
		return NULL;
	json_object_set_new(o, "event",
	    json_string(trace_type_name(ev->type)));
	json_object_set_new(o, "variant", json_integer(ev->variant));
	json_object_set_new(o, "vtime", json_integer(ev->vtime));
	json_object_set_new(o, "rtime", json_integer(ev->rtime));
	json_object_set_new(o, "seq", json_integer(ev->seq));
	record_set_int(o, "task", ev->task);
	record_set_int(o, "line", ev->line);
	if (ev->type == TRACE_TASK_STATE && ev->state < TASK_NSTATES)
		json_object_set_new(o, "state",
		    json_string(trace_state_name(ev->state)));
	else if (ev->type == TRACE_IO_PHASE && ev->state < PHASE_N)
		json_object_set_new(o, "state",
		    json_string(trace_phase_name(ev->state)));
	else
		record_set_int(o, "state", ev->state);
	if (ev->reason != REASON_NONE && ev->reason < REASON_NREASONS)
		json_object_set_new(o, "reason",
		    json_string(trace_reason_name(ev->reason)));
	else
		record_set_int(o, "reason", ev->reason);
	record_set_int(o, "other", ev->other);
	record_set_int(o, "a", ev->a);
	record_set_int(o, "b", ev->b);
	record_set_int(o, "n_ready", ev->n_ready);
	record_set_int(o, "n_timers", ev->n_timers);
	record_set_int(o, "n_io", ev->n_io);
	record_set_int(o, "flags", ev->flags & ~TRACE_F_OWNED);
	if (ev->text != NULL)
		json_object_set_new(o, "text", record_string(ev->text));
	return o;
}

/* A run's demo and variants, as the header or a restart says them. */
static void
record_run_json(json_t *o, const struct record_run *run)
{
	json_t	*vs, *v;
	size_t	 i;

	json_object_set_new(o, "demo", record_string(run->demo != NULL ?
	    run->demo : ""));
	vs = json_array();
	for (i = 0; i < run->nvariants; i++) {
		const struct record_variant *rv = &run->variants[i];

		v = json_object();
		json_object_set_new(v, "name", record_string(rv->name));
		json_object_set_new(v, "kind", json_string(rv->kind < 3 ?
		    record_kind_names[rv->kind] : "sync"));
		json_object_set_new(v, "source", record_string(
		    rv->source != NULL ? rv->source : ""));
		json_array_append_new(vs, v);
	}
	json_object_set_new(o, "variants", vs);
}

/* The view an action left. */
static void
record_view_json(json_t *o, const struct record_view *v)
{
	json_t	*fold;
	size_t	 i;

	json_object_set_new(o, "vtime", json_integer(v->t));
	json_object_set_new(o, "k", json_integer((json_int_t)v->k));
	json_object_set_new(o, "following", json_boolean(v->following));
	json_object_set_new(o, "paused", json_boolean(v->paused));
	json_object_set_new(o, "stepping", json_boolean(v->stepping));
	json_object_set_new(o, "speed", json_real(v->speed));
	json_object_set_new(o, "selected", json_integer(v->selected));
	json_object_set_new(o, "scroll", json_integer(v->scroll));
	json_object_set_new(o, "source", json_boolean(v->source));
	json_object_set_new(o, "overlay", json_string(record_overlay_name(
	    (enum record_overlay)v->overlay)));
	fold = json_array();
	for (i = 0; i < RECORD_MAX_VARIANTS; i++)
		json_array_append_new(fold, json_integer(v->fold[i]));
	json_object_set_new(o, "fold", fold);
	json_object_set_new(o, "cols", json_integer(v->cols));
	json_object_set_new(o, "rows", json_integer(v->rows));
	json_object_set_new(o, "message", record_string(v->message));
}

/* The first failure: remember it, drop the temporary file, write no more. */
static int
record_fail(struct record *r, const char *why)
{
	if (r->error[0] != '\0')
		return -1;
	snprintf(r->error, sizeof r->error, "%s: cannot write the recording: "
	    "%s", r->path, why);
	if (r->gz != NULL)
		gzclose_w(r->gz);
	r->gz = NULL;
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	if (r->tmp != NULL)
		unlink(r->tmp);
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
	for (i = 0; i < session_nvariants(s) && i < RECORD_MAX_VARIANTS; i++) {
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
	struct stat	 st;
	json_t		*o;
	const char	*mode;
	char		 when[32];
	struct tm	 tm;
	time_t		 now = time(NULL);
	size_t		 n = strlen(path);
	int		 dupfd;

	if ((r = calloc(1, sizeof *r)) == NULL ||
	    (r->path = strdup(path)) == NULL) {
		snprintf(err, len, "%s: out of memory", path);
		free(r);
		return NULL;
	}
	r->fd = -1;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode)) {
			snprintf(err, len, "%s: cannot record: it is a "
			    "directory", path);
			goto fail;
		}
		r->fd = open(path, O_WRONLY | O_CLOEXEC);
	} else {
		if ((r->tmp = malloc(n + 5)) == NULL) {
			snprintf(err, len, "%s: out of memory", path);
			goto fail;
		}
		snprintf(r->tmp, n + 5, "%s.tmp", path);
		r->fd = open(r->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0666);
	}
	if (r->fd < 0) {
		/* Named as given: FILE.tmp is ours, not the user's. */
		snprintf(err, len, "%s: cannot record: %s", path,
		    strerror(errno));
		goto fail;
	}
	mode = n > 3 && strcmp(path + n - 3, ".gz") == 0 ? "wb6" : "wbT";
	if ((dupfd = dup(r->fd)) < 0 || (r->gz = gzdopen(dupfd, mode)) ==
	    NULL) {
		snprintf(err, len, "%s: cannot record: %s", path,
		    strerror(errno != 0 ? errno : ENOMEM));
		if (dupfd >= 0)
			close(dupfd);
		goto fail;
	}
	r->t0 = r->last_flush = vtime_real_ns();

	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	o = json_object();
	json_object_set_new(o, "format", json_string(RECORD_FORMAT));
	json_object_set_new(o, "version", json_integer(RECORD_VERSION));
	json_object_set_new(o, "loopscope", json_string(PACKAGE_VERSION));
	record_run_json(o, run);
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

fail:
	if (r->fd >= 0)
		close(r->fd);
	free(r->tmp);
	free(r->path);
	free(r);
	return NULL;
}

/* One trace event, as it came. */
int
record_event(struct record *r, const struct trace_event *ev)
{
	if (r == NULL || r->gz == NULL)
		return -1;
	r->events++;
	r->total_events++;
	return record_line(r, record_event_json(ev));
}

/* One of the lecturer's actions and the view it left. */
int
record_action(struct record *r, const struct record_action *a)
{
	json_t	*o;

	if (r == NULL || r->gz == NULL)
		return -1;
	o = json_object();
	json_object_set_new(o, "action", json_string(record_act_name(a->act)));
	json_object_set_new(o, "rtime", json_integer(vtime_real_ns() - r->t0));
	json_object_set_new(o, "events", json_integer((json_int_t)r->events));
	record_view_json(o, &a->view);
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
	record_run_json(o, run);
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

/* fsync the directory that holds path, so that a rename survives a crash. */
static void
record_sync_dir(const char *path)
{
	char	*dir = strdup(path), *slash;
	int	 fd;

	if (dir == NULL)
		return;
	if ((slash = strrchr(dir, '/')) == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
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
			    "compression failed");
	}
	if (r->error[0] == '\0' && r->tmp != NULL) {
		if (fsync(r->fd) != 0)
			record_fail(r, strerror(errno));
		else if (close(r->fd) != 0) {
			r->fd = -1;
			record_fail(r, strerror(errno));
		} else {
			r->fd = -1;
			if (rename(r->tmp, r->path) != 0)
				record_fail(r, strerror(errno));
			else
				record_sync_dir(r->path);
		}
	}
	if (r->fd >= 0 && close(r->fd) != 0)
		record_fail(r, strerror(errno));
	r->fd = -1;
	rc = r->error[0] != '\0' ? -1 : 0;
	if (rc != 0)
		snprintf(err, len, "%s", r->error);
	free(r->tmp);
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
	if (r->fd >= 0)
		close(r->fd);
	if (r->tmp != NULL)
		unlink(r->tmp);
	free(r->tmp);
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
 * Move what the session has into tl as session_poll does, writing each
 * event down first, in the order tl gets them: the recording then folds
 * into the very model the views drew.
 */
size_t
record_poll(struct record *r, struct session *s, struct timeline *tl)
{
	return record_poll_upto(r, s, tl, SIZE_MAX);
}

/* record_poll of about max events at most (session_poll_upto). */
size_t
record_poll_upto(struct record *r, struct session *s, struct timeline *tl,
    size_t max)
{
	struct timeline		*stage;
	struct trace_event	 ev;
	size_t			 i, n;

	if (r == NULL)
		return session_poll_upto(s, tl, max);
	/*
	 * The session folds straight into a timeline: let it fold into a
	 * scratch one, whose log keeps each variant's order, then move the
	 * events over. Nothing is dropped from it (no limit).
	 */
	if ((stage = timeline_new(SIZE_MAX)) == NULL) {
		record_fail(r, strerror(ENOMEM));
		return session_poll_upto(s, tl, max);
	}
	n = session_poll_upto(s, stage, max);
	for (i = 0; i < stage->nlog; i++) {
		timeline_event_take(stage, i, &ev);	/* its text is tl's */
		record_event(r, &ev);
		timeline_add(tl, &ev);
	}
	timeline_free(stage);
	return n;
}
