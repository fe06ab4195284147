/*
 * _loopscope.http_get(url, timeout): a blocking GET with libcurl's easy
 * interface, for the programs' `wikipedia` (python/stand-ins): the lane
 * that calls it is blocked on its line for as long as the page takes,
 * with the fetch's phases and its status and size in the trace. From
 * the child's page server (engine/pyserve.c) the answer comes at once
 * and says when it was due: the calling thread waits until then on the
 * child's clock, virtually in the simulated one. From elsewhere (the
 * real Wikipedia) the wait is real, and in the simulated clock takes no
 * virtual time.
 */
#include "config.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pyclock.h"
#include "pyemit.h"
#include "pyhold.h"
#include "pyhttp-read.h"
#include "pyhttp.h"
#include "pyserve.h"
#include "pythread.h"
#include "pytrace.h"

/* Wait until due on the child's clock: virtually, or for real. */
static void
pyhttp_wait(vtime_t due)
{
	struct timespec	ts;
	vtime_t		d;

	if (pyclock_sim()) {
		if (pyclock_main_thread())
			pyclock_jump(due);
		else
			pyhold_sleep(due);
		return;
	}
	if ((d = due - pyclock_now()) <= 0)
		return;
	ts.tv_sec = d / VTIME_SEC;
	ts.tv_nsec = d % VTIME_SEC;
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* The phase of waiting for the answer and its end, in the trace. */
static void
pyhttp_trace(uint32_t lane, vtime_t t0, vtime_t t1, long status, size_t len)
{
	struct trace_event	ev = { 0 };

	ev.type = TRACE_IO_PHASE;
	ev.task = lane;
	ev.state = PHASE_WAIT;
	trace_set_phase(&ev, t0, t1);
	pytrace_push_event(&ev);
	memset(&ev, 0, sizeof ev);
	ev.type = TRACE_FETCH_DONE;
	ev.task = lane;
	ev.other = (uint32_t)status;
	trace_set_bytes(&ev, (int64_t)len);
	pytrace_push_event(&ev);
}

PyObject *
pyhttp_get(PyObject *m, PyObject *args, PyObject *kw)
{
	static char		*names[] = { "url", "timeout", NULL };
	struct pyhttp_read	 b;
	struct curl_slist	*hdrs = NULL;
	const char		*url;
	char			 at[64], err[CURL_ERROR_SIZE] = "";
	double			 timeout = 10.0;
	CURL			*c;
	CURLcode		 rc;
	long			 status = 0, oserr = 0;
	vtime_t			 t0, due, limit;
	uint32_t		 lane = 0;
	bool			 main_thread = pyclock_main_thread();
	PyObject		*r;

	(void)m;
	if (!PyArg_ParseTupleAndKeywords(args, kw, "s|d", names, &url,
	    &timeout))
		return NULL;
	if ((c = curl_easy_init()) == NULL)
		return PyErr_NoMemory();
	pyhttp_read_init(&b, PYHTTP_READ_BODY_MAX);
	t0 = main_thread && pytrace_on() ? pytrace_now() : pyclock_peek();
	/* Another thread's lane (a worker's) tells its own fetch. */
	if (!main_thread)
		(void)pythread_block(REASON_BLOCK_FETCH);
	if (main_thread && pytrace_on()) {
		lane = pytrace_here();
		pytrace_state(lane, TASK_BLOCKED, REASON_BLOCK_FETCH,
		    pytrace_frame_line(), 0, 0);
		pyemit_flush();
	}
	snprintf(at, sizeof at, "%s: %lld", PYSERVE_AT_HEADER, (long long)t0);
	hdrs = curl_slist_append(hdrs, at);
	hdrs = curl_slist_append(hdrs, PYSERVE_BLOCKING_HEADER ": 1");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, pyhttp_read_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, pyhttp_read_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &b);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "loopscope/" PACKAGE_VERSION
	    " (a teaching tool; https://example.invalid/loopscope)");
	/* Real time: a page server of ours answers at once. */
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(timeout * 1000));
	Py_BEGIN_ALLOW_THREADS
	rc = curl_easy_perform(c);
	Py_END_ALLOW_THREADS
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &oserr);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	/*
	 * When the answer was due, on our clock, and if it came by then: a
	 * silent page never does, nor one due past the timeout.
	 */
	limit = t0 + (vtime_t)(timeout * 1e9);
	due = t0;
	if (b.due_kind == PYHTTP_READ_DUE_SILENT ||
	    (b.due_kind == PYHTTP_READ_DUE_AT && b.due > limit)) {
		due = limit;
		rc = CURLE_OPERATION_TIMEDOUT;
	} else if (b.due_kind == PYHTTP_READ_DUE_AT)
		due = b.due;
	/* Another thread's wait is the loop's to end: it needs the GIL. */
	if (b.due_kind != PYHTTP_READ_DUE_NONE) {
		Py_BEGIN_ALLOW_THREADS
		pyhttp_wait(due);
		Py_END_ALLOW_THREADS
	}
	if (lane != 0) {
		pyhttp_trace(lane, t0, pytrace_now(), rc == CURLE_OK ? status :
		    0, b.len);
		pytrace_unblock();
	}
	if (!main_thread)
		pythread_unblock(b.due_kind != PYHTTP_READ_DUE_NONE &&
		    pyclock_sim() ? due : -1);
	if (rc == CURLE_OPERATION_TIMEDOUT) {
		pyhttp_read_clear(&b);
		return PyErr_Format(PyExc_TimeoutError, "timeout after %.2f s",
		    timeout);
	}
	if (rc == CURLE_COULDNT_CONNECT && oserr != 0) {
		/* Python's own words: ConnectionRefusedError, [Errno 111]. */
		pyhttp_read_clear(&b);
		errno = (int)oserr;
		return PyErr_SetFromErrno(PyExc_OSError);
	}
	if (rc != CURLE_OK || b.too_big) {
		pyhttp_read_clear(&b);
		return PyErr_Format(PyExc_ConnectionError, "%s", b.too_big ?
		    "the answer is too large" : err[0] != '\0' ? err :
		    curl_easy_strerror(rc));
	}
	r = Py_BuildValue("(ly#)", status, b.data != NULL ? b.data : "",
	    (Py_ssize_t)b.len);
	pyhttp_read_clear(&b);
	return r;
}
