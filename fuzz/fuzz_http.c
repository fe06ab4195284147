/*
 * A libFuzzer target for what comes over HTTP: a request as the child's
 * page server reads it (engine/pyserve-req.c, engine/pages.c) and an
 * answer as _loopscope.http_get reads it (engine/pyhttp-read.c, libcurl's
 * header and write callbacks), fed the way the network gives them.
 *
 * The input is lines, in parts that a blank line ends:
 *
 *	CONTROL			(bytes: [0] the body's cap, [1-4] the
 *				 chunks' seed, [5] the latency, [6] the
 *				 bandwidth, [7] the page's size)
 *	GET /api/rest_v1/page/summary/TITLE?ARGS HTTP/1.1
 *	Name: value		(the request's headers: X-Loopscope-At)
 *
 *	HTTP/1.1 200 OK		(the answer's headers, one callback a line,
 *	Name: value		 as curl gives them; a redirect's too)
 *
 *	BODY			(in chunks of sizes the seed picks, 0 to
 *				 16 KiB, as curl gives them)
 *
 * Every piece goes to the readers in a block of its own size, without a
 * NUL after it, so that a read past it is AddressSanitizer's. What they
 * make of it is checked against readings written here another way: the
 * body kept whole up to the cap, NUL after it, the cap never passed and
 * too_big said exactly when more came; X-Loopscope-Due and
 * X-Loopscope-At read only when well-formed (digits that fit, or
 * "silent"), from the last answer only; a due time never wrapping; the
 * page a URL asks for, found or Wikipedia's not-found, as JSON.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pages.h"
#include "pyhttp-read.h"
#include "pyserve-req.h"
#include "pyserve.h"

#define FUZZ_CHUNK_MAX	16384	/* CURL_MAX_WRITE_SIZE */

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const vtime_t fuzz_latencies[] = {
	0, VTIME_MS, 250 * VTIME_MS, VTIME_SEC, VTIME_NEVER / 2, VTIME_NEVER
};
static const long fuzz_bandwidths[] = {
	0, 1, 1000, 1L << 20, LONG_MAX, -1
};

struct fuzz_in {
	const uint8_t	*p;
	size_t		 left;
	uint32_t	 seed;
};

/* The next line of the input (its '\n' in *len, if it has one). */
static const uint8_t *
fuzz_line(struct fuzz_in *in, size_t *len)
{
	const uint8_t	*line = in->p, *nl;

	if (in->left == 0)
		return NULL;
	nl = memchr(in->p, '\n', in->left);
	*len = nl != NULL ? (size_t)(nl - in->p) + 1 : in->left;
	in->p += *len;
	in->left -= *len;
	return line;
}

/* A line with nothing on it, CR LF or LF: a part's end. */
static int
fuzz_blank(const uint8_t *line, size_t len)
{
	return (len == 1 && line[0] == '\n') ||
	    (len == 2 && line[0] == '\r' && line[1] == '\n');
}

/* bytes in a block of exactly their size (ASan sees a read past it). */
static char *
fuzz_block(const uint8_t *bytes, size_t len)
{
	char	*b = malloc(len != 0 ? len : 1);

	if (b == NULL)
		abort();
	if (len > 0)
		memcpy(b, bytes, len);
	return b;
}

/* bytes with a NUL after them, as libmicrohttpd hands strings. */
static char *
fuzz_string(const uint8_t *bytes, size_t len)
{
	char	*s = malloc(len + 1);

	if (s == NULL)
		abort();
	memcpy(s, bytes, len);
	s[len] = '\0';
	return s;
}

static uint32_t
fuzz_rand(struct fuzz_in *in)
{
	in->seed ^= in->seed << 13;
	in->seed ^= in->seed >> 17;
	in->seed ^= in->seed << 5;
	return in->seed;
}

/*
 * A header's time read another way: trimmed of blanks, then all digits
 * and what strtoull makes of them within vtime_t.
 */
static int
fuzz_time(const char *v, size_t len, vtime_t *out)
{
	char			*s;
	size_t			 i = 0;
	unsigned long long	 t;
	int			 ok;

	while (len > 0 && strchr(" \t\r\n", v[len - 1]) != NULL &&
	    v[len - 1] != '\0')
		len--;
	while (i < len && strchr(" \t\r\n", v[i]) != NULL && v[i] != '\0')
		i++;
	s = fuzz_string((const uint8_t *)v + i, len - i);
	errno = 0;
	t = strtoull(s, NULL, 10);
	ok = s[0] != '\0' && strspn(s, "0123456789") == len - i &&
	    errno == 0 && t <= (unsigned long long)INT64_MAX;
	free(s);
	if (ok)
		*out = (vtime_t)t;
	return ok;
}

/* A due header read another way: NONE, AT with *t, or SILENT. */
static enum pyhttp_read_due
fuzz_due(const char *line, size_t len, vtime_t *t)
{
	size_t	hl = strlen(PYSERVE_DUE_HEADER);
	char	*v, *w;
	int	 silent;

	/* Blanks, the word, blanks, and no NUL in it all. */
	v = fuzz_string((const uint8_t *)line + hl + 1, len - hl - 1);
	w = v + strspn(v, " \t\r\n");
	silent = strlen(v) == len - hl - 1 && strncmp(w, "silent", 6) == 0 &&
	    w[6 + strspn(w + 6, " \t\r\n")] == '\0';
	free(v);
	if (silent)
		return PYHTTP_READ_DUE_SILENT;
	return fuzz_time(line + hl + 1, len - hl - 1, t) ?
	    PYHTTP_READ_DUE_AT : PYHTTP_READ_DUE_NONE;
}

/* The answer's header lines, one callback each; what the last said. */
static void
fuzz_headers(struct fuzz_in *in, struct pyhttp_read *r)
{
	const uint8_t		*line;
	char			*b;
	size_t			 len, hl = strlen(PYSERVE_DUE_HEADER);
	enum pyhttp_read_due	 want = PYHTTP_READ_DUE_NONE;
	vtime_t			 t = 0, want_t = 0;

	while ((line = fuzz_line(in, &len)) != NULL) {
		b = fuzz_block(line, len);
		if (pyhttp_read_header(b, 1, len, r) != len)
			abort();
		if (len >= 5 && memcmp(line, "HTTP/", 5) == 0)
			want = PYHTTP_READ_DUE_NONE;
		else if (len > hl && strncasecmp(b, PYSERVE_DUE_HEADER, hl) ==
		    0 && line[hl] == ':') {
			want = fuzz_due(b, len, &t);
			want_t = t;
		}
		free(b);
		if (r->due_kind != want ||
		    (want == PYHTTP_READ_DUE_AT && r->due != want_t) ||
		    (r->due_kind == PYHTTP_READ_DUE_AT && r->due < 0))
			abort();
		if (fuzz_blank(line, len))
			break;
	}
}

/* The body in chunks as curl gives it, against what must be kept. */
static void
fuzz_body(struct fuzz_in *in, struct pyhttp_read *r)
{
	static const size_t	 spans[] = { 1, 7, 64, 4096, FUZZ_CHUNK_MAX };
	const uint8_t		*body = in->p;
	size_t			 n = in->left, at = 0, k, got, kept = 0;
	char			*b;
	int			 refused = 0;

	while (at < n) {
		k = fuzz_rand(in) % (spans[fuzz_rand(in) % 5] + 1);
		if (k > n - at)
			k = n - at;
		b = fuzz_block(body + at, k);
		/* curl gives size 1; a size of k reads the same. */
		got = fuzz_rand(in) % 8 == 0 && k > 0 ?
		    pyhttp_read_body(b, k, 1, r) :
		    pyhttp_read_body(b, 1, k, r);
		free(b);
		at += k;
		if (!refused && kept + k > r->max)
			refused = 1;
		if (got != (refused ? 0 : k) || r->too_big != refused)
			abort();
		if (!refused)
			kept += k;
		/* curl stops at a refusal; go on now and then anyway. */
		if (refused && fuzz_rand(in) % 2 == 0)
			break;
	}
	if (r->len != kept || r->len > r->max || (r->data == NULL &&
	    r->len > 0))
		abort();
	if (r->data != NULL && (r->cap < r->len + 1 ||
	    r->data[r->len] != '\0' || memcmp(r->data, body, r->len) != 0))
		abort();
}

/* A page's body: JSON, found exactly when the page is one of ours. */
static void
fuzz_page(const char *title)
{
	json_t		*doc;
	char		*body, canon[32];
	unsigned	 status;
	unsigned long	 n;
	int		 ours;

	errno = 0;
	n = strtoul(title + (strncmp(title, "Page_", 5) == 0 ? 5 : 0),
	    NULL, 10);
	snprintf(canon, sizeof canon, "Page_%lu", n);
	ours = pages_extract(title) != NULL || (errno == 0 && n <= UINT_MAX &&
	    strcmp(title, canon) == 0);
	if ((body = pages_body(title, &status)) == NULL)
		abort();
	if (status != (ours ? 200u : 404u) ||
	    pages_body_size(title) != strlen(body) ||
	    (doc = json_loads(body, 0, NULL)) == NULL)
		abort();
	json_decref(doc);
	free(body);
}

/*
 * The request: its line (method, path without the query, as libmicrohttpd
 * hands them) and its X-Loopscope-At, then when the answer is due and
 * that time read back as the client reads X-Loopscope-Due.
 */
static void
fuzz_request(struct fuzz_in *in, const uint8_t *ctl, size_t nctl)
{
	struct pyhttp_read	 r;
	const uint8_t		*line;
	const char		*title;
	char			*s, *url, *sp, due_line[64];
	size_t			 len, al = strlen(PYSERVE_AT_HEADER);
	vtime_t			 sent = 0, t, v, due, latency;
	long			 bandwidth;
	int			 ok;

	if ((line = fuzz_line(in, &len)) == NULL || fuzz_blank(line, len))
		return;
	s = fuzz_string(line, len);
	s[strcspn(s, "\r\n")] = '\0';
	url = (sp = strchr(s, ' ')) != NULL ? sp + 1 : s + strlen(s);
	if (sp != NULL)
		*sp = '\0';
	url[strcspn(url, " ?")] = '\0';
	title = pyserve_req_title(s, url);
	if ((title != NULL) != (strcmp(s, "GET") == 0 &&
	    strncmp(url, SERVER_PATH, strlen(SERVER_PATH)) == 0) ||
	    (title != NULL && title != url + strlen(SERVER_PATH)))
		abort();
	if (title != NULL)
		fuzz_page(title);
	free(s);
	while ((line = fuzz_line(in, &len)) != NULL && !fuzz_blank(line, len)) {
		if (len <= al || strncasecmp((const char *)line,
		    PYSERVE_AT_HEADER, al) != 0 || line[al] != ':')
			continue;
		/* Read, or refused with the time before it untouched. */
		s = fuzz_string(line + al + 1, len - al - 1);
		v = sent;
		ok = pyserve_req_time(s, strlen(s), &v);
		if (ok != fuzz_time(s, strlen(s), &t) || (ok && v != t) ||
		    (!ok && v != sent))
			abort();
		sent = v;
		free(s);
	}
	latency = fuzz_latencies[(nctl > 5 ? ctl[5] : 0) % 6];
	bandwidth = fuzz_bandwidths[(nctl > 6 ? ctl[6] : 0) % 6];
	due = pyserve_req_due(sent, latency, bandwidth,
	    (size_t)(nctl > 7 ? ctl[7] : 0) << 12);
	if (due < sent || due < latency ||
	    (bandwidth <= 0 && sent <= VTIME_NEVER - latency &&
	    due != sent + latency))
		abort();
	/* The server says it (pyserve.c); our client reads it back. */
	pyhttp_read_init(&r, 0);
	len = (size_t)snprintf(due_line, sizeof due_line, "%s: %lld\r\n",
	    PYSERVE_DUE_HEADER, (long long)due);
	if (pyhttp_read_header(due_line, 1, len, &r) != len ||
	    r.due_kind != PYHTTP_READ_DUE_AT || r.due != due)
		abort();
}

/* The real cap, once: 16 MiB are kept, the byte after them refused. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct pyhttp_read	 r;
	static char		 chunk[FUZZ_CHUNK_MAX];
	size_t			 i;

	(void)argc;
	(void)argv;
	memset(chunk, 'x', sizeof chunk);
	pyhttp_read_init(&r, PYHTTP_READ_BODY_MAX);
	for (i = 0; i < PYHTTP_READ_BODY_MAX / sizeof chunk; i++)
		if (pyhttp_read_body(chunk, 1, sizeof chunk, &r) !=
		    sizeof chunk)
			abort();
	if (r.len != PYHTTP_READ_BODY_MAX || r.too_big ||
	    pyhttp_read_body(chunk, 1, 1, &r) != 0 || !r.too_big ||
	    r.len != PYHTTP_READ_BODY_MAX || r.data[r.len] != '\0')
		abort();
	pyhttp_read_clear(&r);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in		 in = { .p = data, .left = size };
	struct pyhttp_read	 r;
	const uint8_t		*ctl;
	size_t			 nctl = 0;

	if ((ctl = fuzz_line(&in, &nctl)) == NULL)
		return 0;
	in.seed = 2463534242u;
	if (nctl > 4)
		in.seed ^= (uint32_t)ctl[1] | (uint32_t)ctl[2] << 8 |
		    (uint32_t)ctl[3] << 16 | (uint32_t)ctl[4] << 24;
	if (in.seed == 0)
		in.seed = 1;
	fuzz_request(&in, ctl, nctl);
	/* A cap of a few KiB, that the body can pass; 0: the real one. */
	pyhttp_read_init(&r, ctl[0] == '0' ? PYHTTP_READ_BODY_MAX :
	    (size_t)ctl[0] * 16);
	fuzz_headers(&in, &r);
	fuzz_body(&in, &r);
	pyhttp_read_clear(&r);
	if (r.data != NULL || r.len != 0)
		abort();
	return 0;
}
