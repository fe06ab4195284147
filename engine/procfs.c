/* What Linux's /proc says of a process or a thread (engine/procfs.h). */
#include "config.h"

#include <sys/types.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "procfs.h"

/*
 * Read the file whose path fmt makes into buf, NUL after it, at most
 * len - 1 bytes (a /proc file is read whole in one read, or its first
 * bytes); false when it cannot be (gone, or empty).
 */
bool
procfs_read(char *buf, size_t len, const char *fmt, ...)
{
	char	path[300];
	va_list	ap;
	ssize_t	n;
	int	fd;

	va_start(ap, fmt);
	n = vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof path ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return true;
}

/*
 * A stat file's fields after the name (field 2, in parentheses, which may
 * hold anything, spaces and ')' too): from the state, field 3, on; NULL
 * when there is none.
 */
const char *
procfs_stat_rest(const char *stat)
{
	const char	*p = strrchr(stat, ')');

	return p != NULL && p[1] == ' ' && p[2] != '\0' ? p + 2 : NULL;
}

/*
 * The processes in process group pgid (a child's: its own and those its
 * program forked with multiprocessing or os.fork, but one that left the
 * group with setsid). Every /proc/PID/stat is read: /proc has no
 * cheaper list. How many, and their resident bytes added up in *rss;
 * with pss, what /proc/PID/smaps_rollup says they hold, each shared page
 * counted once (dearer to read: only once the resident sum is over the
 * cap).
 */
int
procfs_group(pid_t pgid, unsigned long long *rss, bool pss)
{
	struct dirent		*e;
	DIR			*d;
	char			 path[300], buf[512];
	const char		*p;
	long			 pgrp;
	unsigned long long	 resident, kb = 0;
	int			 count = 0;
	FILE			*f;

	*rss = 0;
	if ((d = opendir("/proc")) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		/* After the name: state, ppid, pgrp, ... rss (24). */
		if (!procfs_read(buf, sizeof buf, "/proc/%s/stat", e->d_name) ||
		    (p = procfs_stat_rest(buf)) == NULL ||
		    sscanf(p, "%*c %*d %ld %*d %*d %*d %*u %*u %*u %*u %*u "
		    "%*u %*u %*d %*d %*d %*d %*d %*d %*u %*u %llu", &pgrp,
		    &resident) != 2 || pgrp != (long)pgid)
			continue;
		count++;
		resident *= (unsigned long long)sysconf(_SC_PAGESIZE);
		snprintf(path, sizeof path, "/proc/%s/smaps_rollup", e->d_name);
		/*
		 * Where smaps_rollup cannot be read (a kernel before 4.14, a
		 * process that made itself not dumpable), its resident size.
		 */
		if (!pss || (f = fopen(path, "re")) == NULL) {
			*rss += resident;
			continue;
		}
		while (fgets(buf, sizeof buf, f) != NULL &&
		    sscanf(buf, "Pss: %llu kB", &kb) != 1)
			;
		*rss += feof(f) || ferror(f) ? resident : kb << 10;
		fclose(f);
	}
	closedir(d);
	return count;
}
