/*
 * Output files replaced only once whole: recordings, casts and exports.
 * The temporary is PATH.tmp, created with O_EXCL | O_NOFOLLOW: whatever is
 * at that name already (a file left by a crash, another loopscope's file,
 * a symbolic link planted there) is left alone and the open fails, so no
 * file the user did not name is ever written, truncated or removed.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "outfile.h"

/* fsync the directory that holds path, so that a rename survives a crash. */
static void
outfile_sync_dir(const char *path)
{
	char	*dir = strdup(path), *slash;
	int	 fd;

	if (dir == NULL)
		return;
	if ((slash = strrchr(dir, '/')) == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Free the names; the descriptor is closed already. */
static void
outfile_free(struct outfile *of)
{
	free(of->path);
	free(of->tmp);
	of->path = of->tmp = NULL;
	of->fd = -1;
}

/*
 * Open path for writing by way of path.tmp (in place for a device or a
 * pipe). 0, or -1 with why it failed in err (without the path, which the
 * caller names as it likes).
 */
int
outfile_open(struct outfile *of, const char *path, char *err, size_t len)
{
	struct stat	st;
	size_t		n = strlen(path) + 5;

	memset(of, 0, sizeof *of);
	of->fd = -1;
	if ((of->path = strdup(path)) == NULL) {
		snprintf(err, len, "%s", strerror(ENOMEM));
		return -1;
	}
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, len, _("it is a directory"));
		outfile_free(of);
		return -1;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if ((of->fd = open(path, O_WRONLY | O_CLOEXEC)) < 0) {
			snprintf(err, len, "%s", strerror(errno));
			outfile_free(of);
			return -1;
		}
		return 0;
	}
	if ((of->tmp = malloc(n)) == NULL) {
		snprintf(err, len, "%s", strerror(ENOMEM));
		outfile_free(of);
		return -1;
	}
	snprintf(of->tmp, n, "%s.tmp", path);
	of->fd = open(of->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0666);
	if (of->fd < 0) {
		if (errno == EEXIST || errno == ELOOP)
			snprintf(err, len, _("%s is in the way (left by a "
			    "crash, or another loopscope writing it); it is "
			    "left as it is"), of->tmp);
		else
			snprintf(err, len, "%s", strerror(errno));
		outfile_free(of);
		return -1;
	}
	return 0;
}

/*
 * Everything on disk, then path.tmp renamed over path. 0, or -1 with errno
 * set (and the temporary removed). The descriptor is closed either way.
 */
int
outfile_commit(struct outfile *of)
{
	int	errnum;

	if (of->tmp == NULL) {
		errnum = close(of->fd) != 0 ? errno : 0;
		outfile_free(of);
		errno = errnum;
		return errnum != 0 ? -1 : 0;
	}
	errnum = fsync(of->fd) != 0 ? errno : 0;
	if (close(of->fd) != 0 && errnum == 0)
		errnum = errno;
	of->fd = -1;
	if (errnum != 0) {
		outfile_discard(of);
		errno = errnum;
		return -1;
	}
	if (rename(of->tmp, of->path) != 0) {
		errnum = errno;
		outfile_discard(of);
		errno = errnum;
		return -1;
	}
	outfile_sync_dir(of->path);
	outfile_free(of);
	return 0;
}

/* Give up: the temporary goes, path stays as it was. Safe to call twice. */
void
outfile_discard(struct outfile *of)
{
	if (of->fd >= 0)
		close(of->fd);
	if (of->tmp != NULL)
		unlink(of->tmp);
	outfile_free(of);
}
