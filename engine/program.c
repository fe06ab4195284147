/* Building and checking programs in the engine's vocabulary. */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "program.h"

static struct op	*program_add(struct program *, int, int, enum op_kind);
static void		 program_fail(struct program *, const char *, ...)
			     __attribute__((format(printf, 2, 3)));

/* Start an empty program for one variant. */
struct program *
program_new(const char *name, enum variant_kind kind, const char *source)
{
	struct program	*p;

	if ((p = calloc(1, sizeof *p)) == NULL)
		return NULL;
	p->name = strdup(name);
	p->source = strdup(source != NULL ? source : "");
	p->kind = kind;
	p->entry = -1;
	if (p->name == NULL || p->source == NULL) {
		program_free(p);
		return NULL;
	}
	return p;
}

void
program_free(struct program *p)
{
	size_t	i, j;

	if (p == NULL)
		return;
	for (i = 0; i < p->nprocs; i++) {
		for (j = 0; j < p->procs[i].nops; j++) {
			free(p->procs[i].ops[j].procs);
			free(p->procs[i].ops[j].owned);
			free(p->procs[i].ops[j].label);
		}
		free(p->procs[i].ops);
		free(p->procs[i].name);
		free(p->procs[i].func);
	}
	free(p->procs);
	free(p->name);
	free(p->source);
	free(p->error);
	free(p);
}

/* Remember the first thing that went wrong; later calls become no-ops. */
static void
program_fail(struct program *p, const char *fmt, ...)
{
	va_list	ap;
	char	buf[256];

	if (p->error != NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	p->error = strdup(buf);
	if (p->error == NULL)
		p->error = strdup("out of memory");
}

/* Declare a procedure: one call of a function with its arguments bound. */
int
program_proc(struct program *p, const char *name, const char *func,
    bool coroutine)
{
	struct proc	*np, *pr;
	size_t		 ncap;

	if (p->error != NULL)
		return -1;
	/* Doubling: fanout declares one procedure a task, 10,000 of them. */
	if (p->nprocs == p->procs_cap) {
		ncap = p->procs_cap ? p->procs_cap * 2 : 8;
		if ((np = realloc(p->procs, ncap * sizeof *np)) == NULL) {
			program_fail(p, "out of memory");
			return -1;
		}
		p->procs = np;
		p->procs_cap = ncap;
	}
	pr = &p->procs[p->nprocs];
	memset(pr, 0, sizeof *pr);
	pr->name = strdup(name);
	pr->func = strdup(func != NULL ? func : name);
	pr->coroutine = coroutine;
	if (pr->name == NULL || pr->func == NULL) {
		free(pr->name);
		free(pr->func);
		program_fail(p, "out of memory");
		return -1;
	}
	return (int)p->nprocs++;
}

void
program_entry(struct program *p, int proc)
{
	p->entry = proc;
}

static struct op *
program_add(struct program *p, int proc, int line, enum op_kind kind)
{
	struct proc	*pr;
	struct op	*nops, *op;
	size_t		 ncap;

	if (p->error != NULL)
		return NULL;
	if (proc < 0 || (size_t)proc >= p->nprocs) {
		program_fail(p, "line %d: no procedure %d", line, proc);
		return NULL;
	}
	pr = &p->procs[proc];
	if (pr->nops == pr->cap) {
		ncap = pr->cap ? pr->cap * 2 : 8;
		if ((nops = realloc(pr->ops, ncap * sizeof *nops)) == NULL) {
			program_fail(p, "out of memory");
			return NULL;
		}
		pr->ops = nops;
		pr->cap = ncap;
	}
	op = &pr->ops[pr->nops++];
	memset(op, 0, sizeof *op);
	op->kind = kind;
	op->line = line;
	op->proc = -1;
	op->slot = -1;
	return op;
}

void
program_sleep(struct program *p, int proc, int line, vtime_t d)
{
	struct op	*op;

	if ((op = program_add(p, proc, line, OP_SLEEP)) != NULL)
		op->duration = d;
}

void
program_block_sleep(struct program *p, int proc, int line, vtime_t d)
{
	struct op	*op;

	if ((op = program_add(p, proc, line, OP_BLOCK_SLEEP)) != NULL)
		op->duration = d;
}

void
program_cpu(struct program *p, int proc, int line, vtime_t cost,
    unsigned long base, unsigned long exponent)
{
	struct op	*op;

	if ((op = program_add(p, proc, line, OP_CPU)) == NULL)
		return;
	op->duration = cost;
	op->base = base;
	op->exponent = exponent;
}

/* An operation with a text of its own, copied. */
static void
program_text_op(struct program *p, int proc, int line, enum op_kind kind,
    const char *text)
{
	struct op	*op;

	if ((op = program_add(p, proc, line, kind)) == NULL)
		return;
	if ((op->owned = strdup(text)) == NULL)
		program_fail(p, "out of memory");
	op->text = op->owned;
}

void
program_print(struct program *p, int proc, int line, const char *text)
{
	program_text_op(p, proc, line, OP_PRINT, text);
}

void
program_print_elapsed(struct program *p, int proc, int line, const char *fmt)
{
	program_text_op(p, proc, line, OP_PRINT_ELAPSED, fmt);
}

void
program_mark(struct program *p, int proc, int line)
{
	program_add(p, proc, line, OP_MARK);
}

void
program_coro(struct program *p, int proc, int line, int callee, int slot)
{
	struct op	*op;

	if ((op = program_add(p, proc, line, OP_CORO)) == NULL)
		return;
	op->proc = callee;
	op->slot = slot;
}

void
program_call(struct program *p, int proc, int line, int callee)
{
	struct op	*op;

	if ((op = program_add(p, proc, line, OP_CALL)) != NULL)
		op->proc = callee;
}

void
program_await(struct program *p, int proc, int line, int callee)
{
	struct op	*op;

	if ((op = program_add(p, proc, line, OP_AWAIT)) != NULL)
		op->proc = callee;
}

void
program_await_slot(struct program *p, int proc, int line, int slot)
{
	struct op	*op;

	if ((op = program_add(p, proc, line, OP_AWAIT)) != NULL)
		op->slot = slot;
}

void
program_spawn(struct program *p, int proc, int line, int callee, int slot)
{
	struct op	*op;

	if ((op = program_add(p, proc, line, OP_SPAWN)) == NULL)
		return;
	op->proc = callee;
	op->slot = slot;
}

void
program_gather(struct program *p, int proc, int line, const int *callees,
    size_t n)
{
	struct op	*op;

	if ((op = program_add(p, proc, line, OP_GATHER)) == NULL)
		return;
	if ((op->procs = malloc(n * sizeof *op->procs)) == NULL) {
		program_fail(p, "out of memory");
		return;
	}
	memcpy(op->procs, callees, n * sizeof *op->procs);
	op->nprocs = n;
}

void
program_return(struct program *p, int proc, int line, const char *value)
{
	struct op	*op;

	if ((op = program_add(p, proc, line, OP_RETURN)) != NULL)
		op->text = value;
}

void
program_repeat(struct program *p, int proc, int line, size_t target,
    unsigned long count)
{
	struct op	*op;

	if ((op = program_add(p, proc, line, OP_REPEAT)) == NULL)
		return;
	op->target = target;
	op->count = count;
}

/*
 * GET url (its page is label) within timeout virtual seconds, awaiting it
 * on the loop or, blocking, holding the thread.
 */
void
program_fetch(struct program *p, int proc, int line, const char *url,
    const char *label, vtime_t timeout, bool blocking, bool hold)
{
	struct op	*op;

	op = program_add(p, proc, line, blocking ? OP_BLOCK_FETCH : OP_FETCH);
	if (op == NULL)
		return;
	op->owned = strdup(url);
	op->label = strdup(label);
	op->text = op->owned;
	op->duration = timeout;
	op->hold = hold;
	if (op->owned == NULL || op->label == NULL)
		program_fail(p, "out of memory");
}

/* How many lines the source text has. */
size_t
program_source_lines(const struct program *p)
{
	size_t		 n = 0;
	const char	*s;

	for (s = p->source; *s != '\0'; s++)
		if (*s == '\n')
			n++;
	if (s != p->source && s[-1] != '\n')
		n++;
	return n;
}

/* Check that the program makes sense: "line N: what is wrong". */
int
program_check(const struct program *p, char *err, size_t len)
{
	size_t		 i, j, k, nlines;
	const struct op	*op;
	bool		 async;

	if (p->error != NULL) {
		snprintf(err, len, "%s", p->error);
		return -1;
	}
	if (p->entry < 0 || (size_t)p->entry >= p->nprocs) {
		snprintf(err, len, "no entry procedure");
		return -1;
	}
	if (p->kind == VARIANT_THREADS) {
		snprintf(err, len, "thread variants are not supported yet");
		return -1;
	}
	async = p->kind == VARIANT_ASYNC;
	nlines = program_source_lines(p);
	for (i = 0; i < p->nprocs; i++) {
		for (j = 0; j < p->procs[i].nops; j++) {
			op = &p->procs[i].ops[j];
			if (op->line < 1 || (size_t)op->line > nlines) {
				snprintf(err, len, "%s: line %d is outside "
				    "the source (%zu lines)", p->procs[i].name,
				    op->line, nlines);
				return -1;
			}
			if (op->slot >= PROGRAM_SLOTS) {
				snprintf(err, len, "line %d: slot %d out of "
				    "range", op->line, op->slot);
				return -1;
			}
			if (op->proc >= (int)p->nprocs) {
				snprintf(err, len, "line %d: no procedure %d",
				    op->line, op->proc);
				return -1;
			}
			for (k = 0; k < op->nprocs; k++)
				if (op->procs[k] < 0 ||
				    op->procs[k] >= (int)p->nprocs) {
					snprintf(err, len, "line %d: no "
					    "procedure %d", op->line,
					    op->procs[k]);
					return -1;
				}
			switch (op->kind) {
			case OP_FETCH:
				if (op->duration <= 0) {
					snprintf(err, len, "line %d: a fetch "
					    "needs a timeout", op->line);
					return -1;
				}
				/* fall through */
			case OP_SLEEP:
			case OP_SPAWN:
			case OP_GATHER:
				if (!async || !p->procs[i].coroutine) {
					snprintf(err, len, "line %d: await "
					    "outside a coroutine of an "
					    "asynchronous variant", op->line);
					return -1;
				}
				break;
			case OP_AWAIT:
				if (!p->procs[i].coroutine) {
					snprintf(err, len, "line %d: await "
					    "outside a coroutine", op->line);
					return -1;
				}
				if (op->proc < 0 && op->slot < 0) {
					snprintf(err, len, "line %d: await "
					    "of nothing", op->line);
					return -1;
				}
				break;
			case OP_CALL:
			case OP_CORO:
				if (op->proc < 0) {
					snprintf(err, len, "line %d: call "
					    "of nothing", op->line);
					return -1;
				}
				break;
			case OP_REPEAT:
				if (op->target >= j) {
					snprintf(err, len, "line %d: a loop "
					    "must jump back", op->line);
					return -1;
				}
				if (op->count > UINT32_MAX) {
					snprintf(err, len, "line %d: a loop "
					    "of more than %" PRIu32 " turns",
					    op->line, UINT32_MAX);
					return -1;
				}
				break;
			default:
				break;
			}
		}
	}
	if (p->kind == VARIANT_ASYNC && !p->procs[p->entry].coroutine) {
		snprintf(err, len, "the entry of an asynchronous variant "
		    "must be a coroutine");
		return -1;
	}
	return 0;
}
