/*
 * A variant's program as the views show it: its name, its kind and the
 * Python text beside it. What runs is that text, in the variant's child
 * (engine/child.c).
 */
#ifndef LOOPSCOPE_PROGRAM_H
#define LOOPSCOPE_PROGRAM_H

#include <stddef.h>

enum variant_kind {
	VARIANT_SYNC,		/* one thread, every call blocks it */
	VARIANT_ASYNC,		/* coroutines multiplexed on one event loop */
	VARIANT_THREADS,	/* threads of its own */
	VARIANT_PROCESSES,	/* processes of its own (multiprocessing) */
	VARIANT_NKINDS
};

struct program {
	char			*name;		/* the variant: sync, async */
	enum variant_kind	 kind;
	char			*source;	/* the Python text shown beside it */
};

const char	*program_kind_name(unsigned kind);
int		 program_kind_parse(const char *name);
struct program	*program_new(const char *name, enum variant_kind kind,
		     const char *source);
void		 program_free(struct program *p);
size_t		 program_source_lines(const struct program *p);

#endif
