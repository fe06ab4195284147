/* A map from pointers to numbers: open addressing, for the child's tracer. */
#ifndef LOOPSCOPE_PTRMAP_H
#define LOOPSCOPE_PTRMAP_H

#include <stddef.h>
#include <stdint.h>

struct ptrmap_slot {
	uintptr_t	 key;		/* 0: empty; 1: removed */
	uint32_t	 value;
};

struct ptrmap {
	struct ptrmap_slot	*slots;
	size_t			 mask;
	size_t			 used;		/* keys and removed slots */
	size_t			 count;
};

uint32_t	ptrmap_get(const struct ptrmap *map, const void *key);
int		ptrmap_put(struct ptrmap *map, const void *key, uint32_t value);
uint32_t	ptrmap_del(struct ptrmap *map, const void *key);
void		ptrmap_free(struct ptrmap *map);

#endif
