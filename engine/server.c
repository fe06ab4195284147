/* The embedded page server: Wikipedia's summary API on 127.0.0.1. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <microhttpd.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server.h"

/*
 * libmicrohttpd's own polling thread is not used: its epoll loop (0.9.75,
 * MHD_epoll) asks epoll_wait again, with the same endless timeout, each
 * time a call filled all its 128 slots. When exactly 128 connections were
 * ready, that second call sleeps with their requests read by nobody, and as
 * MHD's epoll is edge-triggered nothing more comes for them: the clients
 * wait (and, as their requests hold simulated time, so does everyone) until
 * some other socket stirs. A thread of ours runs MHD instead: MHD_run never
 * blocks, and the thread waits on MHD's epoll descriptor, which stays
 * readable while anything is pending, no longer than MHD_get_timeout says.
 * A resume does not reach that descriptor (MHD's inter-thread channel is
 * only in it for MHD's own thread): who resumes kicks the thread.
 *
 * Each request waits, in the session's virtual time, for the latency (and
 * its size at the bandwidth) before its answer: the connection is
 * suspended and a thread of ours, a participant of the clock like the
 * variants, resumes it when its time comes. So the demo looks the same at
 * any speed, and in simulated time too.
 *
 * A client of loopscope's own names, in a header, the clock's message its
 * request is (clock_msg_send), when it left and when the client gives up:
 * its answer is due at that departure plus the latency, however late the
 * request reached us (its sender may have blocked before sending it), and
 * never when the client has given up by then.
 */
struct server_req {
	struct MHD_Connection	*conn;
	char			*title;
	enum server_fault	 fault;
	vtime_t			 release;
	uint64_t		 token;		/* clock's message, 0: none */
	bool			 registered;
	bool			 released;
	bool			 taken;		/* told the clock: we answer */
	struct server_req	*next;		/* waiting to be released */
};

struct server {
	struct MHD_Daemon	*daemon;
	struct clock		*clock;
	struct server_config	 cfg;
	char			*fault_pages[SERVER_MAX_FAULTS];
	int			 cid;
	int			 wake[2];
	pthread_t		 thread;
	int			 epoll_fd;	/* MHD's */
	int			 kick[2];	/* wakes mhd_thread */
	pthread_t		 mhd_thread;
	bool			 mhd_running;
	atomic_bool		 mhd_halt;
	pthread_mutex_t		 lock;
	struct server_req	*waiting;
	bool			 stopping;
	unsigned short		 port;
};

static void
server_wake(void *arg)
{
	struct server	*srv = arg;
	char		 c = 1;

	if (write(srv->wake[1], &c, 1) < 0 && errno != EAGAIN)
		return;
}

/* Have MHD's loop run: a connection was resumed, or it is to end. */
static void
server_kick(struct server *srv)
{
	char	c = 1;

	if (write(srv->kick[1], &c, 1) < 0 && errno != EAGAIN)
		return;
}

static enum server_fault
server_fault_of(const struct server *srv, const char *title)
{
	size_t	i;

	for (i = 0; i < srv->cfg.nfaults; i++)
		if (strcmp(srv->cfg.fault_page[i], title) == 0)
			return srv->cfg.fault[i];
	return SERVER_OK;
}

static enum MHD_Result
server_handler(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct server		*srv = cls;
	struct server_req	*req = *con_cls;
	const char		*title, *hold;
	vtime_t			 extra = 0, sent, deadline = VTIME_NEVER;
	unsigned long long	 token;
	long long		 at, until;

	(void)version;
	(void)upload;
	(void)upload_size;
	if (req == NULL) {
		if ((req = calloc(1, sizeof *req)) == NULL)
			return MHD_NO;
		*con_cls = req;
		return MHD_YES;
	}
	if (srv->stopping)
		return MHD_NO;
	if (req->released)
		return pages_answer(conn, req->title, req->fault, NULL, NULL);
	if (req->registered)
		return MHD_YES;
	if (strcmp(method, "GET") != 0 ||
	    strncmp(url, SERVER_PATH, strlen(SERVER_PATH)) != 0)
		title = "";
	else
		title = url + strlen(SERVER_PATH);
	if ((req->title = strdup(title)) == NULL)
		return MHD_NO;
	req->fault = server_fault_of(srv, title);
	/* The client's message, when it left, when it will give up. */
	sent = clock_now(srv->clock);
	hold = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    SERVER_HOLD_HEADER);
	if (hold != NULL && sscanf(hold, "%llu %lld %lld", &token, &at,
	    &until) == 3) {
		req->token = token;
		if (at >= 0 && at < sent)
			sent = at;
		if (until > 0)
			deadline = until;
	}
	if (srv->cfg.bandwidth > 0)
		extra = (vtime_t)((double)pages_body_size(title) /
		    srv->cfg.bandwidth * VTIME_SEC);
	req->release = req->fault == SERVER_SILENT ? VTIME_NEVER :
	    sent + srv->cfg.latency + extra;
	if (req->release > deadline)
		req->release = VTIME_NEVER;	/* the client hangs up first */
	req->registered = true;
	req->conn = conn;
	/* Suspended before our thread can see it: resume follows suspend. */
	MHD_suspend_connection(conn);
	pthread_mutex_lock(&srv->lock);
	if (srv->stopping)
		MHD_resume_connection(conn);	/* server_stop came first */
	else {
		req->next = srv->waiting;
		srv->waiting = req;
	}
	pthread_mutex_unlock(&srv->lock);
	server_wake(srv);
	return MHD_YES;
}

/* A connection is over: forget its request. */
static void
server_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode code)
{
	struct server		*srv = cls;
	struct server_req	*req = *con_cls, **pp;

	(void)conn;
	(void)code;
	if (req == NULL)
		return;
	pthread_mutex_lock(&srv->lock);
	for (pp = &srv->waiting; *pp != NULL; pp = &(*pp)->next)
		if (*pp == req) {
			*pp = req->next;
			break;
		}
	pthread_mutex_unlock(&srv->lock);
	free(req->title);
	free(req);
	*con_cls = NULL;
}

/*
 * Release what is due, tell the clock when the next one is, take the
 * clients' messages over once that is said, and sleep until woken.
 *
 * Every answer due now is marked due at the clock before any is sent:
 * a client then waits for all of them (clock_msg_pending) and sees the
 * answers of one instant together, whatever order they arrive in.
 */
static void *
server_main(void *arg)
{
	struct server		*srv = arg;
	struct server_req	*req, **pp, *out;
	struct pollfd		 pfd = { .fd = srv->wake[0], .events = POLLIN };
	vtime_t			 now, next;
	double			 delay;
	char			 buf[64];

	for (;;) {
		pthread_mutex_lock(&srv->lock);
		if (srv->stopping) {
			pthread_mutex_unlock(&srv->lock);
			break;
		}
		now = clock_now(srv->clock);
		next = VTIME_NEVER;
		out = NULL;
		for (pp = &srv->waiting; (req = *pp) != NULL; ) {
			if (req->release <= now) {
				*pp = req->next;
				req->released = true;
				clock_msg_due(srv->clock, req->token);
				req->next = out;
				out = req;
				continue;
			}
			if (req->release < next)
				next = req->release;
			pp = &req->next;
		}
		if (out != NULL) {
			for (req = out; req != NULL; req = out) {
				out = req->next;
				MHD_resume_connection(req->conn);
			}
			server_kick(srv);
		}
		clock_idle(srv->clock, srv->cid, next);
		for (req = srv->waiting; req != NULL; req = req->next)
			if (!req->taken) {
				req->taken = true;
				clock_msg_take(srv->clock, req->token);
			}
		pthread_mutex_unlock(&srv->lock);
		delay = clock_delay(srv->clock, next);
		if (clock_stopping(srv->clock))
			break;
		poll(&pfd, 1, delay < 0 ? -1 : (int)(delay * 1000) + 1);
		while (read(srv->wake[0], buf, sizeof buf) > 0)
			;
		clock_busy(srv->clock, srv->cid);
	}
	return NULL;
}

/*
 * MHD's event loop (see the top of the file): run what is pending, then
 * wait for its epoll descriptor, its timeout or a kick.
 */
static void *
server_mhd_main(void *arg)
{
	struct server		*srv = arg;
	struct pollfd		 pfd[2];
	MHD_UNSIGNED_LONG_LONG	 ms;
	int			 timeout;
	char			 buf[64];

	pfd[0].fd = srv->epoll_fd;
	pfd[0].events = POLLIN;
	pfd[1].fd = srv->kick[0];
	pfd[1].events = POLLIN;
	for (;;) {
		MHD_run(srv->daemon);
		if (MHD_get_timeout(srv->daemon, &ms) != MHD_YES)
			timeout = -1;
		else
			timeout = ms > INT_MAX ? INT_MAX : (int)ms;
		poll(pfd, 2, timeout);
		while (read(srv->kick[0], buf, sizeof buf) > 0)
			;
		if (atomic_load(&srv->mhd_halt))
			break;
	}
	return NULL;
}

/* Serve on 127.0.0.1 at a free port; err says why not. */
struct server *
server_start(struct clock *clock, const struct server_config *cfg,
    char *err, size_t len)
{
	struct server			*srv;
	struct sockaddr_in		 sin;
	const union MHD_DaemonInfo	*info;
	size_t				 i;

	if ((srv = calloc(1, sizeof *srv)) == NULL) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	srv->clock = clock;
	srv->cfg = *cfg;
	for (i = 0; i < cfg->nfaults && i < SERVER_MAX_FAULTS; i++) {
		srv->fault_pages[i] = strdup(cfg->fault_page[i]);
		srv->cfg.fault_page[i] = srv->fault_pages[i];
	}
	pthread_mutex_init(&srv->lock, NULL);
	srv->cid = -1;
	srv->kick[0] = srv->kick[1] = -1;
	atomic_init(&srv->mhd_halt, false);
	if (pipe2(srv->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
		snprintf(err, len, "embedded server: %s", strerror(errno));
		srv->wake[0] = srv->wake[1] = -1;
		server_stop(srv);
		return NULL;
	}
	if (pipe2(srv->kick, O_CLOEXEC | O_NONBLOCK) != 0) {
		snprintf(err, len, "embedded server: %s", strerror(errno));
		srv->kick[0] = srv->kick[1] = -1;
		server_stop(srv);
		return NULL;
	}
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = 0;
	srv->daemon = MHD_start_daemon(MHD_USE_EPOLL |
	    MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL,
	    server_handler, srv,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)20000,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)0,
	    MHD_OPTION_NOTIFY_COMPLETED, server_completed, srv,
	    MHD_OPTION_END);
	if (srv->daemon == NULL) {
		snprintf(err, len, "embedded server: cannot listen on "
		    "127.0.0.1");
		server_stop(srv);
		return NULL;
	}
	info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info != NULL ? info->port : 0;
	info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_EPOLL_FD);
	srv->epoll_fd = info != NULL ? info->epoll_fd : -1;
	if (srv->port == 0 || srv->epoll_fd < 0 ||
	    pthread_create(&srv->mhd_thread, NULL, server_mhd_main,
	    srv) != 0) {
		snprintf(err, len, "embedded server: cannot start");
		server_stop(srv);
		return NULL;
	}
	srv->mhd_running = true;
	srv->cid = clock_join(clock, server_wake, srv);
	if (srv->cid >= 0)
		clock_set_sender(clock, srv->cid);
	if (srv->cid < 0 ||
	    pthread_create(&srv->thread, NULL, server_main, srv) != 0) {
		snprintf(err, len, "embedded server: cannot start");
		if (srv->cid >= 0)
			clock_leave(clock, srv->cid);
		srv->cid = -1;
		server_stop(srv);
		return NULL;
	}
	return srv;
}

unsigned short
server_port(const struct server *srv)
{
	return srv->port;
}

/* Stop serving: answer nobody, let every connection go, join. */
void
server_stop(struct server *srv)
{
	struct server_req	*req;
	size_t			 i;

	if (srv == NULL)
		return;
	pthread_mutex_lock(&srv->lock);
	srv->stopping = true;
	for (req = srv->waiting; req != NULL; req = req->next)
		MHD_resume_connection(req->conn);
	srv->waiting = NULL;
	pthread_mutex_unlock(&srv->lock);
	if (srv->cid >= 0) {
		server_wake(srv);
		pthread_join(srv->thread, NULL);
		clock_leave(srv->clock, srv->cid);
	}
	if (srv->mhd_running) {
		/* MHD_run and MHD_stop_daemon must not overlap. */
		atomic_store(&srv->mhd_halt, true);
		server_kick(srv);
		pthread_join(srv->mhd_thread, NULL);
	}
	if (srv->daemon != NULL)
		MHD_stop_daemon(srv->daemon);
	for (i = 0; i < 2; i++) {
		if (srv->wake[i] >= 0)
			close(srv->wake[i]);
		if (srv->kick[i] >= 0)
			close(srv->kick[i]);
	}
	pthread_mutex_destroy(&srv->lock);
	for (i = 0; i < SERVER_MAX_FAULTS; i++)
		free(srv->fault_pages[i]);
	free(srv);
}
