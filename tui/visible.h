/* Text from outside made visible before it reaches a terminal. */
#ifndef LOOPSCOPE_VISIBLE_H
#define LOOPSCOPE_VISIBLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

size_t	 visible_unit(const char *, long *);
size_t	 visible_escape(long, char *, size_t);
bool	 visible_clean(const char *);
size_t	 visible_copy(char *, size_t, const char *);
char	*visible_dup(const char *);
int	 visible_fputs(const char *, FILE *);
void	 visible_warn(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
