/* What every benchmark shares: clocks, memory, CPython, targets. */
#include "config.h"

#include <sys/resource.h>
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "options.h"
#include "setup.h"

/* Every target of the issue, with its goal as the last lines print it. */
static const struct {
	const char	*name;
	const char	*bench;
	const char	*goal;
} bench_goals[] = {
	{ "timer-p99", "timers", "< 1 ms" },
	{ "gather-total", "timers", "<= 10.01 s" },
	{ "frame-cpu-100", "draw", "< 1 ms/frame" },
	{ "frame-bytes-100", "draw", "< 4096 B/frame" },
	{ "paused-wakeups", "draw", "0/s" },
	{ "first-frame", "draw", "< 50 ms" },
};

#define BENCH_NTARGETS	(sizeof bench_goals / sizeof bench_goals[0])

/* Monotonic real time in seconds. */
double
bench_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of one getrusage(), user and system. */
static double
bench_rusage(int who)
{
	struct rusage	ru;

	getrusage(who, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/*
 * CPU seconds used so far by this process (every thread) and by the
 * children it reaped: a session's programs, once it is freed.
 */
double
bench_cpu(void)
{
	return bench_rusage(RUSAGE_SELF) + bench_rusage(RUSAGE_CHILDREN);
}

/* Nanoseconds thread tid of process pid spent on a CPU (schedstat). */
int64_t
bench_thread_ns(pid_t pid, pid_t tid)
{
	char		path[96];
	long long	ns = -1;
	FILE		*f;

	snprintf(path, sizeof path, "/proc/%ld/task/%ld/schedstat", (long)pid,
	    (long)tid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fscanf(f, "%lld", &ns) != 1)
		ns = -1;
	fclose(f);
	return (int64_t)ns;
}

/* How many targets there are, in the order the last lines give them. */
size_t
bench_ntargets(void)
{
	return BENCH_NTARGETS;
}

/* Target i's name, or the benchmark that measures it. */
const char *
bench_target_name(size_t i, bool bench)
{
	if (i >= BENCH_NTARGETS)
		return NULL;
	return bench ? bench_goals[i].bench : bench_goals[i].name;
}

/* The goal of a target, as its line prints it. */
const char *
bench_target_goal(const char *name)
{
	size_t	i;

	for (i = 0; i < BENCH_NTARGETS; i++)
		if (strcmp(bench_goals[i].name, name) == 0)
			return bench_goals[i].goal;
	return "?";
}

/* "target NAME: measured VALUE, goal GOAL, met" (or missed). */
void
bench_target(const char *name, bool met, const char *fmt, ...)
{
	va_list	ap;
	char	value[128];

	va_start(ap, fmt);
	vsnprintf(value, sizeof value, fmt, ap);
	va_end(ap);
	printf("target %s: measured %s, goal %s, %s\n", name, value,
	    bench_target_goal(name), met ? "met" : "missed");
	fflush(stdout);
}

/* A line of the report, flushed at once so that progress shows. */
void
bench_say(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/*
 * Run CPython on an inline script with its arguments; the numbers it
 * prints land in out. Returns how many, or -1 when it could not run.
 */
int
bench_python(const char *script, const char *const *args, double *out,
    size_t nout)
{
	const char	*argv[16];
	char		 buf[4096], *p, *end;
	size_t		 argc = 0, len = 0;
	ssize_t		 r;
	int		 fds[2], status, n = 0;
	pid_t		 pid;

	argv[argc++] = bench_opts.python;
	argv[argc++] = "-c";
	argv[argc++] = script;
	while (args != NULL && *args != NULL && argc < 15)
		argv[argc++] = *args++;
	argv[argc] = NULL;
	if (pipe(fds) != 0)
		return -1;
	if ((pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	while (len < sizeof buf - 1 &&
	    ((r = read(fds[0], buf + len, sizeof buf - 1 - len)) > 0 ||
	    (r < 0 && errno == EINTR)))
		if (r > 0)
			len += (size_t)r;
	buf[len] = '\0';
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	for (p = buf; (size_t)n < nout; p = end) {
		out[n] = strtod(p, &end);
		if (end == p)
			break;
		n++;
	}
	return n;
}

/*
 * Run fn in a child process of its own (a fresh heap, its own peak RSS,
 * nothing left warm by an earlier trial) and bring back the numbers it
 * put in out. Returns how many, or -1 when the child failed.
 */
int
bench_trial(int (*fn)(void *, double *, size_t), void *arg, double *out,
    size_t nout)
{
	double	 vals[BENCH_TRIAL_MAX];
	size_t	 len = 0;
	ssize_t	 r;
	int	 fds[2], status, n;
	pid_t	 pid;

	if (nout > BENCH_TRIAL_MAX)
		nout = BENCH_TRIAL_MAX;
	if (pipe(fds) != 0)
		return -1;
	fflush(stdout);
	if ((pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		n = fn(arg, vals, nout);
		fflush(stdout);
		if (n > 0 && write(fds[1], vals, (size_t)n * sizeof *vals) !=
		    (ssize_t)((size_t)n * sizeof *vals))
			n = -1;
		_exit(n < 0 ? 1 : 0);
	}
	close(fds[1]);
	while (len < nout * sizeof *out && ((r = read(fds[0], (char *)out +
	    len, nout * sizeof *out - len)) > 0 || (r < 0 && errno == EINTR)))
		if (r > 0)
			len += (size_t)r;
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return (int)(len / sizeof *out);
}

/* The machine's load: the 1-minute average of runnable tasks. */
double
bench_load(void)
{
	double	 l = -1;
	FILE	*f;

	if ((f = fopen("/proc/loadavg", "r")) == NULL)
		return -1;
	if (fscanf(f, "%lf", &l) != 1)
		l = -1;
	fclose(f);
	return l;
}

/* The CPUs' ticks in all and idle (idle and iowait), from /proc/stat. */
static int
bench_ticks(unsigned long long *all, unsigned long long *idle)
{
	unsigned long long	v[8] = { 0 };
	FILE			*f;
	int			 n, i;

	if ((f = fopen("/proc/stat", "r")) == NULL)
		return -1;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
	    &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n < 4)
		return -1;
	for (*all = 0, i = 0; i < 8; i++)
		*all += v[i];
	*idle = v[3] + v[4];
	return 0;
}

/*
 * The share of the CPUs (0 to 1) others kept busy over the next secs
 * seconds, while we sleep; -1 when the kernel does not say. Unlike the
 * load average, it is now, and not a minute of our own threads before.
 */
double
bench_busy(double secs)
{
	unsigned long long	a0, i0, a1, i1;
	struct timespec		ts;

	if (bench_ticks(&a0, &i0) != 0)
		return -1;
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	if (bench_ticks(&a1, &i1) != 0 || a1 <= a0)
		return -1;
	return 1.0 - (double)(i1 - i0) / (double)(a1 - a0);
}

/* a / b, or 0 when b is not a number to divide by. */
double
bench_ratio(double a, double b)
{
	return b > 0 ? a / b : 0;
}

/* Order for qsort: ascending. */
static int
bench_cmp(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

void
bench_sort(int64_t *v, size_t n)
{
	qsort(v, n, sizeof *v, bench_cmp);
}

/* The p-th percentile (0 to 100, nearest rank) of sorted values. */
int64_t
bench_percentile(int64_t *sorted, size_t n, double p)
{
	size_t	rank;

	if (n == 0)
		return 0;
	rank = (size_t)((p / 100.0) * (double)n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

/*
 * Write a Python program for a session: name.py in a folder of its own
 * (its variant is named after the file). Its path (malloc'd; give it to
 * bench_source_free), or NULL.
 */
char *
bench_source(const char *name, const char *text)
{
	const char	*tmp = getenv("TMPDIR");
	char		 dir[PATH_MAX], *path;
	size_t		 len;
	FILE		*f;

	snprintf(dir, sizeof dir, "%s/loopscope-bench-XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		return NULL;
	len = strlen(dir) + strlen(name) + 5;
	if ((path = malloc(len)) == NULL) {
		rmdir(dir);
		return NULL;
	}
	snprintf(path, len, "%s/%s.py", dir, name);
	if ((f = fopen(path, "w")) == NULL) {
		rmdir(dir);
		free(path);
		return NULL;
	}
	fputs(text, f);
	if (fclose(f) != 0) {
		bench_source_free(path);
		return NULL;
	}
	return path;
}

/* Remove a program bench_source wrote, and its folder. */
void
bench_source_free(char *path)
{
	char	*slash;

	if (path == NULL)
		return;
	unlink(path);
	if ((slash = strrchr(path, '/')) != NULL) {
		*slash = '\0';
		rmdir(path);
	}
	free(path);
}

/*
 * Run `loopscope --headless ARGS` (NULL-terminated: options, then a demo
 * or a program's path) to its end: the session made as the binary makes
 * it (options_parse, setup_session: each variant a child running its
 * Python file), its trace folded into a timeline as the UI folds it.
 * *wall and *cpu, when not NULL, get the real seconds from the session's
 * making to its release, and the CPU seconds of this process and of the
 * programs' processes meanwhile. NULL, the reason said, when it could not
 * run or did not end.
 */
struct timeline *
bench_session(const char *const *args, double *wall, double *cpu)
{
	struct options	 o;
	struct session	*s;
	struct timeline	*tl;
	char		*argv[32], err[512];
	int		 argc = 0;
	double		 t0, c0;

	argv[argc++] = (char *)"loopscope";
	argv[argc++] = (char *)"--headless";
	while (*args != NULL && argc < 31)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	t0 = bench_now();
	c0 = bench_cpu();
	if ((s = setup_args(argc, argv, &o, err, sizeof err)) == NULL ||
	    (tl = setup_run(s, err, sizeof err)) == NULL) {
		bench_say("  error: %s", err);
		return NULL;
	}
	if (wall != NULL)
		*wall = bench_now() - t0;
	if (cpu != NULL)
		*cpu = bench_cpu() - c0;
	return tl;
}

/* Events the model folded in, every variant. */
size_t
bench_events(const struct timeline *tl)
{
	size_t	i, n = 0;

	for (i = 0; i < tl->nvariants; i++)
		n += tl->v[i].nevents;
	return n;
}
