/* The terminal UI's recording and cast: opened, written as it goes, closed. */
#include "config.h"

#include <sys/ioctl.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cast.h"
#include "export.h"
#include "i18n.h"
#include "outfile.h"
#include "replay.h"
#include "screen.h"
#include "ui.h"
#include "visible.h"

/* The terminal's size, before curses starts too (0 when not a terminal). */
void
ui_record_size(int *cols, int *rows)
{
	struct winsize	ws;

	*cols = *rows = 0;
	if (screen_active())
		screen_size(rows, cols);
	else if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0) {
		*cols = ws.ws_col;
		*rows = ws.ws_row;
	}
}

/* A failed recording is said once in the key bar, and on stderr at exit. */
void
ui_record_check(struct ui *ui)
{
	static const char	 sep[] = ": cannot write the recording: ";
	const char		*e = record_error(ui->rec), *why;

	if (e == NULL || ui->rec_said)
		return;
	ui->rec_said = true;
	why = strstr(e, sep);
	snprintf(ui->message, sizeof ui->message, _(" recording failed: %s "),
	    why != NULL ? why + sizeof sep - 1 : e);
}

/* The header at the first run, a new run at each restart. */
int
ui_record_start(struct ui *ui, char *err, size_t len)
{
	struct record_header	 h;
	struct record_run	 run;
	int			 rc = 0;

	record_run_programs(&run, ui->session, ui->opts.demo->name);
	if (ui->rec == NULL) {
		memset(&h, 0, sizeof h);
		h.speed = ui->opts.speed;
		h.clock = ui->opts.clock;
		h.paused = ui->opts.paused;
		ui_record_size(&h.cols, &h.rows);
		if ((ui->rec = record_open(ui->opts.record, &h, &run, err,
		    len)) == NULL)
			rc = -1;
	} else {
		record_restart(ui->rec, &run);
		ui_record_check(ui);
	}
	if (ui->rec != NULL)
		record_attach(ui->rec, ui->session);
	record_run_clear(&run);
	return rc;
}

/* Write down what the lecturer just did, with the view it left. */
void
ui_record_act(struct ui *ui, enum record_view_act act)
{
	struct record_view	v;

	if (ui->rec == NULL)
		return;
	replay_view(ui, &v);
	if (v.cols == 0)
		ui_record_size(&v.cols, &v.rows);
	record_view_write(ui->rec, act, &v);
	ui_record_check(ui);
}

/* The end of a recording or a cast: a failure is one line on stderr. */
void
ui_record_finish(struct ui *ui, struct cast *cast)
{
	char	err[600];

	if (ui->fatal[0] != '\0')
		visible_warn("%s", ui->fatal);
	if (ui->rec != NULL && record_close(ui->rec, err, sizeof err) != 0) {
		visible_warn("%s", err);
		ui->status = 1;
	}
	ui->rec = NULL;
	if (cast != NULL && cast_close(cast, err, sizeof err) != 0) {
		visible_warn("%s", err);
		ui->status = 1;
	}
}

/*
 * e: the screen's moment as an SVG picture for slides, the trace up to the
 * playhead (as --export svg --at T draws it), in the current directory as
 * loopscope-DEMO-Ts.svg; the key bar says where, or why not.
 */
void
ui_picture(struct ui *ui)
{
	struct export_info	 ei = { .demo = ui->opts.demo->name,
				    .speed = ui->view.speed, .at = ui->ph.t };
	struct outfile		 out;
	char			 path[160], why[256], msg[sizeof ui->message];
	FILE			*f = NULL;
	int			 fd = -1, rc = -1;

	i18n_snprintf(path, sizeof path, "loopscope-%s-%.2fs.svg",
	    ui->opts.demo->name, vtime_to_sec(ui->ph.t));
	for (char *c = path; *c != '\0'; c++)
		if (*c == '/' || *c == ' ')
			*c = '_';
	why[0] = '\0';
	if (outfile_open(&out, path, why, sizeof why) == 0 &&
	    (fd = dup(out.fd)) >= 0 && (f = fdopen(fd, "w")) != NULL) {
		fd = -1;
		rc = export_svg_at(ui->live, ui->ph.k, ui->ph.t, &ei, f, why,
		    sizeof why);
		if (fclose(f) != 0 && rc == 0) {
			snprintf(why, sizeof why, "%s", strerror(errno));
			rc = -1;
		}
		if (rc == 0 && outfile_commit(&out) != 0) {
			snprintf(why, sizeof why, "%s", strerror(errno));
			rc = -1;
		}
	} else if (why[0] == '\0')
		snprintf(why, sizeof why, "%s", strerror(errno));
	if (fd >= 0)
		close(fd);
	outfile_discard(&out);
	if (rc == 0)
		snprintf(msg, sizeof msg, _("picture: %s"), path);
	else
		snprintf(msg, sizeof msg, _("picture: cannot write %s: %s"),
		    path, why);
	ui_say(ui, msg);
}
