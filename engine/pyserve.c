/*
 * The page server of a variant's child: Wikipedia's summary API on
 * 127.0.0.1 (engine/pages.c), in the child's own process and on its own
 * clock, so that its latency and bandwidth are virtual and a simulated
 * run is the same from run to run whichever client asks: the program's
 * `wikipedia` (engine/pyhttp.c), aiohttp or httpx on the loop, requests
 * in a thread.
 *
 * An answer is due at the request's virtual time plus the latency (and
 * its size at the bandwidth). A client that blocks the program's thread
 * is answered at once and the clock goes to the due time (the call took
 * that long); any other waits on a hold (engine/pyhold.h) that the loop
 * releases when time gets there. Its answer is then in flight until
 * libmicrohttpd has sent it: the loop waits for it in real time, with
 * virtual time standing still.
 *
 * libmicrohttpd's own epoll thread is not used (it can leave exactly 128
 * ready connections unread: see engine/server.c): a thread of ours runs
 * MHD_run and waits on MHD's epoll descriptor and a kick pipe.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pages.h"
#include "pyclock.h"
#include "pyhold.h"
#include "pyserve-req.h"
#include "pyserve.h"

#define PYSERVE_PORTS	65536
#define PYSERVE_LOOK_MS	20	/* the watch on holds nobody releases */

struct pyserve_req {
	struct pyhold		 hold;
	struct MHD_Connection	*conn;
	char			*title;
	enum server_fault	 fault;
	bool			 held;
	bool			 answer;	/* answer now */
	bool			 closing;	/* the server stops: close */
	char			 due[32];	/* for a blocking client */
	struct pyserve_req	*prev, *next;	/* suspended ones */
};

static struct {
	struct MHD_Daemon	*daemon;
	struct pyserve_config	 cfg;
	int			 epoll_fd;
	int			 kick[2];
	pthread_t		 thread;
	atomic_bool		 halt;
	atomic_int		 inflight;	/* released, not yet sent */
	atomic_bool		 busy;		/* our thread is at work */
	unsigned short		 port;
	atomic_uchar		*loop_ports;	/* the loop's sockets to us */
	atomic_uint		*port_fd;	/* their descriptors, + 1 */
	pthread_mutex_t		 lock;		/* guards suspended */
	struct pyserve_req	*suspended;
} pyserve = { .epoll_fd = -1, .kick = { -1, -1 },
    .lock = PTHREAD_MUTEX_INITIALIZER };

/*
 * A connection waits (suspended) or no longer does: libmicrohttpd will
 * not stop with one suspended, so pyserve_stop() resumes the rest.
 */
static void
pyserve_suspend(struct pyserve_req *req)
{
	pthread_mutex_lock(&pyserve.lock);
	req->prev = NULL;
	req->next = pyserve.suspended;
	if (req->next != NULL)
		req->next->prev = req;
	pyserve.suspended = req;
	pthread_mutex_unlock(&pyserve.lock);
	MHD_suspend_connection(req->conn);
}

static void
pyserve_unlist(struct pyserve_req *req)
{
	pthread_mutex_lock(&pyserve.lock);
	if (req->prev != NULL)
		req->prev->next = req->next;
	else if (pyserve.suspended == req)
		pyserve.suspended = req->next;
	if (req->next != NULL)
		req->next->prev = req->prev;
	req->prev = req->next = NULL;
	pthread_mutex_unlock(&pyserve.lock);
}

unsigned short
pyserve_port(void)
{
	return pyserve.port;
}

/* Answers released and not yet sent: the loop waits for them. */
int
pyserve_inflight(void)
{
	return pyserve.daemon != NULL ? atomic_load(&pyserve.inflight) : 0;
}

/*
 * Whether a request may be on its way in: bytes a client wrote that our
 * thread has not taken in yet (MHD's epoll descriptor is ready), or our
 * thread at work. The loop must not move the clock meanwhile: the
 * request's time is when the server sees it. A write on the loopback
 * reaches the peer's socket within the write, so a request written is
 * seen here. The descriptor is looked at first: our thread marks itself
 * busy before it takes what made it ready.
 */
bool
pyserve_busy(void)
{
	struct pollfd	pfd;

	if (pyserve.daemon == NULL)
		return false;
	pfd.fd = pyserve.epoll_fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) > 0)
		return true;
	return atomic_load(&pyserve.busy);
}

/*
 * A socket the loop watches: is it a client of ours? Then its local port
 * marks its requests as the loop's (held, not answered at once), and it
 * is no real work the clock waits for.
 */
bool
pyserve_loop_socket(int fd, bool watched)
{
	struct sockaddr_in	sa;
	socklen_t		len = sizeof sa;

	if (pyserve.daemon == NULL || getpeername(fd, (struct sockaddr *)&sa,
	    &len) != 0 || sa.sin_family != AF_INET ||
	    ntohs(sa.sin_port) != pyserve.port)
		return false;
	len = sizeof sa;
	if (getsockname(fd, (struct sockaddr *)&sa, &len) == 0) {
		atomic_store(&pyserve.loop_ports[ntohs(sa.sin_port)],
		    watched ? 1 : 0);
		if (watched)
			atomic_store(&pyserve.port_fd[ntohs(sa.sin_port)],
			    (unsigned)fd + 1);
	}
	return true;
}

static void
pyserve_kick(void)
{
	ssize_t	n;

	n = write(pyserve.kick[1], "k", 1);
	(void)n;
}

/* The loop's time came: resume the connection, its answer goes out. */
static void
pyserve_release(struct pyhold *h)
{
	struct pyserve_req	*req = h->arg;

	req->answer = true;
	atomic_fetch_add(&pyserve.inflight, 1);
	pyserve_unlist(req);
	MHD_resume_connection(req->conn);
	pyserve_kick();
}

static enum server_fault
pyserve_fault_of(const char *title)
{
	size_t	i;

	for (i = 0; i < pyserve.cfg.nfaults; i++)
		if (strcmp(pyserve.cfg.fault_page[i], title) == 0)
			return pyserve.cfg.fault[i];
	return SERVER_OK;
}

/*
 * The request's client: a socket the loop watches (held) or a thread.
 * *order: the loop's socket's descriptor + 1. The program opens its
 * sockets in the same order every run, whatever order they connect in,
 * so the answers of one instant go out in that order.
 */
static bool
pyserve_from_loop(struct MHD_Connection *conn, unsigned long *order)
{
	const union MHD_ConnectionInfo	*ci;
	const struct sockaddr_in	*sa;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || ci->client_addr == NULL ||
	    ci->client_addr->sa_family != AF_INET)
		return false;
	sa = (const struct sockaddr_in *)(const void *)ci->client_addr;
	*order = atomic_load(&pyserve.port_fd[ntohs(sa->sin_port)]);
	return atomic_load(&pyserve.loop_ports[ntohs(sa->sin_port)]) != 0;
}

/*
 * The answer. To a blocking client of ours it says when it was due, and
 * a page that never answers is said so (the client then gives up at its
 * timeout, virtually) rather than kept waiting.
 */
static enum MHD_Result
pyserve_respond(struct pyserve_req *req)
{
	struct MHD_Response	*resp;
	enum MHD_Result		 rc;

	if (req->due[0] == '\0')
		return pages_answer(req->conn, req->title, req->fault, NULL,
		    NULL);
	if (req->fault != SERVER_SILENT)
		return pages_answer(req->conn, req->title, req->fault,
		    PYSERVE_DUE_HEADER, req->due);
	if ((resp = MHD_create_response_from_buffer(0, (void *)"",
	    MHD_RESPMEM_PERSISTENT)) == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, PYSERVE_DUE_HEADER, "silent");
	rc = MHD_queue_response(req->conn, MHD_HTTP_GATEWAY_TIMEOUT, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result
pyserve_handler(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct pyserve_req	*req = *con_cls;
	const char		*title, *at, *blocking;
	vtime_t			 sent, due;
	unsigned long		 order = 0;

	(void)cls;
	(void)version;
	(void)upload;
	(void)upload_size;
	if (req == NULL) {
		if ((req = calloc(1, sizeof *req)) == NULL)
			return MHD_NO;
		*con_cls = req;
		return MHD_YES;
	}
	if (req->closing)
		return MHD_NO;
	if (req->answer)
		return pyserve_respond(req);
	if (req->held)
		return MHD_YES;
	if ((title = pyserve_req_title(method, url)) == NULL)
		return pages_answer(conn, "", SERVER_404, NULL, NULL);
	if ((req->title = strdup(title)) == NULL)
		return MHD_NO;
	req->conn = conn;
	req->fault = pyserve_fault_of(title);
	/* When it left: our client says; else, the clock's now. */
	at = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    PYSERVE_AT_HEADER);
	if (at == NULL || !pyserve_req_time(at, strlen(at), &sent))
		sent = pyclock_peek();
	due = pyserve_req_due(sent, pyserve.cfg.latency,
	    pyserve.cfg.bandwidth, pyserve.cfg.bandwidth > 0 ?
	    pages_body_size(title) : 0);
	blocking = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    PYSERVE_BLOCKING_HEADER);
	if (blocking != NULL) {
		/* Our client, blocking its thread: at once, said when. */
		snprintf(req->due, sizeof req->due, "%lld", (long long)due);
		req->answer = true;
		return pyserve_respond(req);
	}
	if (req->fault == SERVER_SILENT) {
		req->held = true;	/* never answers: the client gives up */
		req->hold.released = true;	/* and holds no time */
		pyserve_suspend(req);
		return MHD_YES;
	}
	req->held = true;
	req->hold.due = due;
	req->hold.thread = !pyserve_from_loop(conn, &order);
	req->hold.seq = req->hold.thread ? 0 : order;
	req->hold.key = req->hold.thread ? req->title : NULL;
	req->hold.release = pyserve_release;
	req->hold.arg = req;
	pyserve_suspend(req);
	pyhold_add(&req->hold);
	return MHD_YES;
}

/* A connection's request ended: sent, or the client went away. */
static void
pyserve_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct pyserve_req	*req = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (req == NULL)
		return;
	pyserve_unlist(req);
	if (req->held && req->fault != SERVER_SILENT) {
		pyhold_remove(&req->hold);
		if (req->hold.released && !req->closing)
			atomic_fetch_sub(&pyserve.inflight, 1);
	}
	free(req->title);
	free(req);
	*con_cls = NULL;
}

/* Our thread: MHD_run, then wait on MHD's epoll and the kick pipe. */
static void *
pyserve_main(void *arg)
{
	struct pollfd		pfd[2];
	MHD_UNSIGNED_LONG_LONG	ms;
	int			timeout;
	char			buf[64];

	(void)arg;
	pfd[0].fd = pyserve.epoll_fd;
	pfd[0].events = POLLIN;
	pfd[1].fd = pyserve.kick[0];
	pfd[1].events = POLLIN;
	for (;;) {
		MHD_run(pyserve.daemon);
		/* A request just held, with no loop to release it: now. */
		pyhold_idle();
		if (MHD_get_timeout(pyserve.daemon, &ms) != MHD_YES)
			timeout = PYSERVE_LOOK_MS;
		else
			timeout = ms > PYSERVE_LOOK_MS ? PYSERVE_LOOK_MS :
			    (int)ms;
		atomic_store(&pyserve.busy, timeout == 0);
		poll(pfd, 2, timeout);
		atomic_store(&pyserve.busy, true);
		while (read(pyserve.kick[0], buf, sizeof buf) > 0)
			;
		if (atomic_load(&pyserve.halt))
			break;
		pyhold_idle();
	}
	return NULL;
}

/*
 * Start the server on a free port of 127.0.0.1; 0, or -1 with the reason
 * in err.
 */
int
pyserve_start(const struct pyserve_config *cfg, char *err, size_t len)
{
	struct sockaddr_in		 sin;
	const union MHD_DaemonInfo	*info;
	sigset_t			 all, old;
	int				 rc;

	pyserve.cfg = *cfg;
	if ((pyserve.loop_ports = calloc(PYSERVE_PORTS,
	    sizeof *pyserve.loop_ports)) == NULL ||
	    (pyserve.port_fd = calloc(PYSERVE_PORTS,
	    sizeof *pyserve.port_fd)) == NULL ||
	    pipe2(pyserve.kick, O_CLOEXEC | O_NONBLOCK) != 0) {
		snprintf(err, len, "the page server: out of resources");
		return -1;
	}
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	pyserve.daemon = MHD_start_daemon(MHD_USE_EPOLL |
	    MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL,
	    pyserve_handler, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)20000,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)0,
	    MHD_OPTION_NOTIFY_COMPLETED, pyserve_completed, NULL,
	    MHD_OPTION_END);
	if (pyserve.daemon == NULL) {
		snprintf(err, len, "the page server: cannot listen on "
		    "127.0.0.1");
		return -1;
	}
	info = MHD_get_daemon_info(pyserve.daemon, MHD_DAEMON_INFO_BIND_PORT);
	pyserve.port = info != NULL ? info->port : 0;
	info = MHD_get_daemon_info(pyserve.daemon, MHD_DAEMON_INFO_EPOLL_FD);
	pyserve.epoll_fd = info != NULL ? info->epoll_fd : -1;
	/* Signals are the program's: our thread takes none. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pyserve.port == 0 || pyserve.epoll_fd < 0 ? -1 :
	    pthread_create(&pyserve.thread, NULL, pyserve_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		snprintf(err, len, "the page server: cannot start");
		MHD_stop_daemon(pyserve.daemon);
		pyserve.daemon = NULL;
		return -1;
	}
	return 0;
}

/* Stop it (the program ended). */
void
pyserve_stop(void)
{
	struct pyserve_req	*req;
	int			 i;

	if (pyserve.daemon == NULL)
		return;
	atomic_store(&pyserve.halt, true);
	pyserve_kick();
	pthread_join(pyserve.thread, NULL);
	/*
	 * Connections still waiting (a silent page, a client that went away
	 * before its answer was due) are resumed to be closed: MHD stops
	 * with none suspended. A few runs let it call us back and close.
	 */
	pthread_mutex_lock(&pyserve.lock);
	while ((req = pyserve.suspended) != NULL) {
		pyserve.suspended = req->next;
		req->prev = req->next = NULL;
		req->closing = true;
		MHD_resume_connection(req->conn);
	}
	pthread_mutex_unlock(&pyserve.lock);
	for (i = 0; i < 4; i++)
		MHD_run(pyserve.daemon);
	MHD_stop_daemon(pyserve.daemon);
	pyserve.daemon = NULL;
}
