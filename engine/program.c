/* A variant's program as the views show it (engine/program.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "program.h"

/* The kinds as recordings and JSON write them (doc/recording.md). */
static const char *const program_kind_names[VARIANT_NKINDS] = {
	[VARIANT_SYNC] = "sync", [VARIANT_ASYNC] = "async",
	[VARIANT_THREADS] = "threads", [VARIANT_PROCESSES] = "processes"
};

/* A kind's name; "?" for one that is not. */
const char *
program_kind_name(unsigned kind)
{
	return kind < VARIANT_NKINDS ? program_kind_names[kind] : "?";
}

/* The kind a name says; -1 for none. */
int
program_kind_parse(const char *name)
{
	int	k;

	for (k = 0; k < VARIANT_NKINDS; k++)
		if (strcmp(name, program_kind_names[k]) == 0)
			return k;
	return -1;
}

/* A variant's program; NULL when out of memory. */
struct program *
program_new(const char *name, enum variant_kind kind, const char *source)
{
	struct program	*p;

	if ((p = calloc(1, sizeof *p)) == NULL)
		return NULL;
	p->name = strdup(name);
	p->source = strdup(source != NULL ? source : "");
	p->kind = kind;
	if (p->name == NULL || p->source == NULL) {
		program_free(p);
		return NULL;
	}
	return p;
}

void
program_free(struct program *p)
{
	if (p == NULL)
		return;
	free(p->name);
	free(p->source);
	free(p);
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
