/* Text from outside made visible before it reaches a terminal. */
#ifndef LOOPSCOPE_VISIBLE_H
#define LOOPSCOPE_VISIBLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

size_t	 visible_unit(const char *s, long *code);
size_t	 visible_escape(long code, char *buf, size_t len);
bool	 visible_clean(const char *s);
size_t	 visible_copy(char *buf, size_t len, const char *s);
char	*visible_dup(const char *s);
int	 visible_fputs(const char *s, FILE *f);
void	 visible_warn(const char *fmt,
	     ...) __attribute__((format(printf, 1, 2)));

#endif
