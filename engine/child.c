/*
 * A variant's child process, from the session's side: started as
 * `loopscope --child` (engine/pyhost.c) in a process group of its own,
 * with a pipe for its trace (engine/wire.h) and two for what it writes to
 * its descriptors 1 and 2 itself. A thread reads all three and hands the
 * events to the variant's ring, in the child's order; when the child is
 * gone it says how it ended. A child that crashes, hangs or is killed
 * ends its own variant only.
 */
#include "config.h"

#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "i18n.h"
#include "procfs.h"
#include "wire.h"

#define CHILD_BUF	(256 * 1024)
#define CHILD_LINE	4096
#define CHILD_FD_HIGH	100	/* where fds wait before going to 0-3 */
#define CHILD_LOOK_MS	200	/* how often its memory is looked at */

struct child_out {
	int		 fd;
	bool		 is_stderr;
	char		 line[CHILD_LINE];
	size_t		 n;
};

struct child {
	pid_t			 pid;
	int			 trace_fd;
	struct child_out	 out[2];
	struct trace_ring	*ring;
	const atomic_bool	*stop;
	pthread_t		 thread;
	bool			 started;
	atomic_bool		 killed;
	bool			 ended;		/* its variant_end came */
	unsigned long long	 max_memory;	/* resident bytes; 0: any */
	unsigned long long	 over;		/* what it held when stopped */
	int			 over_procs;	/* in how many processes */
	int			 procs;		/* processes, when too many */
	int64_t			 looked;	/* when, real ns */
	struct wire_ctx		 ctx;
	uint8_t			*buf;
	size_t			 nbuf;
	uint16_t		 variant;
	int			 status;	/* waitpid's */
};

/* Push one event; a stopped session drops it. */
static void
child_push(struct child *c, struct trace_event *ev)
{
	if (ev->type == TRACE_VARIANT_END)
		c->ended = true;
	if (trace_ring_push(c->ring, ev, c->stop) != 0)
		trace_event_clear(ev);
}

/* Text the child wrote to its fd 1 or 2 itself: a print of no task. */
static void
child_print(struct child *c, const char *text, size_t len, bool is_stderr)
{
	struct trace_event	ev = { 0 };

	if ((ev.text = malloc(len + 1)) == NULL)
		return;
	memcpy(ev.text, text, len);
	ev.text[len] = '\0';
	ev.type = TRACE_PRINT;
	ev.variant = c->variant;
	ev.vtime = c->ctx.vtime;
	ev.rtime = c->ctx.rtime;
	ev.seq = c->ctx.seq++;
	ev.flags = TRACE_F_OWNED | (is_stderr ? TRACE_F_STDERR : 0);
	child_push(c, &ev);
}

/* Read what a raw descriptor has; false at its end. */
static bool
child_read_out(struct child *c, struct child_out *o)
{
	char	buf[8192], *nl, *s;
	ssize_t	n;
	size_t	k, left;

	if ((n = read(o->fd, buf, sizeof buf)) < 0 && errno == EINTR)
		return true;
	if (n <= 0) {
		if (o->n > 0)
			child_print(c, o->line, o->n, o->is_stderr);
		o->n = 0;
		return false;
	}
	for (s = buf, left = (size_t)n; left > 0;) {
		nl = memchr(s, '\n', left);
		k = nl != NULL ? (size_t)(nl - s) : left;
		if (k > CHILD_LINE - o->n)
			k = CHILD_LINE - o->n;
		memcpy(o->line + o->n, s, k);
		o->n += k;
		s += k;
		left -= k;
		if (left > 0 && *s == '\n') {
			s++;
			left--;
			child_print(c, o->line, o->n, o->is_stderr);
			o->n = 0;
		} else if (o->n == CHILD_LINE) {
			child_print(c, o->line, o->n, o->is_stderr);
			o->n = 0;
		}
	}
	return true;
}

/* Read trace records; false at the pipe's end or on garbage. */
static bool
child_read_trace(struct child *c)
{
	struct trace_event	ev;
	size_t			used, off = 0;
	ssize_t			n;
	int			rc;

	n = read(c->trace_fd, c->buf + c->nbuf, CHILD_BUF - c->nbuf);
	if (n < 0 && errno == EINTR)
		return true;
	if (n <= 0)
		return false;
	c->nbuf += (size_t)n;
	for (;;) {
		used = 0;
		rc = wire_decode(&c->ctx, c->buf + off, c->nbuf - off, &ev,
		    &used);
		off += used;
		if (rc <= 0)
			break;
		child_push(c, &ev);
	}
	/* The reader is woken once a read's worth of events is in. */
	trace_ring_flush(c->ring);
	memmove(c->buf, c->buf + off, c->nbuf - off);
	c->nbuf -= off;
	if (rc < 0 || c->nbuf == CHILD_BUF) {
		kill(-c->pid, SIGKILL);
		child_print(c, "loopscope: the trace from this variant's "
		    "process is corrupt; it was stopped", 63, true);
		return false;
	}
	return true;
}

/*
 * How a child ended, for a variant that did not say: English in the
 * trace, as all of the trace is; child_reword says it again in the
 * interface's language where it is shown. Each is written once, for
 * child_describe to fill in and child_reword to recognise.
 *
 * TRANSLATORS: these are reworded (i18n_reword): keep each conversion
 * of the English, in its order, and no %1$-style positions.
 */
#define CHILD_END_MEMORY	N_("its process held %llu MiB of memory, " \
	    "more than --max-memory's %llu MiB: it was stopped")
#define CHILD_END_MEMORY_ALL	N_("its program's %d processes held %llu " \
	    "MiB of memory, more than --max-memory's %llu MiB: they were " \
	    "stopped")
#define CHILD_END_PROCS		N_("its program ran %d processes at " \
	    "once, more than the %d it may: they were stopped")
#define CHILD_END_STOPPED	N_("stopped by loopscope")
#define CHILD_END_SIGNAL	N_("its process was killed by signal %d " \
	    "(%s)")
#define CHILD_END_STATUS	N_("its process exited with status %d " \
	    "before the program's end")
#define CHILD_END_ENDED		N_("its process ended")

static const char *const child_ends[] = {
	CHILD_END_MEMORY, CHILD_END_MEMORY_ALL, CHILD_END_PROCS,
	CHILD_END_STOPPED,
	CHILD_END_SIGNAL, CHILD_END_STATUS, CHILD_END_ENDED
};

/* A signal's name in English whatever the locale (strsignal's is not). */
static const char *
child_signame(int sig)
{
#ifdef HAVE_SIGDESCR_NP
	const char	*d = sigdescr_np(sig);

	return d != NULL ? d : "unknown signal";
#else
	/* strsignal's words follow the locale: glibc's for the usual ones. */
	switch (sig) {
	case SIGKILL:	return "Killed";
	case SIGSEGV:	return "Segmentation fault";
	case SIGABRT:	return "Aborted";
	case SIGBUS:	return "Bus error";
	case SIGFPE:	return "Floating point exception";
	case SIGILL:	return "Illegal instruction";
	case SIGTERM:	return "Terminated";
	default:	return "unknown signal";
	}
#endif
}

/* How the child ended, in words, for a variant that did not say. */
static void
child_describe(const struct child *c, char *buf, size_t len)
{
	if (c->over > 0 && c->over_procs > 1)
		snprintf(buf, len, CHILD_END_MEMORY_ALL, c->over_procs,
		    c->over >> 20, c->max_memory >> 20);
	else if (c->over > 0)
		snprintf(buf, len, CHILD_END_MEMORY, c->over >> 20,
		    c->max_memory >> 20);
	else if (c->procs > 0)
		snprintf(buf, len, CHILD_END_PROCS, c->procs, CHILD_MAX_PROCS);
	else if (WIFSIGNALED(c->status) && atomic_load(&c->killed))
		snprintf(buf, len, CHILD_END_STOPPED);
	else if (WIFSIGNALED(c->status))
		snprintf(buf, len, CHILD_END_SIGNAL, WTERMSIG(c->status),
		    child_signame(WTERMSIG(c->status)));
	else if (WIFEXITED(c->status))
		snprintf(buf, len, CHILD_END_STATUS, WEXITSTATUS(c->status));
	else
		snprintf(buf, len, CHILD_END_ENDED);
}

/*
 * A variant's failure as the trace has it (why), in the interface's
 * language when child_describe wrote it: OUT (len bytes) or why itself
 * (the program's own exception, never translated).
 */
const char *
child_reword(const char *why, char *out, size_t len)
{
	return i18n_reword(why, child_ends, sizeof child_ends /
	    sizeof child_ends[0], out, len);
}

/* The child is gone and did not end its variant: end it, failed. */
static void
child_end(struct child *c)
{
	struct trace_event	ev = { 0 };
	char			why[160];

	child_describe(c, why, sizeof why);
	if (!atomic_load(&c->killed))
		child_print(c, why, strlen(why), true);
	ev.type = TRACE_VARIANT_END;
	ev.variant = c->variant;
	ev.vtime = c->ctx.vtime;
	ev.rtime = c->ctx.rtime;
	ev.seq = c->ctx.seq++;
	/* Its own status, as a shell says it (os._exit(0) is 0). */
	trace_set_end(&ev, c->ctx.vtime, WIFEXITED(c->status) ?
	    WEXITSTATUS(c->status) :
	    128 + (WIFSIGNALED(c->status) ? WTERMSIG(c->status) : 0));
	ev.flags = atomic_load(&c->killed) ? TRACE_F_STOPPED : 0;
	if ((ev.text = strdup(why)) != NULL)
		ev.flags |= TRACE_F_OWNED;
	child_push(c, &ev);
}

/*
 * Stop the child once its program holds more memory than it may (one
 * that allocates without bound fails its own variant, not the machine):
 * the resident memory of its process group, from /proc, every
 * CHILD_LOOK_MS; and once its program runs more than CHILD_MAX_PROCS
 * processes (a fork bomb).
 */
static void
child_look(struct child *c)
{
	unsigned long long	 held;
	int			 procs;

	if (c->over > 0 || c->procs > 0 ||
	    vtime_real_ns() - c->looked < (int64_t)CHILD_LOOK_MS * 1000000)
		return;
	c->looked = vtime_real_ns();
	if ((procs = procfs_group(c->pid, &held, false)) > CHILD_MAX_PROCS)
		c->procs = procs;
	else if (c->max_memory > 0 && held > c->max_memory &&
	    (procs = procfs_group(c->pid, &held, true)) > 0 &&
	    held > c->max_memory) {
		c->over = held;
		c->over_procs = procs;
	}
	if (c->over > 0 || c->procs > 0) {
		kill(-c->pid, SIGKILL);
		kill(c->pid, SIGKILL);
	}
}

static void *
child_main(void *arg)
{
	struct child	*c = arg;
	struct pollfd	 pfd[3];
	int		 i, n, rc;

	for (;;) {
		n = 0;
		if (c->trace_fd >= 0) {
			pfd[n].fd = c->trace_fd;
			pfd[n++].events = POLLIN;
		}
		for (i = 0; i < 2; i++)
			if (c->out[i].fd >= 0) {
				pfd[n].fd = c->out[i].fd;
				pfd[n++].events = POLLIN;
			}
		if (n == 0)
			break;
		rc = poll(pfd, (nfds_t)n, CHILD_LOOK_MS);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		/* A busy child is looked at between reads too. */
		child_look(c);
		if (rc == 0)
			continue;
		for (i = 0; i < n; i++) {
			if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (pfd[i].fd == c->trace_fd) {
				if (!child_read_trace(c)) {
					close(c->trace_fd);
					c->trace_fd = -1;
				}
			} else {
				struct child_out *o = pfd[i].fd ==
				    c->out[0].fd ? &c->out[0] : &c->out[1];

				if (!child_read_out(c, o)) {
					close(o->fd);
					o->fd = -1;
				}
			}
		}
	}
	while (waitpid(c->pid, &c->status, 0) < 0 && errno == EINTR)
		;
	if (!c->ended)
		child_end(c);
	trace_ring_flush(c->ring);
	return NULL;
}

/* A descriptor moved above the ones the child sets up (-1: failed). */
static int
child_high(int fd)
{
	int	high = fcntl(fd, F_DUPFD_CLOEXEC, CHILD_FD_HIGH);

	close(fd);
	return high;
}

/* In the child, before exec: only async-signal-safe calls here. */
static void
child_exec(char *const argv[], char *const envp[], int in, int out, int err,
    int trace, pid_t parent)
{
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0 ||
	    dup2(trace, 3) < 0)
		_exit(127);
	close_range(4, ~0U, 0);
	signal(SIGPIPE, SIG_DFL);
	execve(argv[0], argv, envp);
	_exit(127);
}

/*
 * The child's environment: ours, with spec's NAME=VALUE in place of the
 * same names (an array of pointers into both, or NULL).
 */
static char **
child_envp(const struct child_spec *spec)
{
	char	**envp;
	size_t	  n = 0, k = 0, i, j, len;
	bool	  over;

	while (environ[n] != NULL)
		n++;
	if ((envp = calloc(n + spec->nenv + 1, sizeof *envp)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		over = false;
		for (j = 0; j < spec->nenv && !over; j++) {
			len = strcspn(spec->env[j], "=");
			over = strncmp(environ[i], spec->env[j], len) == 0 &&
			    environ[i][len] == '=';
		}
		if (!over)
			envp[k++] = environ[i];
	}
	for (j = 0; j < spec->nenv; j++)
		envp[k++] = (char *)spec->env[j];
	return envp;
}

/*
 * Start the child of a variant; its events go to ring as variant number
 * variant. NULL with the reason in err when it cannot start.
 */
struct child *
child_spawn(const struct child_spec *spec, uint16_t variant,
    struct trace_ring *ring, const atomic_bool *stop, char *err, size_t len)
{
	struct child	*c;
	char		 fdarg[16], t0arg[32], kindarg[16], nxarg[16], cellarg[16];
	char		**argv, **envp;
	int		 tp[2], op[2], ep[2], in;
	size_t		 i, n;
	pid_t		 parent = getpid();

	if ((c = calloc(1, sizeof *c)) == NULL ||
	    (c->buf = malloc(CHILD_BUF)) == NULL) {
		if (c != NULL)
			free(c);
		snprintf(err, len, _("out of memory"));
		return NULL;
	}
	c->ring = ring;
	c->stop = stop;
	c->variant = variant;
	c->ctx.variant = variant;
	atomic_init(&c->killed, false);
	n = 10 + spec->nxoptions + spec->nargs;
	argv = calloc(n + 1, sizeof *argv);
	if (argv == NULL || (envp = child_envp(spec)) == NULL) {
		free(argv);
		free(c->buf);
		free(c);
		snprintf(err, len, _("out of memory"));
		return NULL;
	}
	snprintf(fdarg, sizeof fdarg, "3");
	snprintf(t0arg, sizeof t0arg, "%lld", (long long)spec->t0);
	snprintf(kindarg, sizeof kindarg, "%d", spec->kind);
	argv[0] = (char *)spec->exe;
	argv[1] = "--child";
	argv[2] = fdarg;
	argv[3] = t0arg;
	argv[4] = spec->sim ? "sim" : "real";
	argv[5] = (char *)spec->name;
	argv[6] = kindarg;
	snprintf(cellarg, sizeof cellarg, "%d", spec->cell);
	argv[7] = spec->cell > 0 ? cellarg : "all";
	snprintf(nxarg, sizeof nxarg, "%zu", spec->nxoptions);
	argv[8] = nxarg;
	for (i = 0; i < spec->nxoptions; i++)
		argv[9 + i] = (char *)spec->xoptions[i];
	argv[9 + spec->nxoptions] = (char *)spec->file;
	for (i = 0; i < spec->nargs; i++)
		argv[10 + spec->nxoptions + i] = spec->args[i];
	tp[0] = tp[1] = op[0] = op[1] = ep[0] = ep[1] = in = -1;
	if (pipe2(tp, O_CLOEXEC) != 0 || pipe2(op, O_CLOEXEC) != 0 ||
	    pipe2(ep, O_CLOEXEC) != 0 ||
	    (in = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0 ||
	    (tp[1] = child_high(tp[1])) < 0 || (op[1] = child_high(op[1])) < 0 ||
	    (ep[1] = child_high(ep[1])) < 0 || (in = child_high(in)) < 0)
		goto fail;
	if ((c->pid = fork()) < 0)
		goto fail;
	if (c->pid == 0)
		child_exec(argv, envp, in, op[1], ep[1], tp[1], parent);
	/* Both ends agree on the group, whoever runs first. */
	setpgid(c->pid, c->pid);
	close(tp[1]);
	close(op[1]);
	close(ep[1]);
	close(in);
	free(argv);
	free(envp);
	c->max_memory = spec->max_memory;
	c->trace_fd = tp[0];
	c->out[0].fd = op[0];
	c->out[1].fd = ep[0];
	c->out[1].is_stderr = true;
	if (pthread_create(&c->thread, NULL, child_main, c) != 0) {
		kill(-c->pid, SIGKILL);
		waitpid(c->pid, NULL, 0);
		close(tp[0]);
		close(op[0]);
		close(ep[0]);
		free(c->buf);
		free(c);
		snprintf(err, len, _("cannot start a thread: %s"),
		    strerror(errno));
		return NULL;
	}
	c->started = true;
	return c;
fail:
	snprintf(err, len, _("cannot start its process: %s"),
	    strerror(errno));
	for (i = 0; i < 2; i++) {
		if (tp[i] >= 0)
			close(tp[i]);
		if (op[i] >= 0)
			close(op[i]);
		if (ep[i] >= 0)
			close(ep[i]);
	}
	if (in >= 0)
		close(in);
	free(argv);
	free(envp);
	free(c->buf);
	free(c);
	return NULL;
}

/* Send sig to the child and everything it started (while it runs). */
void
child_signal(struct child *c, int sig)
{
	if (c != NULL && c->started && !c->ended)
		kill(-c->pid, sig);
}

/* Kill the child and everything it started, now. */
void
child_kill(struct child *c)
{
	if (c == NULL || !c->started)
		return;
	atomic_store(&c->killed, true);
	kill(-c->pid, SIGKILL);
	kill(c->pid, SIGKILL);
}

/* Kill the child if it still runs, and wait for its reader. */
void
child_free(struct child *c)
{
	if (c == NULL)
		return;
	if (c->started) {
		if (!c->ended)
			child_kill(c);
		trace_ring_wake_writer(c->ring);
		pthread_join(c->thread, NULL);
	}
	for (int i = 0; i < 2; i++)
		if (c->out[i].fd >= 0)
			close(c->out[i].fd);
	if (c->trace_fd >= 0)
		close(c->trace_fd);
	free(c->buf);
	free(c);
}

pid_t
child_pid(const struct child *c)
{
	return c->pid;
}
