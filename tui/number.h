/* Numbers typed by the user: decimal, strict, the same rules everywhere. */
#ifndef LOOPSCOPE_NUMBER_H
#define LOOPSCOPE_NUMBER_H

#include <stddef.h>

int	number_whole(const char *, long long, long long, long long *);
int	number_real(const char *, double, double, double *);
int	number_size(const char *, unsigned long long, unsigned long long,
	    unsigned long long *);
void	number_size_format(unsigned long long, char *, size_t);

#endif
