/*
 * Ctrl-Z with curses on: the terminal given back from the signal handler
 * itself, with bytes made beforehand, and taken again after fg.
 */
#include "config.h"

#include <curses.h>
#include <term.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "screen.h"
#include "screen-int.h"

/* What Ctrl-Z sends to leave and to come back, made beforehand. */
static char	screen_leave_buf[512];
static char	screen_enter_buf[512];

/* Write all of buf to the terminal; async-signal-safe. */
static void
screen_write_raw(const char *buf, size_t n)
{
	ssize_t	w;

	while (n > 0) {
		if ((w = write(STDOUT_FILENO, buf, n)) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		buf += w;
		n -= (size_t)w;
	}
}

/* Append terminfo capability cap (as tparm made it, maybe) to buf. */
static void
screen_cap(char *buf, size_t len, const char *cap)
{
	if (cap != NULL && cap != (char *)-1 && strlen(buf) + strlen(cap) <
	    len)
		strcat(buf, cap);
}

/*
 * What Ctrl-Z sends the terminal, made while curses may run so that the
 * signal handler need not: to leave (mouse off, attributes and cursor back,
 * the keypad as it was, the cursor on the last row, the normal screen) and
 * to come back. Made again after a resize, for the last row.
 */
void
screen_signal_strings(void)
{
	char	*xm = tigetstr("XM"), *mouse_on = NULL, *mouse_off = NULL;

	if (xm != NULL && xm != (char *)-1) {
		mouse_on = strdup(tiparm(xm, 1));
		mouse_off = strdup(tiparm(xm, 0));
	} else if (key_mouse != NULL) {
		mouse_on = strdup("\033[?1000h");
		mouse_off = strdup("\033[?1000l");
	}
	screen_leave_buf[0] = screen_enter_buf[0] = '\0';
	if (screen_mouse)
		screen_cap(screen_leave_buf, sizeof screen_leave_buf,
		    mouse_off);
	screen_cap(screen_leave_buf, sizeof screen_leave_buf,
	    exit_attribute_mode);
	screen_cap(screen_leave_buf, sizeof screen_leave_buf, cursor_normal);
	screen_cap(screen_leave_buf, sizeof screen_leave_buf, keypad_local);
	if (cursor_address != NULL)
		screen_cap(screen_leave_buf, sizeof screen_leave_buf,
		    tiparm(cursor_address, LINES - 1, 0));
	screen_cap(screen_leave_buf, sizeof screen_leave_buf, exit_ca_mode);
	screen_cap(screen_enter_buf, sizeof screen_enter_buf, enter_ca_mode);
	screen_cap(screen_enter_buf, sizeof screen_enter_buf, keypad_xmit);
	screen_cap(screen_enter_buf, sizeof screen_enter_buf,
	    cursor_invisible);
	if (screen_mouse)
		screen_cap(screen_enter_buf, sizeof screen_enter_buf,
		    mouse_on);
	free(mouse_on);
	free(mouse_off);
}

/*
 * Ctrl-Z, from the signal handler itself (async-signal-safe, no curses):
 * give the terminal back as the shell left it, at once, before the shell
 * takes it back. The caller blocks SIGTTOU, so that this is done even if
 * the shell has the terminal already; curses' own state is left as it is.
 */
void
screen_leave_signal(void)
{
	if (!screen_on || screen_offscreen || screen_left)
		return;
	screen_left = 1;
	screen_write_raw(screen_leave_buf, strlen(screen_leave_buf));
	if (screen_shell_saved)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &screen_shell_tty);
}

/*
 * Back from fg: our modes and screen again, and everything repainted. The
 * modes are curses' own (a shell that took the terminal back may have set
 * its own before the handler could look), or a tee's.
 */
void
screen_resume(void)
{
	if (!screen_on || !screen_left)
		return;
	screen_left = 0;
	reset_prog_mode();
	if (screen_tty_saved)
		screen_tty_ours();
	screen_write_raw(screen_enter_buf, strlen(screen_enter_buf));
	screen_resize();
	clearok(curscr, TRUE);
}
