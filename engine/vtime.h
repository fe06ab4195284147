/* Virtual time: the lesson's seconds, counted in whole nanoseconds. */
#ifndef LOOPSCOPE_VTIME_H
#define LOOPSCOPE_VTIME_H

#include <stdint.h>

/* Integer nanoseconds keep sums exact: 5.245 + 5.245 is 10.49, not 10.4900001. */
typedef int64_t vtime_t;

#define VTIME_SEC	((vtime_t)1000000000)
#define VTIME_MS	((vtime_t)1000000)
#define VTIME_NEVER	INT64_MAX

static inline double
vtime_to_sec(vtime_t t)
{
	return (double)t / (double)VTIME_SEC;
}

static inline vtime_t
vtime_from_sec(double s)
{
	return (vtime_t)(s * (double)VTIME_SEC + (s >= 0 ? 0.5 : -0.5));
}

/* Monotonic real time in nanoseconds. */
int64_t	vtime_real_ns(void);

#endif
