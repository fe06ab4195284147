/*
 * The terminal UI's signals that libev cannot carry as loop events:
 * Ctrl-Z, which must give the terminal back at once, SIGCONT, and the
 * crashes. SIGWINCH, SIGINT and SIGTERM stay ordinary loop events (ui.c).
 *
 * Ctrl-Z when loopscope's parent is a shell script: the script stops at
 * once, the shell sees its job stopped and takes the terminal back; a
 * suspend run later from the loop then wrote to a terminal it no longer
 * had, stopped on SIGTTOU, and stopped itself again after fg. Now the
 * SIGTSTP handler gives the terminal back itself, with SIGTTOU blocked;
 * the loop, in the same turn and before it draws anything, pauses the run
 * and stops the process with SIGTSTP's own default action (the shell says
 * "Stopped"), and on SIGCONT repaints everything.
 *
 * Both signals are blocked in every thread but the main one (threads are
 * made with them blocked, ui_signal_hold), so that a handler never runs on
 * a variant's thread, and SIGCONT's runs as our stop ends. In the main one
 * SIGTSTP waits only while curses writes a frame (screen_hold): the
 * terminal goes back at once, never in the middle of one, and nothing is
 * drawn or read from it until the loop has stopped and come back.
 */
#include "config.h"

#include <errno.h>
#include <ev.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "screen.h"
#include "ui.h"

static volatile sig_atomic_t	 ui_signal_tstp;	/* Ctrl-Z came */
static volatile sig_atomic_t	 ui_signal_cont;	/* SIGCONT came */
static struct ev_loop		*ui_signal_loop;
static ev_async			 ui_signal_wake;

/*
 * SIGTSTP: the terminal goes back to the shell now, and the loop stops us.
 * SIGCONT: continued, after our stop or anybody's; the loop repaints.
 */
static void
ui_signal_handler(int sig)
{
	int	errnum = errno;

	if (sig == SIGTSTP) {
		screen_leave_signal();
		ui_signal_tstp = 1;
	} else
		ui_signal_cont = 1;
	if (ui_signal_loop != NULL)
		ev_async_send(ui_signal_loop, &ui_signal_wake);
	errno = errnum;
}

/* SIGTSTP and SIGCONT, blocked or let in, in this thread. */
static void
ui_signal_mask(int how)
{
	sigset_t	set;

	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	sigaddset(&set, SIGCONT);
	pthread_sigmask(how, &set, NULL);
}

static void
ui_signal_nothing_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
}

/* Best effort on a crash: give the terminal back, then die as we would. */
static void
ui_signal_crash(int sig)
{
	screen_fini();
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * Threads are made with SIGTSTP and SIGCONT blocked (held), and so keep
 * them blocked; the main thread lets them in again after (not held).
 */
void
ui_signal_hold(bool held)
{
	ui_signal_mask(held ? SIG_BLOCK : SIG_UNBLOCK);
}

/* Before any thread is made: the handlers in place, the signals held. */
void
ui_signal_init(void)
{
	struct sigaction	sa;

	ui_signal_mask(SIG_BLOCK);
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	/* Blocked in the handler: the terminal is given back regardless. */
	sigaddset(&sa.sa_mask, SIGTTOU);
	sigaddset(&sa.sa_mask, SIGTTIN);
	sa.sa_handler = ui_signal_handler;
	sigaction(SIGTSTP, &sa, NULL);
	sigaction(SIGCONT, &sa, NULL);
	signal(SIGSEGV, ui_signal_crash);
	signal(SIGABRT, ui_signal_crash);
	signal(SIGBUS, ui_signal_crash);
	signal(SIGFPE, ui_signal_crash);
}

/* The loop their handlers wake; from now on they come in. */
void
ui_signal_start(struct ev_loop *loop)
{
	ui_signal_loop = loop;
	ev_async_init(&ui_signal_wake, ui_signal_nothing_cb);
	ev_async_start(loop, &ui_signal_wake);
	ui_signal_mask(SIG_UNBLOCK);
}

/* The loop is done: the signals' own actions again, and let in. */
void
ui_signal_fini(void)
{
	if (ui_signal_loop != NULL)
		ev_async_stop(ui_signal_loop, &ui_signal_wake);
	ui_signal_loop = NULL;
	signal(SIGTSTP, SIG_DFL);
	signal(SIGCONT, SIG_DFL);
	ui_signal_mask(SIG_UNBLOCK);
}

/*
 * Stop the process until fg, by SIGTSTP's default action, as the shell
 * expects of a job. In a process group nobody can continue (no shell with
 * job control above it) the kernel drops that signal: stop anyway, as
 * Ctrl-Z asked, with SIGSTOP.
 */
static void
ui_signal_stop(void)
{
	struct sigaction	dfl, old;

	memset(&dfl, 0, sizeof dfl);
	sigemptyset(&dfl.sa_mask);
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGTSTP, &dfl, &old);
	ui_signal_cont = 0;
	raise(SIGTSTP);		/* stopped here; SIGCONT's handler runs first */
	sigaction(SIGTSTP, &old, NULL);
	if (!ui_signal_cont)
		kill(getpid(), SIGSTOP);
	ui_signal_cont = 0;
}

/*
 * Once per loop turn, before drawing: a Ctrl-Z to carry out, or a SIGCONT
 * to repaint for. A run that was going on pauses for as long as the
 * process is stopped, recorded as a pause and a resume at one instant:
 * neither the clock nor the playback jumps on by the time away. Following
 * the lecturer, the recording's own clock waits as well. Returns the
 * UI_ flags the loop must act on.
 */
int
ui_signal_check(struct ui *ui)
{
	bool	following, hold;
	int64_t	away;

	if (ui_signal_tstp) {
		ui_signal_tstp = 0;
		following = ui->replay.rec != NULL && ui->replay.as_recorded;
		hold = !following && !ui->view.paused && !playhead_at_end(&ui->ph);
		away = vtime_real_ns();
		if (hold) {
			ui_pause(ui, true);
			ui_record_act(ui, RECORD_VIEW_PAUSE);
		}
		screen_leave_signal();	/* given back already, unless raced */
		/* The programs stop with us, as a job's processes do. */
		if (ui->session != NULL)
			session_hold(ui->session, true);
		ui_signal_stop();
		ui_signal_tstp = 0;	/* a second C-z before the stop: the same */
		if (ui->session != NULL)
			session_hold(ui->session, false);
		screen_resume();
		away = vtime_real_ns() - away;
		if (following)
			ui->replay.t0 += away;
		if (hold) {
			ui_pause(ui, false);
			ui_record_act(ui, RECORD_VIEW_RESUME);
		}
		return UI_RESIZE | UI_REDRAW;
	}
	if (ui_signal_cont) {
		ui_signal_cont = 0;
		screen_resume();
		return UI_RESIZE | UI_REDRAW;
	}
	return 0;
}

/*
 * SIGINT or SIGTERM ended the run (the interface or a headless one), which
 * has given the terminal back and closed its files: now die of it, as a
 * shell expects of what it interrupted (a loop in a script stops at C-c).
 */
void
ui_die_of(int sig)
{
	sigset_t	set;

	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
}
