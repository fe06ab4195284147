/* The page server of a variant's child, on its clock (engine/pyserve.c). */
#ifndef LOOPSCOPE_PYSERVE_H
#define LOOPSCOPE_PYSERVE_H

#include <stdbool.h>
#include <stddef.h>

#include "pages.h"
#include "vtime.h"

/* A client of loopscope's own says when its request left, virtually ... */
#define PYSERVE_AT_HEADER	"X-Loopscope-At"
/* ... that it blocks its thread (answered at once) ... */
#define PYSERVE_BLOCKING_HEADER	"X-Loopscope-Blocking"
/* ... and is told when the answer was due ("silent": never). */
#define PYSERVE_DUE_HEADER	"X-Loopscope-Due"

struct pyserve_config {
	vtime_t			 latency;	/* before each answer */
	long			 bandwidth;	/* bytes a second, 0: none */
	char			*fault_page[SERVER_MAX_FAULTS];
	enum server_fault	 fault[SERVER_MAX_FAULTS];
	size_t			 nfaults;
};

int		 pyserve_start(const struct pyserve_config *cfg, char *err,
		     size_t len);
void		 pyserve_stop(void);
unsigned short	 pyserve_port(void);
int		 pyserve_inflight(void);
bool		 pyserve_busy(void);
bool		 pyserve_loop_socket(int fd, bool watched);

#endif
