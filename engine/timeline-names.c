/*
 * Task names, each kept once (struct timeline's names): a fan-out of a
 * million tasks of one function has a million lanes and one name.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "timeline-int.h"

/* Open addressing, linear probing, never more than half full. */
struct tl_names {
	char		**slot;
	size_t		  cap;
	size_t		  n;
	size_t		  bytes;
};

static size_t
timeline_names_hash(const char *s)
{
	size_t	h = 14695981039346656037ULL;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* The one copy of s this timeline keeps; "" when memory runs out. */
const char *
timeline_names_intern(struct tl_names **names, const char *s)
{
	struct tl_names	*nm = *names;
	char		**ns, *copy;
	size_t		  i, j, ncap;

	if (nm == NULL && (nm = *names = calloc(1, sizeof *nm)) == NULL)
		return "";
	if (nm->cap > 0)
		for (i = timeline_names_hash(s) & (nm->cap - 1);
		    nm->slot[i] != NULL; i = (i + 1) & (nm->cap - 1))
			if (strcmp(nm->slot[i], s) == 0)
				return nm->slot[i];
	if (2 * (nm->n + 1) > nm->cap) {
		ncap = nm->cap ? nm->cap * 2 : 64;
		if ((ns = calloc(ncap, sizeof *ns)) == NULL)
			return "";
		for (j = 0; j < nm->cap; j++) {
			if (nm->slot[j] == NULL)
				continue;
			for (i = timeline_names_hash(nm->slot[j]) & (ncap - 1);
			    ns[i] != NULL; i = (i + 1) & (ncap - 1))
				;
			ns[i] = nm->slot[j];
		}
		free(nm->slot);
		nm->slot = ns;
		nm->cap = ncap;
	}
	if ((copy = strdup(s)) == NULL)
		return "";
	for (i = timeline_names_hash(s) & (nm->cap - 1); nm->slot[i] != NULL;
	    i = (i + 1) & (nm->cap - 1))
		;
	nm->slot[i] = copy;
	nm->n++;
	nm->bytes += strlen(copy) + 1;
	return copy;
}

/* Free every name, and the table. */
void
timeline_names_free(struct tl_names *nm)
{
	size_t	i;

	if (nm == NULL)
		return;
	for (i = 0; i < nm->cap; i++)
		free(nm->slot[i]);
	free(nm->slot);
	free(nm);
}

/* Memory the names hold, for timeline_bytes. */
size_t
timeline_names_bytes(const struct tl_names *nm)
{
	if (nm == NULL)
		return 0;
	return nm->cap * sizeof(char *) + nm->bytes;
}
