/* asciicast v2: what a terminal received, with when; asciinema plays it. */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cast.h"
#include "outfile.h"
#include "glyphs.h"
#include "i18n.h"
#include "replay.h"
#include "screen.h"
#include "ui.h"

#define CAST_FPS	30	/* frames a second of the export's real time */
/* Four hours of moving frames: past that, a recording asks too much. */
#define CAST_MAX_FRAMES	(4L * 3600 * CAST_FPS)
#define CAST_COLS	120	/* the export's size when nothing says */
#define CAST_ROWS	40
#define CAST_MAX_MARKERS	64	/* pause points marked at one frame */

/*
 * One JSON line per write: [seconds, "o", "bytes"]. A write may stop in
 * the middle of a UTF-8 character: its first bytes wait for the next.
 * A file is written as FILE.tmp and renamed at the end, like a recording.
 */
struct cast {
	FILE		*f;
	char		*path;		/* NULL: a stream the caller owns */
	struct outfile	 out;		/* path.tmp, renamed at the end */
	int64_t		 t0;		/* real ns at the start (live) */
	unsigned char	 pending[4];
	size_t		 npending;
	double		 last;		/* times never go back */
	int		 error;		/* errno of the first failure */
};

/* Bytes of the UTF-8 character that starts with c (0: not a start). */
static size_t
cast_utf8_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

/* Whether s[0..n) is one whole, valid UTF-8 character. */
static bool
cast_utf8_ok(const unsigned char *s, size_t n)
{
	size_t	i;

	if (n == 0 || cast_utf8_len(s[0]) != n)
		return false;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return false;
	if (n == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) ||
	    (s[0] == 0xed && s[1] > 0x9f)))
		return false;
	if (n == 4 && ((s[0] == 0xf0 && s[1] < 0x90) ||
	    (s[0] == 0xf4 && s[1] > 0x8f)))
		return false;
	return true;
}

/* s[0..n) as a JSON string: escapes, and U+FFFD for what is not UTF-8. */
static void
cast_string(FILE *f, const unsigned char *s, size_t n)
{
	size_t	i, k;

	fputc('"', f);
	for (i = 0; i < n; i += k) {
		k = cast_utf8_len(s[i]);
		if (k > 1 && i + k <= n && cast_utf8_ok(s + i, k)) {
			fwrite(s + i, 1, k, f);
			continue;
		}
		k = 1;
		if (s[i] == '"' || s[i] == '\\')
			fprintf(f, "\\%c", s[i]);
		else if (s[i] < 0x20 || s[i] == 0x7f)
			fprintf(f, "\\u%04x", s[i]);
		else if (s[i] < 0x80)
			fputc(s[i], f);
		else
			fputs("\\ufffd", f);
	}
	fputc('"', f);
}

/* The header: version 2, the size, when, and what terminal it was. */
static void
cast_header(struct cast *c, int cols, int rows)
{
	json_t		*o, *env;
	const char	*term = getenv("TERM");
	char		*s;

	o = json_object();
	json_object_set_new(o, "version", json_integer(2));
	json_object_set_new(o, "width", json_integer(cols));
	json_object_set_new(o, "height", json_integer(rows));
	json_object_set_new(o, "timestamp", json_integer((json_int_t)time(
	    NULL)));
	json_object_set_new(o, "title", json_string("loopscope"));
	env = json_object();
	json_object_set_new(env, "TERM", json_string(c->path == NULL ||
	    term == NULL ? "xterm-256color" : term));
	json_object_set_new(o, "env", env);
	if ((s = json_dumps(o, JSON_COMPACT)) != NULL) {
		fprintf(c->f, "%s\n", s);
		free(s);
	} else
		c->error = ENOMEM;
	json_decref(o);
}

/* A cast into a stream the caller keeps (stdout, an export's file). */
struct cast *
cast_open_stream(FILE *f, int cols, int rows)
{
	struct cast	*c;

	if ((c = calloc(1, sizeof *c)) == NULL)
		return NULL;
	c->f = f;
	c->t0 = vtime_real_ns();
	cast_header(c, cols, rows);
	return c;
}

/* A cast into the file path (by way of path.tmp); NULL with err said. */
struct cast *
cast_open(const char *path, int cols, int rows, char *err, size_t len)
{
	struct cast	*c;
	char		 why[400];
	int		 fd = -1;

	if ((c = calloc(1, sizeof *c)) == NULL ||
	    (c->path = strdup(path)) == NULL) {
		snprintf(err, len, _("%s: out of memory"), path);
		free(c);
		return NULL;
	}
	if (outfile_open(&c->out, path, why, sizeof why) != 0 ||
	    (fd = dup(c->out.fd)) < 0 || (c->f = fdopen(fd, "w")) == NULL) {
		if (c->out.path != NULL)
			snprintf(why, sizeof why, "%s", strerror(errno));
		snprintf(err, len, _("%s: cannot write the cast: %s"), path, why);
		if (fd >= 0)
			close(fd);
		outfile_discard(&c->out);
		free(c->path);
		free(c);
		return NULL;
	}
	c->t0 = vtime_real_ns();
	cast_header(c, cols < 1 ? 80 : cols, rows < 1 ? 24 : rows);
	return c;
}

/* What the terminal received at t seconds. */
void
cast_write(struct cast *c, double t, const char *data, size_t n)
{
	unsigned char	*buf;
	size_t		 len = c->npending + n, cut, k, i;

	if (n == 0 || c->error != 0)
		return;
	if ((buf = malloc(len)) == NULL) {
		c->error = ENOMEM;
		return;
	}
	memcpy(buf, c->pending, c->npending);
	memcpy(buf + c->npending, data, n);
	/* Keep a character cut at the end for the next write. */
	cut = len;
	for (i = len; i > 0 && len - i < 4; i--) {
		if ((buf[i - 1] & 0xc0) == 0x80)
			continue;
		k = cast_utf8_len(buf[i - 1]);
		if (k > 1 && i - 1 + k > len)
			cut = i - 1;
		break;
	}
	c->npending = len - cut;
	memcpy(c->pending, buf + cut, c->npending);
	if (t < c->last)
		t = c->last;
	c->last = t;
	if (cut > 0) {
		fprintf(c->f, "[%.6f, \"o\", ", t);
		cast_string(c->f, buf, cut);
		fputs("]\n", c->f);
	}
	free(buf);
	if (ferror(c->f) && c->error == 0)
		c->error = errno != 0 ? errno : EIO;
}

/* screen.c's sink while live: stamped with the real time since the start. */
void
cast_sink(void *arg, const char *data, size_t n)
{
	struct cast	*c = arg;

	cast_write(c, (double)(vtime_real_ns() - c->t0) / 1e9, data, n);
}

/* A marker at t seconds (asciinema's players can pause on them). */
void
cast_marker(struct cast *c, double t, const char *label)
{
	if (c->error != 0)
		return;
	if (t < c->last)
		t = c->last;
	c->last = t;
	fprintf(c->f, "[%.6f, \"m\", ", t);
	cast_string(c->f, (const unsigned char *)label, strlen(label));
	fputs("]\n", c->f);
	if (ferror(c->f) && c->error == 0)
		c->error = errno != 0 ? errno : EIO;
}

/* Finish: flush, and rename a file into place. 0, or -1 with err said. */
int
cast_close(struct cast *c, char *err, size_t len)
{
	int	rc = 0;

	if (c == NULL)
		return 0;
	if (fflush(c->f) != 0 && c->error == 0)
		c->error = errno;
	if (c->path != NULL) {
		if (fclose(c->f) != 0 && c->error == 0)
			c->error = errno;
		if (c->error == 0 && outfile_commit(&c->out) != 0)
			c->error = errno;
		outfile_discard(&c->out);
	}
	if (c->error != 0) {
		rc = -1;
		if (len > 0)
			snprintf(err, len, _("%s%scannot write the cast: %s"),
			    c->path != NULL ? c->path : "",
			    c->path != NULL ? ": " : "", strerror(c->error));
	}
	free(c->path);
	free(c);
	return rc;
}

/* How long a pause point holds an exported cast still, in seconds. */
#define CAST_PAUSE_HOLD	3.0

/* The export's frames: stamped with the time the export is at. */
struct cast_frames {
	struct cast	*cast;
	double		 t;
	long		 frames;
	bool		 done;		/* the last frame is out */
	size_t		 marked_k;	/* the furthest pause point marked */
	vtime_t		 marked_t;
};

static void
cast_frame_sink(void *arg, const char *data, size_t n)
{
	struct cast_frames	*fr = arg;

	if (!fr->done)
		cast_write(fr->cast, fr->t, data, n);
}

/* Draw the frame for the instant the export is at; -1: too many. */
static int
cast_frame(struct ui *ui, struct cast_frames *fr, bool first)
{
	if (++fr->frames > CAST_MAX_FRAMES)
		return -1;
	draw_screen(ui);
	screen_flush(first);
	return 0;
}

/*
 * A recording with no lecturer (a headless run): its last run from its
 * start to its end, a frame every 1/30 s of the cast at speed virtual
 * seconds a second. A pause point holds the cast still for
 * CAST_PAUSE_HOLD seconds, with a marker where it stops.
 */
static int
cast_play_run(struct ui *ui, struct cast_frames *fr, double speed)
{
	vtime_t	end = playhead_end_time(&ui->ph), t, at;
	double	hold = 0;	/* the cast's seconds spent held */
	size_t	stop;
	long	k;

	if ((double)end / (double)VTIME_SEC / speed * CAST_FPS >
	    (double)CAST_MAX_FRAMES)
		return -1;	/* said before drawing hours of frames */
	ui_pause_sources(ui);
	for (k = 0;; k++) {
		fr->t = (double)k / CAST_FPS;
		t = (vtime_t)((fr->t - hold) * speed * (double)VTIME_SEC);
		stop = pauses_find(&ui->pauses, ui->live, ui->ph.k, ui->ph.t,
		    t < end ? t : end, &at);
		if (stop != PAUSE_NONE) {
			playhead_seek(&ui->ph, at);
			ui->ph.k = stop;
			if (cast_frame(ui, fr, k == 0) != 0)
				return -1;
			cast_marker(fr->cast, fr->t, _("pause point"));
			hold = fr->t + CAST_PAUSE_HOLD - (double)at /
			    (double)VTIME_SEC / speed;
			k = (long)((fr->t + CAST_PAUSE_HOLD) * CAST_FPS);
			continue;
		}
		ui->ph.t = t;
		if (ui->ph.t >= end) {
			playhead_seek(&ui->ph, end);
			ui->ph.k = ui->live->nlog;
		} else
			playhead_seek(&ui->ph, ui->ph.t);
		if (cast_frame(ui, fr, k == 0) != 0)
			return -1;
		if (ui->ph.t >= end)
			return 0;
	}
}

/*
 * A marker for each pause point the lecturer's playhead went over since
 * it stood after k events at t, the first time it did (a lecture's stops
 * are the lecturer's own pauses, recorded: the cast is not held there,
 * only marked).
 */
static void
cast_passed(struct ui *ui, struct cast_frames *fr, size_t k, vtime_t t)
{
	size_t	stop, n;
	vtime_t	at;

	if (ui->ph.t < t || (ui->ph.t == t && ui->ph.k <= k))
		return;
	ui_pause_sources(ui);
	for (n = 0; n < CAST_MAX_MARKERS; n++) {
		stop = pauses_find(&ui->pauses, ui->live, k, t, ui->ph.t, &at);
		if (stop == PAUSE_NONE || stop > ui->ph.k ||
		    (stop == k && at == t))
			return;
		/* Once each, however often the lecturer went back over it. */
		if (at > fr->marked_t || (at == fr->marked_t &&
		    stop > fr->marked_k)) {
			cast_marker(fr->cast, fr->t, _("pause point"));
			fr->marked_k = stop;
			fr->marked_t = at;
		}
		k = stop;
		t = at;
	}
}

/*
 * The session as recorded: the lecturer's actions at their times, run
 * after run, the recording's real time divided by rate. A frame at each
 * action's time exactly, and while the playhead moves, every 1/30 s of
 * the cast; while nothing moves (a pause), none until the next action.
 */
static int
cast_play_session(struct ui *ui, struct cast_frames *fr, double rate)
{
	double	per = 1e9 * rate / CAST_FPS;	/* recorded ns a frame */
	int64_t	at = 0, next, grid;
	bool	first = true, done;
	size_t	k, run;
	vtime_t	t;

	ui->replay.offline = true;
	ui->replay.as_recorded = true;
	ui->replay.act_next = 0;
	for (;;) {
		ui->replay.at = at;
		k = ui->ph.k;
		t = ui->ph.t;
		run = ui->replay.run;
		done = replay_tick(ui) < 0;
		fr->t = (double)at / 1e9 / rate;
		if (ui->replay.run == run)
			cast_passed(ui, fr, k, t);
		else {
			fr->marked_k = 0;
			fr->marked_t = -1;
		}
		if (cast_frame(ui, fr, first) != 0)
			return -1;
		first = false;
		if (done || (next = replay_next(ui)) < 0)
			return 0;
		if (!ui->view.paused && !playhead_at_end(&ui->ph)) {
			grid = (int64_t)((double)((int64_t)((double)at /
			    per) + 1) * per);
			if (grid <= at)
				grid = at + 1;
			if (grid < next)
				next = grid;
		}
		at = next > at ? next : at + 1;
	}
}

/*
 * --export cast: the UI replaying the recorded session as the lecturer
 * played it (a headless recording: its last run from start to end),
 * drawn with no terminal at the size asked (or the recorded one), at the
 * speed asked: --speed X plays it X / (the recorded speed) times as fast.
 * 0, or -1 with the reason in err.
 */
int
cast_export(struct recording *rec, const struct options *o, FILE *out,
    char *err, size_t len)
{
	struct ui		 ui;
	struct cast_frames	 fr;
	int			 cols, rows, rc;
	bool			 lecture = rec->h.cols > 0 && rec->h.rows > 0;
	double			 speed;

	/* A cast is UTF-8: draw with UTF-8 glyphs when the system can. */
	if (!glyphs_locale_utf8())
		setlocale(LC_CTYPE, "C.UTF-8");
	memset(&ui, 0, sizeof ui);
	ui.opts = *o;
	ui.view.source = true;
	ui.act = -1;
	ui.view.selected = 0;
	ui.glyphs = glyphs_get(glyphs_locale_utf8());
	ui.replay.rec = rec;
	ui.sim = rec->h.clock == CLOCK_SIM;
	ui.real_clock = !ui.sim;
	speed = o->speed_given ? o->speed : rec->h.speed;
	ui.view.speed = lecture ? rec->h.speed : speed;
	ui.view.paused = lecture && rec->h.paused;
	if (replay_load(&ui, lecture ? 0 : rec->nruns - 1, err, len) != 0) {
		replay_close(&ui);
		return -1;
	}
	cols = o->size_cols > 0 ? o->size_cols : rec->h.cols >= 60 ?
	    rec->h.cols : CAST_COLS;
	rows = o->size_rows > 0 ? o->size_rows : rec->h.rows >= 16 ?
	    rec->h.rows : CAST_ROWS;
	if ((fr.cast = cast_open_stream(out, cols, rows)) == NULL) {
		snprintf(err, len, _("out of memory"));
		replay_close(&ui);
		return -1;
	}
	fr.t = 0;
	fr.frames = 0;
	fr.done = false;
	fr.marked_k = 0;
	fr.marked_t = -1;
	if (screen_init_offscreen(rows, cols, cast_frame_sink, &fr) != 0) {
		snprintf(err, len, _("cannot draw off-screen (terminfo "
		    "xterm-256color is needed: Debian package ncurses-base)"));
		cast_close(fr.cast, err, 0);
		replay_close(&ui);
		return -1;
	}
	if (lecture)
		rc = cast_play_session(&ui, &fr, rec->h.speed > 0 ? speed /
		    rec->h.speed : 1.0);
	else
		rc = cast_play_run(&ui, &fr, speed);
	/* The player ends on the last frame, not on curses' goodbye. */
	fr.done = true;
	screen_fini();
	replay_close(&ui);
	free(ui.lanes);
	pauses_free(&ui.pauses);
	if (rc != 0) {
		snprintf(err, len, _("%s: the cast would play for over %ld "
		    "hours; a higher --speed shortens it"), o->export_file,
		    CAST_MAX_FRAMES / CAST_FPS / 3600);
		cast_close(fr.cast, err, 0);
		return -1;
	}
	rc = cast_close(fr.cast, err, len);
	if (rc == 0 && (fflush(out) != 0 || ferror(out))) {
		snprintf(err, len, _("cannot write the cast: %s"),
		    strerror(errno));
		rc = -1;
	}
	return rc;
}
