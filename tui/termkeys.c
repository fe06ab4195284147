/* Keys whatever the terminal says it is: see termkeys.h. */
#include "config.h"

#include <curses.h>

#include "termkeys.h"

/* The longest escape sequence swallowed; a key's are shorter. */
#define TERMKEYS_MAX	16

static const struct {
	const char	*seq;
	int		 key;
} termkeys_extra[] = {
	/* vt220, tmux, screen, linux console; rxvt; xterm's two modes. */
	{ "\033[1~", KEY_HOME }, { "\033[4~", KEY_END },
	{ "\033[7~", KEY_HOME }, { "\033[8~", KEY_END },
	{ "\033[H", KEY_HOME }, { "\033[F", KEY_END },
	{ "\033OH", KEY_HOME }, { "\033OF", KEY_END },
	{ "\033[5~", KEY_PPAGE }, { "\033[6~", KEY_NPAGE },
	{ "\033[A", KEY_UP }, { "\033[B", KEY_DOWN },
	{ "\033[C", KEY_RIGHT }, { "\033[D", KEY_LEFT },
	{ "\033OA", KEY_UP }, { "\033OB", KEY_DOWN },
	{ "\033OC", KEY_RIGHT }, { "\033OD", KEY_LEFT },
};

/* Teach curses the sequences its terminfo entry may lack. */
void
termkeys_define(void)
{
	size_t	i;

	for (i = 0; i < sizeof termkeys_extra / sizeof termkeys_extra[0];
	    i++)
		if (key_defined(termkeys_extra[i].seq) == 0)
			define_key(termkeys_extra[i].seq, termkeys_extra[i].key);
}

/*
 * An escape came: a lone Esc is a key (27); a sequence curses did not
 * know (ESC [ ... or ESC O x) is read to its final byte and is no key
 * (-2).
 */
int
termkeys_after_escape(WINDOW *win)
{
	int	c, n;

	c = wgetch(win);
	if (c == ERR)
		return 27;
	if (c != '[' && c != 'O') {
		ungetch(c);
		return 27;
	}
	for (n = 0; n < TERMKEYS_MAX; n++) {
		c = wgetch(win);
		if (c == ERR)
			break;
		/* CSI's final byte; after ESC O, the one byte that follows. */
		if (c >= 0x40 && c <= 0x7e)
			break;
	}
	return -2;
}
