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
typedef void	screen_sink_fn(void *arg, const char *data, size_t n);

int	screen_init(void);
const char *screen_why(void);
const char *screen_curses_version(void);
int	screen_init_tee(screen_sink_fn *sink, void *arg);
int	screen_init_offscreen(int rows, int cols, screen_sink_fn *sink,
	    void *arg);
void	screen_fini(void);
bool	screen_active(void);
void	screen_leave_signal(void);
void	screen_resume(void);
bool	screen_color(void);
int	screen_attr(int role);
int	screen_put(int y, int x, int maxw, const char *s, int attr);
int	screen_width(const char *s);
void	screen_fill(int y, int x, int n, const char *glyph, int attr);
void	screen_box(int y, int x, int h, int w, const char *title);
int	screen_getkey(int *mouse_y);
void	screen_size(int *rows, int *cols);
void	screen_resize(void);
void	screen_erase(void);
void	screen_flush(bool full);

#endif
