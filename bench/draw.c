/* 2. Drawing: the real binary in a pseudo-terminal at 120x40. */
#include "config.h"

#include <sys/ioctl.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define DRAW_ROWS	40
#define DRAW_COLS	120
#define DRAW_GAP	0.004	/* a pause this long ends one frame's output */
#define DRAW_MIN_FRAME	0.020	/* frames start 1/30 s apart at most */
#define DRAW_QUIET	1.0	/* no output this long: the animation ended */
#define DRAW_LIMIT	20.0	/* the longest any run may last */
#define DRAW_MAX_FRAMES	4096
#define DRAW_FIRST_RUNS	5

/* One run of the binary: its terminal, what it wrote, its frames. */
struct draw_run {
	pid_t		 pid;
	int		 fd;
	double		 t0;		/* just before the fork */
	double		 first_byte;	/* seconds after t0; -1: none yet */
	double		 last_read;	/* absolute */
	size_t		 bytes;
	bool		 eof;
	/* Frame starts: when, bytes before, CPU of the UI thread and all. */
	size_t		 nframes;
	double		 at[DRAW_MAX_FRAMES];
	size_t		 off[DRAW_MAX_FRAMES];
	int64_t		 ui_ns[DRAW_MAX_FRAMES];
	int64_t		 all_ns[DRAW_MAX_FRAMES];
	char		*text;		/* the first bytes, kept when asked */
	size_t		 text_len;
	size_t		 text_cap;
};

/* What one animation measured, per frame. */
struct draw_figures {
	size_t	 frames;
	double	 seconds;
	double	 ui_ms;		/* mean CPU of the UI thread */
	double	 ui_p50_ms;
	double	 all_ms;	/* mean CPU of the whole process */
	double	 bytes;		/* mean bytes to the terminal */
	double	 bytes_p50;
	size_t	 first_bytes;
};

/* The sum of each(pid, tid) over pid's threads, skipping those < 0. */
static int64_t
draw_threads(pid_t pid, int64_t (*each)(pid_t, const char *))
{
	char		 path[64];
	struct dirent	*de;
	int64_t		 sum = 0, v;
	DIR		*d;

	snprintf(path, sizeof path, "/proc/%ld/task", (long)pid);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((v = each(pid, de->d_name)) > 0)
			sum += v;
	}
	closedir(d);
	return sum;
}

/* CPU nanoseconds a thread has used (schedstat). */
static int64_t
draw_thread_ns(pid_t pid, const char *tid)
{
	return bench_thread_ns(pid, (pid_t)atol(tid));
}

/* Context switches (voluntary and not) of a thread: its wake-ups. */
static int64_t
draw_thread_switches(pid_t pid, const char *tid)
{
	char	 path[320], line[128];
	int64_t	 sum = 0;
	FILE	*f;

	snprintf(path, sizeof path, "/proc/%ld/task/%s/status", (long)pid,
	    tid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (strstr(line, "ctxt_switches:") != NULL)
			sum += strtol(strchr(line, ':') + 1, NULL, 10);
	fclose(f);
	return sum;
}

/* CPU nanoseconds every thread of pid has used. */
static int64_t
draw_process_ns(pid_t pid)
{
	return draw_threads(pid, draw_thread_ns);
}

/* Context switches of every thread of pid. */
static long
draw_switches(pid_t pid)
{
	return (long)draw_threads(pid, draw_thread_switches);
}

/* Start the binary with args on a fresh 120x40 pseudo-terminal. */
static int
draw_start(struct draw_run *r, const char *const *args, bool keep_text)
{
	struct winsize	 ws = { DRAW_ROWS, DRAW_COLS, 0, 0 };
	const char	*argv[16];
	size_t		 n = 0;

	memset(r, 0, sizeof *r);
	r->first_byte = -1;
	argv[n++] = bench_opts.loopscope;
	while (*args != NULL && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	if (keep_text) {
		r->text_cap = 1 << 20;
		if ((r->text = malloc(r->text_cap)) == NULL)
			return -1;
	}
	fflush(stdout);
	r->t0 = bench_now();
	r->pid = forkpty(&r->fd, NULL, NULL, &ws);
	if (r->pid < 0) {
		free(r->text);
		return -1;
	}
	if (r->pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		unsetenv("LINES");
		unsetenv("COLUMNS");
		unsetenv("NO_COLOR");
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	return 0;
}

/*
 * Read what the binary writes for up to timeout seconds, noting where
 * each frame starts. Returns the bytes read, 0 on a timeout.
 */
static ssize_t
draw_read(struct draw_run *r, double timeout)
{
	struct pollfd	 pfd = { r->fd, POLLIN, 0 };
	char		 buf[65536];
	ssize_t		 got;
	double		 now;
	int		 ms = (int)(timeout * 1000 + 0.5), rc;

	if (r->eof)
		return -1;
	while ((rc = poll(&pfd, 1, ms)) < 0 && errno == EINTR)
		;
	if (rc == 0)
		return 0;
	while ((got = read(r->fd, buf, sizeof buf)) < 0 && errno == EINTR)
		;
	if (got <= 0) {
		r->eof = true;
		return -1;
	}
	now = bench_now();
	if (r->first_byte < 0)
		r->first_byte = now - r->t0;
	/*
	 * A frame starts after a pause in the output, unless the last one
	 * started too recently for that: a frame's output cut by a pause
	 * (the writer preempted, a full terminal) stays one frame.
	 */
	if ((r->nframes == 0 || (now - r->last_read > DRAW_GAP &&
	    now - r->at[r->nframes - 1] >= DRAW_MIN_FRAME)) &&
	    r->nframes < DRAW_MAX_FRAMES) {
		r->at[r->nframes] = now;
		r->off[r->nframes] = r->bytes;
		r->ui_ns[r->nframes] = bench_thread_ns(r->pid, r->pid);
		r->all_ns[r->nframes] = draw_process_ns(r->pid);
		r->nframes++;
	}
	r->last_read = now;
	r->bytes += (size_t)got;
	if (r->text != NULL && r->text_len + (size_t)got < r->text_cap) {
		memcpy(r->text + r->text_len, buf, (size_t)got);
		r->text_len += (size_t)got;
	}
	return got;
}

/* Read until no output came for quiet seconds, or limit seconds passed. */
static void
draw_until_quiet(struct draw_run *r, double quiet, double limit)
{
	double	end = bench_now() + limit;

	while (bench_now() < end && draw_read(r, quiet) > 0)
		;
}

/* SIGTERM (the UI quits cleanly on it), drain, reap. */
static void
draw_stop(struct draw_run *r)
{
	double	end;
	int	status;

	kill(r->pid, SIGTERM);
	end = bench_now() + 3;
	while (!r->eof && bench_now() < end)
		draw_read(r, 0.1);
	if (waitpid(r->pid, &status, WNOHANG) == 0) {
		kill(r->pid, SIGKILL);
		waitpid(r->pid, &status, 0);
	}
	close(r->fd);
	free(r->text);
	r->text = NULL;
}

/* Ascending doubles, for medians. */
static int
draw_cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of n values (sorted in place). */
static double
draw_median(double *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof *v, draw_cmp);
	return v[n / 2];
}

/*
 * Per-frame figures over the steady frames: from the second frame's start
 * to the last one's, so each interval holds one whole frame of work.
 */
static void
draw_figures(const struct draw_run *r, struct draw_figures *f)
{
	double	cpu[DRAW_MAX_FRAMES], bytes[DRAW_MAX_FRAMES];
	size_t	i, a = 1, b = r->nframes - 1, n;

	memset(f, 0, sizeof *f);
	if (r->nframes < 3)
		return;
	f->first_bytes = r->off[1];
	n = b - a;
	f->frames = n;
	f->seconds = r->at[b] - r->at[a];
	f->ui_ms = (double)(r->ui_ns[b] - r->ui_ns[a]) / 1e6 / (double)n;
	f->all_ms = (double)(r->all_ns[b] - r->all_ns[a]) / 1e6 / (double)n;
	f->bytes = (double)(r->off[b] - r->off[a]) / (double)n;
	for (i = a; i < b; i++) {
		cpu[i - a] = (double)(r->ui_ns[i + 1] - r->ui_ns[i]) / 1e6;
		bytes[i - a] = (double)(r->off[i + 1] - r->off[i]);
	}
	f->ui_p50_ms = draw_median(cpu, n);
	f->bytes_p50 = draw_median(bytes, n);
}

/* Let one demo animate to its end; print and return its figures. */
static int
draw_animate(const char *what, const char *const *args,
    struct draw_figures *f)
{
	struct draw_run	*r = malloc(sizeof *r);

	if (r == NULL || draw_start(r, args, false) != 0) {
		free(r);
		bench_say("  %s: cannot start %s", what, bench_opts.loopscope);
		return -1;
	}
	draw_until_quiet(r, DRAW_QUIET, DRAW_LIMIT);
	draw_figures(r, f);
	draw_stop(r);
	free(r);
	if (f->frames == 0) {
		bench_say("  %s: too few frames to measure", what);
		return -1;
	}
	bench_say("  %-34s %4zu frames in %.2f s (%4.1f/s): UI thread "
	    "%.3f ms CPU/frame (p50 %.3f), whole process %.3f ms; %6.0f "
	    "B/frame (p50 %.0f, first frame %zu B)", what, f->frames,
	    f->seconds, (double)f->frames / f->seconds, f->ui_ms, f->ui_p50_ms,
	    f->all_ms, f->bytes, f->bytes_p50, f->first_bytes);
	return 0;
}

/* One, to count threads with draw_threads. */
static int64_t
draw_one(pid_t pid, const char *tid)
{
	(void)pid;
	(void)tid;
	return 1;
}

/* Read what comes for secs seconds. */
static void
draw_for(struct draw_run *r, double secs)
{
	double	end = bench_now() + secs;

	while (bench_now() < end && !r->eof)
		draw_read(r, end - bench_now());
}

/*
 * Wait, up to limit seconds, until the process is still: the same threads
 * and under 0.5 ms of CPU over a quarter of a second. Paused in the
 * simulated clock, a session still computes its programs ahead (their
 * processes start, run and end), and its reading thread ends with them.
 */
static void
draw_settle(struct draw_run *r, double limit)
{
	double	end = bench_now() + limit;
	int64_t	n0, n1, c0, c1;

	n0 = draw_threads(r->pid, draw_one);
	c0 = draw_process_ns(r->pid);
	while (bench_now() < end && !r->eof) {
		draw_for(r, 0.25);
		n1 = draw_threads(r->pid, draw_one);
		c1 = draw_process_ns(r->pid);
		if (n1 == n0 && c1 - c0 < 500000)
			return;
		n0 = n1;
		c0 = c1;
	}
}

/* Start paused, let it settle, then count wake-ups over two seconds. */
static double
draw_paused(const char *what, const char *const *args)
{
	struct draw_run	*r = malloc(sizeof *r);
	long		 s0, s1;
	size_t		 b0;
	double		 t0, t1, rate;

	if (r == NULL || draw_start(r, args, false) != 0) {
		free(r);
		return -1;
	}
	draw_until_quiet(r, 0.5, 5);
	draw_settle(r, 10);
	b0 = r->bytes;
	s0 = draw_switches(r->pid);
	t0 = bench_now();
	draw_for(r, 2);
	s1 = draw_switches(r->pid);
	t1 = bench_now();
	rate = (double)(s1 - s0) / (t1 - t0);
	bench_say("  %-34s %ld context switches in %.2f s = %.1f wake-ups/s, "
	    "%zu bytes written", what, s1 - s0, t1 - t0, rate, r->bytes - b0);
	draw_stop(r);
	free(r);
	return s0 < 0 || s1 < 0 ? -1 : rate;
}

/*
 * Time to the first frame: the first bytes on the terminal, and the end
 * of the first burst that holds the header (the demo's name).
 */
static int
draw_first(const char *const *args, double *first_byte, double *first_frame)
{
	double	bytes[DRAW_FIRST_RUNS], frames[DRAW_FIRST_RUNS], end;
	struct draw_run	*r = malloc(sizeof *r);
	size_t	i, n = 0;
	bool	seen;

	if (r == NULL)
		return -1;
	for (i = 0; i < DRAW_FIRST_RUNS; i++) {
		if (draw_start(r, args, true) != 0)
			break;
		seen = false;
		end = r->t0 + 5;
		while (bench_now() < end && !r->eof) {
			if (draw_read(r, seen ? DRAW_GAP * 5 : 1) == 0 && seen)
				break;
			if (!seen && r->text_len > 0 && memmem(r->text,
			    r->text_len, "gather", 6) != NULL)
				seen = true;
		}
		if (seen) {
			bytes[n] = r->first_byte * 1e3;
			frames[n] = (r->last_read - r->t0) * 1e3;
			n++;
		}
		draw_stop(r);
	}
	free(r);
	if (n == 0)
		return -1;
	*first_byte = draw_median(bytes, n);
	*first_frame = draw_median(frames, n);
	bench_say("  first frame of `loopscope gather` (median of %zu starts): "
	    "first bytes after %.1f ms, the whole first frame after %.1f ms",
	    n, *first_byte, *first_frame);
	return 0;
}

/*
 * Every drawing figure, then its targets. Each page the fanout demo
 * fetches is three tasks (fetch, the connector's _resolve_host, the
 * request's write_bytes), with main besides: 3, 33 and 333 pages make
 * 10, 100 and 1,000 lanes.
 */
static int
draw_run(void)
{
	static const char *const gather[] = { "--speed", "10", "gather",
	    NULL };
	static const char *const lanes10[] = { "--clock", "sim", "--variant",
	    "async", "--tasks", "3", "--latency", "2", "fanout", NULL };
	static const char *const lanes100[] = { "--clock", "sim", "--variant",
	    "async", "--tasks", "33", "--latency", "2", "fanout", NULL };
	static const char *const lanes1000[] = { "--clock", "sim",
	    "--variant", "async", "--tasks", "333", "--latency", "2", "fanout",
	    NULL };
	static const char *const paused[] = { "--paused", "gather", NULL };
	static const char *const paused_sim[] = { "--paused", "--clock", "sim",
	    "--variant", "async", "--tasks", "33", "fanout", NULL };
	static const char *const first[] = { "gather", NULL };
	struct draw_figures	 f, f100;
	double			 w1, w2, fb = -1, ff = -1;
	bool			 ok100;

	bench_say("2. drawing: %s in a %dx%d pseudo-terminal (TERM=xterm-256color, "
	    "UTF-8)", bench_opts.loopscope, DRAW_COLS, DRAW_ROWS);
	if (access(bench_opts.loopscope, X_OK) != 0) {
		bench_say("  %s: not an executable; nothing to measure",
		    bench_opts.loopscope);
		return 1;
	}
	draw_animate("gather, 8 lanes, real clock x10:", gather, &f);
	draw_animate("fanout async, 10 lanes, sim:", lanes10, &f);
	ok100 = draw_animate("fanout async, 100 lanes, sim:", lanes100,
	    &f100) == 0;
	draw_animate("fanout async, 1000 lanes, sim:", lanes1000, &f);
	w1 = draw_paused("paused, gather, real clock:", paused);
	w2 = draw_paused("paused, fanout 100 lanes, sim:", paused_sim);
	draw_first(first, &fb, &ff);

	bench_target("frame-cpu-100", ok100 && f100.all_ms < 1.0,
	    "%.3f ms/frame", ok100 ? f100.all_ms : 0);
	bench_target("frame-bytes-100", ok100 && f100.bytes < 4096,
	    "%.0f B/frame", ok100 ? f100.bytes : 0);
	if (w1 < 0 || w2 < 0)
		bench_target("paused-wakeups", false, "n/a");
	else
		bench_target("paused-wakeups", w1 == 0 && w2 == 0, "%.1f/s",
		    w1 > w2 ? w1 : w2);
	bench_target("first-frame", ff >= 0 && ff < 50, "%.1f ms", ff);
	return 0;
}

const struct bench bench_draw = { "draw", "drawing", draw_run };
