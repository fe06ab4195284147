/* The embedded page server: Wikipedia's summary API on 127.0.0.1. */
#ifndef LOOPSCOPE_SERVER_H
#define LOOPSCOPE_SERVER_H

#include <stddef.h>

#include "clock.h"

enum server_fault {
	SERVER_OK,
	SERVER_404,		/* not found */
	SERVER_500,		/* internal error */
	SERVER_RESET,		/* closes the connection, no reply */
	SERVER_TRUNCATED,	/* half the body, then closes */
	SERVER_BADJSON,		/* 200 with a body that is not JSON */
	SERVER_SILENT,		/* never answers */
	SERVER_NFAULTS
};

#define SERVER_MAX_FAULTS	16
#define SERVER_PATH		"/api/rest_v1/page/summary/"
#define SERVER_HOLD_HEADER	"X-Loopscope-Hold"

struct server_config {
	vtime_t			 latency;	/* before each answer, virtual */
	long			 bandwidth;	/* bytes per virtual second, 0: none */
	const char		*fault_page[SERVER_MAX_FAULTS];
	enum server_fault	 fault[SERVER_MAX_FAULTS];
	size_t			 nfaults;
};

struct server;

struct server	*server_start(struct clock *, const struct server_config *,
		     char *, size_t);
unsigned short	 server_port(const struct server *);
void		 server_stop(struct server *);
int		 server_fault_parse(const char *, enum server_fault *);
const char	*server_fault_name(enum server_fault);
const char	*server_extract(const char *);

#endif
