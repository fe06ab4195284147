/*
 * What the page server reads of a request, apart from the server so that
 * a fuzzer reaches it (fuzz/fuzz_http.c): the page asked for, when the
 * request left (X-Loopscope-At, from a client of ours) and when its
 * answer is due. The same time format comes back in X-Loopscope-Due,
 * which the client reads with pyserve_req_time too (engine/pyhttp-read.c).
 * Anything may come on the socket: any program of the lesson's may send
 * these headers, with any value.
 */
#include "config.h"

#include <string.h>

#include "pages.h"
#include "pyserve-req.h"

/* The page a request asks for (in url), or NULL: not ours, a 404. */
const char *
pyserve_req_title(const char *method, const char *url)
{
	if (strcmp(method, "GET") != 0 ||
	    strncmp(url, SERVER_PATH, strlen(SERVER_PATH)) != 0)
		return NULL;
	return url + strlen(SERVER_PATH);
}

static bool
pyserve_req_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A header's value (*len bytes at *value) without the blanks around it. */
void
pyserve_req_trim(const char **value, size_t *len)
{
	while (*len > 0 && pyserve_req_blank((*value)[*len - 1]))
		(*len)--;
	while (*len > 0 && pyserve_req_blank(**value)) {
		(*value)++;
		(*len)--;
	}
}

/*
 * A time in a header's value (len bytes, no NUL needed): nanoseconds of
 * virtual time, decimal digits that fit, blanks around them (the line's
 * CR LF too) and nothing else. False, *out untouched, for anything else.
 */
bool
pyserve_req_time(const char *value, size_t len, vtime_t *out)
{
	size_t	i;
	vtime_t	t = 0;
	int	d;

	pyserve_req_trim(&value, &len);
	if (len == 0)
		return false;
	for (i = 0; i < len; i++) {
		if (value[i] < '0' || value[i] > '9')
			return false;
		d = value[i] - '0';
		if (t > (VTIME_NEVER - d) / 10)
			return false;
		t = t * 10 + d;
	}
	*out = t;
	return true;
}

/*
 * When the answer to a request sent at `sent` is due: after the latency,
 * and its size's bytes at the bandwidth (bytes a second, 0: no limit).
 * Far times stop at VTIME_NEVER rather than wrap.
 */
vtime_t
pyserve_req_due(vtime_t sent, vtime_t latency, long bandwidth, size_t size)
{
	double	transfer;

	if (sent < 0)
		sent = 0;
	if (latency < 0)
		latency = 0;
	if (sent > VTIME_NEVER - latency)
		return VTIME_NEVER;
	sent += latency;
	if (bandwidth <= 0)
		return sent;
	transfer = (double)size / (double)bandwidth * (double)VTIME_SEC;
	/* Below 2^62, where a double converts: then compared exactly. */
	if (transfer >= 0x1p62 || (vtime_t)transfer > VTIME_NEVER - sent)
		return VTIME_NEVER;
	return sent + (vtime_t)transfer;
}
