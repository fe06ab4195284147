/*
 * Live edit: --watch and w. Each file of the demo is watched with
 * libev's ev_stat; a save starts a short timer (an editor writes in
 * several steps), then the files are checked (loopscope --python -m
 * loopscope.check: they compile, a notebook is whole) and the run made
 * again, keeping the view: the demo, its cells, the lane selected, and
 * the playhead at the same fraction of the run once the new run is
 * computed. A save that does not compile is said in the key bar, and the
 * last good run stays on screen.
 */
#include "config.h"

#include <sys/wait.h>

#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "paths.h"
#include "seek.h"
#include "ui-watch.h"

#define UI_WATCH_FILES	8
#define UI_WATCH_SETTLE	0.15	/* s after the last change: run */
#define UI_WATCH_POLL	0.1	/* s between stats when not notified */
#define UI_WATCH_CHECK	5000	/* ms the check may take */

extern char	**environ;

static struct {
	struct ev_loop	*loop;
	struct ui	*ui;
	bool		 on;
	ev_stat		 stat[UI_WATCH_FILES];
	char		 path[UI_WATCH_FILES][PATH_MAX + 80];
	int		 nfiles;
	ev_timer	 settle;
	/* The view to restore once the new run is computed. */
	bool		 restoring;
	double		 fraction;	/* of the run, where the playhead was */
	int		 selected;
	int		 scroll;
} ui_watch;

static void	ui_watch_arm(void);
static void	ui_watch_disarm(void);

/* A file changed: wait for the editor to be done with it. */
static void
ui_watch_stat_cb(struct ev_loop *loop, ev_stat *w, int revents)
{
	(void)w;
	(void)revents;
	ev_timer_stop(loop, &ui_watch.settle);
	ev_timer_set(&ui_watch.settle, UI_WATCH_SETTLE, 0);
	ev_timer_start(loop, &ui_watch.settle);
}

/*
 * Whether the files compile: loopscope --python -I -B -m loopscope.check,
 * which says in one line (into msg) what does not. 0 when they do.
 */
static int
ui_watch_check(char *msg, size_t len)
{
	posix_spawn_file_actions_t	 fa;
	char				*argv[UI_WATCH_FILES + 8];
	struct pollfd			 pfd;
	pid_t				 pid;
	size_t				 n = 0;
	ssize_t				 r;
	int64_t				 deadline;
	int				 p[2], i, k = 0, status = 0, left;

	msg[0] = '\0';
	if (pipe2(p, O_CLOEXEC) != 0)
		return 0;
	argv[k++] = (char *)paths_loopscope();
	argv[k++] = "--python";
	argv[k++] = "-I";
	argv[k++] = "-B";	/* no __pycache__ where loopscope is */
	argv[k++] = "-m";
	argv[k++] = "loopscope.check";
	for (i = 0; i < ui_watch.nfiles; i++)
		argv[k++] = ui_watch.path[i];
	argv[k] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	i = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (i != 0) {
		close(p[0]);
		return 0;	/* No check: the run says what is wrong. */
	}
	pfd.fd = p[0];
	pfd.events = POLLIN;
	/* A signal (SIGCHLD: the check itself ending) may cut a wait short. */
	deadline = vtime_real_ns() + (int64_t)UI_WATCH_CHECK * 1000000;
	while (n + 1 < len && (left = (int)((deadline - vtime_real_ns()) /
	    1000000)) > 0) {
		if ((i = poll(&pfd, 1, left)) < 0 && errno == EINTR)
			continue;
		if (i <= 0)
			break;
		if ((r = read(p[0], msg + n, len - n - 1)) < 0 &&
		    errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(p[0]);
	msg[n] = '\0';
	msg[strcspn(msg, "\n")] = '\0';
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* The files settled: run again if they compile, keeping the view. */
static void
ui_watch_settle_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ui	*ui = ui_watch.ui;
	vtime_t		 end;
	char		 msg[200], say[sizeof ui->message];

	(void)loop;
	(void)w;
	(void)revents;
	if (ui->replay.rec != NULL || ui->session == NULL)
		return;
	if (ui_watch_check(msg, sizeof msg) != 0) {
		snprintf(say, sizeof say, _("%.96s (the last good run stays)"),
		    msg[0] != '\0' ? msg : _("the saved file does not compile"));
		ui_say(ui, say);
		ui->flags |= UI_REDRAW;
		return;
	}
	end = playhead_end_time(&ui->ph);
	ui_watch.fraction = playhead_at_end(&ui->ph) || end <= 0 ? 1.0 :
	    (double)ui->ph.t / (double)end;
	ui_watch.selected = ui->view.selected;
	ui_watch.scroll = ui->view.scroll;
	ui_watch.restoring = true;
	ui_say(ui, _("saved: running it again"));
	ui->flags |= UI_RESTART | UI_REDRAW;
}

/* Watch the files of the demo shown. */
static void
ui_watch_arm(void)
{
	const struct demo	*d = ui_watch.ui->opts.demo;
	size_t			 i;
	int			 k;

	ui_watch_disarm();
	for (i = 0; i < d->nvariants && ui_watch.nfiles < UI_WATCH_FILES;
	    i++) {
		k = ui_watch.nfiles;
		if (d->variants[i].file == NULL ||
		    options_cells_file(d, &d->variants[i], ui_watch.path[k],
		    sizeof ui_watch.path[k]) != 0)
			continue;
		/* A notebook's cells side by side are one file. */
		if (k > 0 && strcmp(ui_watch.path[k - 1],
		    ui_watch.path[k]) == 0)
			continue;
		ev_stat_init(&ui_watch.stat[k], ui_watch_stat_cb,
		    ui_watch.path[k], UI_WATCH_POLL);
		ev_stat_start(ui_watch.loop, &ui_watch.stat[k]);
		ui_watch.nfiles++;
	}
}

static void
ui_watch_disarm(void)
{
	int	i;

	for (i = 0; i < ui_watch.nfiles; i++)
		ev_stat_stop(ui_watch.loop, &ui_watch.stat[i]);
	ui_watch.nfiles = 0;
	ev_timer_stop(ui_watch.loop, &ui_watch.settle);
}

/* Start with the UI's loop; watching from the start with --watch. */
void
ui_watch_init(struct ev_loop *loop, struct ui *ui)
{
	memset(&ui_watch, 0, sizeof ui_watch);
	ui_watch.loop = loop;
	ui_watch.ui = ui;
	ev_timer_init(&ui_watch.settle, ui_watch_settle_cb, UI_WATCH_SETTLE,
	    0);
	if (ui->opts.watch && ui->replay.rec == NULL) {
		ui_watch.on = true;
		ui_watch_arm();
	}
}

void
ui_watch_fini(void)
{
	if (ui_watch.loop != NULL)
		ui_watch_disarm();
	ui_watch.loop = NULL;
}

/* w: watch the demo's files, or stop. */
int
ui_watch_toggle(struct ui *ui)
{
	char	say[sizeof ui->message];

	if (ui->replay.rec != NULL) {
		ui_say(ui, _("a replay runs nothing: nothing to watch"));
		return UI_REDRAW;
	}
	ui_watch.on = !ui_watch.on;
	if (ui_watch.on) {
		ui_watch_arm();
		if (ui_watch.nfiles == 0) {
			ui_watch.on = false;
			ui_say(ui, _("this demo has no file to watch"));
			return UI_REDRAW;
		}
		snprintf(say, sizeof say, _("watching %.80s%s (w: stop)"),
		    ui_watch.path[0], ui_watch.nfiles > 1 ? _(" and more") : "");
		ui_say(ui, say);
	} else {
		ui_watch_disarm();
		ui_say(ui, _("not watching (w: watch the files)"));
	}
	return UI_REDRAW;
}

/* A new run began: watch its files, and give the view back. */
void
ui_watch_restarted(struct ui *ui)
{
	if (ui_watch.on)
		ui_watch_arm();
	if (!ui_watch.restoring)
		return;
	ui->view.selected = ui_watch.selected;
	ui->view.scroll = ui_watch.scroll;
}

/*
 * Once per loop turn: when a run made again on a save is computed, the
 * playhead goes where it was, as a fraction of the run.
 */
void
ui_watch_poll(struct ui *ui)
{
	if (!ui_watch.restoring || ui->live == NULL ||
	    !timeline_finished(ui->live))
		return;
	ui_watch.restoring = false;
	if (ui_watch.fraction >= 1.0)
		seek_to(ui, playhead_end_time(&ui->ph));
	else
		seek_to(ui, (vtime_t)(ui_watch.fraction *
		    (double)playhead_end_time(&ui->ph)));
	ui->flags |= UI_REDRAW;
}
