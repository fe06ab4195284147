/*
 * Where loopscope's own files are. From the build tree they are the
 * source tree's; installed, they are in $(pkgdatadir), found relative to
 * the binary first (a prefix moved as a whole, as dpkg -x does), then
 * where configure put them. LOOPSCOPE_DATADIR overrides both.
 */
#include "config.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"

static char	paths_data_dir[PATH_MAX + 64];
static char	paths_exe[PATH_MAX];

/* This program's own file. */
const char *
paths_self(void)
{
	ssize_t	n;

	if (paths_exe[0] == '\0') {
		n = readlink("/proc/self/exe", paths_exe, sizeof paths_exe - 1);
		if (n <= 0)
			snprintf(paths_exe, sizeof paths_exe, "loopscope");
		else
			paths_exe[n] = '\0';
	}
	return paths_exe;
}

/*
 * The loopscope program, which variants' children run as: this one, or
 * for another program of the build (a test tool) the build's, or the
 * installed one.
 */
const char *
paths_loopscope(void)
{
	static char	 exe[PATH_MAX + 64];
	const char	*self = paths_self(), *base = strrchr(self, '/');

	if (strcmp(base != NULL ? base + 1 : self, "loopscope") == 0)
		return self;
	if (exe[0] == '\0') {
		snprintf(exe, sizeof exe, "%s/loopscope", LOOPSCOPE_BUILDDIR);
		if (access(exe, X_OK) != 0)
			snprintf(exe, sizeof exe, "%s/loopscope", BINDIR);
	}
	return exe;
}

/* The folder this program's file is in. */
static void
paths_self_dir(char *dir, size_t size)
{
	char	*slash;

	snprintf(dir, size, "%s", paths_self());
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
}

/* Whether DIR is the build tree or in it (tests/ programs are one down). */
static bool
paths_in_build_tree(const char *dir)
{
	char	real[PATH_MAX];
	size_t	n;

	if (realpath(LOOPSCOPE_BUILDDIR, real) == NULL)
		return false;
	n = strlen(real);
	return strncmp(dir, real, n) == 0 && (dir[n] == '\0' || dir[n] == '/');
}

static bool
paths_has_modules(const char *dir)
{
	char	probe[PATH_MAX + 128];

	snprintf(probe, sizeof probe, "%s/python/loopscope/__init__.py", dir);
	return access(probe, R_OK) == 0;
}

const char *
paths_data(void)
{
	const char	*env;
	char		 dir[PATH_MAX];

	if (paths_data_dir[0] != '\0')
		return paths_data_dir;
	if ((env = getenv("LOOPSCOPE_DATADIR")) != NULL && *env != '\0') {
		snprintf(paths_data_dir, sizeof paths_data_dir, "%s", env);
		return paths_data_dir;
	}
	paths_self_dir(dir, sizeof dir);
	if (paths_in_build_tree(dir) && paths_has_modules(LOOPSCOPE_SRCDIR)) {
		snprintf(paths_data_dir, sizeof paths_data_dir, "%s",
		    LOOPSCOPE_SRCDIR);
		return paths_data_dir;
	}
	snprintf(paths_data_dir, sizeof paths_data_dir,
	    "%s/../share/loopscope", dir);
	if (paths_has_modules(paths_data_dir))
		return paths_data_dir;
	snprintf(paths_data_dir, sizeof paths_data_dir, "%s", PKGDATADIR);
	return paths_data_dir;
}

/*
 * Where the translations are (bindtextdomain's folder): from the build
 * tree, the one make compiles there; installed, the one beside the binary's
 * prefix if it holds ours (a prefix moved as a whole), else configure's.
 */
const char *
paths_locale(void)
{
	static char	 locale_dir[PATH_MAX + 64];
	char		 dir[PATH_MAX], probe[PATH_MAX + 128];

	if (locale_dir[0] != '\0')
		return locale_dir;
	paths_self_dir(dir, sizeof dir);
	if (paths_in_build_tree(dir)) {
		snprintf(locale_dir, sizeof locale_dir, "%s/locale",
		    LOOPSCOPE_BUILDDIR);
		return locale_dir;
	}
	snprintf(locale_dir, sizeof locale_dir, "%s/../share/locale", dir);
	snprintf(probe, sizeof probe, "%s/fr/LC_MESSAGES/%s.mo", locale_dir,
	    PACKAGE);
	if (access(probe, R_OK) != 0)
		snprintf(locale_dir, sizeof locale_dir, "%s", LOCALEDIR);
	return locale_dir;
}
