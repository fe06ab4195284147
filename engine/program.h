/* A variant's program: procedures of operations, each tagged with its line. */
#ifndef LOOPSCOPE_PROGRAM_H
#define LOOPSCOPE_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>

#include "vtime.h"

enum variant_kind {
	VARIANT_SYNC,		/* one thread, every call blocks it */
	VARIANT_ASYNC,		/* coroutines multiplexed on one event loop */
	VARIANT_THREADS		/* threads or processes of its own */
};

enum op_kind {
	OP_SLEEP,		/* await asyncio.sleep(duration) */
	OP_BLOCK_SLEEP,		/* time.sleep(duration): holds the thread */
	OP_CPU,			/* base ** exponent, first two digits; costs duration */
	OP_PRINT,		/* print(text), "{}" replaced by the value */
	OP_PRINT_ELAPSED,	/* print(text), "{}": seconds since OP_MARK */
	OP_MARK,		/* start = time.perf_counter() */
	OP_CORO,		/* slot = proc(): a coroutine object, not run */
	OP_CALL,		/* proc(): a plain call, runs in place */
	OP_AWAIT,		/* await proc() or await slot (coroutine or task) */
	OP_SPAWN,		/* slot = asyncio.ensure_future(proc()) */
	OP_GATHER,		/* await asyncio.gather(procs...) */
	OP_RETURN,		/* return text */
	OP_REPEAT,		/* jump back to target, count more times */
	OP_FETCH,		/* await an HTTP GET of text (label: the page) */
	OP_BLOCK_FETCH		/* the same GET, blocking the thread */
};

#define PROGRAM_SLOTS	8

struct op {
	enum op_kind	 kind;
	int		 line;
	vtime_t		 duration;
	const char	*text;
	int		 proc;		/* callee, or -1 */
	int		 slot;		/* slot, or -1 */
	int		*procs;		/* gather */
	size_t		 nprocs;
	unsigned long	 base;		/* cpu */
	unsigned long	 exponent;
	size_t		 target;	/* repeat */
	unsigned long	 count;
	char		*owned;		/* text the program allocated */
	char		*label;		/* fetch: the page, for errors */
	bool		 hold;		/* fetch: our server takes the hold */
};

struct proc {
	char		*name;		/* as in the source: name('Daniel') */
	char		*func;		/* the function: name */
	bool		 coroutine;	/* async def */
	struct op	*ops;
	size_t		 nops;
	size_t		 cap;
};

struct program {
	char			*name;		/* the variant: sync, async */
	enum variant_kind	 kind;
	char			*source;	/* the Python text shown beside it */
	struct proc		*procs;
	size_t			 nprocs;
	size_t			 procs_cap;
	int			 entry;
	long			 max_connections;	/* fetch, 0: libcurl's */
	char			*error;		/* first construction error */
};

struct program	*program_new(const char *, enum variant_kind, const char *);
void		 program_free(struct program *);
int		 program_proc(struct program *, const char *, const char *,
		     bool);
void		 program_entry(struct program *, int);
int		 program_check(const struct program *, char *, size_t);

void	program_sleep(struct program *, int, int, vtime_t);
void	program_block_sleep(struct program *, int, int, vtime_t);
void	program_cpu(struct program *, int, int, vtime_t, unsigned long,
	    unsigned long);
void	program_print(struct program *, int, int, const char *);
void	program_print_elapsed(struct program *, int, int, const char *);
void	program_mark(struct program *, int, int);
void	program_coro(struct program *, int, int, int, int);
void	program_call(struct program *, int, int, int);
void	program_await(struct program *, int, int, int);
void	program_await_slot(struct program *, int, int, int);
void	program_spawn(struct program *, int, int, int, int);
void	program_gather(struct program *, int, int, const int *, size_t);
void	program_return(struct program *, int, int, const char *);
void	program_repeat(struct program *, int, int, size_t, unsigned long);
void	program_fetch(struct program *, int, int, const char *, const char *,
	    vtime_t, bool, bool);

size_t	program_source_lines(const struct program *);

#endif
