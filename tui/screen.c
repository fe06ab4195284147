/* The one thin wrapper around curses: set-up, colours, clipped text. */
#include "config.h"

#include <sys/ioctl.h>
#include <sys/mman.h>

#include <curses.h>
#include <term.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include "glyphs.h"
#include "i18n.h"
#include "screen.h"
#include "screen-int.h"
#include "termkeys.h"
#include "visible.h"

#define SCREEN_LINE_MAX	8192	/* a row's bytes: 1000 columns of 4 and more */

bool		 screen_on;
static bool	 screen_has_color;
static WINDOW	*screen_input;		/* keys come from here; never drawn */
static int	 screen_attrs[SCREEN_NROLES];

/*
 * Curses writes straight to its output's descriptor, never through the
 * FILE: to keep a copy of what the terminal receives (--cast) or to draw
 * with no terminal at all (--export cast), it writes into a memory file
 * that screen_drain empties after each frame, to the terminal (a tee)
 * and to the sink. A tee sets the terminal's modes itself: curses would
 * set them on the memory file.
 */
static SCREEN		*screen_term;
static char		 screen_why_buf[160];
static FILE		*screen_out;
static FILE		*screen_in;		/* off-screen: /dev/null */
static int		 screen_out_fd = -1;
static screen_sink_fn	*screen_sink;
static void		*screen_sink_arg;
static bool		 screen_tee;
bool			 screen_offscreen;
bool			 screen_tty_saved;
static struct termios	 screen_tty;		/* the terminal as it was */

/* Ctrl-Z (tui/screen-signal.c): the shell's modes, ours given back. */
struct termios			 screen_shell_tty;
bool				 screen_shell_saved;
volatile sig_atomic_t		 screen_left;
bool				 screen_mouse;

static void	screen_setup(bool);
static void	screen_hold(sigset_t *);
static void	screen_drain(void);

/* Colours for states and roles; -1 is the terminal's own background. */
static const struct {
	int	fg;
	int	bg;
	int	extra;
	int	mono;		/* without colour */
} screen_styles[SCREEN_NROLES] = {
	[TASK_CREATED] = { -1, -1, 0, 0 },
	[TASK_READY] = { COLOR_YELLOW, -1, 0, 0 },
	[TASK_RUNNING] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[TASK_WAITING_TIMER] = { COLOR_CYAN, -1, 0, 0 },
	[TASK_WAITING_IO] = { COLOR_MAGENTA, -1, 0, 0 },
	[TASK_WAITING_TASK] = { COLOR_BLUE, -1, A_BOLD, A_DIM },
	[TASK_BLOCKED] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[TASK_DONE] = { -1, -1, 0, 0 },
	[TASK_FAILED] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[TASK_CANCELLED] = { COLOR_WHITE, -1, A_DIM, A_DIM },
	[TASK_WAITING_GIL] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[SCREEN_BAR] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[SCREEN_KEY] = { COLOR_WHITE, COLOR_BLACK, A_BOLD, A_BOLD },
	[SCREEN_TITLE] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[SCREEN_DIM] = { -1, -1, A_DIM, A_DIM },
	[SCREEN_GOOD] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[SCREEN_WARN] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[SCREEN_SELECT] = { -1, -1, A_REVERSE, A_REVERSE },
	[SCREEN_PLAYHEAD] = { COLOR_BLACK, COLOR_YELLOW, 0, A_REVERSE },
	/*
	 * Both colours named: reverse video of a colour on the default
	 * background came out black on black where bold is not bright.
	 */
	[SCREEN_PANEL] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
};

/*
 * Start curses. Colour unless NO_COLOR is set and non-empty, or the
 * terminal has none; every state stays distinct by its glyph either way.
 */
int
screen_init(void)
{
	const char	*term = getenv("TERM");
	int		 err = 0;

	/* initscr would print its own error and exit: say ours instead. */
	if (term == NULL || *term == '\0')
		snprintf(screen_why_buf, sizeof screen_why_buf, _("cannot start "
		    "the terminal UI: TERM is not set"));
	else
		snprintf(screen_why_buf, sizeof screen_why_buf, _("cannot start "
		    "the terminal UI: unknown terminal type '%s' (TERM)"),
		    term);
	if (term == NULL || *term == '\0')
		return -1;
	/*
	 * Look the terminal up first: a newterm that fails leaks what it
	 * allocated, a setupterm told where to put its error does not.
	 */
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK) {
		if (err < 0)
			snprintf(screen_why_buf, sizeof screen_why_buf,
			    _("cannot start the terminal UI: no terminfo "
			    "database (TERM '%s')"), term);
		return -1;
	}
	del_curterm(cur_term);
	screen_shell_saved = tcgetattr(STDIN_FILENO, &screen_shell_tty) == 0;
	if ((screen_term = newterm(NULL, stdout, stdin)) == NULL)
		return -1;
	screen_setup(true);
	return 0;
}

/* Why screen_init failed. */
const char *
screen_why(void)
{
	return screen_why_buf;
}

/* The curses library and its version: "ncurses 6.4.20221231". */
const char *
screen_curses_version(void)
{
	return curses_version();
}

/* Close the memory file and the off-screen input, if there are. */
static void
screen_memfile_close(void)
{
	if (screen_in != NULL)
		fclose(screen_in);
	screen_in = NULL;
	if (screen_out != NULL)
		fclose(screen_out);
	screen_out = NULL;
	screen_out_fd = -1;
}

/* The memory file curses writes into instead of a terminal. */
static int
screen_memfile(void)
{
	if ((screen_out_fd = memfd_create("loopscope-screen",
	    MFD_CLOEXEC)) < 0)
		return -1;
	if ((screen_out = fdopen(screen_out_fd, "w")) == NULL) {
		close(screen_out_fd);
		screen_out_fd = -1;
		return -1;
	}
	return 0;
}

/*
 * Curses on the terminal, every byte it sends also given to sink (with
 * the time it went out, for a cast).
 */
int
screen_init_tee(screen_sink_fn *sink, void *arg)
{
	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &screen_tty) != 0)
		return -1;
	if (screen_memfile() != 0)
		return -1;
	if ((screen_term = newterm(NULL, screen_out, stdin)) == NULL) {
		screen_memfile_close();
		return -1;
	}
	screen_tty_saved = true;
	screen_shell_tty = screen_tty;
	screen_shell_saved = true;
	screen_tee = true;
	screen_sink = sink;
	screen_sink_arg = arg;
	screen_tty_ours();
	screen_setup(true);
	screen_resize();
	screen_drain();
	return 0;
}

/*
 * Curses with no terminal: rows by cols of xterm-256color, every byte it
 * would send given to sink. Keys never come.
 */
int
screen_init_offscreen(int rows, int cols, screen_sink_fn *sink, void *arg)
{
	char	name[] = "xterm-256color";

	if (screen_memfile() != 0)
		return -1;
	if ((screen_in = fopen("/dev/null", "r")) == NULL ||
	    (screen_term = newterm(name, screen_out, screen_in)) == NULL) {
		screen_memfile_close();
		return -1;
	}
	screen_offscreen = true;
	screen_sink = sink;
	screen_sink_arg = arg;
	screen_setup(false);
	resizeterm(rows, cols);
	screen_drain();
	return 0;
}

/* The terminal's modes that curses would have set: keys one at a time. */
void
screen_tty_ours(void)
{
	struct termios	t = screen_tty;

	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ECHONL);
	t.c_iflag &= ~(tcflag_t)(ICRNL | INLCR | IGNCR);
	t.c_oflag &= ~(tcflag_t)ONLCR;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	tcsetattr(STDIN_FILENO, TCSADRAIN, &t);
}

/* Give what curses wrote to the terminal (a tee) and to the sink. */
static void
screen_drain(void)
{
	char	buf[16384];
	ssize_t	n, w;
	off_t	off = 0;
	size_t	done;

	if (screen_out_fd < 0)
		return;
	fflush(screen_out);
	while ((n = pread(screen_out_fd, buf, sizeof buf, off)) > 0) {
		for (done = 0; screen_tee && done < (size_t)n;
		    done += (size_t)w)
			if ((w = write(STDOUT_FILENO, buf + done,
			    (size_t)n - done)) < 0) {
				if (errno != EINTR)
					break;
				w = 0;
			}
		if (screen_sink != NULL)
			screen_sink(screen_sink_arg, buf, (size_t)n);
		off += n;
	}
	if (off > 0) {
		if (ftruncate(screen_out_fd, 0) != 0)
			return;
		lseek(screen_out_fd, 0, SEEK_SET);
	}
}

/* Modes, colours and the key window, once curses has a screen. */
static void
screen_setup(bool keys)
{
	const char	*nc = getenv("NO_COLOR");
	int		 i;

	screen_on = true;
	cbreak();
	noecho();
	nonl();
	curs_set(0);
	set_escdelay(25);
	screen_input = newwin(1, 1, 0, 0);
	keypad(screen_input, TRUE);
	termkeys_define();
	nodelay(screen_input, TRUE);
	if (keys) {
		screen_mouse = mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED,
		    NULL) != 0;
		mouseinterval(0);
	}
	screen_has_color = has_colors() && (nc == NULL || *nc == '\0');
	if (screen_has_color) {
		start_color();
		use_default_colors();
	}
	for (i = 0; i < SCREEN_NROLES; i++) {
		if (screen_has_color) {
			init_pair((short)(i + 1), (short)screen_styles[i].fg,
			    (short)screen_styles[i].bg);
			screen_attrs[i] = COLOR_PAIR(i + 1) |
			    screen_styles[i].extra;
		} else
			screen_attrs[i] = screen_styles[i].mono;
	}
	screen_signal_strings();
}

/* Give the terminal back as it was; safe to call twice. */
void
screen_fini(void)
{
	if (!screen_on)
		return;
	if (screen_input != NULL)
		delwin(screen_input);
	screen_input = NULL;
	curs_set(1);
	endwin();
	screen_on = false;
	screen_drain();
	if (screen_tty_saved)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &screen_tty);
	if (screen_term != NULL) {
		delscreen(screen_term);
		screen_term = NULL;
		screen_memfile_close();
	}
	screen_tee = screen_offscreen = screen_tty_saved = false;
	screen_shell_saved = screen_mouse = false;
	screen_left = 0;
	screen_sink = NULL;
}

bool
screen_active(void)
{
	return screen_on;
}

/*
 * Hold SIGTSTP off while curses sends bytes to the terminal (the old mask
 * in *old): its handler gives the terminal back at any other moment, but
 * never in the middle of a frame.
 */
static void
screen_hold(sigset_t *old)
{
	sigset_t	set;

	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

bool
screen_color(void)
{
	return screen_has_color;
}

int
screen_attr(int role)
{
	return role >= 0 && role < SCREEN_NROLES ? screen_attrs[role] : 0;
}

/* Columns a UTF-8 string takes. */
int
screen_width(const char *s)
{
	return glyphs_width(s);
}

/* Whether the locale's character set is plain ASCII (asked once). */
static bool
screen_ascii(void)
{
	static int	ascii = -1;

	if (ascii < 0)
		ascii = !glyphs_locale_utf8();
	return ascii;
}

static bool
screen_is_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

/*
 * Write s at (y, x) in at most maxw columns, cut at a character; returns
 * the columns written. Whatever s holds is drawn visible (visible.c): a
 * control character is its escape, as wide as glyphs_width says, and
 * never reaches the terminal to move the cursor or spill into a panel.
 */
int
screen_put(int y, int x, int maxw, const char *s, int attr)
{
	char	buf[SCREEN_LINE_MAX], folded[SCREEN_LINE_MAX];
	size_t	bytes;
	int	cols;

	if (maxw <= 0 || y < 0 || x < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + maxw > COLS)
		maxw = COLS - x;
	if (!visible_clean(s)) {
		visible_copy(buf, sizeof buf, s);
		s = buf;
	}
	/*
	 * A terminal of plain ASCII (LANG=C): letters the program printed
	 * ("Durée") as their ASCII look-alikes, not as blanks.
	 */
	if (screen_ascii() && !screen_is_ascii(s)) {
		i18n_fold_to(folded, sizeof folded, s);
		s = folded;
	}
	bytes = glyphs_fit(s, maxw, &cols);
	attron(attr);
	mvaddnstr(y, x, s, (int)bytes);
	attroff(attr);
	return cols;
}

/* Repeat a one-column glyph over n columns. */
void
screen_fill(int y, int x, int n, const char *glyph, int attr)
{
	int	i;

	for (i = 0; i < n; i++)
		screen_put(y, x + i, 1, glyph, attr);
}

/* A box with a title, for overlays: cleared inside. */
void
screen_box(int y, int x, int h, int w, const char *title)
{
	int	i;

	for (i = 0; i < h; i++)
		mvhline(y + i, x, ' ', w);
	attron(screen_attr(SCREEN_TITLE));
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	attroff(screen_attr(SCREEN_TITLE));
	if (title != NULL)
		screen_put(y, x + 2, w - 4, title, screen_attr(SCREEN_TITLE));
}

/* The next key, or -1 when none is waiting. Mouse: returns KEY_MOUSE. */
int
screen_getkey(int *mouse_y)
{
	MEVENT		me;
	sigset_t	old;
	int		c;

	if (screen_left)
		return -1;	/* the shell's: a read would stop us (SIGTTIN) */
	screen_hold(&old);
	c = wgetch(screen_input);
	if (c == 27)
		c = termkeys_after_escape(screen_input);
	screen_drain();		/* the first may switch the keypad on */
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (c == ERR)
		return -1;
	if (c == KEY_MOUSE) {
		if (getmouse(&me) != OK)
			return -2;
		*mouse_y = me.y;
	}
	return c;
}

void
screen_size(int *rows, int *cols)
{
	*rows = LINES;
	*cols = COLS;
}

/* The terminal changed size: tell curses (SIGWINCH arrives through us). */
void
screen_resize(void)
{
	struct winsize	ws;

	if (screen_offscreen)
		return;		/* its size is the one it was given */
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0) {
		resizeterm(ws.ws_row, ws.ws_col);
		screen_signal_strings();	/* the last row moved */
	}
}

void
screen_erase(void)
{
	werase(stdscr);
}

/* One frame: everything drawn since the last goes out at once. */
void
screen_flush(bool full)
{
	sigset_t	old;

	if (screen_left)
		return;		/* the shell's now; a full repaint comes back */
	screen_hold(&old);
	if (full)
		clearok(curscr, TRUE);
	wnoutrefresh(stdscr);
	doupdate();
	screen_drain();
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}
