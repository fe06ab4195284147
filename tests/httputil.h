/* Helpers of the HTTP tests: run programs against our server, read fetches. */
#ifndef LOOPSCOPE_HTTPUTIL_H
#define LOOPSCOPE_HTTPUTIL_H

#include "testutil.h"

#define LATENCY		(500 * VTIME_MS)	/* the server's, and the CLI's */

typedef struct program *(*http_build_fn)(const struct demo_params *);

struct timeline	*http_run(const struct server_config *, struct demo_params *,
		     const http_build_fn *, size_t);
struct timeline	*http_wiki(const struct server_config *, const char *, vtime_t);
struct timeline	*http_fanout(const char *, long, long);
size_t		 http_index(const struct timeline *, const struct tl_variant *);
const struct tl_task *http_summary(const struct tl_variant *, const char *);
void		 http_span(const struct timeline *, const struct tl_variant *,
		     const struct tl_task *, vtime_t *, vtime_t *);
const struct tl_line *http_line(const struct tl_variant *, const char *);
void		 http_assert_summary_printed(const struct tl_variant *,
		     const char *, vtime_t);

#endif
