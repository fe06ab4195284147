/* The embedded page server: Wikipedia's summary API on 127.0.0.1. */
#ifndef LOOPSCOPE_SERVER_H
#define LOOPSCOPE_SERVER_H

#include <stddef.h>

#include "clock.h"

#include "pages.h"

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

#endif
