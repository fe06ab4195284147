/* Helpers shared by the unit tests: run programs in simulated time. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "testutil.h"

/* The parameters of a demo that fetches nothing. */
const struct demo_params *
tu_params(void)
{
	static const struct demo_params params = {
		.timeout = DEMO_TIMEOUT_DEFAULT,
		.tasks = DEMO_TASKS_DEFAULT,
	};

	return &params;
}

/* Run a demo's variants (all of them when names is NULL) to the end. */
struct timeline *
tu_run_demo(const char *demo, const char *const *names, size_t n)
{
	const struct demo	*d = demos_find(demo);
	struct program		*progs[8];
	size_t			 i;

	assert_non_null(d);
	if (names == NULL)
		n = d->nvariants;
	for (i = 0; i < n; i++) {
		const struct demo_variant *v = names ?
		    demos_variant(d, names[i]) : &d->variants[i];

		assert_non_null(v);
		progs[i] = v->build(tu_params());
		assert_non_null(progs[i]);
	}
	return tu_run_programs(progs, n, 0);
}

/* Run programs side by side in simulated time; the session owns them. */
struct timeline *
tu_run_programs(struct program **progs, size_t n, size_t ring)
{
	struct session_config	 cfg = { CLOCK_SIM, 1.0, false, ring };
	struct session		*s;
	char			 err[256];
	size_t			 i;

	s = session_new(&cfg, err, sizeof err);
	assert_non_null(s);
	for (i = 0; i < n; i++)
		if (session_add(s, progs[i], err, sizeof err) != 0)
			fail_msg("session_add: %s", err);
	return tu_finish(s);
}

/* Run a session to its end, free it; its whole timeline. */
struct timeline *
tu_finish(struct session *s)
{
	struct timeline	*tl = timeline_new(0);

	assert_non_null(tl);
	session_run(s, tl);
	session_free(s);
	assert_true(timeline_finished(tl));
	return tl;
}

const struct tl_variant *
tu_variant(const struct timeline *tl, const char *name)
{
	size_t	i;

	for (i = 0; i < tl->nvariants; i++)
		if (strcmp(tl->v[i].name, name) == 0)
			return &tl->v[i];
	fail_msg("no variant %s", name);
	return NULL;
}

const struct tl_task *
tu_task(const struct tl_variant *v, const char *name)
{
	size_t	i;

	for (i = 0; i < v->ntasks; i++)
		if (strcmp(v->tasks[i].name, name) == 0)
			return &v->tasks[i];
	fail_msg("variant %s has no task %s", v->name, name);
	return NULL;
}

/* The states a task went through, from the trace, with their times. */
size_t
tu_states(const struct timeline *tl, size_t variant, uint32_t task,
    enum task_state *states, vtime_t *times, size_t max)
{
	struct trace_event	 e, *ev = &e;
	size_t			 i, n = 0;

	for (i = 0; i < tl->nlog; i++) {
		timeline_event(tl, i, ev);
		if (ev->variant != variant || ev->type != TRACE_TASK_STATE ||
		    ev->task != task)
			continue;
		if (n < max) {
			states[n] = ev->state;
			if (times != NULL)
				times[n] = ev->vtime;
		}
		n++;
	}
	return n;
}

size_t
tu_count(const struct timeline *tl, size_t variant, enum trace_type type)
{
	struct trace_event	ev;
	size_t			i, n = 0;

	for (i = 0; i < tl->nlog; i++) {
		timeline_event(tl, i, &ev);
		if (ev.variant == variant && ev.type == type)
			n++;
	}
	return n;
}

/*
 * The k-th event of a type for a task (task 0: any): a copy, good for the
 * next TU_FOUND - 1 calls too (the log keeps events in a form of its own).
 */
#define TU_FOUND	8

const struct trace_event *
tu_find(const struct timeline *tl, size_t variant, enum trace_type type,
    uint32_t task, size_t k)
{
	static struct trace_event	 found[TU_FOUND];
	static size_t			 next;
	struct trace_event		*ev;
	size_t				 i;

	for (i = 0; i < tl->nlog; i++) {
		ev = &found[next];
		timeline_event(tl, i, ev);
		if (ev->variant == variant && ev->type == type &&
		    (task == 0 || ev->task == task) && k-- == 0) {
			next = (next + 1) % TU_FOUND;
			return ev;
		}
	}
	return NULL;
}
