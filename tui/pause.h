/*
 * Pause points: where playback stops by itself, with the caption, until
 * Space. A program marks them with a `# loopscope: pause` comment (after
 * a statement: that line; alone on its line: the next line of code, so
 * a notebook cell ending with one pauses before the next cell's first
 * line, and the last cell or a program ending with one at its end); the
 * lecturer with p, at the instant shown, kept in a recording.
 */
#ifndef LOOPSCOPE_PAUSE_H
#define LOOPSCOPE_PAUSE_H

#include <stdbool.h>
#include <stddef.h>

#include "timeline.h"

#define PAUSE_COMMENT	"loopscope: pause"
#define PAUSE_NONE	((size_t)-1)	/* pauses_find: no stop */

struct pause_lines {
	const char	*source;	/* what they were read from */
	int		*lines;		/* sorted */
	size_t		 n;
	bool		 at_end;	/* and where the program ends */
};

struct pauses {
	struct pause_lines	 v[TRACE_MAX_VARIANTS];
	vtime_t			*marks;		/* sorted instants */
	size_t			 nmarks;
	size_t			 marks_cap;
};

void	pauses_free(struct pauses *p);
void	pauses_source(struct pauses *p, size_t variant, const char *source);
bool	pauses_line(const struct pauses *p, size_t variant, int line);
int	pauses_mark(struct pauses *p, vtime_t t);
bool	pauses_unmark(struct pauses *p, vtime_t t);
void	pauses_clear_marks(struct pauses *p);
size_t	pauses_find(const struct pauses *p, const struct timeline *tl,
	    size_t from, vtime_t t0, vtime_t t1, vtime_t *at);
int	pauses_scan(const char *source, int **lines, size_t *n,
	    bool *at_end);

#endif
