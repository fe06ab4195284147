/* The child's trace: a ring on the program's thread, a writer thread. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pyemit.h"
#include "trace-int.h"
#include "wire.h"

#define PYEMIT_RING	16384	/* events */
#define PYEMIT_BATCH	1024	/* events between wakes of the writer */
#define PYEMIT_BUF	(256 * 1024)
#define PYEMIT_LOOK_MS	10	/* a sleeping writer looks this often */

static struct {
	struct trace_ring	*ring;
	struct trace_notify	 notify;
	atomic_bool		 stop;
	pthread_t		 thread;
	bool			 on;
	atomic_bool		 shared;	/* pushed from two threads */
	int			 fd;
	int64_t			 t0;
	int64_t			 rtime;		/* stamp of the events now */
	struct wire_ctx		 ctx;
	uint8_t			*buf;
	size_t			 nbuf;
	_Atomic uint64_t	 pushed;	/* events in the ring, ever */
	_Atomic uint64_t	 written;	/* of them, written out */
} pyemit;

/* Real nanoseconds since the session started, as of the last tick. */
int64_t
pyemit_rtime(void)
{
	return pyemit.rtime;
}

/*
 * Read the real time the events from now on carry: once per turn of the
 * loop and after each wait, not per event (doc/trace-events.md).
 */
void
pyemit_tick(void)
{
	pyemit.rtime = vtime_real_ns() - pyemit.t0;
}

/* Write what the buffer holds; a session that went away ends us. */
static void
pyemit_write_out(void)
{
	size_t	off = 0;
	ssize_t	n;

	while (off < pyemit.nbuf) {
		n = write(pyemit.fd, pyemit.buf + off, pyemit.nbuf - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(1);	/* no session to tell: nothing else to do */
		off += (size_t)n;
	}
	pyemit.nbuf = 0;
}

static bool
pyemit_waiting(void *arg)
{
	(void)arg;
	return !trace_ring_empty(pyemit.ring) || atomic_load(&pyemit.stop);
}

/* The writer: pack what the ring holds, write it, sleep when it is empty. */
static void *
pyemit_main(void *arg)
{
	struct trace_event	 batch[256];
	struct pollfd		 pfd;
	size_t			 n, i;
	uint64_t		 popped = 0;

	(void)arg;
	for (;;) {
		n = trace_ring_pop(pyemit.ring, batch, 256);
		popped += n;
		for (i = 0; i < n; i++) {
			if (pyemit.nbuf + WIRE_RECORD_MAX > PYEMIT_BUF)
				pyemit_write_out();
			pyemit.nbuf += wire_encode(&pyemit.ctx, &batch[i],
			    pyemit.buf + pyemit.nbuf);
			trace_event_clear(&batch[i]);
		}
		if (n > 0)
			continue;
		if (pyemit.nbuf > 0)
			pyemit_write_out();
		atomic_store(&pyemit.written, popped);
		if (atomic_load(&pyemit.stop) && trace_ring_empty(pyemit.ring))
			break;
		/*
		 * No spinning: the program's thread wants the CPU more than
		 * we do (one write per batch of events is what we cost).
		 */
		trace_notify_clear(&pyemit.notify);
		atomic_store(&pyemit.notify.waiting, true);
		if (!pyemit_waiting(NULL)) {
			pfd.fd = pyemit.notify.fd;
			pfd.events = POLLIN;
			/*
			 * Woken every PYEMIT_BATCH events, or by a look of
			 * its own: events published without a wake (a few
			 * before a long computation) leave within 10 ms.
			 */
			while (poll(&pfd, 1, PYEMIT_LOOK_MS) < 0 &&
			    errno == EINTR)
				;
		}
		atomic_store(&pyemit.notify.waiting, false);
	}
	return NULL;
}

static void	pyemit_crash(int sig);

/* A crash's signal writes out what was printed first (pyemit_crash). */
static void
pyemit_on_crash(void)
{
	static const int	 sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL,
		SIGABRT };
	struct sigaction	 sa;
	size_t			 i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = pyemit_crash;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

/* Start writing the trace to fd; t0 is the session's start (real ns). */
int
pyemit_open(int fd, int64_t t0)
{
	sigset_t	all, old;
	int		rc;

	pyemit.fd = fd;
	pyemit.t0 = t0;
	pyemit_tick();
	trace_notify_init(&pyemit.notify);
	atomic_init(&pyemit.stop, false);
	if (pyemit.notify.fd < 0 ||
	    (pyemit.ring = trace_ring_new(PYEMIT_RING, &pyemit.notify)) ==
	    NULL || (pyemit.buf = malloc(PYEMIT_BUF)) == NULL)
		return -1;
	trace_ring_set_batch(pyemit.ring, PYEMIT_BATCH);
	/* Signals are the program's: its thread takes them, never ours. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&pyemit.thread, NULL, pyemit_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		return -1;
	pyemit.on = true;
	pyemit_on_crash();
	return 0;
}

bool
pyemit_on(void)
{
	return pyemit.on;
}

static pthread_mutex_t	pyemit_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * Events are pushed by the thread that holds the GIL, one at a time; once
 * the GIL's watcher (engine/pythread.h) pushes too, without the GIL,
 * every push takes a lock. Set with the GIL held, before the watcher
 * runs: the holders after see it.
 */
void
pyemit_shared(void)
{
	atomic_store(&pyemit.shared, true);
}

static void
pyemit_push_one(struct trace_event *ev)
{
	ev->rtime = pyemit.rtime;
	if (trace_ring_push(pyemit.ring, ev, NULL) != 0)
		trace_event_clear(ev);
	else
		atomic_fetch_add_explicit(&pyemit.pushed, 1,
		    memory_order_relaxed);
	trace_ring_publish(pyemit.ring);
}

/* Hand one event to the writer; its text (if owned) goes with it. */
void
pyemit_push(struct trace_event *ev)
{
	if (!pyemit.on) {
		trace_event_clear(ev);
		return;
	}
	if (!atomic_load_explicit(&pyemit.shared, memory_order_relaxed)) {
		pyemit_push_one(ev);
		return;
	}
	pthread_mutex_lock(&pyemit_lock);
	pyemit_push_one(ev);
	pthread_mutex_unlock(&pyemit_lock);
}

/*
 * A change of state and nothing else. At the stamp of the event before
 * it takes one slot of the ring; otherwise it goes as any event.
 */
void
pyemit_state(uint32_t task, enum task_state state, enum trace_reason reason,
    uint16_t line, uint32_t other, vtime_t vtime)
{
	struct trace_event	ev;

	if (!pyemit.on)
		return;
	memset(&ev, 0, sizeof ev);
	ev.type = TRACE_TASK_STATE;
	ev.task = task;
	ev.state = (uint8_t)state;
	ev.reason = (uint8_t)reason;
	ev.line = line;
	ev.other = other;
	ev.vtime = vtime;
	pyemit_push(&ev);
}

/* Show the writer what waits, now (before a wait, or a long stretch). */
void
pyemit_flush(void)
{
	if (!pyemit.on)
		return;
	if (!atomic_load_explicit(&pyemit.shared, memory_order_relaxed)) {
		trace_ring_flush(pyemit.ring);
		return;
	}
	pthread_mutex_lock(&pyemit_lock);
	trace_ring_flush(pyemit.ring);
	pthread_mutex_unlock(&pyemit_lock);
}

/*
 * Wait, max_ns at most, until the writer has written out every event
 * pushed so far: what the program printed before it flushes its output
 * (print(..., flush=True)) is with the session, as python3's is written
 * by then. Nothing but atomics, a write and sleeps: a crash's handler
 * calls it too (pyemit_crash).
 */
static void
pyemit_sync_for(int64_t max_ns, bool locked)
{
	struct timespec	ts = { 0, 20000 };
	uint64_t	want = atomic_load(&pyemit.pushed);
	int64_t		waited;

	if (locked)
		pyemit_flush();
	else
		trace_ring_flush(pyemit.ring);
	atomic_store(&pyemit.notify.waiting, true);
	trace_notify_wake(&pyemit.notify);
	for (waited = 0; atomic_load(&pyemit.written) < want &&
	    waited < max_ns; waited += ts.tv_nsec)
		nanosleep(&ts, NULL);
}

void
pyemit_sync(void)
{
	if (pyemit.on)
		pyemit_sync_for(100 * 1000000, true);
}

/*
 * The program's process crashed (a segmentation fault, an abort): what it
 * printed before goes out (0.2 s at most), then the signal does what it
 * would have done.
 */
static void
pyemit_crash(int sig)
{
	int	saved = errno;

	if (pyemit.on)
		pyemit_sync_for(200 * 1000000, false);
	errno = saved;
	raise(sig);
}

/* Write everything out and stop the writer. */
void
pyemit_close(void)
{
	if (!pyemit.on)
		return;
	trace_ring_flush(pyemit.ring);
	atomic_store(&pyemit.stop, true);
	trace_notify_wake(&pyemit.notify);
	pthread_join(pyemit.thread, NULL);
	pyemit.on = false;
}

/*
 * In a process the program forked (multiprocessing, os.fork): the writer
 * thread did not come along, and the pipe is its parent's. Trace nothing.
 */
void
pyemit_forked(void)
{
	if (!pyemit.on)
		return;
	pyemit.on = false;
	close(pyemit.fd);
	pyemit.fd = -1;
}
