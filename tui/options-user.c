/*
 * The command line's programs: loopscope FILE.py [FILE.py...] [ARG...]
 * runs the user's own files, one variant each, as a demo of theirs; and
 * the options that take a size in bytes.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "number.h"
#include "options-int.h"

/* Whether a word on the command line names a program, not a demo. */
bool
options_is_program(const char *arg)
{
	struct stat	st;
	size_t		n = strlen(arg);

	return (n > 3 && strcmp(arg + n - 3, ".py") == 0) ||
	    (n > 6 && strcmp(arg + n - 6, ".ipynb") == 0) ||
	    strchr(arg, '/') != NULL || (stat(arg, &st) == 0 &&
	    S_ISREG(st.st_mode));
}

/* Whether a word ends as a program's name does: FILE.py, FILE.ipynb. */
bool
options_program_name(const char *arg)
{
	size_t	n = strlen(arg);

	return (n > 3 && strcmp(arg + n - 3, ".py") == 0) ||
	    (n > 6 && strcmp(arg + n - 6, ".ipynb") == 0);
}

/* A program of the user's may fetch any page (the wikipedia stand-in). */
static bool
options_user_fetches(const char *page, long tasks)
{
	(void)page;
	(void)tasks;
	return true;
}

/*
 * loopscope FILE.py [FILE.py...] [ARG...]: the programs, one variant
 * each, named after their files; the words after them are their
 * arguments (sys.argv[1:]).
 */
int
options_programs(struct options *o, int argc, char **argv, char *err,
    size_t len)
{
	struct options_user	*u = &o->user;
	const char		*f, *base;
	char			*dot;
	size_t			 n = 0, k, tl = 0;
	int			 i;
	FILE			*fp;

	/*
	 * The first program may be any file (./script); those after it end
	 * in .py or .ipynb: "loopscope prog.py data.txt" gives prog.py its
	 * argument, as python3 would.
	 */
	for (i = optind; i < argc && (i == optind ?
	    options_is_program(argv[i]) : options_program_name(argv[i]));
	    i++) {
		f = argv[i];
		if (n == TRACE_MAX_VARIANTS) {
			snprintf(err, len, _("%s: at most %d programs side by "
			    "side"), f, TRACE_MAX_VARIANTS);
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
	u->demo.summary = N_("your own program");
	u->demo.variants = u->variants;
	u->demo.nvariants = n;
	u->demo.user = true;
	u->demo.fetches = options_user_fetches;
	o->demo = &u->demo;
	o->prog_args = argv + i;
	o->nprog_args = (size_t)(argc - i);
	return 0;
}

/*
 * The value of --lang among ARGV's options, looked for before they are
 * parsed so that what is said about them is said in that language: up to
 * "--" or a program (its own arguments follow), as options_parse reads.
 */
const char *
options_lang_arg(int argc, char **argv)
{
	const char	*lang = NULL;
	int		 i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0 || options_is_program(argv[i]))
			break;
		if (strncmp(argv[i], "--lang=", 7) == 0)
			lang = argv[i] + 7;
		else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			lang = argv[++i];
	}
	return lang;
}

/*
 * A size in bytes (--max-bytes, --max-memory): SIZE from lo to hi in *v,
 * else the reason, naming the range.
 */
int
options_bytes(const char *opt, const char *arg, unsigned long long lo,
    unsigned long long hi, unsigned long long *v, char *err, size_t len)
{
	char	slo[32], shi[32];

	if (number_size(arg, lo, hi, v) == 0)
		return 0;
	number_size_format(lo, slo, sizeof slo);
	number_size_format(hi, shi, sizeof shi);
	snprintf(err, len, _("%s: '%s' is not a size from %s to %s "
	    "(bytes, or with K, M or G)"), opt, arg, slo, shi);
	return -1;
}
