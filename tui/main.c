/* loopscope: make an event loop visible. */
#include "config.h"

#include <sys/ioctl.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demos.h"
#include "glyphs.h"
#include "headless.h"
#include "options.h"
#include "session.h"
#include "setup.h"
#include "ui.h"

/* Write a demo's variants as "a,b,c" into buf; return its length. */
static int
main_variants(const struct demo *d, char *buf, size_t len)
{
	size_t	i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < d->nvariants && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? "," : "",
		    d->variants[i].name);
	return (int)strlen(buf);
}

/* One line a demo: name, variants, summary, in aligned columns. */
static void
main_list(void)
{
	const struct demo	*d;
	char			 vs[256];
	int			 wn = 0, wv = 0, n;
	size_t			 i;

	for (i = 0; i < demos_count(); i++) {
		d = demos_at(i);
		if ((n = (int)strlen(d->name)) > wn)
			wn = n;
		if ((n = main_variants(d, vs, sizeof vs)) > wv)
			wv = n;
	}
	for (i = 0; i < demos_count(); i++) {
		d = demos_at(i);
		main_variants(d, vs, sizeof vs);
		printf("%-*s  %-*s  %s%s\n", wn, d->name, wv, vs, d->summary,
		    strcmp(d->name, DEMO_DEFAULT) == 0 ? " (default)" : "");
	}
}

/* Columns for the text timeline: --width, the terminal's, or 100. */
static int
main_width(const struct options *o)
{
	struct winsize	ws;

	if (o->width > 0)
		return o->width;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col >= 20)
		return ws.ws_col;
	return 100;
}

static int
main_headless(const struct options *o)
{
	struct headless_info	 info;
	struct session		*s;
	struct timeline		*tl;
	char			 err[256];
	int			 rc;

	if ((s = setup_session(o, err, sizeof err)) == NULL) {
		fprintf(stderr, "loopscope: %s: %s\n", o->demo->name, err);
		return 1;
	}
	if ((tl = timeline_new(0)) == NULL) {
		session_free(s);
		fprintf(stderr, "loopscope: out of memory\n");
		return 1;
	}
	session_run(s, tl);
	session_free(s);

	info.demo = o->demo->name;
	info.summary = o->demo->summary;
	info.clock = o->clock;
	info.speed = o->speed;
	info.width = main_width(o);
	info.utf8 = glyphs_locale_utf8();
	rc = o->json ? headless_json(stdout, tl, &info) :
	    headless_text(stdout, tl, &info);
	timeline_free(tl);
	if (rc != 0 || fflush(stdout) != 0) {
		fprintf(stderr, "loopscope: cannot write the output\n");
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct options	o;
	char		err[512];
	const char	*term;

	setlocale(LC_ALL, "");
	if (options_parse(argc, argv, &o, err, sizeof err) != 0) {
		fprintf(stderr, "loopscope: %s\n", err);
		return 2;
	}
	if (o.help || o.version || o.list) {
		if (o.help)
			options_usage(stdout);
		else if (o.version)
			printf("loopscope %s\n", PACKAGE_VERSION);
		else
			main_list();
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, "loopscope: cannot write the output\n");
			return 1;
		}
		return 0;
	}
	/* Not a terminal, or one that cannot be drawn on: headless. */
	term = getenv("TERM");
	if (!o.headless && isatty(STDOUT_FILENO) && isatty(STDIN_FILENO) &&
	    term != NULL && *term != '\0' && strcmp(term, "dumb") != 0)
		return ui_run(&o);
	if (o.paused) {
		fprintf(stderr, "loopscope: --paused: nothing could resume a "
		    "headless run\n");
		return 2;
	}
	if (!o.clock_given)
		o.clock = CLOCK_SIM;
	return main_headless(&o);
}
