/* loopscope: make an event loop visible. */
#include "config.h"

#include <sys/ioctl.h>

#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cast.h"
#include "demos.h"
#include "export.h"
#include "glyphs.h"
#include "headless.h"
#include "options.h"
#include "pyhost.h"
#include "record.h"
#include "screen.h"
#include "session.h"
#include "setup.h"
#include "ui.h"
#include "version.h"

static volatile sig_atomic_t	main_signal;	/* SIGINT or SIGTERM came */

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

/*
 * loopscope's version, then the libraries it runs with, one a line:
 * the engine's, then curses (which only tui/ may name).
 */
static void
main_version(void)
{
	struct version	v[VERSION_ENGINE_MAX];
	size_t		i, n;

	printf("loopscope %s\n", PACKAGE_VERSION);
	n = version_engine(v, VERSION_ENGINE_MAX);
	for (i = 0; i < n; i++)
		printf("%s %s\n", v[i].name, v[i].number);
	printf("%s\n", screen_curses_version());
}

static void
main_on_signal(int sig)
{
	main_signal = sig;
}

/* What a headless run records as the view: playing, from start to end. */
static void
main_record_act(struct record *r, enum record_act act, const struct options *o,
    vtime_t t)
{
	struct record_action	a;

	memset(&a, 0, sizeof a);
	a.act = act;
	a.view.t = t;
	a.view.following = true;
	a.view.speed = o->speed;
	a.view.source = true;
	record_action(r, &a);
}

/*
 * Run the session to its end as session_run does, writing every event
 * down as the timeline gets it. SIGINT and SIGTERM stop it early, with
 * the recording closed as a whole file. Returns -1 when the recording
 * failed (said on stderr), 0 otherwise.
 */
static int
main_run_recorded(const struct options *o, struct session *s,
    struct timeline *tl)
{
	struct record_header	 h;
	struct record_run	 run;
	struct record		*r;
	struct sigaction	 sa, old_int, old_term;
	struct pollfd		 pfd;
	char			 err[600];
	int			 rc = 0;

	memset(&h, 0, sizeof h);
	h.speed = o->speed;
	h.clock = o->clock;
	record_run_programs(&run, s, o->demo->name);
	r = record_open(o->record, &h, &run, err, sizeof err);
	record_run_clear(&run);
	if (r == NULL) {
		fprintf(stderr, "loopscope: %s\n", err);
		return -1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = main_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	if (session_start(s) != 0) {
		fprintf(stderr, "loopscope: cannot start the variants' "
		    "threads\n");
		record_abort(r);
		return -1;
	}
	main_record_act(r, RECORD_START, o, 0);
	for (;;) {
		record_poll(r, s, tl);
		if (session_finished(s) || main_signal != 0)
			break;
		/* Wake at the next event, or to flush, or at a signal. */
		if (!session_arm(s)) {
			pfd.fd = session_fd(s);
			pfd.events = POLLIN;
			poll(&pfd, 1, 500);
		}
		record_flush(r, false);
	}
	session_mark(s);	/* cut by a signal: where its clock stood */
	record_poll(r, s, tl);
	main_record_act(r, RECORD_QUIT, o, tl->now);
	if (record_close(r, err, sizeof err) != 0) {
		fprintf(stderr, "loopscope: %s\n", err);
		rc = -1;
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return rc;
}

/* The text timeline or the JSON document of a timeline. */
static int
main_print(const struct options *o, const struct timeline *tl,
    struct headless_info *info)
{
	int	rc;

	info->width = main_width(o);
	info->utf8 = glyphs_locale_utf8();
	rc = o->json ? headless_json(stdout, tl, info) :
	    headless_text(stdout, tl, info);
	if (rc != 0 || fflush(stdout) != 0) {
		fprintf(stderr, "loopscope: cannot write the output\n");
		return 1;
	}
	return 0;
}

static int
main_headless(const struct options *o)
{
	struct headless_info	 info;
	struct session		*s;
	struct timeline		*tl;
	char			 err[256];
	int			 rc, recorded = 0;
	size_t			 i;

	if ((s = setup_session(o, err, sizeof err)) == NULL) {
		fprintf(stderr, "loopscope: %s: %s\n", o->demo->name, err);
		return 1;
	}
	if ((tl = timeline_new(0)) == NULL) {
		session_free(s);
		fprintf(stderr, "loopscope: out of memory\n");
		return 1;
	}
	if (o->record != NULL) {
		recorded = main_run_recorded(o, s, tl);
		if (recorded != 0 && !session_finished(s)) {
			/* It could not even begin: nothing ran. */
			session_free(s);
			timeline_free(tl);
			return 1;
		}
	} else
		session_run(s, tl);
	session_free(s);
	if (main_signal != 0) {
		/* The recording is whole; now die of the signal, as asked. */
		timeline_free(tl);
		ui_die_of(main_signal);
		return 1;
	}

	memset(&info, 0, sizeof info);
	info.demo = o->demo->name;
	info.summary = o->demo->summary;
	info.clock = o->clock;
	info.speed = o->speed;
	info.err = stderr;
	rc = main_print(o, tl, &info);
	/* A program that failed (python3 would exit non-zero): so do we. */
	for (i = 0; i < tl->nvariants; i++)
		if (tl->v[i].status != 0 && !tl->v[i].stopped)
			rc = 1;
	timeline_free(tl);
	return rc != 0 || recorded != 0 ? 1 : 0;
}

/* A recording, or NULL with the reason said; a cut one is said too. */
static struct recording *
main_read(const char *path)
{
	struct recording	*rec;
	char			 err[600];

	if ((rec = record_read(path, err, sizeof err)) == NULL) {
		fprintf(stderr, "loopscope: %s\n", err);
		return NULL;
	}
	if (rec->warning[0] != '\0')
		fprintf(stderr, "loopscope: %s\n", rec->warning);
	return rec;
}

/* What the views say of a recorded run: its demo, clock and speed. */
static void
main_info(const struct recording *rec, const struct record_run *run,
    struct headless_info *info)
{
	const struct demo	*d = demos_find(run->demo);

	memset(info, 0, sizeof *info);
	info->demo = run->demo;
	info->summary = d != NULL ? d->summary : "";
	info->clock = rec->h.clock;
	info->speed = rec->h.speed;
}

/* --replay FILE --headless: the text or JSON of the recording's last run. */
static int
main_replay_headless(const struct options *o)
{
	struct recording	*rec;
	struct timeline		*tl;
	struct headless_info	 info;
	int			 rc;

	if ((rec = main_read(o->replay)) == NULL)
		return 1;
	if ((tl = record_timeline(&rec->runs[rec->nruns - 1], 0)) == NULL) {
		fprintf(stderr, "loopscope: out of memory\n");
		record_free(rec);
		return 1;
	}
	main_info(rec, &rec->runs[rec->nruns - 1], &info);
	rc = main_print(o, tl, &info);
	timeline_free(tl);
	record_free(rec);
	return rc;
}

/* One export of a recording's last run into out. */
static int
main_export_to(const struct options *o, struct recording *rec, FILE *out,
    char *err, size_t len)
{
	const struct record_run	*run = &rec->runs[rec->nruns - 1];
	struct headless_info	 info;
	struct export_info	 ei;
	struct timeline		*tl;
	int			 rc;

	if (strcmp(o->export_format, "cast") == 0)
		return cast_export(rec, o, out, err, len);
	if ((tl = record_timeline(run, 0)) == NULL) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	main_info(rec, run, &info);
	ei.demo = info.demo;
	ei.speed = info.speed;
	if (strcmp(o->export_format, "chrome") == 0)
		rc = export_chrome(tl, &ei, out, err, len);
	else if (strcmp(o->export_format, "svg") == 0)
		rc = export_svg(tl, &ei, out, err, len);
	else {
		info.width = o->width > 0 ? o->width : 100;
		info.utf8 = glyphs_locale_utf8();
		if ((rc = headless_text(out, tl, &info)) != 0)
			snprintf(err, len, "cannot write the text timeline");
	}
	timeline_free(tl);
	return rc;
}

static int
main_write_error(const struct options *o, char *err, size_t len)
{
	snprintf(err, len, "cannot write the %s export: %s", o->export_format,
	    strerror(errno));
	return -1;
}

/*
 * --export FORMAT FILE [-o OUT]: to standard output, or to OUT by way of
 * OUT.tmp, renamed once whole (a failed export leaves OUT as it was).
 */
static int
main_export(const struct options *o)
{
	struct recording	*rec;
	FILE			*out = stdout;
	char			 err[600], *tmp = NULL;
	size_t			 n;
	int			 rc;

	if ((rec = main_read(o->export_file)) == NULL)
		return 1;
	if (o->output != NULL) {
		n = strlen(o->output) + 5;
		if ((tmp = malloc(n)) == NULL) {
			record_free(rec);
			fprintf(stderr, "loopscope: out of memory\n");
			return 1;
		}
		snprintf(tmp, n, "%s.tmp", o->output);
		if ((out = fopen(tmp, "w")) == NULL) {
			fprintf(stderr, "loopscope: %s: cannot write: %s\n",
			    o->output, strerror(errno));
			free(tmp);
			record_free(rec);
			return 1;
		}
	}
	err[0] = '\0';
	rc = main_export_to(o, rec, out, err, sizeof err);
	if (rc == 0 && (fflush(out) != 0 || ferror(out)))
		rc = main_write_error(o, err, sizeof err);
	if (out != stdout) {
		if (fclose(out) != 0 && rc == 0)
			rc = main_write_error(o, err, sizeof err);
		if (rc == 0 && rename(tmp, o->output) != 0)
			rc = main_write_error(o, err, sizeof err);
		if (rc != 0)
			unlink(tmp);
		free(tmp);
	}
	if (rc != 0)
		fprintf(stderr, "loopscope: %s%s%s\n", o->output != NULL ?
		    o->output : "", o->output != NULL ? ": " : "", err);
	record_free(rec);
	return rc != 0 ? 1 : 0;
}

int
main(int argc, char **argv)
{
	struct options	o;
	char		err[512];
	const char	*term;

	/* A variant's process, and python3 on loopscope's loop: no UI. */
	if (argc >= 2 && strcmp(argv[1], "--child") == 0)
		return pyhost_child_main(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "--python") == 0)
		return pyhost_python_main(argc, argv);
	setlocale(LC_ALL, "");
	if (options_parse(argc, argv, &o, err, sizeof err) != 0) {
		fprintf(stderr, "loopscope: %s\n", err);
		return 2;
	}
	if (o.help || o.version || o.list) {
		if (o.help)
			options_usage(stdout);
		else if (o.version)
			main_version();
		else
			main_list();
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, "loopscope: cannot write the output\n");
			return 1;
		}
		return 0;
	}
	if (o.export_format != NULL)
		return main_export(&o);
	/* Not a terminal, or one that cannot be drawn on: headless. */
	term = getenv("TERM");
	if (!o.headless && isatty(STDOUT_FILENO) && isatty(STDIN_FILENO) &&
	    term != NULL && *term != '\0' && strcmp(term, "dumb") != 0)
		return ui_run(&o);
	if (o.cast != NULL) {
		fprintf(stderr, "loopscope: --cast records the terminal UI, "
		    "and there is no terminal here\n");
		return 2;
	}
	if (o.paused) {
		fprintf(stderr, "loopscope: --paused: nothing could resume a "
		    "headless run\n");
		return 2;
	}
	if (o.replay != NULL)
		return main_replay_headless(&o);
	if (!o.clock_given)
		o.clock = CLOCK_SIM;
	return main_headless(&o);
}
