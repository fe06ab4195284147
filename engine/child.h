/* A variant's child process, from the session's side (engine/child.c). */
#ifndef LOOPSCOPE_CHILD_H
#define LOOPSCOPE_CHILD_H

#include <sys/types.h>

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace.h"

/* How many processes a program may run at once, its own included. */
#define CHILD_MAX_PROCS	512

/* What a program's process may hold resident (--max-memory). */
#define CHILD_MAX_MEMORY_DEFAULT	(4ULL << 30)
#define CHILD_MAX_MEMORY_MIN		(16ULL << 20)
#define CHILD_MAX_MEMORY_MAX		(1ULL << 40)

struct child_spec {
	const char	 *exe;		/* this program, run as --child */
	const char	 *name;		/* the variant */
	int		  kind;		/* enum variant_kind */
	const char	 *file;		/* the Python program */
	int		  cell;		/* cells 1 to cell, only it traced; 0 all */
	char *const	 *args;		/* its arguments */
	size_t		  nargs;
	const char *const *xoptions;	/* CPython's -X options */
	size_t		  nxoptions;
	const char *const *env;		/* NAME=VALUE added to its environment */
	size_t		  nenv;
	bool		  sim;		/* the simulated clock */
	int64_t		  t0;		/* the session's start, real ns */
	unsigned long long max_memory;	/* its resident bytes at most; 0: any */
};

struct child;

struct child	*child_spawn(const struct child_spec *spec, uint16_t variant,
		     struct trace_ring *ring, const atomic_bool *stop,
		     char *err, size_t len);
void		 child_kill(struct child *c);
void		 child_signal(struct child *c, int sig);
void		 child_free(struct child *c);
pid_t		 child_pid(const struct child *c);
const char	*child_reword(const char *why, char *out, size_t len);

#endif
