/* Helpers shared by the unit tests: run programs in simulated time. */
#ifndef LOOPSCOPE_TESTUTIL_H
#define LOOPSCOPE_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "demos.h"
#include "session.h"
#include "timeline.h"

#define SEC(x)	((vtime_t)((x) * 1000) * VTIME_MS)

const struct demo_params *tu_params(void);
struct timeline	*tu_run_demo(const char *, const char *const *, size_t);
struct timeline	*tu_finish(struct session *);
struct timeline	*tu_run_programs(struct program **, size_t, size_t);
const struct tl_variant *tu_variant(const struct timeline *, const char *);
const struct tl_task *tu_task(const struct tl_variant *, const char *);
size_t		 tu_states(const struct timeline *, size_t, uint32_t,
		     enum task_state *, vtime_t *, size_t);
size_t		 tu_count(const struct timeline *, size_t, enum trace_type);
const struct trace_event *tu_find(const struct timeline *, size_t,
		     enum trace_type, uint32_t, size_t);

#endif
