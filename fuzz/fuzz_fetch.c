/*
 * A libFuzzer target for what a page server sends: any bytes, as the body
 * of an HTTP answer, go through the summary the wiki and fanout demos take
 * from it, and that summary through what shows it (made visible, measured
 * and cut as the terminal UI does, written as the text timeline does).
 * Nothing may crash, leak or read out of bounds, and what is shown holds
 * no control character.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"
#include "glyphs.h"
#include "visible.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE		*out;
	struct fetch_result	 r;
	char			 summary[512], err[256], shown[64], *v;
	const char		*p;
	size_t			 n;

	if (out == NULL && (out = fopen("/dev/null", "w")) == NULL)
		return 0;
	memset(&r, 0, sizeof r);
	if ((r.body = malloc(size + 1)) == NULL)
		return 0;
	memcpy(r.body, data, size);
	r.body[size] = '\0';
	r.body_len = size;
	if (fetch_summary(&r, summary, sizeof summary, err, sizeof err) != 0)
		p = err;
	else
		p = summary;
	if ((v = visible_dup(p)) != NULL) {
		for (n = 0; v[n] != '\0'; n++)
			if ((unsigned char)v[n] < 0x20 || v[n] == 0x7f ||
			    ((unsigned char)v[n] == 0xc2 &&
			    (unsigned char)v[n + 1] >= 0x80 &&
			    (unsigned char)v[n + 1] < 0xa0))
				abort();	/* a control character got out */
		n = glyphs_fit(v, 40, NULL);
		if (v[n] != '\0' && (v[n] & 0xc0) == 0x80)
			abort();		/* cut inside a character */
		free(v);
	}
	visible_copy(shown, sizeof shown, p);
	visible_fputs(p, out);
	(void)glyphs_width(p);
	fetch_result_clear(&r);
	return 0;
}
