/* One glyph per task state, in UTF-8 or plain ASCII. */
#ifndef LOOPSCOPE_GLYPHS_H
#define LOOPSCOPE_GLYPHS_H

#include <stdbool.h>
#include <stddef.h>

#include "trace.h"

struct glyphs {
	bool		 utf8;
	const char	*state[TASK_NSTATES];
	const char	*label[TASK_NSTATES];
	const char	*tick;
	const char	*fill;
	const char	*rule;
	const char	*sep;		/* between parts of a title */
	const char	*bar;		/* between parts of the header */
	const char	*arrow;		/* a heading, a marked line */
	const char	*playhead;
	const char	*phase[PHASE_N];	/* inside an I/O wait */
	const char	*thread;	/* before a thread's lane name */
	const char	*process;	/* before a process's lane name */
	const char	*due;		/* a late timer's due time */
	const char	*late;		/* its late stretch */
};

const struct glyphs	*glyphs_get(bool utf8);
bool			 glyphs_locale_utf8(void);
int			 glyphs_priority(enum task_state s);
int			 glyphs_width(const char *s);
size_t			 glyphs_fit(const char *s, int maxw, int *cols);
size_t			 glyphs_break(const char *s, int maxw);

#endif
