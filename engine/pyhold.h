/*
 * Holds: virtual time that a thread of the child other than the program's
 * waits on, in the simulated clock: a worker thread's time.sleep, an
 * answer of the child's page server (engine/pyserve.c). The loop counts
 * their deadlines with its timers': when nothing else can happen, time
 * jumps to the earliest, and it is released. A hold of a thread the loop
 * is not there to release (the program's thread blocks in a join)
 * releases itself, earliest first.
 */
#ifndef LOOPSCOPE_PYHOLD_H
#define LOOPSCOPE_PYHOLD_H

#include <pthread.h>
#include <stdbool.h>

#include "vtime.h"

struct pyhold {
	vtime_t		 due;
	bool		 thread;	/* a Python thread waits on it */
	bool		 released;
	unsigned long long seq;		/* the order holds were taken in */
	const char	*key;		/* before seq, when both have one */
	void		(*release)(struct pyhold *h);	/* NULL: a sleep */
	void		*arg;
	pthread_cond_t	 cond;
	struct pyhold	*next;
};

void	pyhold_add(struct pyhold *h);
void	pyhold_remove(struct pyhold *h);
vtime_t	pyhold_due(void);
int	pyhold_threads(void);
void	pyhold_release(vtime_t upto);
void	pyhold_set_waker(void (*fn)(void *), void *arg);
void	pyhold_set_loop(bool running);
void	pyhold_sleep(vtime_t due);
void	pyhold_idle(void);
void	pyhold_workers(int delta);
void	pyhold_set_ticket(unsigned long ticket);

#endif
