/*
 * Where a variant's pages come from. The session puts what its options
 * say in the child's environment (pypages_env_*); the child, before
 * Python starts, starts its page server (engine/pyserve.c) when told to
 * and puts the server's address in LOOPSCOPE_WIKI_URL, where the
 * `wikipedia` stand-in (python/stand-ins) and the demos read it. With
 * --wiki-url or --online the session sets LOOPSCOPE_WIKI_URL itself and
 * no server starts.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages.h"
#include "pypages.h"

static char	*pypages_faults[SERVER_MAX_FAULTS];

/* LOOPSCOPE_PAGES=LATENCY_NS BANDWIDTH (malloc'd). */
char *
pypages_env_serve(const struct pyserve_config *cfg)
{
	char	*s;

	if (asprintf(&s, "%s=%lld %ld", PYPAGES_SERVE_ENV,
	    (long long)cfg->latency, cfg->bandwidth) < 0)
		return NULL;
	return s;
}

/* LOOPSCOPE_FAULTS=KIND PAGE\n... (malloc'd). */
char *
pypages_env_faults(const struct pyserve_config *cfg)
{
	size_t	 i, n = strlen(PYPAGES_FAULTS_ENV) + 2;
	char	*s;

	for (i = 0; i < cfg->nfaults; i++)
		n += strlen(pages_fault_name(cfg->fault[i])) +
		    strlen(cfg->fault_page[i]) + 2;
	if ((s = malloc(n)) == NULL)
		return NULL;
	snprintf(s, n, "%s=", PYPAGES_FAULTS_ENV);
	for (i = 0; i < cfg->nfaults; i++) {
		strcat(s, pages_fault_name(cfg->fault[i]));
		strcat(s, " ");
		strcat(s, cfg->fault_page[i]);
		strcat(s, "\n");
	}
	return s;
}

/* The faults of LOOPSCOPE_FAULTS into cfg; -1 when it is not ours. */
static int
pypages_parse_faults(const char *v, struct pyserve_config *cfg)
{
	const char	*p = v, *sp, *nl;
	char		 kind[16];

	while (*p != '\0') {
		if ((sp = strchr(p, ' ')) == NULL ||
		    (nl = strchr(sp, '\n')) == NULL ||
		    (size_t)(sp - p) >= sizeof kind ||
		    cfg->nfaults == SERVER_MAX_FAULTS)
			return -1;
		memcpy(kind, p, (size_t)(sp - p));
		kind[sp - p] = '\0';
		if (pages_fault_parse(kind, &cfg->fault[cfg->nfaults]) != 0 ||
		    (pypages_faults[cfg->nfaults] = strndup(sp + 1,
		    (size_t)(nl - sp - 1))) == NULL)
			return -1;
		cfg->fault_page[cfg->nfaults] = pypages_faults[cfg->nfaults];
		cfg->nfaults++;
		p = nl + 1;
	}
	return 0;
}

/*
 * In the child, before Python starts: the page server, when the session
 * asked for it, and its address for the program. 0, or -1 with err.
 */
int
pypages_start(char *err, size_t len)
{
	struct pyserve_config	 cfg = { 0 };
	const char		*serve = getenv(PYPAGES_SERVE_ENV);
	const char		*faults = getenv(PYPAGES_FAULTS_ENV);
	char			 url[128];
	long long		 latency;

	if (serve == NULL)
		return 0;
	if (sscanf(serve, "%lld %ld", &latency, &cfg.bandwidth) != 2 ||
	    latency < 0 || cfg.bandwidth < 0 ||
	    (faults != NULL && pypages_parse_faults(faults, &cfg) != 0)) {
		snprintf(err, len, "%s: not what the session writes",
		    PYPAGES_SERVE_ENV);
		return -1;
	}
	cfg.latency = (vtime_t)latency;
	if (pyserve_start(&cfg, err, len) != 0)
		return -1;
	snprintf(url, sizeof url, "http://127.0.0.1:%u%s",
	    (unsigned)pyserve_port(), SERVER_PATH);
	/* The program and what it starts see the address, not the how. */
	setenv(PYPAGES_URL_ENV, url, 1);
	unsetenv(PYPAGES_SERVE_ENV);
	unsetenv(PYPAGES_FAULTS_ENV);
	return 0;
}

void
pypages_stop(void)
{
	size_t	i;

	pyserve_stop();
	for (i = 0; i < SERVER_MAX_FAULTS; i++) {
		free(pypages_faults[i]);
		pypages_faults[i] = NULL;
	}
}
