/* HTTP fetches with libcurl: multi_socket on a libev loop, or blocking. */
#include "config.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"

#define FETCH_BODY_MAX	(4u << 20)

/* One socket libcurl asked us to watch. */
struct fetch_sock {
	ev_io		 io;
	struct fetcher	*f;
	curl_socket_t	 fd;
};

struct fetch {
	struct fetch		*prev;		/* in its fetcher's in flight */
	struct fetch		*next;
	CURL			*easy;
	struct curl_slist	*headers;
	void			*owner;
	struct fetch_result	 res;
	char			 errbuf[CURL_ERROR_SIZE];
};

struct fetcher {
	struct ev_loop	*loop;
	CURLM		*multi;
	struct fetch	*inflight;	/* started, not yet done or aborted */
	ev_timer	 timer;
	size_t		 nsockets;
	fetch_done_fn	 done;
	fetch_watch_fn	 watch;
	void		*arg;
};

static pthread_once_t	fetch_once = PTHREAD_ONCE_INIT;

static void
fetch_global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* A body's bytes as they come; its room doubles, up to FETCH_BODY_MAX. */
static size_t
fetch_write(char *data, size_t size, size_t n, void *arg)
{
	struct fetch_result	*r = arg;
	size_t			 len = size * n, ncap;
	char			*nb;

	if (r->body_len + len > FETCH_BODY_MAX)
		return 0;
	if (r->body_len + len + 1 > r->body_cap) {
		ncap = r->body_cap ? r->body_cap : 4096;
		while (ncap < r->body_len + len + 1)
			ncap *= 2;
		if ((nb = realloc(r->body, ncap)) == NULL)
			return 0;
		r->body_cap = ncap;
		r->body = nb;
	}
	memcpy(r->body + r->body_len, data, len);
	r->body_len += len;
	r->body[r->body_len] = '\0';
	return len;
}

/* An easy handle for one GET, writing into res. */
static CURL *
fetch_easy(const struct fetch_options *o, struct fetch_result *res,
    char *errbuf, struct curl_slist **headers)
{
	CURL	*easy;
	char	 hold[128];

	pthread_once(&fetch_once, fetch_global_init);
	if ((easy = curl_easy_init()) == NULL)
		return NULL;
	/*
	 * Our server takes the clock's message over (see clock_msg_send),
	 * answers at sent + its latency, and not at all past our deadline.
	 */
	snprintf(hold, sizeof hold, "X-Loopscope-Hold: %llu %lld %lld",
	    (unsigned long long)o->token, (long long)o->sent,
	    (long long)o->deadline);
	*headers = o->hold ? curl_slist_append(NULL, hold) : NULL;
	curl_easy_setopt(easy, CURLOPT_URL, o->url);
	curl_easy_setopt(easy, CURLOPT_USERAGENT, FETCH_USER_AGENT);
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, *headers);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, fetch_write);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, res);
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
	if (o->timeout > 0)
		curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
		    (long)(o->timeout * 1000) + 1);
	errbuf[0] = '\0';
	return easy;
}

/* Name what went wrong in a few stable words (no ports, no timings). */
static void
fetch_explain(struct fetch_result *r, CURLcode rc, const char *errbuf)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
		snprintf(r->error, sizeof r->error, "connection refused");
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		snprintf(r->error, sizeof r->error, "DNS failure: cannot "
		    "resolve the host");
		break;
	case CURLE_OPERATION_TIMEDOUT:
		snprintf(r->error, sizeof r->error, "timeout");
		break;
	case CURLE_PARTIAL_FILE:
		snprintf(r->error, sizeof r->error, "truncated body (%zu "
		    "bytes received)", r->body_len);
		break;
	case CURLE_GOT_NOTHING:
		snprintf(r->error, sizeof r->error, "connection reset: no "
		    "reply");
		break;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		snprintf(r->error, sizeof r->error, "connection reset");
		break;
	case CURLE_ABORTED_BY_CALLBACK:
		snprintf(r->error, sizeof r->error, "timeout");
		break;
	default:
		snprintf(r->error, sizeof r->error, "%s%s%s",
		    curl_easy_strerror(rc), *errbuf ? ": " : "", errbuf);
		break;
	}
}

/* Fill status, size, timings and the verdict once a transfer ended. */
static void
fetch_finish(CURL *easy, CURLcode rc, const char *errbuf,
    struct fetch_result *r)
{
	curl_off_t	t[6] = { 0 };
	int64_t		last = 0;
	int		i;

	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(easy, CURLINFO_NAMELOOKUP_TIME_T, &t[0]);
	curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &t[1]);
	curl_easy_getinfo(easy, CURLINFO_APPCONNECT_TIME_T, &t[2]);
	curl_easy_getinfo(easy, CURLINFO_PRETRANSFER_TIME_T, &t[3]);
	curl_easy_getinfo(easy, CURLINFO_STARTTRANSFER_TIME_T, &t[4]);
	curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME_T, &t[5]);
	r->bytes = r->body_len;
	/* Each phase ends where the next starts; a missing one lasts 0. */
	r->ends[PHASE_QUEUED] = 0;
	for (i = 0; i < 6; i++) {
		if (t[i] > last)
			last = t[i];
		r->ends[PHASE_LOOKUP + i] = last;
	}
	if (t[2] == 0)
		r->ends[PHASE_TLS] = r->ends[PHASE_CONNECT];
	if (rc != CURLE_OK)
		fetch_explain(r, rc, errbuf);
	else if (r->status < 200 || r->status >= 300)
		snprintf(r->error, sizeof r->error, "HTTP %ld%s", r->status,
		    r->status == 404 ? " Not Found" : r->status == 500 ?
		    " Internal Server Error" : "");
	else
		r->ok = true;
}

void
fetch_result_clear(struct fetch_result *r)
{
	free(r->body);
	memset(r, 0, sizeof *r);
}

/*
 * The start of the page's summary, as the demo prints it; or -1 with the
 * reason (the body is not JSON, or has no extract).
 */
int
fetch_summary(const struct fetch_result *r, char *out, size_t len,
    char *err, size_t errlen)
{
	json_t		*doc, *ex;
	json_error_t	 je;
	const char	*s, *p;
	size_t		 chars = 0, n;

	doc = json_loadb(r->body ? r->body : "", r->body_len, 0, &je);
	if (doc == NULL) {
		snprintf(err, errlen, "invalid JSON: %s (column %d)", je.text,
		    je.column);
		return -1;
	}
	ex = json_object_get(doc, "extract");
	if (!json_is_string(ex)) {
		snprintf(err, errlen, "no 'extract' in the JSON answer");
		json_decref(doc);
		return -1;
	}
	s = json_string_value(ex);
	for (p = s; *p != '\0' && chars < FETCH_SUMMARY_CHARS; chars++) {
		p++;
		while ((*p & 0xc0) == 0x80)
			p++;
	}
	n = (size_t)(p - s);
	/* ["extract"][:80]: 80 characters, cut with no mark, as Python. */
	snprintf(out, len, "%.*s", (int)n, s);
	json_decref(doc);
	return 0;
}

/* ---------------------------------------------- multi_socket on libev */

static void	fetcher_check(struct fetcher *);

/* Take x out of the transfers in flight. */
static void
fetcher_unlink(struct fetcher *f, struct fetch *x)
{
	if (x->prev != NULL)
		x->prev->next = x->next;
	else
		f->inflight = x->next;
	if (x->next != NULL)
		x->next->prev = x->prev;
	x->prev = x->next = NULL;
}

/* Out of libcurl's hands and freed, whatever became of it. */
static void
fetcher_drop(struct fetcher *f, struct fetch *x)
{
	fetcher_unlink(f, x);
	curl_multi_remove_handle(f->multi, x->easy);
	curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->headers);
}

static void
fetcher_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct fetch_sock	*s = w->data;
	struct fetcher		*f = s->f;	/* s may be freed under us */
	int			 running, flags = 0;

	(void)loop;
	if (revents & EV_READ)
		flags |= CURL_CSELECT_IN;
	if (revents & EV_WRITE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(f->multi, s->fd, flags, &running);
	fetcher_check(f);
}

static void
fetcher_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct fetcher	*f = w->data;
	int		 running;

	(void)loop;
	(void)revents;
	curl_multi_socket_action(f->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	fetcher_check(f);
}

/* libcurl's timer: -1 deletes it, anything else (0 too) arms it. */
static int
fetcher_timer_fn(CURLM *multi, long ms, void *arg)
{
	struct fetcher	*f = arg;

	(void)multi;
	ev_timer_stop(f->loop, &f->timer);
	if (ms >= 0) {
		ev_now_update(f->loop);		/* CPU work may have run */
		ev_timer_set(&f->timer, ms / 1000.0, 0);
		ev_timer_start(f->loop, &f->timer);
	}
	return 0;
}

/* libcurl's sockets: one ev_io each, stopped before any change. */
static int
fetcher_socket_fn(CURL *easy, curl_socket_t fd, int what, void *arg,
    void *sockp)
{
	struct fetcher		*f = arg;
	struct fetch_sock	*s = sockp;
	int			 ev = 0, io = 0;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (s != NULL) {
			ev_io_stop(f->loop, &s->io);
			curl_multi_assign(f->multi, fd, NULL);
			free(s);
			f->nsockets--;
			if (f->watch != NULL)
				f->watch(f->arg, (int)fd, 0);
		}
		return 0;
	}
	if (s == NULL) {
		if ((s = calloc(1, sizeof *s)) == NULL)
			return -1;
		s->f = f;
		s->fd = fd;
		s->io.data = s;
		ev_init(&s->io, fetcher_io_cb);
		curl_multi_assign(f->multi, fd, s);
		f->nsockets++;
	} else
		ev_io_stop(f->loop, &s->io);
	if (what & CURL_POLL_IN) {
		ev |= EV_READ;
		io |= IO_IN;
	}
	if (what & CURL_POLL_OUT) {
		ev |= EV_WRITE;
		io |= IO_OUT;
	}
	ev_io_set(&s->io, fd, ev);
	ev_io_start(f->loop, &s->io);
	if (f->watch != NULL)
		f->watch(f->arg, (int)fd, io);
	return 0;
}

/* Hand every finished transfer to its owner, until libcurl has none. */
static void
fetcher_check(struct fetcher *f)
{
	struct fetch	*x;
	CURLMsg		*msg;
	CURL		*easy;
	CURLcode	 rc;
	int		 left;

	while ((msg = curl_multi_info_read(f->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		easy = msg->easy_handle;
		rc = msg->data.result;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&x);
		fetch_finish(easy, rc, x->errbuf, &x->res);
		fetcher_drop(f, x);
		f->done(f->arg, x->owner, &x->res);
		free(x);
	}
}

struct fetcher *
fetcher_new(struct ev_loop *loop, long max_connections, fetch_done_fn done,
    fetch_watch_fn watch, void *arg)
{
	struct fetcher	*f;

	pthread_once(&fetch_once, fetch_global_init);
	if ((f = calloc(1, sizeof *f)) == NULL)
		return NULL;
	if ((f->multi = curl_multi_init()) == NULL) {
		free(f);
		return NULL;
	}
	f->loop = loop;
	f->done = done;
	f->watch = watch;
	f->arg = arg;
	ev_init(&f->timer, fetcher_timer_cb);
	f->timer.data = f;
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION, fetcher_socket_fn);
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION, fetcher_timer_fn);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERDATA, f);
	if (max_connections > 0)
		curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
		    max_connections);
	return f;
}

/*
 * Clean up while the loop still exists (libcurl calls back into it). A
 * run that ends before its answers (a restart, a quit, a loop closed with
 * transfers on their way) leaves transfers in flight: each is removed and
 * freed here, with no word to its owner, who is gone.
 */
void
fetcher_free(struct fetcher *f)
{
	struct fetch	*x;

	if (f == NULL)
		return;
	f->watch = NULL;
	while ((x = f->inflight) != NULL) {
		fetcher_drop(f, x);
		fetch_result_clear(&x->res);
		free(x);
	}
	curl_multi_cleanup(f->multi);
	ev_timer_stop(f->loop, &f->timer);
	free(f);
}

/* Start a GET; its result goes to done(arg, owner, result). */
struct fetch *
fetcher_start(struct fetcher *f, const struct fetch_options *o, void *owner)
{
	struct fetch	*x;

	if ((x = calloc(1, sizeof *x)) == NULL)
		return NULL;
	x->owner = owner;
	x->easy = fetch_easy(o, &x->res, x->errbuf, &x->headers);
	if (x->easy == NULL) {
		free(x);
		return NULL;
	}
	curl_easy_setopt(x->easy, CURLOPT_PRIVATE, x);
	if (curl_multi_add_handle(f->multi, x->easy) != CURLM_OK) {
		curl_easy_cleanup(x->easy);
		curl_slist_free_all(x->headers);
		free(x);
		return NULL;
	}
	if ((x->next = f->inflight) != NULL)
		x->next->prev = x;
	f->inflight = x;
	return x;
}

/* Give up a transfer (its timeout came first); no callback follows. */
void
fetcher_abort(struct fetcher *f, struct fetch *x)
{
	fetcher_drop(f, x);
	fetch_result_clear(&x->res);
	free(x);
}

size_t
fetcher_sockets(const struct fetcher *f)
{
	return f->nsockets;
}

/* ---------------------------------------------------------- blocking */

struct fetch_progress {
	int	(*stop)(void *);
	void	 *arg;
};

static int
fetch_progress_fn(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut,
    curl_off_t un)
{
	struct fetch_progress	*p = arg;

	(void)dt;
	(void)dn;
	(void)ut;
	(void)un;
	return p->stop != NULL && p->stop(p->arg) ? 1 : 0;
}

/*
 * A blocking GET, as a synchronous program makes it: the calling thread
 * waits. stop(arg) is asked now and then whether to give up.
 */
int
fetch_blocking(const struct fetch_options *o, int (*stop)(void *), void *arg,
    struct fetch_result *res)
{
	struct fetch_progress	 p = { stop, arg };
	struct curl_slist	*headers;
	char			 errbuf[CURL_ERROR_SIZE];
	CURL			*easy;
	CURLcode		 rc;

	memset(res, 0, sizeof *res);
	if ((easy = fetch_easy(o, res, errbuf, &headers)) == NULL) {
		snprintf(res->error, sizeof res->error, "cannot start libcurl");
		return -1;
	}
	curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, fetch_progress_fn);
	curl_easy_setopt(easy, CURLOPT_XFERINFODATA, &p);
	rc = curl_easy_perform(easy);
	fetch_finish(easy, rc, errbuf, res);
	curl_easy_cleanup(easy);
	curl_slist_free_all(headers);
	return res->ok ? 0 : -1;
}
