/* asciicast v2: what a terminal received, with when; asciinema plays it. */
#ifndef LOOPSCOPE_CAST_H
#define LOOPSCOPE_CAST_H

#include <stddef.h>
#include <stdio.h>

#include "options.h"
#include "record.h"

struct cast;

struct cast	*cast_open(const char *, int, int, char *, size_t);
struct cast	*cast_open_stream(FILE *, int, int);
void		 cast_write(struct cast *, double, const char *, size_t);
void		 cast_sink(void *, const char *, size_t);
void		 cast_marker(struct cast *c, double t, const char *label);
int		 cast_close(struct cast *, char *, size_t);
int		 cast_export(struct recording *, const struct options *, FILE *,
		     char *, size_t);

#endif
