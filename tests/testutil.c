/* Helpers shared by the unit tests: run the demos in simulated time. */
#include "config.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "setup.h"
#include "testutil.h"

/*
 * A session of a demo's variants (all of them when names is NULL), made as
 * `loopscope --headless [ARGS] DEMO [MORE]` makes it, in the simulated
 * clock unless ARGS say --clock: each variant a child running its Python
 * file. ARGS and MORE, when not NULL, are NULL-terminated.
 */
static struct session *
tu_open(const char *demo, const char *const *names, size_t n,
    const char *const *args, const char *const *more)
{
	struct options	 o;
	struct session	*s;
	char		*argv[40], list[256] = "", err[512];
	int		 argc = 0;
	size_t		 i;
	bool		 clock = false;

	for (i = 0; args != NULL && args[i] != NULL; i++)
		clock |= strcmp(args[i], "--clock") == 0;
	argv[argc++] = (char *)"loopscope";
	argv[argc++] = (char *)"--headless";
	if (!clock) {
		argv[argc++] = (char *)"--clock";
		argv[argc++] = (char *)"sim";
	}
	for (i = 0; names != NULL && i < n; i++) {
		if (i > 0)
			strcat(list, ",");
		strncat(list, names[i], sizeof list - strlen(list) - 2);
	}
	if (names != NULL) {
		argv[argc++] = (char *)"--variant";
		argv[argc++] = list;
	}
	for (i = 0; args != NULL && args[i] != NULL && argc < 30; i++)
		argv[argc++] = (char *)args[i];
	argv[argc++] = (char *)demo;
	for (i = 0; more != NULL && more[i] != NULL && argc < 38; i++)
		argv[argc++] = (char *)more[i];
	argv[argc] = NULL;
	if ((s = setup_args(argc, argv, &o, err, sizeof err)) == NULL)
		fail_msg("%s", err);
	return s;
}

/*
 * The tasks demo's own files with their exponent a tenth: 5 ** 1000000 and
 * its str() take seconds of CPU a run, and the tests run it often. The
 * lines, the prints' order and the digits' first two ("10", "13") are the
 * demo's; what its calculations cost is measured, as it always is.
 */
static struct session *
tu_tasks(const char *const *names, size_t n)
{
	static const char *const all[] = { "sync", "async" };
	char			 path[PATH_MAX + 64], text[4096], *at;
	const char		*files[3] = { NULL, NULL, NULL };
	static char		 keep[2][PATH_MAX + 64];
	FILE			*f;
	size_t			 i, len;

	if (names == NULL) {
		names = all;
		n = 2;
	}
	assert_true(n <= 2);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/demos/tasks/%s.py",
		    LOOPSCOPE_SRCDIR, names[i]);
		if ((f = fopen(path, "r")) == NULL)
			fail_msg("%s: cannot read", path);
		len = fread(text, 1, sizeof text - 1, f);
		fclose(f);
		text[len] = '\0';
		while ((at = strstr(text, "** 1000000")) != NULL)
			memmove(at + 9, at + 10, strlen(at + 10) + 1);
		snprintf(keep[i], sizeof keep[i], "%s", tu_source(names[i],
		    text));
		files[i] = keep[i];
	}
	return tu_open(files[0], NULL, 0, NULL, files + 1);
}

/*
 * A demo's session, args more options before its name (tu_open); the
 * tasks demo's lighter twin for the tasks demo (tu_tasks).
 */
struct session *
tu_session(const char *demo, const char *const *names, size_t n,
    const char *const *args)
{
	if (strcmp(demo, "tasks") == 0 && args == NULL)
		return tu_tasks(names, n);
	return tu_open(demo, names, n, args, NULL);
}

/* The folder tu_source writes in, and what it wrote: gone at exit. */
#define TU_FILES	64

static char	 tu_dir[PATH_MAX];
static char	*tu_files[TU_FILES];
static size_t	 tu_nfiles;

static void
tu_clean(void)
{
	size_t	i;

	for (i = 0; i < tu_nfiles; i++) {
		unlink(tu_files[i]);
		free(tu_files[i]);
	}
	if (tu_dir[0] != '\0')
		rmdir(tu_dir);
}

/*
 * A Python program the test wrote: name.py in a folder of its own (the
 * variant is named after its file), its path in a static buffer.
 */
const char *
tu_source(const char *name, const char *text)
{
	static char	 path[PATH_MAX + 64];
	FILE		*f;
	const char	*tmp = getenv("TMPDIR");
	size_t		 i;

	if (tu_dir[0] == '\0') {
		snprintf(tu_dir, sizeof tu_dir, "%s/loopscope-test-XXXXXX",
		    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
		if (mkdtemp(tu_dir) == NULL)
			fail_msg("mkdtemp %s", tu_dir);
		atexit(tu_clean);
	}
	snprintf(path, sizeof path, "%s/%s.py", tu_dir, name);
	if ((f = fopen(path, "w")) == NULL)
		fail_msg("%s: cannot write", path);
	fputs(text, f);
	if (fclose(f) != 0)
		fail_msg("%s: cannot write", path);
	for (i = 0; i < tu_nfiles && strcmp(tu_files[i], path) != 0; i++)
		;
	if (i == tu_nfiles && tu_nfiles < TU_FILES &&
	    (tu_files[tu_nfiles] = strdup(path)) != NULL)
		tu_nfiles++;
	return path;
}

/* Run a Python program (tu_source) in the simulated clock to its end. */
struct timeline *
tu_run_source(const char *name, const char *text)
{
	return tu_finish(tu_session(tu_source(name, text), NULL, 0, NULL));
}

/* Run a demo's variants (all of them when names is NULL) to the end. */
struct timeline *
tu_run_demo(const char *demo, const char *const *names, size_t n)
{
	return tu_finish(tu_session(demo, names, n, NULL));
}

/* Run a session to its end, free it; its whole timeline. */
struct timeline *
tu_finish(struct session *s)
{
	struct timeline	*tl;
	char		 err[512];

	if ((tl = setup_run(s, err, sizeof err)) == NULL)
		fail_msg("%s", err);
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
