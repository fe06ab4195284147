/* Helpers shared by the unit tests: run the demos in simulated time. */
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

struct session	*tu_session(const char *demo, const char *const *names,
		     size_t n, const char *const *args);
struct timeline	*tu_run_demo(const char *, const char *const *, size_t);
const char	*tu_source(const char *name, const char *text);
struct timeline	*tu_run_source(const char *name, const char *text);
struct timeline	*tu_finish(struct session *);
const struct tl_variant *tu_variant(const struct timeline *, const char *);
const struct tl_task *tu_task(const struct tl_variant *, const char *);
size_t		 tu_states(const struct timeline *, size_t, uint32_t,
		     enum task_state *, vtime_t *, size_t);
size_t		 tu_count(const struct timeline *, size_t, enum trace_type);
const struct trace_event *tu_find(const struct timeline *, size_t,
		     enum trace_type, uint32_t, size_t);

#endif
