/* Recordings: what record.c, record-json.c, record-read.c, record-parse.c share. */
#ifndef LOOPSCOPE_RECORD_INT_H
#define LOOPSCOPE_RECORD_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

#include "record.h"


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
	struct record_limits	 lim;
	record_check_fn		*check;		/* the UI's, or NULL */
	size_t			 inflated;	/* bytes read, once inflated */
	size_t			 records;	/* lines after the header */
	struct recording	*rec;
	size_t			 runs_cap;
	size_t			 events;	/* in all runs */
	size_t			 actions;
	uint32_t		 ntasks[TRACE_MAX_VARIANTS];	/* this run's */
	char			*err;
	size_t			 errlen;
};

/* record-read.c */
int		 record_read_fail(struct reader *rd, const char *fmt, ...)
		     __attribute__((format(printf, 2, 3)));

/* record-parse.c */
int		 record_parse_header(struct reader *rd, json_t *o);
int		 record_parse_record(struct reader *rd, json_t *o);

/* record-json.c */
json_t		*record_json_event(const struct trace_event *ev);
void		 record_json_run(json_t *o, const struct record_run *run);

#endif
