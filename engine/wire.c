/* The wire: trace events packed for the pipe from a child to the session. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

/*
 * Pack ev into buf (room for WIRE_RECORD_MAX bytes); returns the bytes
 * written. A change of state with nothing but its state crosses in 16
 * bytes; a new stamp goes first when its times differ from the last.
 */
size_t
wire_encode(struct wire_ctx *ctx, const struct trace_event *ev, uint8_t *buf)
{
	struct wire_stamp	 st;
	struct wire_state	 ws;
	struct wire_head	 h;
	size_t			 n = 0, len;
	vtime_t			 d = ev->vtime - ctx->vtime;
	bool			 state = ev->type == TRACE_TASK_STATE &&
				    ev->a == 0 && ev->b == 0 && ev->text == NULL;

	/* A change of state a few whole microseconds on needs no stamp. */
	ws.dt_us = 0;
	if (state && ctx->started && ev->rtime == ctx->rtime && d > 0 &&
	    d % 1000 == 0 && d / 1000 <= UINT16_MAX) {
		ws.dt_us = (uint16_t)(d / 1000);
		ctx->vtime = ev->vtime;
	}
	if (!ctx->started || ev->vtime != ctx->vtime ||
	    ev->rtime != ctx->rtime) {
		memset(&st, 0, sizeof st);
		st.type = WIRE_STAMP;
		st.vtime = ev->vtime;
		st.rtime = ev->rtime;
		memcpy(buf, &st, sizeof st);
		n = sizeof st;
		ctx->vtime = ev->vtime;
		ctx->rtime = ev->rtime;
		ctx->started = 1;
	}
	if (state) {
		ws.type = WIRE_STATE;
		ws.state = ev->state;
		ws.reason = ev->reason;
		ws.flags = ev->flags & (uint8_t)~TRACE_F_OWNED;
		ws.line = ev->line;
		ws.task = ev->task;
		ws.other = ev->other;
		memcpy(buf + n, &ws, sizeof ws);
		return n + sizeof ws;
	}
	memset(&h, 0, sizeof h);
	len = ev->text != NULL ? strlen(ev->text) : 0;
	if (len > WIRE_TEXT_MAX)
		len = WIRE_TEXT_MAX;
	h.type = ev->type;
	h.state = ev->state;
	h.reason = ev->reason;
	h.flags = ev->flags & (uint8_t)~TRACE_F_OWNED;
	h.line = ev->line;
	h.len = (uint16_t)len;
	h.task = ev->task;
	h.other = ev->other;
	h.a = ev->a;
	h.b = ev->b;
	h.n_ready = ev->n_ready;
	h.n_timers = ev->n_timers;
	h.n_io = ev->n_io;
	memcpy(buf + n, &h, sizeof h);
	n += sizeof h;
	if (len > 0)
		memcpy(buf + n, ev->text, len);
	return n + len;
}

/*
 * Unpack one event from buf. Returns 1 with *used bytes taken and ev
 * filled (its text allocated, TRACE_F_OWNED), 0 when buf holds no whole
 * record yet, -1 when it is not a record at all or memory ran out.
 */
int
wire_decode(struct wire_ctx *ctx, const uint8_t *buf, size_t len,
    struct trace_event *ev, size_t *used)
{
	struct wire_stamp	 st;
	struct wire_state	 ws;
	struct wire_head	 h;
	size_t			 off = 0;

	for (;;) {
		if (off >= len)
			return 0;
		if (buf[off] != WIRE_STAMP)
			break;
		if (len - off < sizeof st)
			return 0;
		memcpy(&st, buf + off, sizeof st);
		ctx->vtime = st.vtime;
		ctx->rtime = st.rtime;
		off += sizeof st;
		/* A stamp is taken even when the record after is not here. */
		*used = off;
		if (off == len)
			return 0;
	}
	memset(ev, 0, sizeof *ev);
	ev->variant = ctx->variant;
	ev->vtime = ctx->vtime;
	ev->rtime = ctx->rtime;
	if (buf[off] == WIRE_STATE) {
		if (len - off < sizeof ws)
			return 0;
		memcpy(&ws, buf + off, sizeof ws);
		ctx->vtime += (vtime_t)ws.dt_us * 1000;
		ev->vtime = ctx->vtime;
		ev->type = TRACE_TASK_STATE;
		ev->state = ws.state;
		ev->reason = ws.reason;
		ev->flags = ws.flags;
		ev->line = ws.line;
		ev->task = ws.task;
		ev->other = ws.other;
		ev->seq = ctx->seq++;
		*used = off + sizeof ws;
		return 1;
	}
	if (buf[off] >= TRACE_NTYPES)
		return -1;
	if (len - off < sizeof h)
		return 0;
	memcpy(&h, buf + off, sizeof h);
	if (len - off - sizeof h < h.len)
		return 0;
	if (h.state >= TASK_NSTATES || h.reason >= REASON_NREASONS)
		return -1;
	ev->type = h.type;
	ev->state = h.state;
	ev->reason = h.reason;
	ev->flags = h.flags;
	ev->line = h.line;
	ev->task = h.task;
	ev->other = h.other;
	ev->a = h.a;
	ev->b = h.b;
	ev->n_ready = h.n_ready;
	ev->n_timers = h.n_timers;
	ev->n_io = h.n_io;
	ev->seq = ctx->seq++;
	if (h.len > 0 || h.type == TRACE_PRINT || h.type == TRACE_WARNING ||
	    h.type == TRACE_TASK_CREATE || h.type == TRACE_VARIANT_START) {
		if ((ev->text = malloc((size_t)h.len + 1)) == NULL)
			return -1;
		memcpy(ev->text, buf + off + sizeof h, h.len);
		ev->text[h.len] = '\0';
		ev->flags |= TRACE_F_OWNED;
	}
	*used = off + sizeof h + h.len;
	return 1;
}
