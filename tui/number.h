/* Numbers typed by the user: decimal, strict, the same rules everywhere. */
#ifndef LOOPSCOPE_NUMBER_H
#define LOOPSCOPE_NUMBER_H

#include <stddef.h>

int	number_whole(const char *s, long long lo, long long hi,
	    long long *out);
int	number_real(const char *s, double lo, double hi, double *out);
int	number_size(const char *s, unsigned long long lo,
	    unsigned long long hi, unsigned long long *out);
void	number_size_format(unsigned long long n, char *buf, size_t len);

#endif
