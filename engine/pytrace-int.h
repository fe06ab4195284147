/*
 * Inside the tracer: its state, shared by engine/pytrace.c (lanes, states,
 * the loop's turns) and engine/pytrace-call.c (the calls of the program's
 * own functions), and by nothing else.
 */
#ifndef LOOPSCOPE_PYTRACE_INT_H
#define LOOPSCOPE_PYTRACE_INT_H

#include "pytrace.h"

#define PYTRACE_DEPTH	64	/* deeper calls go untraced */

/* A call of one of the program's functions, shown or pending. */
struct pytrace_call {
	PyObject		*func;		/* borrowed: the call holds it */
	PyObject *const		*args;
	size_t			 nargs;
	PyObject		*kwnames;
	uint32_t		 lane;		/* 0 while pending */
	vtime_t			 start;
	int64_t			 real;
};

struct pytrace_state {
	bool			 on;
	struct pylane		*lanes;		/* lanes[id], 0 unused */
	size_t			 nlanes;
	size_t			 cap;
	PyObject		*files;		/* the program's files */
	struct pytrace_call	 calls[PYTRACE_DEPTH];
	int			 ncalls;
	int			 nshown;	/* calls[0..nshown) have lanes */
	uint32_t		 step;		/* lane whose step runs, or 0 */
	uint32_t		 module;	/* "<module>", made when needed */
	uint32_t		 running;	/* lane shown running, or 0 */
	struct trace_event	 iter;		/* the loop's turn, not shown */
	bool			 iter_pending;
	uint64_t		 iterations;	/* turns shown */
	vtime_t			 vt;		/* time at the last look */
};

extern struct pytrace_state pytrace;

void		 pytrace_push(struct trace_event *ev);
void		 pytrace_iter_show(vtime_t vtime);
struct pylane	*pytrace_lane_alloc(uint32_t *id);
void		 pytrace_show(void);

#endif
