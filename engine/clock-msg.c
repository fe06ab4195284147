/*
 * Messages in flight between the clock's participants (a request to the
 * embedded page server, its answer back): while one is on its way that
 * somebody will act on, simulated time does not jump (clock_held).
 */
#include "config.h"

#include <stdlib.h>

#include "clock-int.h"

static struct clock_msg *clock_msg_find(struct clock *c, uint64_t token);
static void	clock_msg_count(struct clock *c, struct clock_msg *m,
		    int delta);

/*
 * Simulated time must not jump while a message is on its way between two
 * participants (a request to the embedded server, its answer back): the
 * sender of a request counts it from now (clock_msg_send), the server
 * stops it counting once it has said when it answers (clock_msg_take),
 * counts it again when the answer leaves (clock_msg_due), and the
 * receiver ends it (clock_msg_end) when it has the answer or gives up.
 * Real time ignores them. Returns the message's token, 0 for none.
 */
uint64_t
clock_msg_send(struct clock *c, int id, enum clock_msg_kind kind)
{
	struct clock_msg	*m, *nm;
	uint32_t		 i, n;

	pthread_mutex_lock(&c->lock);
	if (c->free_msg == UINT32_MAX) {
		n = c->nmsgs ? c->nmsgs * 2 : 64;
		if (n <= c->nmsgs || (nm = realloc(c->msgs,
		    (size_t)n * sizeof *nm)) == NULL) {
			pthread_mutex_unlock(&c->lock);
			return 0;
		}
		for (i = c->nmsgs; i < n; i++) {
			nm[i].gen = 0;
			nm[i].state = CLOCK_M_FREE;
			nm[i].next_free = i + 1 < n ? i + 1 : UINT32_MAX;
		}
		c->msgs = nm;
		c->free_msg = c->nmsgs;
		c->nmsgs = n;
	}
	i = c->free_msg;
	m = &c->msgs[i];
	c->free_msg = m->next_free;
	if (++m->gen == 0)
		m->gen = 1;
	m->owner = (int16_t)id;
	m->kind = (uint8_t)kind;
	m->state = CLOCK_M_SENT;
	clock_msg_count(c, m, 1);
	pthread_mutex_unlock(&c->lock);
	return (uint64_t)m->gen << 32 | i;
}

/* The live message a token names, or NULL (ended, or never was). */
static struct clock_msg *
clock_msg_find(struct clock *c, uint64_t token)
{
	uint32_t	i = (uint32_t)token, gen = (uint32_t)(token >> 32);

	if (token == 0 || i >= c->nmsgs || c->msgs[i].gen != gen ||
	    c->msgs[i].state == CLOCK_M_FREE)
		return NULL;
	return &c->msgs[i];
}

/* Add delta to the count a message in flight belongs to. */
static void
clock_msg_count(struct clock *c, struct clock_msg *m, int delta)
{
	if (m->kind == CLOCK_MSG_DIRECT || m->owner < 0 ||
	    m->owner >= c->np)
		c->direct += delta;
	else if (m->kind == CLOCK_MSG_LOOSE)
		c->p[m->owner].loose += delta;
	else
		c->p[m->owner].loop += delta;
}

/*
 * The server took a request over and has told the clock when it answers:
 * the request no longer holds time back. Its owner hears of it, for it
 * may be waiting for its messages to settle (clock_msg_pending).
 */
void
clock_msg_take(struct clock *c, uint64_t token)
{
	struct clock_msg	*m;

	pthread_mutex_lock(&c->lock);
	if ((m = clock_msg_find(c, token)) != NULL &&
	    m->state == CLOCK_M_SENT) {
		m->state = CLOCK_M_WAITING;
		clock_msg_count(c, m, -1);
		if (m->owner >= 0 && m->owner < c->np &&
		    c->p[m->owner].state != CLOCK_P_GONE &&
		    c->p[m->owner].wake != NULL)
			c->p[m->owner].wake(c->p[m->owner].arg);
		clock_advance(c);
	}
	pthread_mutex_unlock(&c->lock);
}

/*
 * The answer leaves now: time waits until its receiver has it. A request
 * answered as soon as it came (it was sent while its owner blocked, and
 * its time has come) goes from sent to due and goes on counting.
 */
void
clock_msg_due(struct clock *c, uint64_t token)
{
	struct clock_msg	*m;

	pthread_mutex_lock(&c->lock);
	if ((m = clock_msg_find(c, token)) != NULL &&
	    m->state != CLOCK_M_DUE) {
		if (m->state == CLOCK_M_WAITING)
			clock_msg_count(c, m, 1);
		m->state = CLOCK_M_DUE;
	}
	pthread_mutex_unlock(&c->lock);
}

/* The receiver has the answer, or gave up: the message is over. */
void
clock_msg_end(struct clock *c, uint64_t token)
{
	struct clock_msg	*m;

	pthread_mutex_lock(&c->lock);
	if ((m = clock_msg_find(c, token)) != NULL) {
		if (m->state != CLOCK_M_WAITING)
			clock_msg_count(c, m, -1);
		m->state = CLOCK_M_FREE;
		m->next_free = c->free_msg;
		c->free_msg = (uint32_t)(m - c->msgs);
		clock_advance(c);
	}
	pthread_mutex_unlock(&c->lock);
}

/* How many of a participant's loop messages are sent or due, not waiting. */
int
clock_msg_pending(struct clock *c, int id)
{
	int	n;

	pthread_mutex_lock(&c->lock);
	n = c->p[id].loop;
	pthread_mutex_unlock(&c->lock);
	return n;
}

/* This participant sends answers: others may wait for it to settle. */
void
clock_set_sender(struct clock *c, int id)
{
	pthread_mutex_lock(&c->lock);
	c->p[id].sender = true;
	pthread_mutex_unlock(&c->lock);
}

/*
 * Wait until no sender runs. Woken at an instant, a participant lets the
 * server finish what it does at that instant (answer what is due) before
 * it looks at what arrived: so what happens at one instant does not
 * depend on which thread ran first. Simulated time only.
 */
void
clock_settle(struct clock *c, int id)
{
	int	i;

	pthread_mutex_lock(&c->lock);
	while (c->mode == CLOCK_SIM && !c->stopping) {
		for (i = 0; i < c->np; i++)
			if (i != id && c->p[i].sender &&
			    c->p[i].state == CLOCK_P_BUSY)
				break;
		if (i == c->np)
			break;
		pthread_cond_wait(&c->cond, &c->lock);
	}
	pthread_mutex_unlock(&c->lock);
}
