/* A file written beside its target and renamed over it once whole. */
#ifndef LOOPSCOPE_OUTFILE_H
#define LOOPSCOPE_OUTFILE_H

#include <stddef.h>

/*
 * PATH is written as PATH.tmp, created afresh (never through a symbolic
 * link, never over a file already there), then renamed over PATH; a
 * device or a pipe (/dev/stdout) is written in place.
 */
struct outfile {
	char	*path;		/* as the user named it */
	char	*tmp;		/* NULL: written in place */
	int	 fd;		/* -1 once closed */
};

int	outfile_open(struct outfile *, const char *, char *, size_t);
int	outfile_commit(struct outfile *);
void	outfile_discard(struct outfile *);

#endif
