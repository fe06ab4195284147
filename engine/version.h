/* The versions of the libraries the engine runs on (--version). */
#ifndef LOOPSCOPE_VERSION_H
#define LOOPSCOPE_VERSION_H

#include <stddef.h>

/* One library and the version of it this process runs with. */
struct version {
	const char	*name;		/* "CPython", "libev", ... */
	char		 number[48];	/* "3.11.2" */
};

#define VERSION_ENGINE_MAX	8

size_t	version_engine(struct version *v, size_t n);

#endif
