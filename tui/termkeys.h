/*
 * Keys whatever the terminal says it is: tmux and screen send their own
 * Home and End (ESC [1~, ESC [4~) to a program told TERM=xterm-256color,
 * whose terminfo has others. Unknown sequences are swallowed whole, so
 * that their bytes never act as keys (the 4 of ESC [4~ opened demo 4).
 */
#ifndef LOOPSCOPE_TERMKEYS_H
#define LOOPSCOPE_TERMKEYS_H

#include <curses.h>

void	termkeys_define(void);
int	termkeys_after_escape(WINDOW *win);

#endif
