/*
 * What Linux's /proc says of a process or a thread: small files read
 * whole, for the watchers (engine/pythread.c, pyproc.c, pyclock.c); a
 * process group's processes and memory, for the session's looks at a
 * child (engine/child.c).
 */
#ifndef LOOPSCOPE_PROCFS_H
#define LOOPSCOPE_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

bool		 procfs_read(char *buf, size_t len, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
const char	*procfs_stat_rest(const char *stat);
int		 procfs_group(pid_t pgid, unsigned long long *rss, bool pss);

#endif
