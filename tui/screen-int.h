/*
 * Inside the screen: what tui/screen.c (curses, frames) and
 * tui/screen-signal.c (Ctrl-Z's way out and back) share, and nothing else.
 */
#ifndef LOOPSCOPE_SCREEN_INT_H
#define LOOPSCOPE_SCREEN_INT_H

#include <signal.h>
#include <stdbool.h>
#include <termios.h>

extern bool			 screen_on;
extern bool			 screen_offscreen;	/* --export cast */
extern bool			 screen_tty_saved;	/* a tee set its modes */
extern struct termios		 screen_shell_tty;	/* as the shell had it */
extern bool			 screen_shell_saved;
extern volatile sig_atomic_t	 screen_left;		/* given back to it */
extern bool			 screen_mouse;

void	screen_tty_ours(void);
void	screen_signal_strings(void);

#endif
