/*
 * Where a variant's pages come from, from the session to its child
 * (engine/pypages.c): the session says it in the child's environment,
 * the child starts its page server and tells the program the address.
 */
#ifndef LOOPSCOPE_PYPAGES_H
#define LOOPSCOPE_PYPAGES_H

#include <stddef.h>

#include "pyserve.h"

/* "LATENCY_NS BANDWIDTH": the child serves the pages itself ... */
#define PYPAGES_SERVE_ENV	"LOOPSCOPE_PAGES"
/* ... with these faults, "KIND PAGE" a line ... */
#define PYPAGES_FAULTS_ENV	"LOOPSCOPE_FAULTS"
/* ... and the program reads the summaries' address here. */
#define PYPAGES_URL_ENV		"LOOPSCOPE_WIKI_URL"
/* --http-timeout, in seconds: how long a blocking fetch waits. */
#define PYPAGES_TIMEOUT_ENV	"LOOPSCOPE_HTTP_TIMEOUT"

char	*pypages_env_serve(const struct pyserve_config *cfg);
char	*pypages_env_faults(const struct pyserve_config *cfg);
int	 pypages_start(char *err, size_t len);
void	 pypages_stop(void);

#endif
