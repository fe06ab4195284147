/* The benchmarks of make bench: shared measures, references and targets. */
#ifndef LOOPSCOPE_BENCH_H
#define LOOPSCOPE_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "timeline.h"

#define BENCH_TRIAL_MAX	16	/* numbers a trial may bring back */

/* What the command line chose; every benchmark reads it. */
struct bench_options {
	const char	*loopscope;	/* the binary the drawing bench runs */
	const char	*python;	/* CPython for the asyncio references */
	bool		 quick;		/* smaller sizes, for a smoke run */
};

extern struct bench_options bench_opts;

/* One benchmark: a name for --only, and its body. */
struct bench {
	const char	*name;
	const char	*title;
	int		(*run)(void);
};

extern const struct bench bench_timers;
extern const struct bench bench_draw;
extern const struct bench bench_throughput;

double		 bench_now(void);
double		 bench_cpu(void);
int64_t		 bench_thread_ns(pid_t, pid_t);
void		 bench_target(const char *, bool, const char *, ...)
		     __attribute__((format(printf, 3, 4)));
const char	*bench_target_goal(const char *);
size_t		 bench_ntargets(void);
const char	*bench_target_name(size_t, bool);
void		 bench_say(const char *, ...)
		     __attribute__((format(printf, 1, 2)));
int		 bench_python(const char *, const char *const *, double *,
		     size_t);
double		 bench_ratio(double, double);
int		 bench_trial(int (*)(void *, double *, size_t), void *,
		     double *, size_t);
double		 bench_load(void);
double		 bench_busy(double);
int64_t		 bench_percentile(int64_t *, size_t, double);
void		 bench_sort(int64_t *, size_t);
char		*bench_source(const char *, const char *);
void		 bench_source_free(char *);
struct timeline	*bench_session(const char *const *, double *, double *);
size_t		 bench_events(const struct timeline *);

#endif
