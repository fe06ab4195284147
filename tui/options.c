/* The command line: GNU-style options, checked before anything runs. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "number.h"
#include "options-int.h"

enum {
	OPT_LIST = 256,
	OPT_HEADLESS,
	OPT_JSON,
	OPT_VARIANT,
	OPT_SPEED,
	OPT_CLOCK,
	OPT_PAUSED,
	OPT_QUIZ,
	OPT_AT,
	OPT_WIDTH,
	OPT_ONLINE,
	OPT_WIKI_URL,
	OPT_HTTP_TIMEOUT,
	OPT_LATENCY,
	OPT_BANDWIDTH,
	OPT_TASKS,
	OPT_MAX_CONNECTIONS,
	OPT_FAULT,
	OPT_RECORD,
	OPT_REPLAY,
	OPT_EXPORT,
	OPT_CAST,
	OPT_SIZE,
	OPT_MAX_EVENTS,
	OPT_MAX_BYTES,
	OPT_MAX_MEMORY,
	OPT_DEMO_SOURCE,
	OPT_CELLS,
	OPT_WATCH,
	OPT_LANG
};

static const struct option options_long[] = {
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, 'V' },
	{ "list",	no_argument,		NULL, OPT_LIST },
	{ "headless",	no_argument,		NULL, OPT_HEADLESS },
	{ "json",	no_argument,		NULL, OPT_JSON },
	{ "variant",	required_argument,	NULL, OPT_VARIANT },
	{ "speed",	required_argument,	NULL, OPT_SPEED },
	{ "clock",	required_argument,	NULL, OPT_CLOCK },
	{ "paused",	no_argument,		NULL, OPT_PAUSED },
	{ "quiz",	no_argument,		NULL, OPT_QUIZ },
	{ "at",		required_argument,	NULL, OPT_AT },
	{ "width",	required_argument,	NULL, OPT_WIDTH },
	{ "online",	no_argument,		NULL, OPT_ONLINE },
	{ "wiki-url",	required_argument,	NULL, OPT_WIKI_URL },
	{ "http-timeout", required_argument,	NULL, OPT_HTTP_TIMEOUT },
	{ "latency",	required_argument,	NULL, OPT_LATENCY },
	{ "bandwidth",	required_argument,	NULL, OPT_BANDWIDTH },
	{ "tasks",	required_argument,	NULL, OPT_TASKS },
	{ "max-connections", required_argument,	NULL, OPT_MAX_CONNECTIONS },
	{ "fault",	required_argument,	NULL, OPT_FAULT },
	{ "record",	required_argument,	NULL, OPT_RECORD },
	{ "replay",	required_argument,	NULL, OPT_REPLAY },
	{ "export",	required_argument,	NULL, OPT_EXPORT },
	{ "output",	required_argument,	NULL, 'o' },
	{ "cast",	required_argument,	NULL, OPT_CAST },
	{ "size",	required_argument,	NULL, OPT_SIZE },
	{ "max-events",	required_argument,	NULL, OPT_MAX_EVENTS },
	{ "max-bytes",	required_argument,	NULL, OPT_MAX_BYTES },
	{ "max-memory",	required_argument,	NULL, OPT_MAX_MEMORY },
	{ "demo-source", required_argument,	NULL, OPT_DEMO_SOURCE },
	{ "cells",	required_argument,	NULL, OPT_CELLS },
	{ "watch",	no_argument,		NULL, OPT_WATCH },
	{ "lang",	required_argument,	NULL, OPT_LANG },
	{ NULL,		0,			NULL, 0 }
};

/*
 * How many words of argv are loopscope's: up to the first program named
 * FILE.py or FILE.ipynb, as python3 reads its command line (what comes
 * after the script is the script's: "loopscope prog.py -v" gives prog.py
 * its -v). The values of options that take one are skipped.
 */
static int
options_own(int argc, char **argv)
{
	const struct option	*o, *hit;
	size_t			 n;
	int			 i, nhit;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1 < argc && options_program_name(argv[i + 1]) ?
			    i + 2 : argc;
		if (strncmp(argv[i], "--", 2) == 0) {
			if (strchr(argv[i], '=') != NULL)
				continue;
			/* getopt takes a name's unique prefix: so do we. */
			n = strlen(argv[i] + 2);
			for (hit = NULL, nhit = 0, o = options_long;
			    o->name != NULL; o++) {
				if (strncmp(o->name, argv[i] + 2, n) != 0)
					continue;
				hit = o;
				nhit++;
				if (o->name[n] == '\0') {
					nhit = 1;
					break;
				}
			}
			if (nhit == 1 && hit->has_arg == required_argument)
				i++;
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			/* -o FILE, -X OPTION; -oFILE, -XOPTION. */
			if ((argv[i][1] == 'o' || argv[i][1] == 'X') &&
			    argv[i][2] == '\0')
				i++;
			continue;
		}
		if (options_program_name(argv[i]))
			return i + 1;
	}
	return argc;
}

/*
 * Name what getopt refused: an unknown option, or a value given to one
 * that takes none ("--list=x").
 */
static void
options_unknown(const char *arg, char *err, size_t len)
{
	const struct option	*o;
	size_t			 n;

	if (optopt > 0 && optopt < 256 && strncmp(arg, "--", 2) != 0) {
		snprintf(err, len, _("unknown option '-%c'"), optopt);
		return;
	}
	n = strcspn(arg, "=");
	if (strncmp(arg, "--", 2) == 0 && arg[n] == '=')
		for (o = options_long; o->name != NULL; o++)
			if (strlen(o->name) == n - 2 &&
			    strncmp(o->name, arg + 2, n - 2) == 0) {
				snprintf(err, len, _("option '--%s' takes no "
				    "value"), o->name);
				return;
			}
	/* getopt_long refuses a prefix of several: name them. */
	if (strncmp(arg, "--", 2) == 0 && n > 2) {
		char	names[256] = "";
		int	k = 0;

		for (o = options_long; o->name != NULL; o++)
			if (strncmp(o->name, arg + 2, n - 2) == 0) {
				size_t	l = strlen(names);

				snprintf(names + l, sizeof names - l, "%s--%s",
				    k++ ? ", " : "", o->name);
			}
		if (k > 1) {
			snprintf(err, len, _("option '%.*s' is ambiguous: %s"),
			    (int)n, arg, names);
			return;
		}
	}
	snprintf(err, len, _("unknown option '%s'"), arg);
}

/* A number of seconds from lo to hi, into *out. */
static int
options_seconds(const char *opt, const char *arg, double lo, double hi,
    vtime_t *out, char *err, size_t len)
{
	double	v;

	if (number_real(arg, lo, hi, &v) != 0) {
		snprintf(err, len, _("%s: '%s' is not a number of seconds from "
		    "%g to %g"), opt, arg, lo, hi);
		return -1;
	}
	*out = vtime_from_sec(v);
	return 0;
}

/* A whole number from lo to hi, into *out; what says "a width" (say). */
static int
options_whole(const char *opt, const char *arg, const char *say, long lo,
    long hi, long *out, char *err, size_t len)
{
	long long	v;

	if (number_whole(arg, lo, hi, &v) != 0) {
		snprintf(err, len, _("%s: '%s' is not %s from %ld to %ld"), opt,
		    arg, say, lo, hi);
		return -1;
	}
	*out = (long)v;
	return 0;
}

/* The virtual speed: its own words, as ever, with the range named. */
static int
options_speed(struct options *o, const char *arg, char *err, size_t len)
{
	if (number_real(arg, -1e300, 1e300, &o->speed) != 0) {
		snprintf(err, len, _("--speed: '%s' is not a number from %g to "
		    "%g"), arg, CLOCK_SPEED_MIN, CLOCK_SPEED_MAX);
		return -1;
	}
	if (o->speed < CLOCK_SPEED_MIN || o->speed > CLOCK_SPEED_MAX) {
		snprintf(err, len, _("--speed: %s is outside %g to %g"), arg,
		    CLOCK_SPEED_MIN, CLOCK_SPEED_MAX);
		return -1;
	}
	o->speed_given = true;
	return 0;
}

/* PAGE=KIND, for the embedded server. */
static int
options_fault(struct options *o, char *arg, char *err, size_t len)
{
	char	*eq = strchr(arg, '=');

	if (eq == NULL || eq == arg) {
		snprintf(err, len, _("--fault: '%s' is not PAGE=KIND"), arg);
		return -1;
	}
	if (o->nfaults == SERVER_MAX_FAULTS) {
		snprintf(err, len, _("--fault: at most %d faults"),
		    SERVER_MAX_FAULTS);
		return -1;
	}
	*eq = '\0';
	if (pages_fault_parse(eq + 1, &o->fault[o->nfaults]) != 0) {
		snprintf(err, len, _("--fault: unknown kind '%s' (404, 500, "
		    "reset, truncated, badjson, silent)"), eq + 1);
		return -1;
	}
	o->fault_page[o->nfaults++] = arg;
	return 0;
}

/*
 * Remember the first option about pages (and the first about the embedded
 * server's): a demo that fetches nothing, or pages from elsewhere, refuse it.
 */
static void
options_page(struct options *o, const char *name, bool server)
{
	if (o->page_option == NULL)
		o->page_option = name;
	if (server && o->server_option == NULL)
		o->server_option = name;
}

/* --size COLSxROWS: a terminal the UI can be drawn in. */
static int
options_size(struct options *o, const char *arg, char *err, size_t len)
{
	const char	*x = strchr(arg, 'x');
	char		 cols[16];
	long long	 c, r;

	if (x != NULL && (size_t)(x - arg) < sizeof cols) {
		memcpy(cols, arg, (size_t)(x - arg));
		cols[x - arg] = '\0';
		if (number_whole(cols, 60, 1000, &c) == 0 &&
		    number_whole(x + 1, 16, 1000, &r) == 0) {
			o->size_cols = (int)c;
			o->size_rows = (int)r;
			return 0;
		}
	}
	snprintf(err, len, _("--size: '%s' is not COLSxROWS from 60x16 to "
	    "1000x1000"), arg);
	return -1;
}

/*
 * Parse argv into o. Returns 0, or -1 with a one-line reason in err (the
 * caller exits 2).
 */
int
options_parse(int argc, char **argv, struct options *o, char *err, size_t len)
{
	char			*variant_list = NULL;
	long			 w, n;
	unsigned long long	 size;
	int			 c;
	double	 at;

	memset(o, 0, sizeof *o);
	o->speed = 1.0;
	o->clock = CLOCK_SIM;
	o->http_timeout = DEMO_TIMEOUT_DEFAULT;
	o->latency = 500 * VTIME_MS;
	o->tasks = DEMO_TASKS_DEFAULT;
	o->limits.max_bytes = RECORD_MAX_BYTES_DEFAULT;
	o->max_memory = CHILD_MAX_MEMORY_DEFAULT;
	o->limits.max_events = RECORD_MAX_EVENTS_DEFAULT;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(options_own(argc, argv), argv, ":hVo:X:",
	    options_long, NULL)) != -1) {
		switch (c) {
		case 'h':
			o->help = true;
			break;
		case 'V':
			o->version = true;
			break;
		case OPT_LIST:
			o->list = true;
			break;
		case OPT_HEADLESS:
			o->headless = true;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_VARIANT:
			variant_list = optarg;
			break;
		case OPT_SPEED:
			if (options_speed(o, optarg, err, len) != 0)
				return -1;
			break;
		case OPT_CLOCK:
			if (strcmp(optarg, "real") == 0)
				o->clock = CLOCK_REAL;
			else if (strcmp(optarg, "sim") == 0)
				o->clock = CLOCK_SIM;
			else {
				snprintf(err, len, _("--clock: '%s' is neither "
				    "'real' nor 'sim'"), optarg);
				return -1;
			}
			o->clock_given = true;
			break;
		case OPT_PAUSED:
			o->paused = true;
			break;
		case OPT_QUIZ:
			o->quiz = true;
			break;
		case OPT_AT:
			if (number_real(optarg, 0, 1e6, &at) != 0) {
				snprintf(err, len, _("--at: '%s' is not a time in "
				    "seconds from 0 to 1000000"), optarg);
				return -1;
			}
			o->at = vtime_from_sec(at);
			o->at_given = true;
			break;
		case OPT_WIDTH:
			if (options_whole("--width", optarg, _("a width"), 20,
			    1000, &w, err, len) != 0)
				return -1;
			o->width = (int)w;
			break;
		case OPT_ONLINE:
			o->online = true;
			options_page(o, "--online", false);
			break;
		case OPT_WIKI_URL:
			if (strncmp(optarg, "http://", 7) != 0 &&
			    strncmp(optarg, "https://", 8) != 0) {
				snprintf(err, len, _("--wiki-url: '%s' is not an "
				    "http:// or https:// URL"), optarg);
				return -1;
			}
			o->wiki_url = optarg;
			options_page(o, "--wiki-url", false);
			break;
		case OPT_HTTP_TIMEOUT:
			if (options_seconds("--http-timeout", optarg, 0.01,
			    3600, &o->http_timeout, err, len) != 0)
				return -1;
			options_page(o, "--http-timeout", false);
			break;
		case OPT_LATENCY:
			if (options_seconds("--latency", optarg, 0, 3600,
			    &o->latency, err, len) != 0)
				return -1;
			options_page(o, "--latency", true);
			break;
		case OPT_BANDWIDTH:
			if (options_whole("--bandwidth", optarg,
			    _("a whole number"), 1, 1L << 40, &o->bandwidth, err,
			    len) != 0)
				return -1;
			options_page(o, "--bandwidth", true);
			break;
		case OPT_TASKS:
			if (options_whole("--tasks", optarg, _("a whole number"),
			    1, DEMO_TASKS_MAX, &o->tasks, err, len) != 0)
				return -1;
			o->tasks_given = true;
			break;
		case OPT_MAX_CONNECTIONS:
			if (options_whole("--max-connections", optarg,
			    _("a whole number"), 0, DEMO_TASKS_MAX,
			    &o->max_connections, err, len) != 0)
				return -1;
			options_page(o, "--max-connections", false);
			break;
		case OPT_FAULT:
			if (options_fault(o, optarg, err, len) != 0)
				return -1;
			options_page(o, "--fault", true);
			break;
		case OPT_RECORD:
			o->record = optarg;
			break;
		case OPT_REPLAY:
			o->replay = optarg;
			break;
		case OPT_CAST:
			o->cast = optarg;
			break;
		case 'o':
			o->output = optarg;
			break;
		case OPT_EXPORT:
			if (strcmp(optarg, "chrome") != 0 &&
			    strcmp(optarg, "cast") != 0 &&
			    strcmp(optarg, "svg") != 0 &&
			    strcmp(optarg, "text") != 0) {
				snprintf(err, len, _("--export: unknown format "
				    "'%s' (chrome, cast, svg or text)"), optarg);
				return -1;
			}
			o->export_format = optarg;
			break;
		case OPT_SIZE:
			if (options_size(o, optarg, err, len) != 0)
				return -1;
			break;
		case OPT_MAX_EVENTS:
			if (options_whole("--max-events", optarg,
			    _("a whole number"), 1, RECORD_MAX_EVENTS_MAX, &n, err,
			    len) != 0)
				return -1;
			o->limits.max_events = (size_t)n;
			o->limits_option = "--max-events";
			break;
		case OPT_MAX_BYTES:
			if (options_bytes("--max-bytes", optarg,
			    RECORD_MAX_BYTES_MIN, RECORD_MAX_BYTES_MAX, &size,
			    err, len) != 0)
				return -1;
			o->limits.max_bytes = (size_t)size;
			o->limits_option = "--max-bytes";
			break;
		case OPT_MAX_MEMORY:
			if (options_bytes("--max-memory", optarg,
			    CHILD_MAX_MEMORY_MIN, CHILD_MAX_MEMORY_MAX,
			    &o->max_memory, err, len) != 0)
				return -1;
			break;
		case 'X':
			if (o->nxoptions == OPTIONS_XMAX) {
				snprintf(err, len, _("-X: at most %d of them"),
				    OPTIONS_XMAX);
				return -1;
			}
			o->xoptions[o->nxoptions++] = optarg;
			break;
		case OPT_DEMO_SOURCE:
			o->demo_source = optarg;
			break;
		case OPT_CELLS:
			if (options_cells_list(o, optarg, err, len) != 0)
				return -1;
			break;
		case OPT_WATCH:
			o->watch = true;
			break;
		case OPT_LANG:
			o->lang = optarg;
			break;
		case ':':
			snprintf(err, len, _("option '%s' needs a value"),
			    argv[optind - 1]);
			return -1;
		default:
			options_unknown(argv[optind - 1], err, len);
			return -1;
		}
	}
	if (o->help || o->version || o->list || o->demo_source != NULL)
		return 0;
	if ((o->ncells > 0 || o->watch) && (o->replay != NULL ||
	    o->export_format != NULL)) {
		snprintf(err, len, _("%s runs programs, not a recording"),
		    o->ncells > 0 ? "--cells" : "--watch");
		return -1;
	}
	if (o->watch && o->headless) {
		snprintf(err, len, _("--watch reruns in the terminal UI, not "
		    "--headless"));
		return -1;
	}
	if (o->replay != NULL || o->export_format != NULL)
		return options_check_files(o, argc, argv, variant_list, err,
		    len) != 0 ? -1 : options_check_paths(o, err, len);
	if (o->output != NULL || o->size_cols > 0) {
		snprintf(err, len, _("%s goes with --export"), o->output != NULL ?
		    "-o" : "--size");
		return -1;
	}
	if (o->limits_option != NULL) {
		snprintf(err, len, _("%s goes with --replay or --export"),
		    o->limits_option);
		return -1;
	}
	if (optind < argc && options_is_program(argv[optind])) {
		if (options_programs(o, argc, argv, err, len) != 0)
			return -1;
	} else if (argc - optind > 1) {
		snprintf(err, len, _("one demo at a time, not '%s' and '%s'"),
		    argv[optind], argv[optind + 1]);
		return -1;
	} else
		o->demo = demos_find(optind < argc ? argv[optind] :
		    DEMO_DEFAULT);
	if (o->demo == NULL) {
		snprintf(err, len, _("unknown demo '%s' (try --list)"),
		    argv[optind]);
		return -1;
	}
	if (o->online && o->wiki_url != NULL) {
		snprintf(err, len, _("--online and --wiki-url: choose one"));
		return -1;
	}
	if (o->server_option != NULL && (o->online || o->wiki_url != NULL)) {
		snprintf(err, len, _("%s needs loopscope's own server, not %s"),
		    o->server_option, o->online ? "--online" : "--wiki-url");
		return -1;
	}
	if (options_check_pages(o, err, len) != 0 ||
	    options_check_paths(o, err, len) != 0 ||
	    options_check_modes(o, err, len) != 0)
		return -1;
	if (options_cells(o, err, len) != 0)
		return -1;
	/* A demo that measures this machine runs in its time, unless told. */
	if (!o->clock_given && o->demo->real_clock) {
		o->clock = CLOCK_REAL;
		o->clock_given = true;
	}
	if (variant_list != NULL &&
	    options_check_variants(o, variant_list, err, len) != 0)
		return -1;
	return 0;
}
