/*
 * The pages loopscope's own servers give: Wikipedia's REST summary shape
 * (/api/rest_v1/page/summary/TITLE, JSON with title and extract), short
 * French summaries written for the project, and the faults a server can
 * be told to make.
 */
#include "config.h"

#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages.h"

static const struct {
	const char	*name;
	const char	*title;
	const char	*extract;
} pages_all[] = {
	{ "Coroutine", "Coroutine",
	  "En programmation, une coroutine est un sous-programme qui peut "
	  "suspendre son exécution puis la reprendre plus tard, là où elle "
	  "s'était arrêtée. Plusieurs coroutines se partagent ainsi un même "
	  "fil d'exécution en se rendant la main à tour de rôle : c'est du "
	  "multitâche coopératif." },
	{ "Threading", "Thread (informatique)",
	  "Un thread, ou fil d'exécution, est une suite d'instructions "
	  "qu'un processus déroule indépendamment des autres. Les threads "
	  "d'un même processus partagent sa mémoire ; le système les "
	  "ordonnance et peut les exécuter en parallèle sur plusieurs "
	  "cœurs." },
	{ "Programmation_concurrente", "Programmation concurrente",
	  "La programmation concurrente découpe un programme en activités "
	  "dont les durées d'exécution se chevauchent. Elle ne suppose pas "
	  "que ces activités s'exécutent au même instant : c'est le "
	  "parallélisme qui l'ajoute." },
};

static const char *pages_fault_names[SERVER_NFAULTS] = {
	"ok", "404", "500", "reset", "truncated", "badjson", "silent"
};

int
pages_fault_parse(const char *name, enum server_fault *out)
{
	int	i;

	for (i = 1; i < SERVER_NFAULTS; i++)
		if (strcmp(name, pages_fault_names[i]) == 0) {
			*out = (enum server_fault)i;
			return 0;
		}
	return -1;
}

const char *
pages_fault_name(enum server_fault f)
{
	return (unsigned)f < SERVER_NFAULTS ? pages_fault_names[f] : "?";
}

/* The summary the server gives for a page, or NULL for none. */
const char *
pages_extract(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof pages_all / sizeof pages_all[0]; i++)
		if (strcmp(pages_all[i].name, name) == 0)
			return pages_all[i].extract;
	return NULL;
}

/*
 * A generated page's number: Page_N, N in decimal digits as the fanout
 * programs write it (no sign, no leading zero, no more after it).
 */
static bool
pages_number(const char *name, unsigned *out)
{
	const char	*p;
	unsigned	 n = 0, d;

	if (strncmp(name, "Page_", 5) != 0 || name[5] == '\0' ||
	    (name[5] == '0' && name[6] != '\0'))
		return false;
	for (p = name + 5; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return false;
		/* Checked before it is multiplied, so that it never wraps. */
		d = (unsigned)(*p - '0');
		if (n > (UINT_MAX - d) / 10)
			return false;
		n = n * 10 + d;
	}
	*out = n;
	return true;
}

/*
 * The JSON body for a page (malloc'd, NULL when out of memory), and its
 * status: a known one, a generated one, or Wikipedia's not-found.
 */
char *
pages_body(const char *name, unsigned *status)
{
	json_t		*doc = NULL;
	char		*out, title[160], text[256];
	unsigned	 n;
	size_t		 i;

	for (i = 0; i < sizeof pages_all / sizeof pages_all[0]; i++)
		if (strcmp(pages_all[i].name, name) == 0)
			doc = json_pack("{s:s, s:s, s:s, s:s}", "type",
			    "standard", "title", pages_all[i].title,
			    "lang", "fr", "extract", pages_all[i].extract);
	if (doc == NULL && pages_number(name, &n)) {
		snprintf(title, sizeof title, "Page %u", n);
		snprintf(text, sizeof text, "La page %u est une page de "
		    "démonstration, servie par loopscope pour montrer de "
		    "nombreuses requêtes simultanées.", n);
		doc = json_pack("{s:s, s:s, s:s, s:s}", "type", "standard",
		    "title", title, "lang", "fr", "extract", text);
	}
	if (doc == NULL) {
		*status = MHD_HTTP_NOT_FOUND;
		doc = json_pack("{s:s, s:s, s:s}", "type",
		    "https://mediawiki.org/wiki/HyperSwitch/errors/not_found",
		    "title", "Not found.", "detail",
		    "Page or revision not found.");
	} else
		*status = MHD_HTTP_OK;
	out = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	return out;
}


/* The bytes of the body for a page (what the bandwidth is spent on). */
size_t
pages_body_size(const char *title)
{
	unsigned	 status;
	char		*body = pages_body(title, &status);
	size_t		 n = body != NULL ? strlen(body) : 0;

	free(body);
	return n;
}

/* The truncated body: its first half, then an error that closes. */
static ssize_t
pages_half(void *cls, uint64_t pos, char *buf, size_t max)
{
	const char	*body = cls;
	size_t		 half = strlen(body) / 2;

	if (pos >= half)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	if (max > half - pos)
		max = half - (size_t)pos;
	memcpy(buf, body + pos, max);
	return (ssize_t)max;
}

/*
 * Answer the request for page title as fault says, with a header of
 * loopscope's own when hname is not NULL.
 */
enum MHD_Result
pages_answer(struct MHD_Connection *conn, const char *title,
    enum server_fault fault, const char *hname, const char *hvalue)
{
	struct MHD_Response	*resp;
	enum MHD_Result		 rc;
	unsigned		 status;
	char			*body;
	size_t			 len;

	switch (fault) {
	case SERVER_RESET:
	case SERVER_SILENT:
		return MHD_NO;		/* closes without a reply */
	case SERVER_500:
		body = strdup("{\"type\":\"internal_error\",\"title\":"
		    "\"Internal Server Error\"}");
		status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		break;
	case SERVER_BADJSON:
		body = strdup("{\"type\": \"standard\", \"extract\": \"Une ");
		status = MHD_HTTP_OK;
		break;
	default:
		body = pages_body(title, &status);
		if (fault == SERVER_404)
			status = MHD_HTTP_NOT_FOUND;
		break;
	}
	if (body == NULL)
		return MHD_NO;
	len = strlen(body);
	if (fault == SERVER_TRUNCATED)
		/* Announce the whole length, send half, then hang up. */
		resp = MHD_create_response_from_callback(len, 256,
		    pages_half, body, free);
	else
		resp = MHD_create_response_from_buffer(len, body,
		    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type",
	    "application/json; charset=utf-8");
	if (hname != NULL)
		MHD_add_response_header(resp, hname, hvalue);
	rc = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return rc;
}

