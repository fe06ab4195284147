/* Seeking: Home, End, a tenth back or forth, and a time typed in. */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "number.h"
#include "seek.h"

/*
 * Show the instant t, within the trace. Live with the real clock, time
 * stops first: the screen then shows the trace up to t, and Space goes
 * back to the present. A trace played to its end stays still where it is
 * sent (Space plays it from there).
 */
void
seek_to(struct ui *ui, vtime_t t)
{
	vtime_t	end = playhead_end_time(&ui->ph);

	if (!ui_playback(ui) || playhead_at_end(&ui->ph))
		ui_pause(ui, true);
	ui->view.stepping = false;
	ui->step_pending = 0;
	if (t <= 0)
		playhead_rewind(&ui->ph);
	else if (t >= end) {
		playhead_seek(&ui->ph, end);
		ui->ph.k = ui->live->nlog;
	} else
		playhead_seek(&ui->ph, t);
	ui->last_tick = vtime_real_ns();
}

/* Show what the prompt holds so far, in the key bar. */
static void
seek_show_prompt(struct ui *ui)
{
	snprintf(ui->message, sizeof ui->message, _(" go to t = %s_ s  (Enter: "
	    "go, Esc: cancel) "), ui->prompt);
}

/* Home, End, [ and ] move the playhead; g asks for a time. */
int
seek_key(struct ui *ui, int key)
{
	vtime_t	tenth = playhead_end_time(&ui->ph) / 10;

	switch (key) {
	case KEY_HOME:
		seek_to(ui, 0);
		break;
	case KEY_END:
		seek_to(ui, playhead_end_time(&ui->ph));
		break;
	case '[':
		seek_to(ui, ui->ph.t - tenth);
		break;
	case ']':
		seek_to(ui, ui->ph.t + tenth);
		break;
	case 'g':
		ui->prompting = true;
		ui->prompt[0] = '\0';
		seek_show_prompt(ui);
		return UI_REDRAW;
	default:
		return 0;
	}
	ui->act = RECORD_VIEW_SEEK;
	return UI_REDRAW;
}

/*
 * A time in seconds, as typed: "12", "3.5", "10.49s". Returns 0 with the
 * time in *t, -1 when it is not one.
 */
int
seek_parse(const char *s, vtime_t *t)
{
	char	buf[32];
	size_t	n = strlen(s);
	double	v;

	if (n > 0 && s[n - 1] == 's')
		n--;
	if (n == 0 || n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (number_real(buf, 0, 1e6, &v) != 0)
		return -1;
	*t = vtime_from_sec(v);
	return 0;
}

/* A key while the prompt is open: typing, Backspace, Enter, Esc. */
int
seek_prompt_key(struct ui *ui, int key)
{
	size_t	n = strlen(ui->prompt);
	vtime_t	t;
	char	shown[sizeof ui->prompt + 8];

	switch (key) {
	case 27:
		ui->prompting = false;
		ui_say(ui, _("go to: cancelled"));
		return UI_REDRAW;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (n > 0)
			ui->prompt[n - 1] = '\0';
		break;
	case '\r':
	case '\n':
	case KEY_ENTER:
		ui->prompting = false;
		if (seek_parse(ui->prompt, &t) != 0) {
			snprintf(shown, sizeof shown, "%s", ui->prompt);
			snprintf(ui->message, sizeof ui->message,
			    _(" go to: '%s' is not a time in seconds "), shown);
			return UI_REDRAW;
		}
		seek_to(ui, t);
		if (t > playhead_end_time(&ui->ph)) {
			i18n_snprintf(ui->message, sizeof ui->message, _(" the trace "
			    "ends at %.2f s "), vtime_to_sec(playhead_end_time(
			    &ui->ph)));
		}
		ui->act = RECORD_VIEW_SEEK;
		return UI_REDRAW;
	default:
		if (key >= ' ' && key < 127 && n + 1 < sizeof ui->prompt) {
			ui->prompt[n] = (char)key;
			ui->prompt[n + 1] = '\0';
		}
		break;
	}
	seek_show_prompt(ui);
	return UI_REDRAW;
}
