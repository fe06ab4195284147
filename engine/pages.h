/* The pages loopscope's own servers give, and their faults (pages.c). */
#ifndef LOOPSCOPE_PAGES_H
#define LOOPSCOPE_PAGES_H

#include <stddef.h>

#include <microhttpd.h>

enum server_fault {
	SERVER_OK,
	SERVER_404,		/* not found */
	SERVER_500,		/* internal error */
	SERVER_RESET,		/* closes the connection, no reply */
	SERVER_TRUNCATED,	/* half the body, then closes */
	SERVER_BADJSON,		/* 200 with a body that is not JSON */
	SERVER_SILENT,		/* never answers */
	SERVER_NFAULTS
};

#define SERVER_MAX_FAULTS	16
#define SERVER_PATH		"/api/rest_v1/page/summary/"

int		 pages_fault_parse(const char *name, enum server_fault *out);
const char	*pages_fault_name(enum server_fault fault);
const char	*pages_extract(const char *name);
char		*pages_body(const char *name, unsigned *status);
size_t		 pages_body_size(const char *title);
enum MHD_Result	 pages_answer(struct MHD_Connection *conn, const char *title,
		     enum server_fault fault, const char *hname,
		     const char *hvalue);

#endif
