/*
 * The wire: how a variant's child process hands its trace to the session.
 * Records go through one pipe, in the child's order; the session decodes
 * them into trace events. Both ends are this program on this machine, so
 * the layout is the host's own.
 */
#ifndef LOOPSCOPE_WIRE_H
#define LOOPSCOPE_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "trace.h"

/* Record types past the trace's own: facts about the child itself. */
enum wire_type {
	WIRE_STATE = TRACE_NTYPES,	/* a task_state at the last stamp */
	WIRE_STAMP,			/* vtime, rtime for what follows */
	WIRE_NTYPES
};

/* The head of every record but WIRE_STATE; text (len bytes) follows it. */
struct wire_head {
	uint8_t		 type;
	uint8_t		 state;
	uint8_t		 reason;
	uint8_t		 flags;
	uint16_t	 line;
	uint16_t	 len;
	uint32_t	 task;
	uint32_t	 other;
	int64_t		 a;
	int64_t		 b;
	uint32_t	 n_ready;
	uint32_t	 n_timers;
	uint32_t	 n_io;
	uint32_t	 pad;
};

/*
 * A change of state at the stamp of the record before, or dt_us
 * microseconds of virtual time after it (the real clock's steps follow
 * each other by microseconds): 16 bytes.
 */
struct wire_state {
	uint8_t		 type;		/* WIRE_STATE */
	uint8_t		 state;
	uint8_t		 reason;
	uint8_t		 flags;
	uint16_t	 line;
	uint16_t	 dt_us;
	uint32_t	 task;
	uint32_t	 other;
};

struct wire_stamp {
	uint8_t		 type;		/* WIRE_STAMP */
	uint8_t		 pad[7];
	int64_t		 vtime;
	int64_t		 rtime;
};

#define WIRE_TEXT_MAX	65535	/* longer text is cut there */
#define WIRE_RECORD_MAX	(sizeof(struct wire_stamp) + \
			 sizeof(struct wire_head) + WIRE_TEXT_MAX)

/* One end's memory of the stamp in force. */
struct wire_ctx {
	vtime_t		 vtime;
	int64_t		 rtime;
	uint32_t	 seq;
	uint16_t	 variant;
	int		 started;
};

size_t	wire_encode(struct wire_ctx *ctx, const struct trace_event *ev,
	    uint8_t *buf);
int	wire_decode(struct wire_ctx *ctx, const uint8_t *buf, size_t len,
	    struct trace_event *ev, size_t *used);

#endif
