/*
 * What the page server reads of a request, and the times its headers
 * carry both ways (engine/pyserve-req.c).
 */
#ifndef LOOPSCOPE_PYSERVE_REQ_H
#define LOOPSCOPE_PYSERVE_REQ_H

#include <stdbool.h>
#include <stddef.h>

#include "vtime.h"

const char	*pyserve_req_title(const char *method, const char *url);
void		 pyserve_req_trim(const char **value, size_t *len);
bool		 pyserve_req_time(const char *value, size_t len,
		     vtime_t *out);
vtime_t		 pyserve_req_due(vtime_t sent, vtime_t latency,
		     long bandwidth, size_t size);

#endif
