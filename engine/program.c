/* A variant's program as the views show it (engine/program.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "program.h"

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
