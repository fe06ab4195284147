/* Real CPU work: the lesson's big powers, computed with GMP. */
#ifndef LOOPSCOPE_CPU_H
#define LOOPSCOPE_CPU_H

#include <stddef.h>

int	cpu_leading_digits(unsigned long, unsigned long, unsigned, char *,
	    size_t);

#endif
