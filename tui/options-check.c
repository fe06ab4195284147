/*
 * The command line, once read: what goes with what, the demo's variants
 * and pages, and the files named (none empty, no two outputs on one file).
 */
#include "config.h"

#include <sys/stat.h>

#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "options-int.h"

/* --tasks and the page options name what the demo has: a fan-out, pages. */
int
options_check_pages(const struct options *o, char *err, size_t len)
{
	size_t	i;
	bool	fault;

	if (o->tasks_given && !o->demo->scales) {
		snprintf(err, len, _("--tasks: the %s demo has no fan-out "
		    "(fanout and costs have)"), o->demo->name);
		return -1;
	}
	if (o->page_option != NULL && o->demo->fetches == NULL) {
		fault = strcmp(o->page_option, "--fault") == 0;
		snprintf(err, len, _("%s%s%s: the %s demo fetches no pages "
		    "(wiki and fanout do)"), o->page_option, fault ? " " : "",
		    fault ? o->fault_page[0] : "", o->demo->name);
		return -1;
	}
	for (i = 0; i < o->nfaults; i++) {
		if (!demos_fetches(o->demo, o->fault_page[i], o->tasks)) {
			snprintf(err, len, _("--fault %s: the %s demo never "
			    "fetches that page"), o->fault_page[i],
			    o->demo->name);
			return -1;
		}
	}
	return 0;
}

/* Split LIST on commas and check each name against the demo. */
int
options_check_variants(struct options *o, char *list, char *err, size_t len)
{
	const struct demo_variant	*v;
	bool				 want[TRACE_MAX_VARIANTS] = { false };
	char				*name, *save = NULL;
	size_t				 i;

	for (name = strtok_r(list, ",", &save); name != NULL;
	    name = strtok_r(NULL, ",", &save)) {
		if ((v = demos_variant(o->demo, name)) == NULL) {
			snprintf(err, len, _("--variant: demo '%s' has no "
			    "variant '%s' (it has:"), o->demo->name, name);
			for (i = 0; i < o->demo->nvariants; i++) {
				strncat(err, " ", len - strlen(err) - 1);
				strncat(err, o->demo->variants[i].name,
				    len - strlen(err) - 1);
			}
			strncat(err, ")", len - strlen(err) - 1);
			return -1;
		}
		want[v - o->demo->variants] = true;
	}
	o->nvariants = 0;
	for (i = 0; i < o->demo->nvariants && i < TRACE_MAX_VARIANTS; i++)
		if (want[i])
			o->variants[o->nvariants++] = o->demo->variants[i].name;
	if (o->nvariants == 0) {
		snprintf(err, len, _("--variant: no variant named"));
		return -1;
	}
	return 0;
}

/* --json and --cast name the mode they go with: headless, the UI. */
int
options_check_modes(const struct options *o, char *err, size_t len)
{
	if (o->json && !o->headless) {
		snprintf(err, len, _("--json goes with --headless"));
		return -1;
	}
	if (o->cast != NULL && o->headless) {
		snprintf(err, len, _("--cast records the terminal UI, not "
		    "--headless"));
		return -1;
	}
	if (o->at_given && o->export_format == NULL) {
		snprintf(err, len, _("--at goes with --export svg"));
		return -1;
	}
	if (o->quiz && o->headless) {
		snprintf(err, len, _("--quiz asks the class in the terminal UI, "
		    "not --headless"));
		return -1;
	}
	if (o->quiz && o->clock_given && o->clock == CLOCK_REAL) {
		snprintf(err, len, _("--quiz needs the simulated clock, which "
		    "knows the prints before it shows them"));
		return -1;
	}
	return 0;
}

/*
 * --replay FILE and --export FORMAT FILE: a recording, not a demo, and
 * only the options that make sense for one.
 */
int
options_check_files(struct options *o, int argc, char **argv,
    const char *variant_list, char *err, size_t len)
{
	const char	*what = o->replay != NULL ? "--replay" : "--export";
	int		 nfiles = argc - optind;

	o->demo = demos_find(DEMO_DEFAULT);	/* never run */
	if (o->replay != NULL && o->export_format != NULL) {
		snprintf(err, len, _("--replay and --export: choose one"));
		return -1;
	}
	if (o->record != NULL) {
		snprintf(err, len, _("%s and --record: a recording is not "
		    "recorded again"), what);
		return -1;
	}
	if (variant_list != NULL || o->clock_given ||
	    o->page_option != NULL || o->tasks_given) {
		snprintf(err, len, _("%s: the recording's demo, variants and "
		    "clock are fixed; %s does not apply"), what,
		    variant_list != NULL ? "--variant" : o->clock_given ?
		    "--clock" : o->tasks_given ? "--tasks" : o->page_option);
		return -1;
	}
	if (o->replay != NULL) {
		if (nfiles > 0) {
			snprintf(err, len, _("--replay %s: no demo to run, not "
			    "'%s'"), o->replay, argv[optind]);
			return -1;
		}
		if (o->output != NULL || o->size_cols > 0) {
			snprintf(err, len, _("%s goes with --export"),
			    o->output != NULL ? "-o" : "--size");
			return -1;
		}
		return options_check_modes(o, err, len);
	}
	if (nfiles != 1) {
		snprintf(err, len, nfiles == 0 ? _("--export %s: which "
		    "recording? (--export FORMAT FILE)") : _("--export %s: one "
		    "recording at a time"), o->export_format);
		return -1;
	}
	o->export_file = argv[optind];
	if (o->headless || o->json || o->paused || o->cast != NULL) {
		snprintf(err, len, _("--export writes a file: %s does not apply"),
		    o->headless ? "--headless" : o->json ? "--json" :
		    o->paused ? "--paused" : "--cast");
		return -1;
	}
	if ((o->size_cols > 0 || o->speed_given) &&
	    strcmp(o->export_format, "cast") != 0) {
		snprintf(err, len, _("%s goes with --export cast, not %s"),
		    o->size_cols > 0 ? "--size" : "--speed", o->export_format);
		return -1;
	}
	if (o->at_given && strcmp(o->export_format, "svg") != 0) {
		snprintf(err, len, _("--at goes with --export svg, not %s"),
		    o->export_format);
		return -1;
	}
	if (o->width > 0 && strcmp(o->export_format, "text") != 0) {
		snprintf(err, len, _("--width goes with --export text, not %s"),
		    o->export_format);
		return -1;
	}
	return 0;
}

/* The directory that holds path, as a string dirname may write into. */
static bool
options_check_parent(const char *path, struct stat *st)
{
	char	*copy;
	bool	 ok;

	if ((copy = strdup(path)) == NULL)
		return false;
	ok = stat(dirname(copy), st) == 0;
	free(copy);
	return ok;
}

/*
 * Whether a and b name one file: the same string, the same inode (a hard
 * link, a symbolic link, another path to it), or, for a file not made yet,
 * one name in one directory ("x" and "./x").
 */
static bool
options_check_same(const char *a, const char *b)
{
	struct stat	 sa, sb;
	char		*ca, *cb;
	bool		 same;

	if (strcmp(a, b) == 0)
		return true;
	if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	if (!options_check_parent(a, &sa) || !options_check_parent(b, &sb) ||
	    sa.st_dev != sb.st_dev || sa.st_ino != sb.st_ino)
		return false;
	ca = strdup(a);
	cb = strdup(b);
	same = ca != NULL && cb != NULL && strcmp(basename(ca),
	    basename(cb)) == 0;
	free(ca);
	free(cb);
	return same;
}

/*
 * The files named: none may be empty (FILE.tmp would be ".tmp", a file
 * nobody named), and no file written may be another one written or read.
 */
int
options_check_paths(const struct options *o, char *err, size_t len)
{
	const char	*name[5] = { "--record", "--cast", "-o", "--replay",
			    "--export" };
	const char	*path[5] = { o->record, o->cast, o->output, o->replay,
			    o->export_file };
	size_t		 i, j;

	for (i = 0; i < 5; i++) {
		if (path[i] != NULL && *path[i] == '\0') {
			snprintf(err, len, _("%s: an empty file name"), name[i]);
			return -1;
		}
	}
	/* The first three are written. */
	for (i = 0; i < 3; i++) {
		for (j = i + 1; path[i] != NULL && j < 5; j++) {
			if (path[j] == NULL || !options_check_same(path[i],
			    path[j]))
				continue;
			snprintf(err, len, _("%s %s and %s %s: one file, %s"),
			    name[i], path[i], name[j], path[j], j < 3 ?
			    _("written twice") : _("read and overwritten"));
			return -1;
		}
	}
	return 0;
}
