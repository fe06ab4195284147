/*
 * Numbers typed by the user: every numeric option and the time typed at
 * 'g' go through here, so that they all take the same forms. Decimal
 * digits only, an optional '-' and, for a real number, one '.': no blanks
 * around it, no '+', no hexadecimal, no exponent, no "inf" or "nan", and
 * the same in every locale (strtod would read "0,5" in French and 0x10 as
 * sixteen). The caller names the range in its message.
 */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "number.h"

#define NUMBER_DIGITS	18	/* significant digits kept exactly */

/*
 * Read [-]DIGITS[.DIGITS] (the point only when real): *mant holds the
 * digits as one integer, *scale how many of them follow the point. Returns
 * 0, or -1 when s is not such a number (too many digits included).
 */
static int
number_scan(const char *s, bool real, bool *neg, uint64_t *mant, int *scale)
{
	int	digits = 0, point = -1, n = 0;

	*neg = false;
	*mant = 0;
	if (*s == '-') {
		*neg = true;
		s++;
	}
	for (; *s != '\0'; s++) {
		if (*s == '.' && real && point < 0) {
			point = n;
			continue;
		}
		if (!isdigit((unsigned char)*s))
			return -1;
		n++;
		if (digits == 0 && *s == '0') {
			if (point >= 0)
				(*scale)++;	/* 0.05: the zeros still scale */
			continue;
		}
		if (++digits > NUMBER_DIGITS)
			return -1;
		*mant = *mant * 10 + (uint64_t)(*s - '0');
		if (point >= 0)
			(*scale)++;
	}
	return n == 0 ? -1 : 0;
}

/* A whole number from lo to hi into *out; 0, or -1 when it is not one. */
int
number_whole(const char *s, long long lo, long long hi, long long *out)
{
	uint64_t	mant;
	long long	v;
	bool		neg;
	int		scale = 0;

	if (number_scan(s, false, &neg, &mant, &scale) != 0)
		return -1;
	v = neg ? -(long long)mant : (long long)mant;
	if (v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* A real number from lo to hi into *out; 0, or -1 when it is not one. */
int
number_real(const char *s, double lo, double hi, double *out)
{
	uint64_t	mant;
	double		v, p = 1;
	bool		neg;
	int		scale = 0;

	if (number_scan(s, true, &neg, &mant, &scale) != 0 || scale > 22)
		return -1;
	while (scale-- > 0)
		p *= 10;	/* exact up to 1e22: the quotient rounds once */
	v = (double)mant / p;
	if (neg)
		v = -v;
	if (!(v >= lo && v <= hi))
		return -1;
	*out = v;
	return 0;
}

/*
 * A number of bytes from lo to hi: digits, then K, M or G for KiB, MiB or
 * GiB if wanted ("512M"). 0, or -1 when it is not one.
 */
int
number_size(const char *s, unsigned long long lo, unsigned long long hi,
    unsigned long long *out)
{
	static const char	 units[] = "KMG";
	const char		*u;
	char			 digits[NUMBER_DIGITS + 2];
	size_t			 n = strlen(s);
	long long		 v;
	int			 shift = 0;

	if (n > 0 && (u = strchr(units, s[n - 1])) != NULL && *u != '\0') {
		shift = 10 * (int)(u - units + 1);
		n--;
	}
	if (n == 0 || n >= sizeof digits || s[0] == '-')
		return -1;
	memcpy(digits, s, n);
	digits[n] = '\0';
	if (number_whole(digits, 0, (long long)(UINT64_MAX >> 1 >> shift),
	    &v) != 0)
		return -1;
	if ((unsigned long long)v << shift < lo ||
	    (unsigned long long)v << shift > hi)
		return -1;
	*out = (unsigned long long)v << shift;
	return 0;
}

/* n bytes as the shortest exact form number_size reads ("256M"). */
void
number_size_format(unsigned long long n, char *buf, size_t len)
{
	static const char	units[] = "KMG";
	int			i = 0;

	while (i < 3 && n >= 1024 && n % 1024 == 0) {
		n /= 1024;
		i++;
	}
	if (i == 0)
		snprintf(buf, len, "%llu", n);
	else
		snprintf(buf, len, "%llu%c", n, units[i - 1]);
}
