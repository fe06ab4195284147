/* HTTP fetches with libcurl: multi_socket on a libev loop, or blocking. */
#ifndef LOOPSCOPE_FETCH_H
#define LOOPSCOPE_FETCH_H

#include <ev.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace.h"

#define FETCH_SUMMARY_CHARS	80
#define FETCH_USER_AGENT	"loopscope/" PACKAGE_VERSION \
				" (event-loop teaching tool; libcurl)"

struct fetch_result {
	bool		 ok;
	long		 status;
	size_t		 bytes;
	char		*body;
	size_t		 body_len;
	size_t		 body_cap;
	char		 error[256];
	int64_t		 ends[PHASE_N];	/* µs from the start, each phase's end */
};

struct fetch_options {
	const char	*url;
	double		 timeout;	/* real seconds, a last resort */
	bool		 hold;		/* tell our server of the message */
	vtime_t		 deadline;	/* with hold: when we give up, virtual */
	uint64_t	 token;		/* with hold: the clock's message */
	vtime_t		 sent;		/* with hold: when it left, virtual */
};

struct fetch;
struct fetcher;

typedef void	(*fetch_done_fn)(void *, void *, struct fetch_result *);
typedef void	(*fetch_watch_fn)(void *, int, int);

struct fetcher	*fetcher_new(struct ev_loop *, long, fetch_done_fn,
		     fetch_watch_fn, void *);
void		 fetcher_free(struct fetcher *);
struct fetch	*fetcher_start(struct fetcher *, const struct fetch_options *,
		     void *);
void		 fetcher_abort(struct fetcher *, struct fetch *);
size_t		 fetcher_sockets(const struct fetcher *);

int		 fetch_blocking(const struct fetch_options *, int (*)(void *),
		     void *, struct fetch_result *);
void		 fetch_result_clear(struct fetch_result *);
int		 fetch_summary(const struct fetch_result *, char *, size_t,
		     char *, size_t);

#endif
