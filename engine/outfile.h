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

int	outfile_open(struct outfile *of, const char *path, char *err,
	    size_t len);
int	outfile_commit(struct outfile *of);
void	outfile_discard(struct outfile *of);

#endif
