/* asciicast v2: what a terminal received, with when; asciinema plays it. */
#ifndef LOOPSCOPE_CAST_H
#define LOOPSCOPE_CAST_H

#include <stddef.h>
#include <stdio.h>

#include "options.h"
#include "record.h"

struct cast;

struct cast	*cast_open(const char *path, int cols, int rows, char *err,
		     size_t len);
struct cast	*cast_open_stream(FILE *f, int cols, int rows);
void		 cast_write(struct cast *c, double t, const char *data,
		     size_t n);
void		 cast_sink(void *arg, const char *data, size_t n);
void		 cast_marker(struct cast *c, double t, const char *label);
int		 cast_close(struct cast *c, char *err, size_t len);
int		 cast_export(struct recording *rec, const struct options *o,
		     FILE *out, char *err, size_t len);

#endif
