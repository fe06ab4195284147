/* loopscope: make an event loop visible. */
#include "config.h"

#include <sys/ioctl.h>

#include <errno.h>
#include <limits.h>
#include <locale.h>
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
#include "i18n.h"
#include "options.h"
#include "outfile.h"
#include "paths.h"
#include "pyhost.h"
#include "record-view.h"
#include "screen.h"
#include "session.h"
#include "setup.h"
#include "ui.h"
#include "ui-loop.h"
#include "visible.h"
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

/*
 * One line a demo: name, variants, summary, in aligned columns; a list
 * of variants longer than 28 columns (threads') does not widen the rest.
 */
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
		if ((n = main_variants(d, vs, sizeof vs)) > wv && n <= 28)
			wv = n;
	}
	for (i = 0; i < demos_count(); i++) {
		d = demos_at(i);
		main_variants(d, vs, sizeof vs);
		printf("%-*s  %-*s  %s%s\n", wn, d->name, wv, vs, i18n_str(d->summary),
		    strcmp(d->name, DEMO_DEFAULT) == 0 ? " (default)" : "");
	}
}

/*
 * --demo-source NAME[/VARIANT]: a demo's program as it runs, for a
 * lecturer to copy and change; every variant's, each under a comment
 * naming it, when the demo has several and none is named.
 */
static int
main_demo_source(const char *name)
{
	const struct demo		*d;
	const struct demo_variant	*v = NULL;
	char				 dname[64], path[PATH_MAX + 80], buf[8192];
	const char			*slash = strchr(name, '/');
	size_t				 i, n;
	FILE				*f;

	snprintf(dname, sizeof dname, "%.*s", slash != NULL ?
	    (int)(slash - name) : (int)strlen(name), name);
	if ((d = demos_find(dname)) == NULL) {
		visible_warn(_("--demo-source: unknown demo '%s' (try --list)"),
		    dname);
		return 2;
	}
	if (slash != NULL && (v = demos_variant(d, slash + 1)) == NULL) {
		visible_warn(_("--demo-source: %s has no variant '%s'"), dname,
		    slash + 1);
		return 2;
	}
	for (i = 0; i < d->nvariants; i++) {
		if ((v != NULL && v != &d->variants[i]) ||
		    d->variants[i].file == NULL)
			continue;
		snprintf(path, sizeof path, "%s/demos/%s", paths_data(),
		    d->variants[i].file);
		if ((f = fopen(path, "r")) == NULL) {
			visible_warn("%s: %s", path, strerror(errno));
			return 1;
		}
		if (v == NULL && d->nvariants > 1)
			printf("%s# ---- %s/%s (%s) ----\n", i > 0 ? "\n" : "",
			    d->name, d->variants[i].name, d->variants[i].file);
		while ((n = fread(buf, 1, sizeof buf, f)) > 0)
			fwrite(buf, 1, n, stdout);
		fclose(f);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		visible_warn(_("cannot write the output"));
		return 1;
	}
	return 0;
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
main_record_act(struct record *r, enum record_view_act act,
    const struct options *o, vtime_t t)
{
	struct record_view	v;

	memset(&v, 0, sizeof v);
	v.t = t;
	v.following = true;
	v.view.speed = o->speed;
	v.view.source = true;
	record_view_write(r, act, &v);
}

/* session_run_until's hooks: a signal stops the run; flush what waits. */
static bool
main_stopped(void *arg)
{
	(void)arg;
	return main_signal != 0;
}

static void
main_flush(void *arg)
{
	if (arg != NULL)
		record_flush(arg, false);
}

/*
 * Run the session to its end, writing every event down as the timeline
 * gets it when recording. SIGINT and SIGTERM stop it early, with the
 * recording closed as a whole file. Returns -1 when the recording (or
 * the start) failed (said on stderr), 0 otherwise.
 */
static int
main_run(const struct options *o, struct session *s, struct timeline *tl)
{
	struct record_header	 h;
	struct record_run	 run;
	struct record		*r = NULL;
	struct sigaction	 sa, old_int, old_term;
	struct session_run_hooks hooks = { main_stopped, main_flush, NULL,
				     500 };
	char			 err[600];
	int			 rc = 0;

	if (o->record != NULL) {
		memset(&h, 0, sizeof h);
		h.speed = o->speed;
		h.clock = o->clock;
		record_run_programs(&run, s, o->demo->name);
		r = record_open(o->record, &h, &run, err, sizeof err);
		record_run_clear(&run);
		if (r == NULL) {
			visible_warn("%s", err);
			return -1;
		}
		record_attach(r, s);
	}
	/*
	 * SIGINT and SIGTERM end the run here, not by their default action:
	 * the session then ends the programs and all they started, and the
	 * recording is closed whole.
	 */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = main_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	if (session_start(s) != 0) {
		visible_warn(_("cannot start the variants: %s"), session_why(s));
		if (r != NULL)
			record_abort(r);
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		return -1;
	}
	if (r != NULL)
		main_record_act(r, RECORD_VIEW_START, o, 0);
	/* Wake at the next event, or to flush, or at a signal. */
	hooks.arg = r;
	session_run_until(s, tl, &hooks);
	session_mark(s);	/* cut by a signal: where its clock stood */
	session_poll(s, tl);
	if (r != NULL) {
		main_record_act(r, RECORD_VIEW_QUIT, o, tl->now);
		if (record_close(r, err, sizeof err) != 0) {
			visible_warn("%s", err);
			rc = -1;
		}
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
		visible_warn(_("cannot write the output"));
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

	if (setup_short(o, err, sizeof err))
		visible_warn("%s", err);
	if ((s = setup_session(o, err, sizeof err)) == NULL) {
		visible_warn("%s: %s", o->demo->name, err);
		return 1;
	}
	if ((tl = timeline_new(0)) == NULL) {
		session_free(s);
		visible_warn(_("out of memory"));
		return 1;
	}
	recorded = main_run(o, s, tl);
	if (recorded != 0 && !session_finished(s)) {
		/* It could not even begin: nothing ran. */
		session_free(s);
		timeline_free(tl);
		return 1;
	}
	session_free(s);
	memset(&info, 0, sizeof info);
	info.demo = o->demo->name;
	info.summary = o->demo->summary;
	info.clock = o->clock;
	info.speed = o->speed;
	info.err = stderr;
	if (main_signal != 0) {
		/*
		 * The recording is whole; Ctrl-C (SIGINT) shows what ran so
		 * far, cut where it stood (a program stuck: where); then die
		 * of the signal, as asked.
		 */
		if (main_signal == SIGINT)
			(void)main_print(o, tl, &info);
		fflush(stdout);
		timeline_free(tl);
		ui_die_of(main_signal);
		return 1;
	}
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
main_read(const char *path, const struct options *o)
{
	struct recording	*rec;
	char			 err[600];

	if ((rec = record_view_read(path, &o->limits, err, sizeof err)) ==
	    NULL) {
		visible_warn("%s", err);
		return NULL;
	}
	if (rec->warning[0] != '\0')
		visible_warn("%s", rec->warning);
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

	if ((rec = main_read(o->replay, o)) == NULL)
		return 1;
	if ((tl = record_timeline(&rec->runs[rec->nruns - 1], 0)) == NULL) {
		visible_warn(_("out of memory"));
		record_free(rec);
		return 1;
	}
	main_info(rec, &rec->runs[rec->nruns - 1], &info);
	rc = main_print(o, tl, &info);
	timeline_free(tl);
	record_free(rec);
	return rc;
}

/* Why an export could not be written, errno's words. */
static int
main_write_error(const struct options *o, char *err, size_t len)
{
	snprintf(err, len, _("cannot write the %s export: %s"), o->export_format,
	    strerror(errno));
	return -1;
}

/*
 * --export svg --at T: the picture of the screen at T, the trace up to T
 * (what runs then is drawn up to T), with the playhead there.
 */
static int
main_export_at(const struct timeline *tl, vtime_t at, struct export_info *ei,
    FILE *out, char *err, size_t len)
{
	size_t	k = 0;

	while (k < tl->nlog && timeline_event_time(tl, k) <= at)
		k++;
	return export_svg_at(tl, k, at, ei, out, err, len);
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
		snprintf(err, len, _("out of memory"));
		return -1;
	}
	main_info(rec, run, &info);
	ei.demo = info.demo;
	ei.speed = info.speed;
	ei.at = VTIME_NEVER;
	if (strcmp(o->export_format, "chrome") == 0)
		rc = export_chrome(tl, &ei, out, err, len);
	else if (strcmp(o->export_format, "svg") == 0 && o->at_given)
		rc = main_export_at(tl, o->at, &ei, out, err, len);
	else if (strcmp(o->export_format, "svg") == 0)
		rc = export_svg(tl, &ei, out, err, len);
	else {
		info.width = o->width > 0 ? o->width : 100;
		info.utf8 = glyphs_locale_utf8();
		if ((rc = headless_text(out, tl, &info)) != 0)
			main_write_error(o, err, len);
	}
	timeline_free(tl);
	return rc;
}

/*
 * --export FORMAT FILE [-o OUT]: to standard output, or to OUT by way of
 * OUT.tmp, renamed once whole (a failed export leaves OUT as it was).
 */
static int
main_export(const struct options *o)
{
	struct recording	*rec;
	struct outfile		 of = { NULL, NULL, -1 };
	FILE			*out = stdout;
	char			 err[600], why[400];
	int			 rc, fd = -1;

	if ((rec = main_read(o->export_file, o)) == NULL)
		return 1;
	if (o->output != NULL) {
		if (outfile_open(&of, o->output, why, sizeof why) != 0 ||
		    (fd = dup(of.fd)) < 0 || (out = fdopen(fd, "w")) == NULL) {
			if (of.path != NULL)
				snprintf(why, sizeof why, "%s", strerror(errno));
			visible_warn(_("%s: cannot write: %s"), o->output, why);
			if (fd >= 0)
				close(fd);
			outfile_discard(&of);
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
		if (rc == 0 && outfile_commit(&of) != 0)
			rc = main_write_error(o, err, sizeof err);
		outfile_discard(&of);
	}
	if (rc != 0)
		visible_warn("%s%s%s", o->output != NULL ? o->output : "",
		    o->output != NULL ? ": " : "", err);
	record_free(rec);
	return rc != 0 ? 1 : 0;
}

int
main(int argc, char **argv)
{
	struct options	o;
	char		err[512];
	const char	*term, *lang;

	/* A variant's process, and python3 on loopscope's loop: no UI. */
	if (argc >= 2 && strcmp(argv[1], "--child") == 0)
		return pyhost_child_main(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "--python") == 0)
		return pyhost_python_main(argc, argv);
	setlocale(LC_ALL, "");
	i18n_init();
	/*
	 * Past a file-size limit (ulimit -f) a write fails with EFBIG, said
	 * as a full disk is: one line, the temporary removed, exit 1. The
	 * signal would kill us first, with nothing said and FILE.tmp left.
	 */
	signal(SIGXFSZ, SIG_IGN);
	/* --lang first, so that the options' errors are in its language. */
	lang = options_lang_arg(argc, argv);
	if ((lang != NULL && i18n_set_lang(lang, err, sizeof err) != 0) ||
	    options_parse(argc, argv, &o, err, sizeof err) != 0 ||
	    (o.lang != NULL && i18n_set_lang(o.lang, err, sizeof err) != 0)) {
		visible_warn("%s", err);
		return 2;
	}
	if (o.demo_source != NULL)
		return main_demo_source(o.demo_source);
	if (o.help || o.version || o.list) {
		if (o.help)
			options_usage(stdout);
		else if (o.version)
			main_version();
		else
			main_list();
		if (fflush(stdout) != 0 || ferror(stdout)) {
			visible_warn(_("cannot write the output"));
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
		visible_warn(_("--cast records the terminal UI, "
		    "and there is no terminal here"));
		return 2;
	}
	if (o.paused || o.watch || o.quiz) {
		visible_warn("%s", o.paused ? _("--paused: nothing could "
		    "resume a headless run") : o.watch ? _("--watch: nothing "
		    "could rerun a headless run") : _("--quiz: nobody could "
		    "answer a headless run"));
		return 2;
	}
	if (o.replay != NULL)
		return main_replay_headless(&o);
	return main_headless(&o);
}
