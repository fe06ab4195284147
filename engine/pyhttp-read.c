/*
 * What _loopscope.http_get (engine/pyhttp.c) reads from the network, as
 * libcurl's write and header callbacks: bytes from any server, the real
 * Wikipedia's or one a program of the lesson's points it at, so nothing
 * in them is trusted. The body is kept whole up to a cap, with a NUL
 * after it; the page server's X-Loopscope-Due is read only when it is
 * well-formed, and only from the last answer (curl gives a redirect's
 * headers too). fuzz/fuzz_http.c drives both as curl does.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pyhttp-read.h"
#include "pyserve-req.h"
#include "pyserve.h"

/* Ready for a fetch whose body may have max bytes. */
void
pyhttp_read_init(struct pyhttp_read *r, size_t max)
{
	memset(r, 0, sizeof *r);
	r->max = max;
	r->due_kind = PYHTTP_READ_DUE_NONE;
}

void
pyhttp_read_clear(struct pyhttp_read *r)
{
	free(r->data);
	r->data = NULL;
	r->len = r->cap = 0;
}

/*
 * The body, a chunk at a time (CURLOPT_WRITEFUNCTION): n items of size
 * bytes. Past the cap it refuses (0: curl ends the transfer) and says so
 * in too_big, and refuses whatever follows; 0 too when memory runs out.
 */
size_t
pyhttp_read_body(char *p, size_t size, size_t n, void *arg)
{
	struct pyhttp_read	*r = arg;
	size_t			 k, ncap;
	char			*nd;

	if (r->too_big || (size != 0 && n > SIZE_MAX / size) ||
	    size * n > r->max - r->len) {
		r->too_big = true;
		return 0;
	}
	k = size * n;
	if (r->len + k + 1 > r->cap) {
		for (ncap = r->cap != 0 ? r->cap : 4096; ncap < r->len + k + 1;)
			ncap *= 2;
		if ((nd = realloc(r->data, ncap)) == NULL)
			return 0;
		r->data = nd;
		r->cap = ncap;
	}
	if (k > 0)
		memcpy(r->data + r->len, p, k);
	r->len += k;
	r->data[r->len] = '\0';
	return k;
}

/*
 * A header line (CURLOPT_HEADERFUNCTION), CR LF and all, no NUL after
 * it: a status line starts an answer, which forgets what an answer
 * before it (a redirect) said; X-Loopscope-Due says when it was due.
 */
size_t
pyhttp_read_header(char *p, size_t size, size_t n, void *arg)
{
	struct pyhttp_read	*r = arg;
	size_t			 k = size * n, hl = strlen(PYSERVE_DUE_HEADER);
	const char		*v;

	if (k >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		r->due_kind = PYHTTP_READ_DUE_NONE;
		return k;
	}
	if (k <= hl || strncasecmp(p, PYSERVE_DUE_HEADER, hl) != 0 ||
	    p[hl] != ':')
		return k;
	v = p + hl + 1;
	k -= hl + 1;
	pyserve_req_trim(&v, &k);
	if (k == 6 && memcmp(v, "silent", 6) == 0)
		r->due_kind = PYHTTP_READ_DUE_SILENT;
	else if (pyserve_req_time(v, k, &r->due))
		r->due_kind = PYHTTP_READ_DUE_AT;
	else
		r->due_kind = PYHTTP_READ_DUE_NONE;
	return size * n;
}
