/* What Linux's /proc says of a process or a thread (engine/procfs.h). */
#include "config.h"

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
