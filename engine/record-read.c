/* Recordings: reading one back, checking every line of it. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "record.h"

#define READ_CHUNK	65536
#define READ_LINE_MAX	((size_t)64 << 20)	/* no line of ours is near */
#define READ_TIME_MAX	((int64_t)1000000 * VTIME_SEC)	/* 11.6 days */
#define READ_VALUE_MAX	((int64_t)1 << 62)
#define RECORD_PREFIX	"{\"format\":\"" RECORD_FORMAT "\""

/* The state of one reading: the lines of a (possibly gzip) file. */
struct reader {
	const char		*name;
	gzFile			 gz;
	char			*buf;
	size_t			 pos;		/* next unread byte */
	size_t			 len;		/* bytes in buf */
	size_t			 cap;
	bool			 eof;
	bool			 cut;		/* the gzip stream ends early */
	size_t			 lineno;
	struct recording	*rec;
	size_t			 events;	/* in all runs */
	size_t			 actions;
	uint32_t		 ntasks[RECORD_MAX_VARIANTS];	/* this run's */
	char			*err;
	size_t			 errlen;
};

static const char *read_kind_names[] = { "sync", "async", "threads" };

static int	read_fail(struct reader *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* "FILE:LINE: what is wrong": the one line the user sees. */
static int
read_fail(struct reader *rd, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	n = snprintf(rd->err, rd->errlen, "%s:%zu: ", rd->name, rd->lineno);
	if (n < 0 || (size_t)n >= rd->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(rd->err + n, rd->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* More bytes from the file: 1, 0 at the end, -1 on an error (said). */
static int
read_more(struct reader *rd)
{
	char	*nb;
	size_t	 ncap;
	int	 n, errnum;

	if (rd->pos > 0) {
		memmove(rd->buf, rd->buf + rd->pos, rd->len - rd->pos);
		rd->len -= rd->pos;
		rd->pos = 0;
	}
	/* A chunk, and a byte for the NUL after a last line. */
	if (rd->cap - rd->len <= READ_CHUNK) {
		ncap = rd->cap ? rd->cap * 2 : READ_CHUNK * 2;
		if ((nb = realloc(rd->buf, ncap)) == NULL)
			return read_fail(rd, "out of memory");
		rd->buf = nb;
		rd->cap = ncap;
	}
	n = gzread(rd->gz, rd->buf + rd->len, READ_CHUNK);
	if (n > 0) {
		rd->len += (size_t)n;
		return 1;
	}
	rd->eof = true;
	(void)gzerror(rd->gz, &errnum);
	if (errnum == Z_OK)
		return 0;
	if (errnum == Z_BUF_ERROR) {
		rd->cut = true;		/* a gzip stream cut short: a crash */
		return 0;
	}
	if (errnum == Z_ERRNO)
		return read_fail(rd, "cannot read: %s", strerror(errno));
	return read_fail(rd, "corrupt gzip data: %s",
	    gzerror(rd->gz, &errnum));
}

/*
 * The next line, without its newline, NUL-terminated in place. Returns 1
 * (complete says whether a newline ended it), 0 at the end, -1 on error.
 * rd->lineno is the line's number, for the messages.
 */
static int
read_line(struct reader *rd, char **line, size_t *n, bool *complete)
{
	char	*nl;
	size_t	 from = rd->pos;

	rd->lineno++;
	for (;;) {
		nl = rd->len > from ? memchr(rd->buf + from, '\n',
		    rd->len - from) : NULL;
		if (nl != NULL)
			break;
		if (rd->len - rd->pos > READ_LINE_MAX)
			return read_fail(rd, "line longer than %zu MiB: not a "
			    "recording", READ_LINE_MAX >> 20);
		if (rd->eof)
			break;
		from = rd->len - rd->pos;
		if (read_more(rd) < 0)
			return -1;
		from += rd->pos;
	}
	if (nl == NULL && rd->pos == rd->len) {
		rd->lineno--;
		return 0;
	}
	*line = rd->buf + rd->pos;
	if (nl != NULL) {
		*n = (size_t)(nl - *line);
		*nl = '\0';
		rd->pos += *n + 1;
		*complete = true;
	} else {
		*n = rd->len - rd->pos;
		(*line)[*n] = '\0';	/* read_more keeps a byte for it */
		rd->pos = rd->len;
		*complete = false;
	}
	return 1;
}

/* An integer member from lo to hi (def when absent) into *out. */
static int
read_int(struct reader *rd, json_t *o, const char *key, int64_t lo,
    int64_t hi, int64_t def, int64_t *out)
{
	json_t		*v = json_object_get(o, key);
	json_int_t	 i;

	if (v == NULL) {
		*out = def;
		return 0;
	}
	if (!json_is_integer(v) || (i = json_integer_value(v)) < lo ||
	    i > hi)
		return read_fail(rd, "'%s' must be a whole number from %lld "
		    "to %lld", key, (long long)lo, (long long)hi);
	*out = i;
	return 0;
}

static int
read_bool(struct reader *rd, json_t *o, const char *key, bool *out)
{
	json_t	*v = json_object_get(o, key);

	if (v == NULL)
		return 0;
	if (!json_is_boolean(v))
		return read_fail(rd, "'%s' must be true or false", key);
	*out = json_is_true(v);
	return 0;
}

/* A string member; NULL without an error when absent and optional. */
static int
read_string(struct reader *rd, json_t *o, const char *key, bool required,
    const char **out)
{
	json_t	*v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL && !required)
		return 0;
	if (v == NULL || !json_is_string(v))
		return read_fail(rd, "'%s' must be a string", key);
	*out = json_string_value(v);
	return 0;
}

/* A name from a table, or a number below n; *out its index. */
static int
read_enum(struct reader *rd, json_t *o, const char *key,
    const char *(*name)(int), int n, int *out)
{
	json_t		*v = json_object_get(o, key);
	const char	*s;
	int		 i;

	*out = 0;
	if (v == NULL)
		return 0;
	if (json_is_integer(v) && json_integer_value(v) >= 0 &&
	    json_integer_value(v) < n) {
		*out = (int)json_integer_value(v);
		return 0;
	}
	if (json_is_string(v)) {
		s = json_string_value(v);
		for (i = 0; i < n; i++)
			if (strcmp(s, name(i)) == 0) {
				*out = i;
				return 0;
			}
		return read_fail(rd, "unknown %s '%s'", key, s);
	}
	return read_fail(rd, "'%s' must be a name or a number below %d", key,
	    n);
}

static const char *
read_state_name(int i)
{
	return trace_state_name((enum task_state)i);
}

static const char *
read_phase_name(int i)
{
	return trace_phase_name((enum io_phase)i);
}

static const char *
read_reason_name(int i)
{
	return trace_reason_name((enum trace_reason)i);
}

static const char *
read_type_name(int i)
{
	return trace_type_name((enum trace_type)i);
}

static const char *
read_act_name(int i)
{
	return record_act_name((enum record_act)i);
}

static const char *
read_overlay_name(int i)
{
	return record_overlay_name((enum record_overlay)i);
}

static const char *
read_byte_name(int i)
{
	(void)i;
	return "";
}

/* A run's demo and variants (the header's, or a restart's). */
static int
read_run(struct reader *rd, json_t *o, struct record_run *run)
{
	json_t		*vs, *v;
	const char	*s, *src, *kind;
	size_t		 i;
	int		 k;

	if (read_string(rd, o, "demo", true, &s) != 0)
		return -1;
	if ((run->demo = strdup(s)) == NULL)
		return read_fail(rd, "out of memory");
	vs = json_object_get(o, "variants");
	if (!json_is_array(vs) || json_array_size(vs) == 0 ||
	    json_array_size(vs) > RECORD_MAX_VARIANTS)
		return read_fail(rd, "'variants' must be a list of 1 to %d "
		    "variants", RECORD_MAX_VARIANTS);
	json_array_foreach(vs, i, v) {
		if (!json_is_object(v))
			return read_fail(rd, "variant %zu is not an object",
			    i + 1);
		if (read_string(rd, v, "name", true, &s) != 0 ||
		    read_string(rd, v, "source", false, &src) != 0 ||
		    read_string(rd, v, "kind", true, &kind) != 0)
			return -1;
		for (k = 0; k < 3; k++)
			if (strcmp(kind, read_kind_names[k]) == 0)
				break;
		if (k == 3)
			return read_fail(rd, "variant '%s': unknown kind '%s'",
			    s, kind);
		run->variants[i].name = strdup(s);
		run->variants[i].source = strdup(src != NULL ? src : "");
		run->variants[i].kind = (uint8_t)k;
		run->nvariants = i + 1;
		if (run->variants[i].name == NULL ||
		    run->variants[i].source == NULL)
			return read_fail(rd, "out of memory");
	}
	return 0;
}

/* A new run, at the end of the list. */
static struct record_run *
read_add_run(struct reader *rd)
{
	struct recording	*rec = rd->rec;
	struct record_run	*nr;

	if ((nr = realloc(rec->runs, (rec->nruns + 1) * sizeof *nr)) == NULL) {
		read_fail(rd, "out of memory");
		return NULL;
	}
	rec->runs = nr;
	memset(&nr[rec->nruns], 0, sizeof *nr);
	memset(rd->ntasks, 0, sizeof rd->ntasks);
	return &nr[rec->nruns++];
}

/* Line 1: ours, of a version we read, with the first run's variants. */
static int
read_header(struct reader *rd, json_t *o)
{
	struct record_header	*h = &rd->rec->h;
	struct record_run	*run;
	json_t			*v;
	const char		*s;
	int64_t			 i;

	v = json_object_get(o, "format");
	if (!json_is_string(v) || strcmp(json_string_value(v),
	    RECORD_FORMAT) != 0)
		return read_fail(rd, "not a loopscope recording (its first "
		    "line is no \"format\": \"%s\" header)", RECORD_FORMAT);
	v = json_object_get(o, "version");
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return read_fail(rd, "'version' must be a whole number from 1");
	if (json_integer_value(v) > RECORD_VERSION)
		return read_fail(rd, "format version %lld is newer than this "
		    "loopscope reads (%d): a newer loopscope wrote it",
		    (long long)json_integer_value(v), RECORD_VERSION);
	h->version = (int)json_integer_value(v);
	if (read_string(rd, o, "loopscope", false, &s) != 0)
		return -1;
	h->loopscope = strdup(s != NULL ? s : "?");
	if (read_string(rd, o, "started", false, &s) != 0)
		return -1;
	h->started = strdup(s != NULL ? s : "");
	if (h->loopscope == NULL || h->started == NULL)
		return read_fail(rd, "out of memory");
	v = json_object_get(o, "speed");
	h->speed = 1.0;
	if (v != NULL && (!json_is_number(v) || !(json_number_value(v) >=
	    CLOCK_SPEED_MIN && json_number_value(v) <= CLOCK_SPEED_MAX)))
		return read_fail(rd, "'speed' must be a number from %g to %g",
		    CLOCK_SPEED_MIN, CLOCK_SPEED_MAX);
	if (v != NULL)
		h->speed = json_number_value(v);
	if (read_string(rd, o, "clock", false, &s) != 0)
		return -1;
	if (s != NULL && strcmp(s, "sim") != 0 && strcmp(s, "real") != 0)
		return read_fail(rd, "'clock' must be \"sim\" or \"real\"");
	h->clock = s != NULL && strcmp(s, "sim") == 0 ? CLOCK_SIM : CLOCK_REAL;
	if (read_bool(rd, o, "paused", &h->paused) != 0)
		return -1;
	if (read_int(rd, o, "cols", 0, 10000, 0, &i) != 0)
		return -1;
	h->cols = (int)i;
	if (read_int(rd, o, "rows", 0, 10000, 0, &i) != 0)
		return -1;
	h->rows = (int)i;
	if ((run = read_add_run(rd)) == NULL)
		return -1;
	return read_run(rd, o, run);
}

/*
 * A variant numbers its tasks 1, 2, ... as it creates them: an event names
 * one created before it (a print or a warning may name none).
 */
static int
read_task_ids(struct reader *rd, const struct trace_event *ev)
{
	uint32_t	*n = &rd->ntasks[ev->variant];

	switch (ev->type) {
	case TRACE_TASK_CREATE:
		if (ev->task != *n + 1)
			return read_fail(rd, "task_create: task %u, not %u "
			    "(a variant numbers its tasks in order)",
			    ev->task, *n + 1);
		if (ev->other > *n)
			return read_fail(rd, "task_create: creator %u was "
			    "never created", ev->other);
		(*n)++;
		return 0;
	case TRACE_TASK_STATE:
	case TRACE_TIMER_FIRE:
	case TRACE_IO_PHASE:
	case TRACE_FETCH_DONE:
		if (ev->task == 0 || ev->task > *n)
			break;
		return 0;
	case TRACE_PRINT:
	case TRACE_WARNING:
		if (ev->task > *n)
			break;
		return 0;
	default:
		return 0;
	}
	return read_fail(rd, "%s: task %u was never created",
	    trace_type_name(ev->type), ev->task);
}

/* One trace event: every field checked against what the views assume. */
static int
read_event(struct reader *rd, json_t *o, struct record_run *run)
{
	struct trace_event	 ev;
	struct trace_event	*ne;
	const char		*text;
	int64_t			 i;
	int			 e, type;
	size_t			 ncap;

	memset(&ev, 0, sizeof ev);
	if (read_enum(rd, o, "event", read_type_name, TRACE_NTYPES,
	    &type) != 0)
		return -1;
	ev.type = (uint8_t)type;
	if (read_int(rd, o, "variant", 0, TIMELINE_CONTROL, 0, &i) != 0)
		return -1;
	if (i >= (int64_t)run->nvariants && i != TIMELINE_CONTROL)
		return read_fail(rd, "variant %lld: the run has %zu variants",
		    (long long)i, run->nvariants);
	ev.variant = (uint16_t)i;
	if (read_int(rd, o, "vtime", 0, READ_TIME_MAX, 0, &ev.vtime) != 0 ||
	    read_int(rd, o, "rtime", 0, READ_VALUE_MAX, 0, &ev.rtime) != 0 ||
	    read_int(rd, o, "a", -READ_VALUE_MAX, READ_VALUE_MAX, 0,
	    &ev.a) != 0 ||
	    read_int(rd, o, "b", -READ_VALUE_MAX, READ_VALUE_MAX, 0,
	    &ev.b) != 0)
		return -1;
#define READ_U32(key, field) do {					\
	if (read_int(rd, o, key, 0, UINT32_MAX, 0, &i) != 0)		\
		return -1;						\
	ev.field = (uint32_t)i;						\
} while (0)
	READ_U32("task", task);
	READ_U32("other", other);
	READ_U32("seq", seq);
	READ_U32("n_ready", n_ready);
	READ_U32("n_timers", n_timers);
	READ_U32("n_io", n_io);
#undef READ_U32
	if (read_int(rd, o, "line", 0, UINT16_MAX, 0, &i) != 0)
		return -1;
	ev.line = (uint16_t)i;
	if (read_int(rd, o, "flags", 0, 0x7f, 0, &i) != 0)
		return -1;
	ev.flags = (uint8_t)i;
	if (type == TRACE_TASK_STATE)
		e = read_enum(rd, o, "state", read_state_name, TASK_NSTATES,
		    &type);
	else if (type == TRACE_IO_PHASE)
		e = read_enum(rd, o, "state", read_phase_name, PHASE_N, &type);
	else
		e = read_enum(rd, o, "state", read_byte_name, 256, &type);
	if (e != 0)
		return -1;
	ev.state = (uint8_t)type;
	if (read_enum(rd, o, "reason", read_reason_name, REASON_NREASONS,
	    &type) != 0)
		return -1;
	ev.reason = (uint8_t)type;
	if (ev.variant != TIMELINE_CONTROL && read_task_ids(rd, &ev) != 0)
		return -1;
	/* Kinds index tables in the views. */
	if ((ev.type == TRACE_TASK_CREATE || ev.type == TRACE_VARIANT_START) &&
	    (ev.a < 0 || ev.a > 2))
		return read_fail(rd, "%s: kind %lld is not 0, 1 or 2",
		    trace_type_name(ev.type), (long long)ev.a);
	if (read_string(rd, o, "text", false, &text) != 0)
		return -1;
	if (text != NULL) {
		if ((ev.text = strdup(text)) == NULL)
			return read_fail(rd, "out of memory");
		ev.flags |= TRACE_F_OWNED;
	}
	if (run->nevents == run->events_cap) {
		ncap = run->events_cap ? run->events_cap * 2 : 256;
		if ((ne = realloc(run->events, ncap * sizeof *ne)) == NULL) {
			trace_event_clear(&ev);
			return read_fail(rd, "out of memory");
		}
		run->events = ne;
		run->events_cap = ncap;
	}
	run->events[run->nevents++] = ev;
	rd->events++;
	return 0;
}

/* One of the lecturer's actions, and the view it left. */
static int
read_action(struct reader *rd, json_t *o, struct record_run *run)
{
	struct record_action	 a;
	struct record_action	*na;
	json_t			*v, *f;
	const char		*s;
	int64_t			 i;
	size_t			 j, ncap;
	int			 k;

	memset(&a, 0, sizeof a);
	if (read_string(rd, o, "action", true, &s) != 0)
		return -1;
	for (k = 0; k < RECORD_NACTS; k++)
		if (strcmp(s, read_act_name(k)) == 0)
			break;
	a.act = k < RECORD_NACTS ? (enum record_act)k : RECORD_OTHER;
	a.view.speed = rd->rec->h.speed;
	a.view.source = true;
	a.view.selected = 0;
	if (read_int(rd, o, "rtime", 0, READ_VALUE_MAX, 0, &a.rtime) != 0 ||
	    read_int(rd, o, "vtime", 0, READ_TIME_MAX, 0, &a.view.t) != 0)
		return -1;
	if (read_int(rd, o, "events", 0, READ_VALUE_MAX, 0, &i) != 0)
		return -1;
	a.events = (size_t)i;
	if (read_int(rd, o, "k", 0, READ_VALUE_MAX, 0, &i) != 0)
		return -1;
	a.view.k = (size_t)i;
	if (read_bool(rd, o, "following", &a.view.following) != 0 ||
	    read_bool(rd, o, "paused", &a.view.paused) != 0 ||
	    read_bool(rd, o, "stepping", &a.view.stepping) != 0 ||
	    read_bool(rd, o, "source", &a.view.source) != 0)
		return -1;
	v = json_object_get(o, "speed");
	if (v != NULL && (!json_is_number(v) || !(json_number_value(v) >=
	    CLOCK_SPEED_MIN && json_number_value(v) <= CLOCK_SPEED_MAX)))
		return read_fail(rd, "'speed' must be a number from %g to %g",
		    CLOCK_SPEED_MIN, CLOCK_SPEED_MAX);
	if (v != NULL)
		a.view.speed = json_number_value(v);
	if (read_int(rd, o, "selected", -1, 1000000, 0, &i) != 0)
		return -1;
	a.view.selected = (int)i;
	if (read_int(rd, o, "scroll", 0, 1000000, 0, &i) != 0)
		return -1;
	a.view.scroll = (int)i;
	if (read_int(rd, o, "cols", 0, 10000, 0, &i) != 0)
		return -1;
	a.view.cols = (int)i;
	if (read_int(rd, o, "rows", 0, 10000, 0, &i) != 0)
		return -1;
	a.view.rows = (int)i;
	if (read_enum(rd, o, "overlay", read_overlay_name, RECORD_NOVERLAYS,
	    &a.view.overlay) != 0)
		return -1;
	v = json_object_get(o, "fold");
	if (v != NULL && (!json_is_array(v) || json_array_size(v) >
	    RECORD_MAX_VARIANTS))
		return read_fail(rd, "'fold' must be a list of at most %d "
		    "numbers", RECORD_MAX_VARIANTS);
	json_array_foreach(v, j, f) {
		if (!json_is_integer(f) || json_integer_value(f) < -1 ||
		    json_integer_value(f) > 1)
			return read_fail(rd, "'fold' holds -1, 0 or 1 per "
			    "variant");
		a.view.fold[j] = (int8_t)json_integer_value(f);
	}
	if (read_string(rd, o, "message", false, &s) != 0)
		return -1;
	if (s != NULL) {
		j = strlen(s);
		if (j >= sizeof a.view.message)
			return read_fail(rd, "'message' is longer than %zu "
			    "bytes", sizeof a.view.message - 1);
		memcpy(a.view.message, s, j + 1);
	}
	if (run->nactions == run->actions_cap) {
		ncap = run->actions_cap ? run->actions_cap * 2 : 32;
		if ((na = realloc(run->actions, ncap * sizeof *na)) == NULL)
			return read_fail(rd, "out of memory");
		run->actions = na;
		run->actions_cap = ncap;
	}
	run->actions[run->nactions++] = a;
	rd->actions++;
	return 0;
}

/* The end record: the counts must be what was read. */
static int
read_end(struct reader *rd, json_t *o)
{
	int64_t	n;

	if (read_int(rd, o, "events", 0, READ_VALUE_MAX, 0, &n) != 0)
		return -1;
	if ((size_t)n != rd->events)
		return read_fail(rd, "the end record counts %lld events, the "
		    "file holds %zu", (long long)n, rd->events);
	if (read_int(rd, o, "actions", 0, READ_VALUE_MAX, 0, &n) != 0)
		return -1;
	if ((size_t)n != rd->actions)
		return read_fail(rd, "the end record counts %lld actions, the "
		    "file holds %zu", (long long)n, rd->actions);
	rd->rec->complete = true;
	return 0;
}

/* One record after the header. */
static int
read_record(struct reader *rd, json_t *o)
{
	struct record_run	*run = &rd->rec->runs[rd->rec->nruns - 1];
	int64_t			 t;

	if (rd->rec->complete)
		return read_fail(rd, "a record after the end record");
	if (json_object_get(o, "event") != NULL)
		return read_event(rd, o, run);
	if (json_object_get(o, "action") != NULL)
		return read_action(rd, o, run);
	if (json_object_get(o, "run") != NULL) {
		if (read_int(rd, o, "rtime", 0, READ_VALUE_MAX, 0, &t) != 0 ||
		    (run = read_add_run(rd)) == NULL)
			return -1;
		run->rtime = t;
		return read_run(rd, o, run);
	}
	if (json_object_get(o, "end") != NULL)
		return read_end(rd, o);
	return read_fail(rd, "not a record of a recording (no \"event\", "
	    "\"action\", \"run\" or \"end\")");
}

/* Read every line; 0, or -1 with the reason said. */
static int
read_all(struct reader *rd)
{
	json_error_t	 jerr;
	json_t		*o;
	char		*line = NULL, *p;
	size_t		 n = 0, last_good = 0;
	bool		 complete = false;
	int		 rc;

	while ((rc = read_line(rd, &line, &n, &complete)) > 0) {
		o = json_loadb(line, n, 0, &jerr);
		if (o == NULL || !json_is_object(o)) {
			json_decref(o);
			if (rd->lineno == 1 && !complete && n > 0 &&
			    strncmp(line, RECORD_PREFIX, n < strlen(
			    RECORD_PREFIX) ? n : strlen(RECORD_PREFIX)) == 0)
				return read_fail(rd, "truncated inside its "
				    "header: not a recording yet");
			if (rd->lineno == 1)
				return read_fail(rd, "not a loopscope recording"
				    " (its first line is not a JSON header)");
			if (!complete) {
				/* A crash cut the last line: keep the rest. */
				snprintf(rd->rec->warning,
				    sizeof rd->rec->warning, "%s:%zu: warning: "
				    "the recording stops in the middle of line "
				    "%zu (cut short by a crash?); read up to "
				    "line %zu", rd->name, rd->lineno,
				    rd->lineno, last_good);
				return 0;
			}
			if (o != NULL)
				return read_fail(rd, "not a JSON object");
			/* Jansson read one line: its end of file is the line's. */
			if ((p = strstr(jerr.text, "end of file")) != NULL)
				snprintf(p, sizeof jerr.text - (size_t)(p -
				    jerr.text), "the end of the line");
			return read_fail(rd, "corrupt JSON at column %d: %s",
			    jerr.column, jerr.text);
		}
		rc = rd->lineno == 1 ? read_header(rd, o) : read_record(rd, o);
		json_decref(o);
		if (rc != 0)
			return -1;
		last_good = rd->lineno;
	}
	if (rc < 0)
		return -1;
	if (rd->lineno == 0) {
		snprintf(rd->err, rd->errlen, "%s: %s: not a loopscope "
		    "recording", rd->name, rd->cut ? "its gzip data stops "
		    "before a first line (cut short)" : "the file is empty");
		return -1;
	}
	if (!rd->rec->complete)
		snprintf(rd->rec->warning, sizeof rd->rec->warning,
		    "%s:%zu: warning: no end record after line %zu: the "
		    "recording stopped abruptly; read what it holds", rd->name,
		    rd->lineno, rd->lineno);
	return 0;
}

/*
 * Read a recording from an open descriptor (left open), gzip or plain;
 * name is what messages call it. NULL with a one-line reason in err.
 */
struct recording *
record_read_fd(int fd, const char *name, char *err, size_t len)
{
	struct reader	 rd;
	int		 dupfd;

	memset(&rd, 0, sizeof rd);
	err[0] = '\0';
	rd.name = name;
	rd.err = err;
	rd.errlen = len;
	if ((rd.rec = calloc(1, sizeof *rd.rec)) == NULL) {
		snprintf(err, len, "%s: out of memory", name);
		return NULL;
	}
	if ((dupfd = dup(fd)) < 0 || (rd.gz = gzdopen(dupfd, "rb")) == NULL) {
		snprintf(err, len, "%s: cannot read: %s", name,
		    strerror(errno != 0 ? errno : ENOMEM));
		if (dupfd >= 0)
			close(dupfd);
		free(rd.rec);
		return NULL;
	}
	gzbuffer(rd.gz, READ_CHUNK);
	if (read_all(&rd) != 0 || rd.rec->nruns == 0) {
		if (rd.rec->nruns == 0 && err[0] == '\0')
			snprintf(err, len, "%s: not a loopscope recording",
			    name);
		record_free(rd.rec);
		rd.rec = NULL;
	}
	gzclose_r(rd.gz);
	free(rd.buf);
	return rd.rec;
}

/* Read the recording at path; NULL with a one-line reason in err. */
struct recording *
record_read(const char *path, char *err, size_t len)
{
	struct recording	*rec;
	struct stat		 st;
	int			 fd;

	err[0] = '\0';
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(err, len, "%s: cannot open: %s", path,
		    strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, len, "%s: is a directory, not a recording",
		    path);
		close(fd);
		return NULL;
	}
	rec = record_read_fd(fd, path, err, len);
	close(fd);
	return rec;
}

void
record_free(struct recording *rec)
{
	size_t	i;

	if (rec == NULL)
		return;
	for (i = 0; i < rec->nruns; i++)
		record_run_clear(&rec->runs[i]);
	free(rec->runs);
	free(rec->h.loopscope);
	free(rec->h.started);
	free(rec);
}

/* A run's events folded into a model, in the order they came. */
struct timeline *
record_timeline(const struct record_run *run, size_t limit)
{
	struct timeline		*tl;
	struct trace_event	 ev;
	size_t			 i;

	if ((tl = timeline_new(limit)) == NULL)
		return NULL;
	for (i = 0; i < run->nevents; i++) {
		ev = run->events[i];
		if (ev.text != NULL) {
			if ((ev.text = strdup(ev.text)) == NULL) {
				timeline_free(tl);
				return NULL;
			}
			ev.flags |= TRACE_F_OWNED;
		}
		timeline_add(tl, &ev);
	}
	return tl;
}
