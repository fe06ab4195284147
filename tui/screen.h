/* The one thin wrapper around curses: set-up, colours, clipped text. */
#ifndef LOOPSCOPE_SCREEN_H
#define LOOPSCOPE_SCREEN_H

#include <stdbool.h>
#include <stddef.h>

#include "trace.h"

enum screen_role {
	SCREEN_BAR = TASK_NSTATES,	/* header and key bar */
	SCREEN_KEY,			/* a key in the key bar */
	SCREEN_TITLE,			/* panel titles */
	SCREEN_DIM,
	SCREEN_GOOD,			/* totals, speed-up */
	SCREEN_WARN,			/* lateness, stderr */
	SCREEN_SELECT,			/* the selected lane */
	SCREEN_PLAYHEAD,
	SCREEN_PANEL,			/* a panel's title bar */
	SCREEN_NROLES
};

/* Where a tee or an off-screen terminal sends the bytes curses wrote. */
typedef void	screen_sink_fn(void *, const char *, size_t);

int	screen_init(void);
const char *screen_why(void);
const char *screen_curses_version(void);
int	screen_init_tee(screen_sink_fn *, void *);
int	screen_init_offscreen(int, int, screen_sink_fn *, void *);
void	screen_fini(void);
bool	screen_active(void);
void	screen_leave_signal(void);
void	screen_resume(void);
bool	screen_color(void);
int	screen_attr(int);
int	screen_put(int, int, int, const char *, int);
int	screen_width(const char *);
void	screen_fill(int, int, int, const char *, int);
void	screen_box(int, int, int, int, const char *);
int	screen_getkey(int *);
void	screen_size(int *, int *);
void	screen_resize(void);
void	screen_erase(void);
void	screen_flush(bool);

#endif
