/* The command line: GNU-style options, checked before anything runs. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"

enum {
	OPT_LIST = 256,
	OPT_HEADLESS,
	OPT_JSON,
	OPT_VARIANT,
	OPT_SPEED,
	OPT_CLOCK,
	OPT_PAUSED,
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
	OPT_SIZE
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
	{ NULL,		0,			NULL, 0 }
};

void
options_usage(FILE *f)
{
	fprintf(f,
"Usage: loopscope [OPTION]... [DEMO]\n"
"       loopscope --replay FILE [--headless [--json]] [OPTION]...\n"
"       loopscope --export FORMAT FILE [-o OUT] [--size COLSxROWS]\n"
"Show an event loop at work: a demo's tasks run synchronously and\n"
"asynchronously, side by side, on one virtual clock.\n"
"\n"
"  --list            list the demos and their variants\n"
"  --headless        no terminal UI: print the output and a text timeline\n"
"  --json            with --headless: one JSON document instead\n"
"  --variant LIST    run only these variants (comma-separated)\n"
"  --speed X         virtual seconds per real second, %g to %g (default 1)\n"
"  --clock real|sim  real time scaled by the speed, or simulated time that\n"
"                    jumps to the next deadline (default: sim with\n"
"                    --headless, real otherwise)\n"
"  --paused          start paused (terminal UI)\n"
"  --width COLS      width of the text timeline (default: the terminal's)\n"
"\n"
"Demos that fetch pages (wiki, fanout) ask loopscope's own server on\n"
"127.0.0.1 unless told otherwise:\n"
"  --online          fetch the real French Wikipedia over HTTPS\n"
"  --wiki-url URL    fetch from URL/api/rest_v1/page/summary/TITLE\n"
"  --http-timeout S  give up a fetch after S virtual seconds (default 10)\n"
"  --latency S       the server answers after S virtual seconds (0.5)\n"
"  --bandwidth B     the server sends B bytes per virtual second (no limit)\n"
"  --fault PAGE=KIND the server fails PAGE: 404, 500, reset, truncated,\n"
"                    badjson or silent (never answers); repeatable\n"
"  --tasks N         fanout: N concurrent fetches, 1 to 10000 (100)\n"
"  --max-connections N  connections libcurl may open, 0: no limit\n"
"\n"
"Recording, replay and export (FILE.gz: gzip):\n"
"  --record FILE     write the session (trace and actions) to FILE\n"
"  --replay FILE     show a recording again: the same UI, nothing runs\n"
"  --cast FILE       write what the terminal receives as an asciicast\n"
"  --export FORMAT FILE  write a recording as chrome (Trace Event JSON),\n"
"                    cast (asciicast v2), svg or text\n"
"  -o, --output OUT  where --export writes (default: standard output)\n"
"  --size COLSxROWS  the terminal of --export cast (default: recorded)\n"
"  -h, --help        show this help and exit\n"
"  -V, --version     show the versions of loopscope and its libraries\n"
"\n"
"The default demo is '%s'. Exit status: 0 on success, 1 when the run\n"
"fails, 2 for a usage error.\n", CLOCK_SPEED_MIN, CLOCK_SPEED_MAX,
	    DEMO_DEFAULT);
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
		snprintf(err, len, "unknown option '-%c'", optopt);
		return;
	}
	n = strcspn(arg, "=");
	if (strncmp(arg, "--", 2) == 0 && arg[n] == '=')
		for (o = options_long; o->name != NULL; o++)
			if (strlen(o->name) == n - 2 &&
			    strncmp(o->name, arg + 2, n - 2) == 0) {
				snprintf(err, len, "option '--%s' takes no "
				    "value", o->name);
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
			snprintf(err, len, "option '%.*s' is ambiguous: %s",
			    (int)n, arg, names);
			return;
		}
	}
	snprintf(err, len, "unknown option '%s'", arg);
}

/* A number of seconds from lo to hi, into *out. */
static int
options_seconds(const char *opt, const char *arg, double lo, double hi,
    vtime_t *out, char *err, size_t len)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno != 0 || end == arg || *end != '\0' || !isfinite(v) ||
	    v < lo || v > hi) {
		snprintf(err, len, "%s: '%s' is not a number of seconds from "
		    "%g to %g", opt, arg, lo, hi);
		return -1;
	}
	*out = vtime_from_sec(v);
	return 0;
}

/* A whole number from lo to hi, into *out. */
static int
options_number(const char *opt, const char *arg, long lo, long hi, long *out,
    char *err, size_t len)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < lo || v > hi) {
		snprintf(err, len, "%s: '%s' is not a whole number from %ld "
		    "to %ld", opt, arg, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

/* PAGE=KIND, for the embedded server. */
static int
options_fault(struct options *o, char *arg, char *err, size_t len)
{
	char	*eq = strchr(arg, '=');

	if (eq == NULL || eq == arg) {
		snprintf(err, len, "--fault: '%s' is not PAGE=KIND", arg);
		return -1;
	}
	if (o->nfaults == SERVER_MAX_FAULTS) {
		snprintf(err, len, "--fault: at most %d faults",
		    SERVER_MAX_FAULTS);
		return -1;
	}
	*eq = '\0';
	if (server_fault_parse(eq + 1, &o->fault[o->nfaults]) != 0) {
		snprintf(err, len, "--fault: unknown kind '%s' (404, 500, "
		    "reset, truncated, badjson, silent)", eq + 1);
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

/* --tasks and the page options name what the demo has: a fan-out, pages. */
static int
options_demo_pages(const struct options *o, char *err, size_t len)
{
	size_t	i;
	bool	fault;

	if (o->tasks_given && !o->demo->scales) {
		snprintf(err, len, "--tasks: the %s demo has no fan-out "
		    "(fanout has)", o->demo->name);
		return -1;
	}
	if (o->page_option != NULL && o->demo->fetches == NULL) {
		fault = strcmp(o->page_option, "--fault") == 0;
		snprintf(err, len, "%s%s%s: the %s demo fetches no pages "
		    "(wiki and fanout do)", o->page_option, fault ? " " : "",
		    fault ? o->fault_page[0] : "", o->demo->name);
		return -1;
	}
	for (i = 0; i < o->nfaults; i++) {
		if (!demos_fetches(o->demo, o->fault_page[i], o->tasks)) {
			snprintf(err, len, "--fault %s: the %s demo never "
			    "fetches that page", o->fault_page[i],
			    o->demo->name);
			return -1;
		}
	}
	return 0;
}

/* Split LIST on commas and check each name against the demo. */
static int
options_variants(struct options *o, char *list, char *err, size_t len)
{
	const struct demo_variant	*v;
	bool				 want[8] = { false };
	char				*name, *save = NULL;
	size_t				 i;

	for (name = strtok_r(list, ",", &save); name != NULL;
	    name = strtok_r(NULL, ",", &save)) {
		if ((v = demos_variant(o->demo, name)) == NULL) {
			snprintf(err, len, "--variant: demo '%s' has no "
			    "variant '%s' (it has:", o->demo->name, name);
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
	for (i = 0; i < o->demo->nvariants && i < 8; i++)
		if (want[i])
			o->variants[o->nvariants++] = o->demo->variants[i].name;
	if (o->nvariants == 0) {
		snprintf(err, len, "--variant: no variant named");
		return -1;
	}
	return 0;
}

/* --size COLSxROWS: a terminal the UI can be drawn in. */
static int
options_size(struct options *o, const char *arg, char *err, size_t len)
{
	const char	*r;
	char		*end;
	long		 cols, rows;

	errno = 0;
	cols = strtol(arg, &end, 10);
	if (errno == 0 && end != arg && *end == 'x') {
		r = end + 1;
		rows = strtol(r, &end, 10);
		if (errno == 0 && end != r && *end == '\0' && cols >= 60 &&
		    cols <= 1000 && rows >= 16 && rows <= 1000) {
			o->size_cols = (int)cols;
			o->size_rows = (int)rows;
			return 0;
		}
	}
	snprintf(err, len, "--size: '%s' is not COLSxROWS from 60x16 to "
	    "1000x1000", arg);
	return -1;
}

/*
 * --replay FILE and --export FORMAT FILE: a recording, not a demo, and
 * only the options that make sense for one.
 */
static int
options_files(struct options *o, int argc, char **argv,
    const char *variant_list, char *err, size_t len)
{
	const char	*what = o->replay != NULL ? "--replay" : "--export";
	int		 nfiles = argc - optind;

	o->demo = demos_find(DEMO_DEFAULT);	/* never run */
	if (o->replay != NULL && o->export_format != NULL) {
		snprintf(err, len, "--replay and --export: choose one");
		return -1;
	}
	if (o->record != NULL) {
		snprintf(err, len, "%s and --record: a recording is not "
		    "recorded again", what);
		return -1;
	}
	if (variant_list != NULL || o->clock_given ||
	    o->page_option != NULL || o->tasks_given) {
		snprintf(err, len, "%s: the recording's demo, variants and "
		    "clock are fixed; %s does not apply", what,
		    variant_list != NULL ? "--variant" : o->clock_given ?
		    "--clock" : o->tasks_given ? "--tasks" : o->page_option);
		return -1;
	}
	if (o->replay != NULL) {
		if (nfiles > 0) {
			snprintf(err, len, "--replay %s: no demo to run, not "
			    "'%s'", o->replay, argv[optind]);
			return -1;
		}
		if (o->output != NULL || o->size_cols > 0) {
			snprintf(err, len, "%s goes with --export",
			    o->output != NULL ? "-o" : "--size");
			return -1;
		}
		if (o->json && !o->headless) {
			snprintf(err, len, "--json goes with --headless");
			return -1;
		}
		if (o->cast != NULL && o->headless) {
			snprintf(err, len, "--cast records the terminal UI, "
			    "not --headless");
			return -1;
		}
		return 0;
	}
	if (nfiles != 1) {
		snprintf(err, len, nfiles == 0 ? "--export %s: which "
		    "recording? (--export FORMAT FILE)" : "--export %s: one "
		    "recording at a time", o->export_format);
		return -1;
	}
	o->export_file = argv[optind];
	if (o->headless || o->json || o->paused || o->cast != NULL) {
		snprintf(err, len, "--export writes a file: %s does not apply",
		    o->headless ? "--headless" : o->json ? "--json" :
		    o->paused ? "--paused" : "--cast");
		return -1;
	}
	if ((o->size_cols > 0 || o->speed_given) &&
	    strcmp(o->export_format, "cast") != 0) {
		snprintf(err, len, "%s goes with --export cast, not %s",
		    o->size_cols > 0 ? "--size" : "--speed", o->export_format);
		return -1;
	}
	if (o->width > 0 && strcmp(o->export_format, "text") != 0) {
		snprintf(err, len, "--width goes with --export text, not %s",
		    o->export_format);
		return -1;
	}
	return 0;
}

/* Whether a word on the command line names a program, not a demo. */
static bool
options_is_program(const char *arg)
{
	struct stat	st;
	size_t		n = strlen(arg);

	return (n > 3 && strcmp(arg + n - 3, ".py") == 0) ||
	    strchr(arg, '/') != NULL || (stat(arg, &st) == 0 &&
	    S_ISREG(st.st_mode));
}

/*
 * loopscope FILE.py [FILE.py...] [ARG...]: the programs, one variant
 * each, named after their files; the words after them are their
 * arguments (sys.argv[1:]).
 */
static int
options_programs(struct options *o, int argc, char **argv, char *err,
    size_t len)
{
	struct options_user	*u = &o->user;
	const char		*f, *base;
	char			*dot;
	size_t			 n = 0, k, tl = 0;
	int			 i;
	FILE			*fp;

	for (i = optind; i < argc && options_is_program(argv[i]); i++) {
		f = argv[i];
		if (n == 8) {
			snprintf(err, len, "%s: at most 8 programs side by "
			    "side", f);
			return -1;
		}
		if ((fp = fopen(f, "r")) == NULL) {
			snprintf(err, len, "%s: %s", f, strerror(errno));
			return -1;
		}
		fclose(fp);
		base = strrchr(f, '/') != NULL ? strrchr(f, '/') + 1 : f;
		snprintf(u->names[n], sizeof u->names[n], "%s", base);
		if ((dot = strrchr(u->names[n], '.')) != NULL &&
		    dot != u->names[n])
			*dot = '\0';
		for (k = 0; k < n; k++)
			if (strcmp(u->names[k], u->names[n]) == 0) {
				snprintf(u->names[n], sizeof u->names[n],
				    "%.55s-%zu", base, n + 1);
				break;
			}
		u->variants[n].name = u->names[n];
		u->variants[n].summary = f;
		u->variants[n].file = f;
		tl += (size_t)snprintf(u->title + tl, sizeof u->title - tl,
		    "%s%s", n > 0 ? " + " : "", u->names[n]);
		if (tl >= sizeof u->title)
			tl = sizeof u->title - 1;
		n++;
	}
	u->demo.name = u->title;
	u->demo.summary = "your own program";
	u->demo.variants = u->variants;
	u->demo.nvariants = n;
	u->demo.user = true;
	o->demo = &u->demo;
	o->prog_args = argv + i;
	o->nprog_args = (size_t)(argc - i);
	return 0;
}

/*
 * Parse argv into o. Returns 0, or -1 with a one-line reason in err (the
 * caller exits 2).
 */
int
options_parse(int argc, char **argv, struct options *o, char *err, size_t len)
{
	char	*end, *variant_list = NULL;
	long	 w;
	int	 c;
	size_t	 i;

	memset(o, 0, sizeof *o);
	o->speed = 1.0;
	o->clock = CLOCK_REAL;
	o->http_timeout = DEMO_TIMEOUT_DEFAULT;
	o->latency = 500 * VTIME_MS;
	o->tasks = DEMO_TASKS_DEFAULT;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":hVo:", options_long, NULL)) !=
	    -1) {
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
			errno = 0;
			o->speed = strtod(optarg, &end);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    !isfinite(o->speed)) {
				snprintf(err, len, "--speed: '%s' is not a "
				    "number", optarg);
				return -1;
			}
			if (o->speed < CLOCK_SPEED_MIN ||
			    o->speed > CLOCK_SPEED_MAX) {
				snprintf(err, len, "--speed: %s is outside "
				    "%g to %g", optarg, CLOCK_SPEED_MIN,
				    CLOCK_SPEED_MAX);
				return -1;
			}
			o->speed_given = true;
			break;
		case OPT_CLOCK:
			if (strcmp(optarg, "real") == 0)
				o->clock = CLOCK_REAL;
			else if (strcmp(optarg, "sim") == 0)
				o->clock = CLOCK_SIM;
			else {
				snprintf(err, len, "--clock: '%s' is neither "
				    "'real' nor 'sim'", optarg);
				return -1;
			}
			o->clock_given = true;
			break;
		case OPT_PAUSED:
			o->paused = true;
			break;
		case OPT_WIDTH:
			errno = 0;
			w = strtol(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    w < 20 || w > 1000) {
				snprintf(err, len, "--width: '%s' is not a "
				    "width from 20 to 1000", optarg);
				return -1;
			}
			o->width = (int)w;
			break;
		case OPT_ONLINE:
			o->online = true;
			options_page(o, "--online", false);
			break;
		case OPT_WIKI_URL:
			if (strncmp(optarg, "http://", 7) != 0 &&
			    strncmp(optarg, "https://", 8) != 0) {
				snprintf(err, len, "--wiki-url: '%s' is not an "
				    "http:// or https:// URL", optarg);
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
			if (options_number("--bandwidth", optarg, 1, 1L << 40,
			    &o->bandwidth, err, len) != 0)
				return -1;
			options_page(o, "--bandwidth", true);
			break;
		case OPT_TASKS:
			if (options_number("--tasks", optarg, 1,
			    DEMO_TASKS_MAX, &o->tasks, err, len) != 0)
				return -1;
			o->tasks_given = true;
			break;
		case OPT_MAX_CONNECTIONS:
			if (options_number("--max-connections", optarg, 0,
			    DEMO_TASKS_MAX, &o->max_connections, err,
			    len) != 0)
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
				snprintf(err, len, "--export: unknown format "
				    "'%s' (chrome, cast, svg or text)", optarg);
				return -1;
			}
			o->export_format = optarg;
			break;
		case OPT_SIZE:
			if (options_size(o, optarg, err, len) != 0)
				return -1;
			break;
		case ':':
			snprintf(err, len, "option '%s' needs a value",
			    argv[optind - 1]);
			return -1;
		default:
			options_unknown(argv[optind - 1], err, len);
			return -1;
		}
	}
	if (o->help || o->version || o->list)
		return 0;
	if (o->replay != NULL || o->export_format != NULL)
		return options_files(o, argc, argv, variant_list, err, len);
	if (o->output != NULL || o->size_cols > 0) {
		snprintf(err, len, "%s goes with --export", o->output != NULL ?
		    "-o" : "--size");
		return -1;
	}
	if (optind < argc && options_is_program(argv[optind])) {
		if (options_programs(o, argc, argv, err, len) != 0)
			return -1;
	} else if (argc - optind > 1) {
		snprintf(err, len, "one demo at a time, not '%s' and '%s'",
		    argv[optind], argv[optind + 1]);
		return -1;
	} else
		o->demo = demos_find(optind < argc ? argv[optind] :
		    DEMO_DEFAULT);
	if (o->demo == NULL) {
		snprintf(err, len, "unknown demo '%s' (try --list)",
		    argv[optind]);
		return -1;
	}
	if (o->online && o->wiki_url != NULL) {
		snprintf(err, len, "--online and --wiki-url: choose one");
		return -1;
	}
	if (o->server_option != NULL && (o->online || o->wiki_url != NULL)) {
		snprintf(err, len, "%s needs loopscope's own server, not %s",
		    o->server_option, o->online ? "--online" : "--wiki-url");
		return -1;
	}
	if (options_demo_pages(o, err, len) != 0)
		return -1;
	if (o->json && !o->headless) {
		snprintf(err, len, "--json goes with --headless");
		return -1;
	}
	if (o->cast != NULL && o->headless) {
		snprintf(err, len, "--cast records the terminal UI, not "
		    "--headless");
		return -1;
	}
	if (variant_list != NULL) {
		if (options_variants(o, variant_list, err, len) != 0)
			return -1;
	} else {
		for (i = 0; i < o->demo->nvariants && i < 8; i++)
			o->variants[i] = o->demo->variants[i].name;
		o->nvariants = i;
	}
	return 0;
}
