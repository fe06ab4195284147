/* Real CPU work: the lesson's big powers, computed with GMP. */
#include "config.h"

#include <gmp.h>
#include <math.h>
#include <stdio.h>

#include "cpu.h"

/*
 * Write the first n decimal digits of base ** exponent into out. The
 * logarithm gives them without converting 700,000 digits to text; when the
 * fraction sits too near a digit boundary to trust, divide exactly.
 */
int
cpu_leading_digits(unsigned long base, unsigned long exponent, unsigned n,
    char *out, size_t len)
{
	mpz_t		x, p;
	long		e;
	double		m, lg, frac, lead;
	size_t		digits;
	unsigned long	value;

	if (base < 2 || n == 0 || n > 9)
		return -1;
	mpz_init(x);
	mpz_ui_pow_ui(x, base, exponent);
	m = mpz_get_d_2exp(&e, x);
	lg = log10(m) + (double)e * log10(2.0);
	frac = lg - floor(lg);
	lead = pow(10.0, frac + (double)(n - 1));
	if (fabs(lead - floor(lead + 0.5)) < 1e-6 || lg < (double)n) {
		/* sizeinbase may be one too many: then one digit is missing. */
		digits = mpz_sizeinbase(x, 10);
		mpz_init(p);
		if (digits > n) {
			mpz_ui_pow_ui(p, 10, digits - n);
			mpz_tdiv_q(p, x, p);
			if (mpz_sizeinbase(p, 10) < n ||
			    mpz_cmp_ui(p, (unsigned long)pow(10, n - 1)) < 0) {
				mpz_ui_pow_ui(p, 10, digits - n - 1);
				mpz_tdiv_q(p, x, p);
			}
			mpz_set(x, p);
		}
		value = mpz_get_ui(x);
		mpz_clear(p);
	} else
		value = (unsigned long)floor(lead);
	mpz_clear(x);
	return snprintf(out, len, "%lu", value) < (int)len ? 0 : -1;
}
