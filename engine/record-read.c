/* Recordings: reading one back, checking every line of it. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "i18n.h"
#include "record-int.h"

#define READ_CHUNK	65536
#define READ_LINE_MAX	((size_t)64 << 20)	/* no line of ours is near */
#define RECORD_PREFIX	"{\"format\":\"" RECORD_FORMAT "\""

/* "FILE:LINE: what is wrong": the one line the user sees. */
int
record_read_fail(struct reader *rd, const char *fmt, ...)
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
record_read_more(struct reader *rd)
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
			return record_read_fail(rd, _("out of memory"));
		rd->buf = nb;
		rd->cap = ncap;
	}
	n = gzread(rd->gz, rd->buf + rd->len, READ_CHUNK);
	if (n > 0) {
		rd->len += (size_t)n;
		rd->inflated += (size_t)n;
		if (rd->inflated <= rd->lim.max_bytes)
			return 1;
		if (rd->lim.max_bytes % (1 << 20) == 0)
			return record_read_fail(rd, _("more than %zu MiB (once "
			    "inflated): the most a recording is read with "
			    "(--max-bytes raises it)"),
			    rd->lim.max_bytes >> 20);
		return record_read_fail(rd, _("more than %zu bytes (once "
		    "inflated): the most a recording is read with "
		    "(--max-bytes raises it)"), rd->lim.max_bytes);
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
		return record_read_fail(rd, _("cannot read: %s"),
		    strerror(errno));
	return record_read_fail(rd, _("corrupt gzip data: %s"),
	    gzerror(rd->gz, &errnum));
}

/*
 * The next line, without its newline, NUL-terminated in place. Returns 1
 * (complete says whether a newline ended it), 0 at the end, -1 on error.
 * rd->lineno is the line's number, for the messages.
 */
static int
record_read_line(struct reader *rd, char **line, size_t *n, bool *complete)
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
			return record_read_fail(rd, _("line longer than %zu "
			    "MiB: not a recording"), READ_LINE_MAX >> 20);
		if (rd->eof)
			break;
		from = rd->len - rd->pos;
		if (record_read_more(rd) < 0)
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
		/* record_read_more keeps a byte for it */
		(*line)[*n] = '\0';
		rd->pos = rd->len;
		*complete = false;
	}
	return 1;
}

/* Read every line; 0, or -1 with the reason said. */
static int
record_read_all(struct reader *rd)
{
	json_error_t	 jerr;
	json_t		*o;
	char		*line = NULL, *p;
	size_t		 n = 0, last_good = 0;
	bool		 complete = false;
	int		 rc;

	while ((rc = record_read_line(rd, &line, &n, &complete)) > 0) {
		o = json_loadb(line, n, 0, &jerr);
		if (o == NULL || !json_is_object(o)) {
			json_decref(o);
			if (rd->lineno == 1 && !complete && n > 0 &&
			    strncmp(line, RECORD_PREFIX, n < strlen(
			    RECORD_PREFIX) ? n : strlen(RECORD_PREFIX)) == 0)
				return record_read_fail(rd, _("truncated "
				    "inside its header: not a recording yet"));
			if (rd->lineno == 1)
				return record_read_fail(rd, _("not a loopscope "
				    "recording (its first line is not a JSON "
				    "header)"));
			if (!complete) {
				/* A crash cut the last line: keep the rest. */
				snprintf(rd->rec->warning,
				    sizeof rd->rec->warning, _("%s:%zu: warning: "
				    "the recording stops in the middle of line "
				    "%zu (cut short by a crash?); read up to "
				    "line %zu"), rd->name, rd->lineno,
				    rd->lineno, last_good);
				return 0;
			}
			if (o != NULL)
				return record_read_fail(rd,
				    _("not a JSON object"));
			/* Jansson read one line: its end of file is the line's. */
			if ((p = strstr(jerr.text, "end of file")) != NULL)
				snprintf(p, sizeof jerr.text - (size_t)(p -
				    jerr.text), "the end of the line");
			/* Jansson's words: English, as Python's are. */
			return record_read_fail(rd, _("corrupt JSON at column "
			    "%d: %s"), jerr.column, jerr.text);
		}
		rc = rd->lineno == 1 ? record_parse_header(rd, o) :
		    record_parse_record(rd, o);
		json_decref(o);
		if (rc != 0)
			return -1;
		last_good = rd->lineno;
	}
	if (rc < 0)
		return -1;
	if (rd->lineno == 0) {
		snprintf(rd->err, rd->errlen, rd->cut ? _("%s: its gzip data "
		    "stops before a first line (cut short): not a loopscope "
		    "recording") : _("%s: the file is empty: not a loopscope "
		    "recording"), rd->name);
		return -1;
	}
	if (!rd->rec->complete)
		snprintf(rd->rec->warning, sizeof rd->rec->warning,
		    _("%s:%zu: warning: no end record after line %zu: the "
		    "recording stopped abruptly; read what it holds"),
		    rd->name, rd->lineno, rd->lineno);
	return 0;
}

/* The limits a reading keeps to when the user names none. */
void
record_limits_default(struct record_limits *lim)
{
	lim->max_bytes = RECORD_MAX_BYTES_DEFAULT;
	lim->max_events = RECORD_MAX_EVENTS_DEFAULT;
}

/*
 * Read a recording from an open descriptor (left open), gzip or plain,
 * holding at most what lim says (NULL: the defaults), each action's view
 * checked by check (NULL: carried unchecked); name is what messages call
 * it. NULL with a one-line reason in err.
 */
struct recording *
record_read_fd(int fd, const char *name, const struct record_limits *lim,
    record_check_fn *check, char *err, size_t len)
{
	struct reader	 rd;
	int		 dupfd;

	memset(&rd, 0, sizeof rd);
	err[0] = '\0';
	if (lim != NULL)
		rd.lim = *lim;
	else
		record_limits_default(&rd.lim);
	rd.name = name;
	rd.check = check;
	rd.err = err;
	rd.errlen = len;
	if ((rd.rec = calloc(1, sizeof *rd.rec)) == NULL) {
		snprintf(err, len, _("%s: out of memory"), name);
		return NULL;
	}
	if ((dupfd = dup(fd)) < 0 || (rd.gz = gzdopen(dupfd, "rb")) == NULL) {
		snprintf(err, len, _("%s: cannot read: %s"), name,
		    strerror(errno != 0 ? errno : ENOMEM));
		if (dupfd >= 0)
			close(dupfd);
		free(rd.rec);
		return NULL;
	}
	gzbuffer(rd.gz, READ_CHUNK);
	if (record_read_all(&rd) != 0 || rd.rec->nruns == 0) {
		if (rd.rec->nruns == 0 && err[0] == '\0')
			snprintf(err, len, _("%s: not a loopscope recording"),
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
	return record_read_limited(path, NULL, err, len);
}

/* The same, holding at most what lim says (NULL: the defaults). */
struct recording *
record_read_limited(const char *path, const struct record_limits *lim,
    char *err, size_t len)
{
	return record_read_checked(path, lim, NULL, err, len);
}

/* The same, each action's view checked by check (record_read_fd). */
struct recording *
record_read_checked(const char *path, const struct record_limits *lim,
    record_check_fn *check, char *err, size_t len)
{
	struct recording	*rec;
	struct stat		 st;
	int			 fd;

	err[0] = '\0';
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(err, len, _("%s: cannot open: %s"), path,
		    strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, len, _("%s: is a directory, not a recording"),
		    path);
		close(fd);
		return NULL;
	}
	rec = record_read_fd(fd, path, lim, check, err, len);
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
