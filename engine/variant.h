/* A variant's scheduler: its tasks, its ready queue and timers, on libev. */
#ifndef LOOPSCOPE_VARIANT_H
#define LOOPSCOPE_VARIANT_H

#include <stdatomic.h>
#include <stdint.h>

#include "clock.h"
#include "program.h"
#include "trace.h"

struct variant;

struct variant_config {
	const struct program	*program;
	uint16_t		 variant;
	struct clock		*clock;
	struct trace_ring	*ring;
	atomic_bool		*stop;
	int64_t			 t0;		/* real ns of the session start */
};

struct variant	*variant_new(const struct variant_config *);
void		 variant_free(struct variant *);
void		 variant_announce(struct variant *);
int		 variant_start(struct variant *);
void		 variant_join(struct variant *);

#endif
