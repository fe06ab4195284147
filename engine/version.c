/*
 * The versions of the libraries the engine is linked with, as the loaded
 * libraries report them at run time (a package may run on newer ones than
 * it was built with). No curses here: tui/ adds ncurses' own.
 */
#include "config.h"

#include <Python.h>
#include <curl/curl.h>
#include <ev.h>
#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "version.h"

/* Fill entry i with at most len bytes of number, if there is room. */
static size_t
version_add(struct version *v, size_t i, size_t n, const char *name,
    const char *number, size_t len)
{
	if (i >= n)
		return i;
	v[i].name = name;
	snprintf(v[i].number, sizeof v[i].number, "%.*s", (int)len, number);
	return i + 1;
}

/*
 * Fill v with up to n of the engine's libraries, in the order --version
 * prints them; returns how many.
 */
size_t
version_engine(struct version *v, size_t n)
{
	const curl_version_info_data	*curl = curl_version_info(CURLVERSION_NOW);
	const char			*py = Py_GetVersion();
	const struct {
		const char	*name;
		const char	*number;
	} lib[] = {
		{ .name = "libcurl",		.number = curl->version },
		{ .name = "libmicrohttpd",	.number = MHD_get_version() },
		{ .name = "jansson",		.number = jansson_version_str() },
		{ .name = "zlib",		.number = zlibVersion() },
	};
	char				 ev[32];
	size_t				 i = 0, k;

	/* "3.11.2 (main, Mar 13 2023, 12:18:29) [GCC 12.2.0]": the number. */
	i = version_add(v, i, n, "CPython", py, strcspn(py, " "));
	snprintf(ev, sizeof ev, "%d.%d", ev_version_major(),
	    ev_version_minor());
	i = version_add(v, i, n, "libev", ev, strlen(ev));
	for (k = 0; k < sizeof lib / sizeof lib[0]; k++)
		i = version_add(v, i, n, lib[k].name, lib[k].number,
		    strlen(lib[k].number));
	return i;
}
