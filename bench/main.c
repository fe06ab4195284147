/* make bench: run each benchmark in a process of its own, targets last. */
#include "config.h"

#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define BENCH_LINE	1024
#define BENCH_MAX_LINES	64

#ifndef BENCH_BUILD
#define BENCH_BUILD	"(unknown flags)"
#endif

struct bench_options bench_opts = { "./loopscope", "python3", false };

static const struct bench *const bench_all[] = {
	&bench_timers, &bench_draw, &bench_throughput,
};

#define BENCH_N	(sizeof bench_all / sizeof bench_all[0])

/* The target lines the children printed, kept for the end. */
static char	*bench_lines[BENCH_MAX_LINES];
static size_t	 bench_nlines;

/* Print the usage on f. */
static void
bench_usage(FILE *f)
{
	size_t	i;

	fprintf(f, "usage: loopscope-bench [--loopscope PATH] [--python PATH] "
	    "[--quick] [--only NAME,...]\n"
	    "benchmarks:");
	for (i = 0; i < BENCH_N; i++)
		fprintf(f, " %s", bench_all[i]->name);
	fprintf(f, "\n");
}

/* The benchmark called name, or NULL. */
static const struct bench *
bench_find(const char *name)
{
	size_t	i;

	for (i = 0; i < BENCH_N; i++)
		if (strcmp(bench_all[i]->name, name) == 0)
			return bench_all[i];
	return NULL;
}

/* Whether name is in the comma-separated list (NULL: all of them). */
static bool
bench_chosen(const char *list, const char *name)
{
	size_t		 len = strlen(name);
	const char	*p;

	if (list == NULL)
		return true;
	for (p = list; (p = strstr(p, name)) != NULL; p += len)
		if ((p == list || p[-1] == ',') &&
		    (p[len] == ',' || p[len] == '\0'))
			return true;
	return false;
}

/* One line from a child: a target is kept for the end, the rest shown. */
static void
bench_line(const char *line)
{
	if (strncmp(line, "target ", 7) != 0) {
		fputs(line, stdout);
		fflush(stdout);
		return;
	}
	if (bench_nlines < BENCH_MAX_LINES)
		bench_lines[bench_nlines++] = strdup(line);
}

/* Run one benchmark in a child (this binary again); 0 when it ended well. */
static int
bench_child(const struct bench *b, char **argv)
{
	char	 line[BENCH_LINE];
	char	*args[16];
	int	 fds[2], status, i, n = 0;
	FILE	*f;
	pid_t	 pid;

	args[n++] = argv[0];
	args[n++] = (char *)"--run";
	args[n++] = (char *)b->name;
	args[n++] = (char *)"--loopscope";
	args[n++] = (char *)bench_opts.loopscope;
	args[n++] = (char *)"--python";
	args[n++] = (char *)bench_opts.python;
	if (bench_opts.quick)
		args[n++] = (char *)"--quick";
	args[n] = NULL;
	if (pipe(fds) != 0)
		return -1;
	fflush(stdout);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execv("/proc/self/exe", args);
		_exit(127);
	}
	close(fds[1]);
	if ((f = fdopen(fds[0], "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		bench_line(line);
	fclose(f);
	while ((i = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		printf("  %s: killed by signal %d\n", b->name, WTERMSIG(status));
	else
		printf("  %s: exit status %d\n", b->name, WEXITSTATUS(status));
	return -1;
}

/* The machine the figures were measured on. */
static void
bench_header(void)
{
	struct utsname	u;
	char		line[256], model[256] = "?";
	double		busy;
	FILE		*f;
	int		prio;

	if ((f = fopen("/proc/cpuinfo", "r")) != NULL) {
		while (fgets(line, sizeof line, f) != NULL)
			if (strncmp(line, "model name", 10) == 0 &&
			    strchr(line, ':') != NULL) {
				snprintf(model, sizeof model, "%s",
				    strchr(line, ':') + 2);
				model[strcspn(model, "\n")] = '\0';
				break;
			}
		fclose(f);
	}
	uname(&u);
	busy = bench_busy(0.5);
	printf("loopscope %s benchmarks on %s %s, %ld CPUs (%s), load %.2f, "
	    "%.0f%% busy\n", PACKAGE_VERSION, u.sysname, u.release,
	    sysconf(_SC_NPROCESSORS_ONLN), model, bench_load(), busy * 100);
	printf("built with: %s\n", BENCH_BUILD);
	if (strstr(BENCH_BUILD, "-O0") != NULL ||
	    strstr(BENCH_BUILD, "sanitize") != NULL)
		printf("warning: a debug or sanitizer build: the figures say "
		    "little; configure without --enable-debug or "
		    "--enable-sanitizers to measure\n");
	if (busy > 0.1)
		printf("warning: the machine is not idle (others kept %.0f%% of "
		    "its CPUs busy for half a second): the figures may be worse "
		    "than it can do\n", busy * 100);
	errno = 0;
	if ((prio = getpriority(PRIO_PROCESS, 0)) > 0 && errno == 0)
		printf("warning: run with nice %d: the kernel lets a niced "
		    "process's waits end 0.5%% late (0.1%% otherwise), so the "
		    "timers' figures and the gather total are late for it\n",
		    prio);
	printf("loopscope binary: %s; CPython: %s%s\n\n", bench_opts.loopscope,
	    bench_opts.python, bench_opts.quick ? "; --quick: smaller sizes" :
	    "");
	fflush(stdout);
}

/* Every target line, in the order; a missing one is missed. */
static void
bench_summary(const char *only)
{
	const char	*name;
	size_t		 i, j, len;
	bool		 found;

	printf("\n");
	for (i = 0; i < bench_ntargets(); i++) {
		name = bench_target_name(i, false);
		if (!bench_chosen(only, bench_target_name(i, true)))
			continue;
		len = strlen(name);
		found = false;
		for (j = 0; j < bench_nlines && !found; j++)
			if (strncmp(bench_lines[j] + 7, name, len) == 0 &&
			    bench_lines[j][7 + len] == ':') {
				fputs(bench_lines[j], stdout);
				found = true;
			}
		if (!found)
			printf("target %s: measured none, goal %s, missed\n",
			    name, bench_target_goal(name));
	}
	for (j = 0; j < bench_nlines; j++)
		free(bench_lines[j]);
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "loopscope",	required_argument,	NULL, 'l' },
		{ "python",	required_argument,	NULL, 'p' },
		{ "only",	required_argument,	NULL, 'o' },
		{ "run",	required_argument,	NULL, 'r' },
		{ "quick",	no_argument,		NULL, 'q' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL,		0,			NULL, 0 }
	};
	const struct bench	*b;
	const char		*only = NULL, *run = NULL, *env;
	double			 t0 = bench_now();
	size_t			 i;
	int			 c;

	if ((env = getenv("PYTHON")) != NULL && *env != '\0')
		bench_opts.python = env;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			bench_opts.loopscope = optarg;
			break;
		case 'p':
			bench_opts.python = optarg;
			break;
		case 'o':
			only = optarg;
			break;
		case 'r':
			run = optarg;
			break;
		case 'q':
			bench_opts.quick = true;
			break;
		case 'h':
			bench_usage(stdout);
			return 0;
		default:
			bench_usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		bench_usage(stderr);
		return 2;
	}
	if (run != NULL) {
		if ((b = bench_find(run)) == NULL) {
			bench_usage(stderr);
			return 2;
		}
		return b->run();
	}
	for (i = 0; i < BENCH_N; i++)
		if (only != NULL && bench_chosen(only, bench_all[i]->name))
			break;
	if (only != NULL && i == BENCH_N) {
		bench_usage(stderr);
		return 2;
	}
	bench_header();
	for (i = 0; i < BENCH_N; i++) {
		if (!bench_chosen(only, bench_all[i]->name))
			continue;
		if (bench_child(bench_all[i], argv) != 0)
			printf("  %s did not finish: its targets are missed\n",
			    bench_all[i]->name);
		printf("\n");
		fflush(stdout);
	}
	printf("%.0f s in all; load %.2f at the end\n", bench_now() - t0,
	    bench_load());
	bench_summary(only);
	return 0;
}
