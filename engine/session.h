/* A session: the variants of one demo, run side by side on one clock. */
#ifndef LOOPSCOPE_SESSION_H
#define LOOPSCOPE_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "child.h"
#include "clock.h"
#include "program.h"
#include "timeline.h"

struct session;

/*
 * What reads the events a session hands on, besides the timeline (a
 * recording, say): each batch once, in the order the session reads them,
 * before the timeline takes their texts.
 */
typedef void	(*session_sink_fn)(void *arg, const struct trace_event *evs,
		    size_t n);

#define SESSION_MAX_SINKS	4

struct session_config {
	enum clock_mode	 mode;
	double		 speed;
	bool		 paused;
	size_t		 ring_size;	/* events per variant; 0: default */
};

struct session	*session_new(const struct session_config *cfg, char *err,
		     size_t len);
int		 session_add_python(struct session *s, struct program *p,
		     const struct child_spec *spec, char *err, size_t len);
int		 session_sink(struct session *s, session_sink_fn fn, void *arg);
void		 session_hold(struct session *s, bool stop);
const char	*session_why(const struct session *s);
int		 session_start(struct session *s);
void		 session_free(struct session *s);

size_t		 session_poll(struct session *s, struct timeline *tl);
size_t		 session_poll_upto(struct session *s, struct timeline *tl,
		     size_t max);
int		 session_fd(struct session *s);
void		 session_sleep(struct session *s);
bool		 session_arm(struct session *s);
bool		 session_finished(struct session *s);
void		 session_run(struct session *s, struct timeline *tl);

/*
 * What session_run_until asks between its reads: stop ends the run before
 * the variants do; each runs after every wait (a recording's flush), which
 * lasts wake_ms at most (0: until an event). Any of them may be NULL or 0.
 */
struct session_run_hooks {
	bool	(*stop)(void *arg);
	void	(*each)(void *arg);
	void	 *arg;
	int	  wake_ms;
};

void		 session_run_until(struct session *s, struct timeline *tl,
		     const struct session_run_hooks *hooks);

vtime_t		 session_now(struct session *s);
void		 session_set_paused(struct session *s, bool paused);
void		 session_mark(struct session *s);
int		 session_set_speed(struct session *s, double speed);
size_t		 session_ring_high_water(struct session *s, size_t i);
size_t		 session_ring_capacity(struct session *s, size_t i);
size_t		 session_nvariants(const struct session *s);
const struct program *session_program(const struct session *s, size_t i);

#endif
