/* A variant's frames: run a root's stack, raise, return, finish. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "variant-int.h"

static const char *variant_result(const struct task *);
static void	 variant_finish_root(struct variant *, struct task *);

/* Replace each "{}" in fmt by value. */
static char *
variant_format(const char *fmt, const char *value)
{
	size_t		 n = 0, vlen = strlen(value);
	const char	*p;
	char		*out, *o;

	for (p = fmt; *p != '\0'; p++)
		n += (p[0] == '{' && p[1] == '}') ? vlen : 1;
	if ((out = malloc(n + 1)) == NULL)
		return NULL;
	for (p = fmt, o = out; *p != '\0'; p++) {
		if (p[0] == '{' && p[1] == '}') {
			memcpy(o, value, vlen);
			o += vlen;
			p++;
		} else
			*o++ = *p;
	}
	*o = '\0';
	return out;
}

void
variant_print(struct variant *s, struct task *t, int line, char *text,
    bool to_stderr)
{
	struct trace_event	ev = { 0 };

	if (text == NULL)
		return;
	ev.type = TRACE_PRINT;
	ev.task = t != NULL ? t->id : 0;
	ev.line = (uint16_t)line;
	ev.text = text;
	ev.flags = TRACE_F_OWNED | (to_stderr ? TRACE_F_STDERR : 0);
	variant_emit(s, &ev);
}

/* Start frame callee on top of frame caller's stack. */
static struct task *
variant_push_frame(struct variant *s, struct task *caller, struct task *callee)
{
	struct task	*root = caller->root;

	callee->link = caller;
	callee->root = root;
	root->link = callee;
	variant_state(s, caller, TASK_WAITING_TASK, REASON_AWAIT, callee->id, 0);
	variant_state(s, callee, TASK_RUNNING, REASON_START, 0, 0);
	return callee;
}

/*
 * The frame raises why (owned). A caller awaiting it in place catches it
 * (the demos' sources say try/except); so does whoever awaits a task
 * (gather(..., return_exceptions=True)). Only an exception nobody awaits
 * is printed, as Python prints a traceback.
 */
void
variant_raise(struct variant *s, struct task *f, char *why)
{
	struct trace_event	ev = { 0 };

	if (why == NULL)
		why = strdup("MemoryError");
	if (variant_more(f) == NULL) {
		free(why);
		why = NULL;
	} else {
		free(f->more->error);
		f->more->error = why;
	}
	if (variant_caller(f) == NULL && f->waiters == NULL &&
	    f->gather == NULL)
		variant_print(s, f, variant_line(f), why ? strdup(why) : NULL,
		    true);
	f->state = TASK_FAILED;
	ev.type = TRACE_TASK_STATE;
	ev.task = f->id;
	ev.state = TASK_FAILED;
	ev.reason = REASON_ERROR;
	ev.line = (uint16_t)variant_line(f);
	ev.text = why ? strdup(why) : NULL;
	ev.flags = ev.text ? TRACE_F_OWNED : 0;
	variant_emit(s, &ev);
}

/* A Python-style "RuntimeError: why", owned. */
static char *
variant_error(const char *kind, const char *why)
{
	size_t	 len = strlen(kind) + strlen(why) + 3;
	char	*msg;

	if ((msg = malloc(len)) != NULL)
		snprintf(msg, len, "%s: %s", kind, why);
	return msg;
}

/*
 * Frame f has ended, done or failed: back to its caller with its value or
 * its error; NULL when it was the root, now finished.
 */
static struct task *
variant_return(struct variant *s, struct task *root, struct task *f)
{
	struct task	*caller = variant_caller(f);

	if (caller == NULL) {
		variant_finish_root(s, f);
		return NULL;
	}
	root->link = caller;
	caller->past = true;	/* it resumes in its await, then moves on */
	if (variant_raised(f) != NULL)
		variant_set_value(caller, strdup(variant_raised(f)));
	else if (f->more != NULL) {
		variant_set_value(caller, f->more->value);
		f->more->value = NULL;
	} else
		variant_set_value(caller, NULL);
	caller->pc++;
	variant_state(s, caller, TASK_RUNNING, REASON_WOKEN, f->id, 0);
	return caller;
}

/* A task op makes, named in f's slot when op says so; NULL: no memory. */
static struct task *
variant_child(struct variant *s, struct task *f, const struct op *op,
    enum task_kind kind)
{
	struct task	*t = variant_task_new(s, &s->program->procs[op->proc],
			    kind, f);

	if (t != NULL && op->slot >= 0 && variant_slot_set(f, op->slot, t) != 0)
		return NULL;
	return t;
}

/* Frame f raises a RuntimeError: the frame to run next, as above. */
static struct task *
variant_fail(struct variant *s, struct task *root, struct task *f,
    const char *why)
{
	variant_raise(s, f, variant_error("RuntimeError", why));
	return variant_return(s, root, f);
}

/*
 * Run a root's top frame until it suspends or its stack empties: one step
 * of the event loop for this task.
 */
void
variant_run_root(struct variant *s, struct task *root)
{
	struct task	*f = root->link, *callee;
	const struct op	*op;
	vtime_t		 now, due;
	char		 digits[16], buf[160], *why;
	const char	*val;
	struct task_more *m;
	size_t		 i;

	variant_state(s, f, TASK_RUNNING,
	    f->pc == 0 ? REASON_START : REASON_RESUME, 0, 0);
	if (f->more != NULL && (why = variant_take_pending(f)) != NULL) {
		/* What it awaited failed: the exception surfaces here. */
		variant_raise(s, f, why);
		if ((f = variant_return(s, root, f)) == NULL)
			return;
	}
	for (;;) {
		if (atomic_load(s->stop))
			return;
		f->past = false;
		if (f->pc >= f->proc->nops) {
			variant_state(s, f, TASK_DONE, REASON_RETURN, 0, 0);
			if ((f = variant_return(s, root, f)) == NULL)
				return;
			continue;
		}
		op = &f->proc->ops[f->pc];
		switch (op->kind) {
		case OP_SLEEP:
			f->pc++;
			f->past = true;
			if (op->duration <= 0) {
				variant_ready(s, root, REASON_YIELD, 0);
				return;
			}
			root->due = clock_now(s->clock) + op->duration;
			if (variant_heap_push(s, root) != 0) {
				if ((f = variant_fail(s, root, f,
				    "out of memory")) == NULL)
					return;
				break;
			}
			variant_state(s, f, TASK_WAITING_TIMER, REASON_SLEEP, 0,
			    root->due);
			return;
		case OP_BLOCK_SLEEP:
		case OP_CPU:
			now = clock_now(s->clock);
			due = now + op->duration;
			/*
			 * CPU work runs (and holds the thread, so the loop);
			 * time.sleep holds the thread without running.
			 */
			if (op->kind == OP_CPU)
				variant_state(s, f, TASK_RUNNING, REASON_CPU, 0,
				    due);
			else
				variant_state(s, f, TASK_BLOCKED,
				    REASON_BLOCK_SLEEP, 0, due);
			if (op->kind == OP_CPU) {
				if (cpu_leading_digits(op->base, op->exponent,
				    2, digits, sizeof digits) != 0)
					snprintf(digits, sizeof digits, "?");
				variant_set_value(f, strdup(digits));
			}
			variant_flush(s);
			if (clock_wait_until(s->clock, s->cid, due,
			    op->kind == OP_CPU) != 0)
				return;
			variant_state(s, f, TASK_RUNNING, REASON_RESUME, 0, 0);
			f->pc++;
			break;
		case OP_PRINT:
			val = variant_value(f);
			variant_print(s, f, op->line, variant_format(op->text,
			    val != NULL ? val : "None"), false);
			f->pc++;
			break;
		case OP_PRINT_ELAPSED:
			snprintf(buf, sizeof buf, "%.2f", vtime_to_sec(
			    clock_now(s->clock) - (f->more != NULL ?
			    f->more->mark : 0)));
			variant_print(s, f, op->line, variant_format(op->text, buf),
			    false);
			f->pc++;
			break;
		case OP_MARK:
			if ((m = variant_more(f)) == NULL) {
				if ((f = variant_fail(s, root, f,
				    "out of memory")) == NULL)
					return;
				break;
			}
			m->mark = clock_now(s->clock);
			f->pc++;
			break;
		case OP_CORO:
			if ((callee = variant_child(s, f, op, TASK_KIND_COROUTINE)) == NULL) {
				if ((f = variant_fail(s, root, f,
				    "out of memory")) == NULL)
					return;
				break;
			}
			snprintf(buf, sizeof buf,
			    "<coroutine object %s at 0x7f%010" PRIx32 ">",
			    callee->proc->func, callee->id * 0x40);
			variant_set_value(f, strdup(buf));
			f->pc++;
			break;
		case OP_CALL:
		case OP_AWAIT:
			if (op->proc >= 0) {
				callee = variant_task_new(s,
				    &s->program->procs[op->proc],
				    op->kind == OP_CALL ? TASK_KIND_FUNCTION :
				    TASK_KIND_COROUTINE, f);
				if (callee == NULL) {
					if ((f = variant_fail(s, root, f,
					    "out of memory")) == NULL)
						return;
					break;
				}
			} else if ((callee = variant_slot_get(f,
			    op->slot)) == NULL) {
				if ((f = variant_fail(s, root, f,
				    "await of an empty name")) == NULL)
					return;
				break;
			}
			if (callee->kind == TASK_KIND_TASK) {
				/* Awaiting a task: done already, or wait. */
				if (trace_state_final(callee->state)) {
					variant_set_value(f, strdup(
					    variant_result(callee)));
					f->pc++;
					break;
				}
				f->next_waiter = callee->waiters;
				callee->waiters = f;
				variant_state(s, f, TASK_WAITING_TASK,
				    REASON_AWAIT, callee->id, 0);
				return;
			}
			if (callee->state != TASK_CREATED) {
				if ((f = variant_fail(s, root, f,
				    "cannot reuse already awaited coroutine")) == NULL)
					return;
				break;
			}
			f = variant_push_frame(s, f, callee);
			break;
		case OP_SPAWN:
			if ((callee = variant_child(s, f, op, TASK_KIND_TASK)) == NULL) {
				if ((f = variant_fail(s, root, f,
				    "out of memory")) == NULL)
					return;
				break;
			}
			variant_ready(s, callee, REASON_SCHEDULED, f->id);
			f->pc++;
			break;
		case OP_GATHER:
			if ((m = variant_more(f)) != NULL) {
				free(m->kids);
				m->kids = calloc(op->nprocs, sizeof *m->kids);
			}
			if (m == NULL || (m->kids == NULL && op->nprocs > 0)) {
				if ((f = variant_fail(s, root, f,
				    "out of memory")) == NULL)
					return;
				break;
			}
			m->nkids = m->kids_left = 0;
			for (i = 0; i < op->nprocs; i++) {
				callee = variant_task_new(s,
				    &s->program->procs[op->procs[i]],
				    TASK_KIND_TASK, f);
				if (callee == NULL)
					break;
				callee->gather = f;
				m->kids[m->nkids++] = callee;
				m->kids_left++;
				variant_ready(s, callee, REASON_SCHEDULED, f->id);
			}
			f->pc++;
			if (m->kids_left == 0)
				break;
			f->past = true;
			variant_state(s, f, TASK_WAITING_TASK, REASON_GATHER, 0,
			    (int64_t)m->nkids);
			return;
		case OP_RETURN:
			variant_set_value(f, op->text ? strdup(op->text) : NULL);
			f->pc = f->proc->nops;
			break;
		case OP_FETCH:
			f->pc++;
			f->past = true;
			if (s->fetcher == NULL)
				s->fetcher = fetcher_new(s->loop,
				    s->program->max_connections,
				    variant_fetched, variant_watch_cb, s);
			if ((m = variant_more(root)) == NULL) {
				if ((f = variant_fail(s, root, f,
				    "out of memory")) == NULL)
					return;
				break;
			}
			m->fetch_op = op;
			m->fetch_seq = s->fetch_seq++;
			m->io_start = clock_now(s->clock);
			if (s->fetcher == NULL || (!variant_fetch_queues(s) &&
			    variant_fetch_begin(s, root) != 0)) {
				variant_raise(s, f, variant_error(op->label,
				    "cannot start the transfer"));
				if ((f = variant_return(s, root, f)) == NULL)
					return;
				break;
			}
			if (m->fetch == NULL) {
				/* Every connection is taken: wait in line. */
				root->queued = true;
				m->next_queued = NULL;
				if (s->queue_tail != NULL)
					s->queue_tail->more->next_queued = root;
				else
					s->queue_head = root;
				s->queue_tail = root;
			}
			s->nfetch++;
			root->due = m->io_start + op->duration;
			variant_heap_push(s, root);
			variant_state(s, f, TASK_WAITING_IO, REASON_FETCH, 0,
			    root->due);
			return;
		case OP_BLOCK_FETCH:
			if (variant_block_fetch(s, f, op) != 0 &&
			    (f = variant_return(s, root, f)) == NULL)
				return;
			break;
		case OP_REPEAT:
			if (!f->repeating) {
				f->repeating = true;
				f->repeat_left = (uint32_t)op->count;
			}
			if (f->repeat_left > 0) {
				f->repeat_left--;
				f->pc = op->target;
			} else {
				f->repeating = false;
				f->pc++;
			}
			break;
		}
	}
}

/* What a finished task gives its awaiter: its error, its value, or None. */
static const char *
variant_result(const struct task *t)
{
	if (variant_raised(t) != NULL)
		return variant_raised(t);
	return variant_value(t) != NULL ? variant_value(t) : "None";
}

/* Join the results of a gather the way Python prints a list. */
static char *
variant_gather_value(struct task *f)
{
	struct task_more	*m = f->more;
	size_t			 i, n = 3, k;
	char			*out, *p;
	const char		*r;

	for (i = 0; i < m->nkids; i++)
		n += strlen(variant_result(m->kids[i])) + 4;
	if ((out = malloc(n)) == NULL)
		return NULL;
	/* Appended at its end, not with strcat: fanout gathers 10,000. */
	p = out;
	*p++ = '[';
	for (i = 0; i < m->nkids; i++) {
		if (i > 0) {
			memcpy(p, ", ", 2);
			p += 2;
		}
		r = variant_result(m->kids[i]);
		k = strlen(r);
		memcpy(p, r, k);
		p += k;
	}
	memcpy(p, "]", 2);
	return out;
}

/* A root finished: wake whoever awaited it. */
static void
variant_finish_root(struct variant *s, struct task *t)
{
	struct task	*w, *next, *g;

	for (w = t->waiters; w != NULL; w = next) {
		next = w->next_waiter;
		w->next_waiter = NULL;
		variant_set_value(w, variant_raised(t) != NULL ?
		    strdup(variant_raised(t)) : variant_value(t) != NULL ?
		    strdup(variant_value(t)) : NULL);
		if (w->state == TASK_WAITING_TASK)
			variant_ready(s, w->root, REASON_WOKEN, t->id);
	}
	t->waiters = NULL;
	if ((g = t->gather) != NULL && g->more->kids_left > 0 &&
	    --g->more->kids_left == 0 && g->state == TASK_WAITING_TASK) {
		variant_set_value(g, variant_gather_value(g));
		variant_ready(s, g->root, REASON_WOKEN, t->id);
	}
}
