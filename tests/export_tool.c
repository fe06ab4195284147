/*
 * export_tool FORMAT OUT [OPTION]... [DEMO]: run a demo (simulated clock
 * unless --clock says otherwise) with loopscope's own options, and write
 * its export (chrome or svg) to OUT ("-": standard output). For the shell
 * tests, which check the files with outside tools.
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "export.h"
#include "options.h"
#include "session.h"
#include "setup.h"

int
main(int argc, char **argv)
{
	struct export_info	 info;
	struct options		 o;
	struct session		*s;
	struct timeline		*tl;
	FILE			*out;
	const char		*path;
	char			 err[512];
	int			 rc;

	setlocale(LC_ALL, "");
	if (argc < 3 || (strcmp(argv[1], "chrome") != 0 &&
	    strcmp(argv[1], "svg") != 0)) {
		fprintf(stderr, "usage: export_tool chrome|svg OUT "
		    "[OPTION]... [DEMO]\n");
		return 2;
	}
	path = argv[2];
	argv[2] = argv[0];		/* options_parse skips its argv[0] */
	if ((s = setup_args(argc - 2, argv + 2, &o, err, sizeof err)) == NULL ||
	    (tl = setup_run(s, err, sizeof err)) == NULL) {
		fprintf(stderr, "export_tool: %s\n", err);
		return 1;
	}

	info.demo = o.demo->name;
	info.speed = o.speed;
	info.at = VTIME_NEVER;
	if (strcmp(path, "-") == 0)
		out = stdout;
	else if ((out = fopen(path, "w")) == NULL) {
		fprintf(stderr, "export_tool: %s: %s\n", path, strerror(errno));
		timeline_free(tl);
		return 1;
	}
	rc = strcmp(argv[1], "chrome") == 0 ?
	    export_chrome(tl, &info, out, err, sizeof err) :
	    export_svg(tl, &info, out, err, sizeof err);
	timeline_free(tl);
	if (out != stdout && fclose(out) != 0 && rc == 0) {
		snprintf(err, sizeof err, "%s", strerror(errno));
		rc = -1;
	}
	if (rc != 0) {
		fprintf(stderr, "export_tool: %s: %s\n", path, err);
		return 1;
	}
	return 0;
}
