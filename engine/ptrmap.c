/* A map from pointers to numbers (0 means absent), linear probing. */
#include "config.h"

#include <stdlib.h>

#include "ptrmap.h"

#define PTRMAP_REMOVED	((uintptr_t)1)

static size_t
ptrmap_hash(uintptr_t key)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return (size_t)key;
}

/* The value of key, 0 when absent. */
uint32_t
ptrmap_get(const struct ptrmap *map, const void *key)
{
	uintptr_t	k = (uintptr_t)key;
	size_t		i;

	if (map->slots == NULL)
		return 0;
	for (i = ptrmap_hash(k) & map->mask;; i = (i + 1) & map->mask) {
		if (map->slots[i].key == k)
			return map->slots[i].value;
		if (map->slots[i].key == 0)
			return 0;
	}
}

static int
ptrmap_grow(struct ptrmap *map)
{
	struct ptrmap_slot	*old = map->slots;
	size_t			 oldn = old != NULL ? map->mask + 1 : 0, n, i;

	n = 64;
	while (n < (map->count + 1) * 4)
		n <<= 1;
	if ((map->slots = calloc(n, sizeof *map->slots)) == NULL) {
		map->slots = old;
		return -1;
	}
	map->mask = n - 1;
	map->used = map->count = 0;
	for (i = 0; i < oldn; i++)
		if (old[i].key > PTRMAP_REMOVED)
			ptrmap_put(map, (const void *)old[i].key,
			    old[i].value);
	free(old);
	return 0;
}

/* Set key to value (not 0), replacing what it had. */
int
ptrmap_put(struct ptrmap *map, const void *key, uint32_t value)
{
	uintptr_t	k = (uintptr_t)key;
	size_t		i, tomb = SIZE_MAX;

	if ((map->slots == NULL || (map->used + 1) * 2 > map->mask + 1) &&
	    ptrmap_grow(map) != 0)
		return -1;
	for (i = ptrmap_hash(k) & map->mask;; i = (i + 1) & map->mask) {
		if (map->slots[i].key == k) {
			map->slots[i].value = value;
			return 0;
		}
		if (map->slots[i].key == PTRMAP_REMOVED && tomb == SIZE_MAX)
			tomb = i;
		if (map->slots[i].key == 0)
			break;
	}
	if (tomb != SIZE_MAX)
		i = tomb;
	else
		map->used++;
	map->slots[i].key = k;
	map->slots[i].value = value;
	map->count++;
	return 0;
}

/* Forget key; returns what it had (0: nothing). */
uint32_t
ptrmap_del(struct ptrmap *map, const void *key)
{
	uintptr_t	k = (uintptr_t)key;
	uint32_t	v;
	size_t		i;

	if (map->slots == NULL)
		return 0;
	for (i = ptrmap_hash(k) & map->mask;; i = (i + 1) & map->mask) {
		if (map->slots[i].key == k) {
			v = map->slots[i].value;
			map->slots[i].key = PTRMAP_REMOVED;
			map->count--;
			return v;
		}
		if (map->slots[i].key == 0)
			return 0;
	}
}

void
ptrmap_free(struct ptrmap *map)
{
	free(map->slots);
	map->slots = NULL;
	map->mask = map->used = map->count = 0;
}
