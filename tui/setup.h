/* A session for the options: its page server, its variants. */
#ifndef LOOPSCOPE_SETUP_H
#define LOOPSCOPE_SETUP_H

#include <stdbool.h>
#include <stddef.h>

#include "options.h"
#include "session.h"
#include "timeline.h"

struct session	*setup_session(const struct options *o, char *err, size_t len);
bool		 setup_short(const struct options *o, char *buf, size_t len);
struct session	*setup_args(int argc, char **argv, struct options *o,
		    char *err, size_t len);
struct timeline	*setup_run(struct session *s, char *err, size_t len);

#endif
