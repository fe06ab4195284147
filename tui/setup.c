/* A session for the options: its page server, its variants. */
#include "config.h"

#include <sys/resource.h>

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "notebook.h"
#include "paths.h"
#include "pypages.h"
#include "setup.h"

#define SETUP_SOURCE_MAX	(16L << 20)	/* a program's text we show */

/*
 * Thousands of connections want thousands of descriptors: raise the limit
 * to the hard one, and return how many connections fit (each takes two
 * when both ends are ours).
 */
static long
setup_descriptors(bool both_ends)
{
	struct rlimit	rl;
	long		n;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 256;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	n = rl.rlim_cur == RLIM_INFINITY ? 100000 : (long)rl.rlim_cur - 64;
	if (both_ends)
		n /= 2;
	return n > 16 ? n : 16;
}

/* The whole text of path (malloc'd), or NULL with the reason in err. */
static char *
setup_read(const char *path, char *err, size_t len)
{
	FILE	*f;
	char	*buf = NULL, *nb;
	size_t	 n = 0, cap = 0, r;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			if ((long)cap > SETUP_SOURCE_MAX + 8192 ||
			    (nb = realloc(buf, cap + 1)) == NULL) {
				snprintf(err, len, _("%s: too large to show"), path);
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		if ((r = fread(buf + n, 1, cap - n, f)) == 0)
			break;
		n += r;
	}
	if (ferror(f)) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	if (strlen(buf) != n) {
		snprintf(err, len, _("%s: not a Python program (it holds NUL "
		    "bytes)"), path);
		free(buf);
		return NULL;
	}
	return buf;
}

/* A Python program's variant: its text, and its child to start. */
static int
setup_python(struct session *s, const struct options *o,
    const struct demo_variant *dv, char *const *env, size_t nenv,
    char *err, size_t len)
{
	struct child_spec		 spec = { 0 };
	struct notebook			 nb;
	const struct notebook_cell	*cell;
	struct program			*p;
	char				 path[PATH_MAX + 80], *src;
	char				 ntasks[24], nconn[24];
	const char			*text, *traced;
	long				 conn, fit;
	char				*args[4] = { (char *)"--tasks",
					    NULL, (char *)"--max-connections",
					    NULL };
	int				 kind;

	if (options_cells_file(o->demo, dv, path, sizeof path) != 0) {
		snprintf(err, len, _("%s: the path is too long"), dv->file);
		return -1;
	}
	if ((src = setup_read(path, err, len)) == NULL)
		return -1;
	/* A notebook is shown as the percent script it would be. */
	if (notebook_parse(path, src, strlen(src), &nb, err, len) != 0) {
		free(src);
		return -1;
	}
	text = traced = nb.format == NOTEBOOK_PLAIN ? src : nb.text;
	if (dv->cell > 0 && (cell = notebook_code(&nb, dv->cell)) != NULL)
		traced = cell->source;
	/*
	 * A program that runs a loop; else one that starts processes, or
	 * threads; one that does none of these is synchronous.
	 */
	kind = strstr(traced, "await ") != NULL ||
	    strstr(traced, "asyncio.run(") != NULL ||
	    strstr(traced, "run_until_complete(") != NULL ||
	    strstr(traced, "run_forever(") != NULL ? VARIANT_ASYNC :
	    strstr(traced, "multiprocessing") != NULL ||
	    strstr(traced, "ProcessPoolExecutor") != NULL ?
	    VARIANT_PROCESSES :
	    strstr(traced, "threading") != NULL ||
	    strstr(traced, "PoolExecutor") != NULL ? VARIANT_THREADS :
	    VARIANT_SYNC;
	p = program_new(dv->name, kind, text);
	notebook_clear(&nb);
	free(src);
	if (p == NULL) {
		snprintf(err, len, _("out of memory"));
		return -1;
	}
	spec.exe = paths_loopscope();
	spec.name = dv->name;
	spec.kind = kind;
	spec.file = path;
	spec.cell = dv->cell;
	spec.args = o->demo->user ? o->prog_args : NULL;
	spec.nargs = o->demo->user ? o->nprog_args : 0;
	/* A demo of many fetches takes its numbers as a program would. */
	if (o->demo->scales) {
		snprintf(ntasks, sizeof ntasks, "%ld", o->tasks_given ||
		    o->demo->tasks_default == 0 ? o->tasks :
		    o->demo->tasks_default);
		/*
		 * No more connections than descriptors: with our server in
		 * the child, both ends are its (setup_short said so).
		 */
		conn = o->max_connections;
		fit = setup_descriptors(!o->online && o->wiki_url == NULL);
		if (o->demo->fetches != NULL &&
		    (conn == 0 ? o->tasks : conn) > fit)
			conn = fit;
		snprintf(nconn, sizeof nconn, "%ld", conn);
		args[1] = ntasks;
		args[3] = nconn;
		spec.args = args;
		spec.nargs = 4;
	}
	spec.xoptions = o->xoptions;
	spec.nxoptions = o->nxoptions;
	spec.max_memory = o->max_memory;
	spec.env = (const char *const *)env;
	spec.nenv = nenv;
	return session_add_python(s, p, &spec, err, len);
}

/*
 * What a Python variant's child is told of its pages (engine/pypages.h):
 * serve them itself with the options' latency, bandwidth and faults, or
 * where they are (--wiki-url, --online). The number of env strings set
 * (malloc'd), or -1 when out of memory.
 */
static int
setup_pages_env(const struct options *o, char *env[3])
{
	struct pyserve_config	cfg = { 0 };
	const char		*u = o->wiki_url;
	size_t			i;

	env[0] = env[1] = env[2] = NULL;
	if (o->demo->fetches == NULL)
		return 0;
	if (asprintf(&env[0], "%s=%.3f", PYPAGES_TIMEOUT_ENV,
	    (double)o->http_timeout / VTIME_SEC) < 0) {
		env[0] = NULL;
		return -1;
	}
	if (u != NULL) {
		if (asprintf(&env[1], "%s=%s%s", PYPAGES_URL_ENV, u,
		    u[strlen(u) - 1] == '/' ? SERVER_PATH + 1 :
		    SERVER_PATH) < 0) {
			env[1] = NULL;
			return -1;
		}
		return 2;
	}
	if (o->online) {
		if (asprintf(&env[1], "%s=%s", PYPAGES_URL_ENV,
		    DEMO_WIKI_URL) < 0) {
			env[1] = NULL;
			return -1;
		}
		return 2;
	}
	cfg.latency = o->latency;
	cfg.bandwidth = o->bandwidth;
	for (i = 0; i < o->nfaults; i++) {
		cfg.fault_page[i] = (char *)o->fault_page[i];
		cfg.fault[i] = o->fault[i];
	}
	cfg.nfaults = o->nfaults;
	if ((env[1] = pypages_env_serve(&cfg)) == NULL ||
	    (env[2] = pypages_env_faults(&cfg)) == NULL)
		return -1;
	return 3;
}

/*
 * When the open-files limit, raised as far as it goes, cannot hold a
 * connection for each of the demo's fetches at once: say so in buf (the
 * others then wait for a connection) and return true.
 */
bool
setup_short(const struct options *o, char *buf, size_t len)
{
	struct rlimit	rl;
	bool		ours = o->online == false && o->wiki_url == NULL;
	long		fit, want;

	if (o->demo->fetches == NULL || !o->demo->scales)
		return false;
	want = o->max_connections > 0 && o->max_connections < o->tasks ?
	    o->max_connections : o->tasks;
	if ((fit = setup_descriptors(ours)) >= want)
		return false;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		rl.rlim_cur = rl.rlim_max = 0;
	snprintf(buf, len, _("%s: open-files limit %llu (hard %llu): %ld "
	    "connections at once, not %ld; the rest wait (ulimit -n)"),
	    o->demo->name,
	    (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max,
	    fit, want);
	return true;
}

/*
 * Make the session the options ask for: each chosen variant a child that
 * runs its Python program, told where its pages come from (a server of its
 * own, unless --online or --wiki-url). err says what failed.
 */
struct session *
setup_session(const struct options *o, char *err, size_t len)
{
	struct session_config	 cfg = { 0 };
	struct session		*s;
	char			*env[3];
	size_t			 i;
	int			 nenv, rc = 0;

	cfg.mode = o->clock;
	cfg.speed = o->speed;
	cfg.paused = o->paused;
	if ((s = session_new(&cfg, err, len)) == NULL)
		return NULL;
	if ((nenv = setup_pages_env(o, env)) < 0) {
		snprintf(err, len, _("out of memory"));
		rc = -1;
	}
	for (i = 0; rc == 0 && i < o->nvariants; i++)
		rc = setup_python(s, o, demos_variant(o->demo, o->variants[i]),
		    env, (size_t)nenv, err, len);
	free(env[0]);
	free(env[1]);
	free(env[2]);
	if (rc != 0) {
		session_free(s);
		return NULL;
	}
	return s;
}

/*
 * `loopscope --headless ARGV...` made as the binary makes it: the options
 * read (into *o), then the session. The tests, the benchmarks and the
 * export tool start here. err says what failed, options first.
 */
struct session *
setup_args(int argc, char **argv, struct options *o, char *err, size_t len)
{
	if (options_parse(argc, argv, o, err, len) != 0)
		return NULL;
	return setup_session(o, err, len);
}

/*
 * Run a session to its end and free it: its whole trace folded into a
 * timeline, as the UI folds it. NULL, err said, when there was no memory
 * for it or the session did not end.
 */
struct timeline *
setup_run(struct session *s, char *err, size_t len)
{
	struct timeline	*tl;

	if ((tl = timeline_new(0)) == NULL) {
		session_free(s);
		snprintf(err, len, _("out of memory"));
		return NULL;
	}
	session_run(s, tl);
	session_free(s);
	if (!timeline_finished(tl)) {
		snprintf(err, len, "the session did not end");
		timeline_free(tl);
		return NULL;
	}
	return tl;
}
