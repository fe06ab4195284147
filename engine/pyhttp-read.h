/*
 * What _loopscope.http_get reads from the network: the body within a
 * cap, and the page server's X-Loopscope-Due (engine/pyhttp-read.c).
 */
#ifndef LOOPSCOPE_PYHTTP_READ_H
#define LOOPSCOPE_PYHTTP_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "vtime.h"

#define PYHTTP_READ_BODY_MAX	((size_t)16 << 20)	/* a page at most */

enum pyhttp_read_due {
	PYHTTP_READ_DUE_NONE,		/* none, or not well-formed */
	PYHTTP_READ_DUE_AT,		/* due at a time of the child's clock */
	PYHTTP_READ_DUE_SILENT		/* never: the page does not answer */
};

struct pyhttp_read {
	char			*data;		/* the body, NUL after it */
	size_t			 len;		/* its bytes */
	size_t			 cap;		/* bytes allocated */
	size_t			 max;		/* bytes of a body at most */
	bool			 too_big;	/* more came: refused */
	enum pyhttp_read_due	 due_kind;	/* the last answer's header */
	vtime_t			 due;		/* with PYHTTP_READ_DUE_AT */
};

void	pyhttp_read_init(struct pyhttp_read *r, size_t max);
void	pyhttp_read_clear(struct pyhttp_read *r);
size_t	pyhttp_read_body(char *p, size_t size, size_t n, void *arg);
size_t	pyhttp_read_header(char *p, size_t size, size_t n, void *arg);

#endif
