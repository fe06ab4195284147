/*
 * Predict the order (--quiz, o): before a variant plays, the class sees
 * its prints listed as the source has them and says in what order they
 * will come; the lecturer types it (the items' numbers, or Up, Down and
 * Space); once the run has played to its end, the prediction stands
 * beside what happened, and each print says why it came when it did (the
 * caption of the event that let its task run). The simulated engine works
 * the trace out ahead of the screen, so the prints are known before they
 * are shown; in the real clock there is nothing to ask before the run.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caption.h"
#include "i18n.h"
#include "quiz.h"
#include "screen.h"
#include "seek.h"

#define QUIZ_MAX	20	/* prints a quiz lists */

enum quiz_stage {
	QUIZ_OFF,
	QUIZ_ASK,		/* the question on screen */
	QUIZ_PLAY,		/* answered: the run plays */
	QUIZ_SHOW		/* the answer against the run */
};

struct quiz_item {
	uint32_t	 seq;		/* the print's event, in its variant */
	uint32_t	 task;
	int		 line;
	int		 happened;	/* its place in the output, from 0 */
};

static struct {
	enum quiz_stage	 stage;
	int		 variant;
	struct quiz_item items[QUIZ_MAX];	/* as the question lists them */
	int		 n;
	bool		 known;		/* the variant ended: items are set */
	bool		 more;		/* it printed more than QUIZ_MAX */
	int		 order[QUIZ_MAX];	/* the prediction: item indices */
	int		 norder;
	int		 pos;		/* the item under the cursor */
} quiz;

/*
 * The variant asked about: the selected lane's if it is asynchronous (a
 * lecturer who picked wiki's async-blocking lane asks about that one),
 * else the first asynchronous one, else the first.
 */
static int
quiz_variant(const struct ui *ui)
{
	size_t	i;
	int	v = ui_selected_variant(ui);

	if (v >= 0 && (size_t)v < ui_nvariants(ui) && ui_program(ui,
	    (size_t)v) != NULL && ui_program(ui, (size_t)v)->kind ==
	    VARIANT_ASYNC)
		return v;
	for (i = 0; i < ui_nvariants(ui); i++)
		if (ui_program(ui, i) != NULL &&
		    ui_program(ui, i)->kind == VARIANT_ASYNC)
			return (int)i;
	return 0;
}

static int
quiz_by_place(const void *a, const void *b)
{
	const struct quiz_item	*x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->task != y->task)
		return x->task < y->task ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * Once the variant has ended in the trace: its prints (stdout), their
 * places in the output, then listed by line and task as the source reads.
 */
static void
quiz_learn(const struct ui *ui)
{
	const struct timeline	*tl = ui->live;
	struct trace_event	 ev;
	size_t			 k;

	if (quiz.known || tl == NULL || quiz.variant >= (int)tl->nvariants ||
	    !tl->v[quiz.variant].ended)
		return;
	quiz.n = 0;
	for (k = 0; k < tl->nlog; k++) {
		timeline_event(tl, k, &ev);
		if (ev.type != TRACE_PRINT || ev.variant != quiz.variant ||
		    (ev.flags & TRACE_F_STDERR))
			continue;
		if (quiz.n == QUIZ_MAX) {
			quiz.more = true;
			break;
		}
		quiz.items[quiz.n] = (struct quiz_item){ .seq = ev.seq,
		    .task = ev.task, .line = ev.line, .happened = quiz.n };
		quiz.n++;
	}
	qsort(quiz.items, (size_t)quiz.n, sizeof quiz.items[0], quiz_by_place);
	quiz.known = true;
}

void
quiz_reset(void)
{
	memset(&quiz, 0, sizeof quiz);
}

/* o, or --quiz at the start: ask, or show the answer once played. */
int
quiz_open(struct ui *ui)
{
	if (!ui_playback(ui) || (!ui->sim && ui->replay.rec == NULL &&
	    !timeline_finished(ui->live))) {
		ui_say(ui, _("the quiz needs the simulated clock (--clock "
		    "sim)"));
		return UI_REDRAW;
	}
	if (quiz.stage == QUIZ_PLAY && !playhead_at_end(&ui->ph)) {
		ui_say(ui, _("quiz: the answer comes at the run's end"));
		return UI_REDRAW;
	}
	/* The answer seen, o asks again, from the start of the run. */
	if (quiz.stage == QUIZ_OFF || quiz.stage == QUIZ_ASK ||
	    (quiz.stage == QUIZ_SHOW && ui->overlay == UI_OVERLAY_NONE)) {
		quiz_reset();
		quiz.stage = QUIZ_ASK;
		quiz.variant = quiz_variant(ui);
		/* Asked before the run: it waits at its start. */
		seek_to(ui, 0);
		ui_pause(ui, true);
	}
	ui->overlay = UI_OVERLAY_QUIZ;
	return UI_REDRAW;
}

/* Whether item i is in the prediction already. */
static bool
quiz_taken(int i)
{
	int	j;

	for (j = 0; j < quiz.norder; j++)
		if (quiz.order[j] == i)
			return true;
	return false;
}

static void
quiz_take(int i)
{
	if (i >= 0 && i < quiz.n && !quiz_taken(i) && quiz.norder < quiz.n)
		quiz.order[quiz.norder++] = i;
}

/* Two items are the same print: one line of one task, said twice. */
static bool
quiz_same(int a, int b)
{
	return quiz.items[a].task == quiz.items[b].task &&
	    quiz.items[a].line == quiz.items[b].line;
}

/*
 * The same print said several times is told apart by when it came: the
 * class's first mention of it is its first time, and so on, so that
 * their order among themselves is never counted against the class.
 */
static void
quiz_canonical(void)
{
	int	i, j, k, next;

	for (i = 0; i < quiz.norder; i++) {
		/* Among the mentions of this print from i on, in order... */
		next = -1;
		for (k = 0; k < quiz.n; k++) {
			if (!quiz_same(k, quiz.order[i]))
				continue;
			/* ...the earliest time of it not yet given out. */
			for (j = 0; j < i && quiz.order[j] != k; j++)
				continue;
			if (j == i && (next < 0 || quiz.items[k].happened <
			    quiz.items[next].happened))
				next = k;
		}
		if (next >= 0)
			quiz.order[i] = next;
	}
}

/* A key while the quiz is on screen. */
int
quiz_key(struct ui *ui, int key)
{
	if (quiz.stage == QUIZ_SHOW || !quiz.known || quiz.n == 0) {
		if (key == 27 || key == 'q' || key == 'o' || key == '\r' ||
		    key == '\n' || key == KEY_ENTER) {
			ui->overlay = UI_OVERLAY_NONE;
			if (quiz.stage == QUIZ_ASK)
				quiz.stage = QUIZ_OFF;
		} else if (key == 'r' && quiz.stage == QUIZ_SHOW) {
			/* r: the run again, and the quiz with it. */
			ui->overlay = UI_OVERLAY_NONE;
			quiz_reset();
			return UI_RESTART | UI_REDRAW;
		}
		return UI_REDRAW;
	}
	switch (key) {
	case 27:
		quiz.stage = QUIZ_OFF;
		ui->overlay = UI_OVERLAY_NONE;
		ui_say(ui, _("quiz: skipped"));
		break;
	case KEY_UP:
	case 'k':
		quiz.pos = (quiz.pos + quiz.n - 1) % quiz.n;
		break;
	case KEY_DOWN:
	case 'j':
	case '\t':
		quiz.pos = (quiz.pos + 1) % quiz.n;
		break;
	case ' ':
		quiz_take(quiz.pos);
		break;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (quiz.norder > 0)
			quiz.norder--;
		break;
	case '\r':
	case '\n':
	case KEY_ENTER:
		if (quiz.norder < quiz.n) {
			quiz_take(quiz.pos);
			break;
		}
		/* Answered: the run plays, and the answer comes at its end. */
		quiz_canonical();
		quiz.stage = QUIZ_PLAY;
		ui->overlay = UI_OVERLAY_NONE;
		ui_pause(ui, false);
		ui_say(ui, _("quiz: answered; the run plays"));
		break;
	default:
		if (key >= '1' && key <= '9')
			quiz_take(key - '1');
		break;
	}
	return UI_REDRAW;
}

/* The run answered played to its end: the answer against it. */
int
quiz_check(struct ui *ui)
{
	if (quiz.stage != QUIZ_PLAY || !playhead_at_end(&ui->ph) ||
	    ui->overlay != UI_OVERLAY_NONE)
		return 0;
	quiz.stage = QUIZ_SHOW;
	ui->overlay = UI_OVERLAY_QUIZ;
	return UI_REDRAW;
}

/* Source line n of the variant, its blanks cut, into buf. */
static void
quiz_source(const struct ui *ui, int n, char *buf, size_t len)
{
	const struct program	*p = ui_program(ui, (size_t)quiz.variant);
	const char		*s = p != NULL ? p->source : NULL, *e;

	buf[0] = '\0';
	for (; s != NULL && *s != '\0' && n > 1; n--)
		s = (e = strchr(s, '\n')) != NULL ? e + 1 : NULL;
	if (s == NULL)
		return;
	s += strspn(s, " \t");
	e = strchr(s, '\n');
	snprintf(buf, len, "%.*s", (int)(e != NULL ? e - s : (long)strlen(s)),
	    s);
}

/* An item's task and line: "name(): print(...)". */
static void
quiz_label(const struct ui *ui, const struct quiz_item *it, char *buf,
    size_t len)
{
	const struct tl_variant	*v = &ui->live->v[quiz.variant];
	const struct tl_task	*t = timeline_task(v, it->task);
	char			 src[200];
	int			 nth = 1, of = 0, i;

	quiz_source(ui, it->line, src, sizeof src);
	/* A print said several times: which time, of how many. */
	for (i = 0; i < quiz.n; i++)
		if (quiz.items[i].task == it->task &&
		    quiz.items[i].line == it->line) {
			of++;
			if (quiz.items[i].happened < it->happened)
				nth++;
		}
	if (of > 1 && quiz.stage == QUIZ_SHOW)
		snprintf(buf, len, _("%s: %s (time %d of %d)"), t != NULL ?
		    t->name : _("the program"), src, nth, of);
	else if (of > 1)
		snprintf(buf, len, _("%s: %s (one of %d)"), t != NULL ?
		    t->name : _("the program"), src, of);
	else
		snprintf(buf, len, "%s: %s", t != NULL ? t->name :
		    _("the program"), src);
}

/*
 * Why a print came when it did: what last made its task runnable before
 * it (its start, the end of what it awaited, its timer, which says how
 * late it was), not its resuming after a blocking call.
 */
static void
quiz_why(const struct ui *ui, const struct quiz_item *it, char *buf,
    size_t len)
{
	const struct timeline	*tl = ui->live;
	struct trace_event	 ev;
	size_t			 k, print = tl->nlog, run = tl->nlog;
	size_t			 fired = tl->nlog;

	buf[0] = '\0';
	for (k = 0; k < tl->nlog; k++) {
		timeline_event(tl, k, &ev);
		if (ev.variant != quiz.variant || ev.task != it->task)
			continue;
		if (ev.type == TRACE_PRINT && ev.seq == it->seq) {
			print = k;
			break;
		}
		/*
		 * What made it runnable: not its resuming after a block, and
		 * a timer rather than the queue it put the task in (the timer
		 * says how late it was).
		 */
		if (ev.type == TRACE_TIMER_FIRE)
			run = fired = k;
		else if (ev.type == TRACE_TASK_STATE && ((ev.state ==
		    TASK_READY && (ev.reason != REASON_TIMER || fired !=
		    run)) || (ev.state == TASK_RUNNING && (ev.reason ==
		    REASON_START || ev.reason == REASON_WOKEN || ev.reason ==
		    REASON_IO))))
			run = k;
	}
	if (print < tl->nlog && run < tl->nlog)
		caption_event(tl, run, buf, len);
}

static void
quiz_draw_ask(const struct ui *ui, int y, int x, int w, int h)
{
	char	buf[320], lab[240];
	int	i, row = y + 2, j, top;

	screen_put(row++, x + 2, w - 4, _("In what order will the prints "
	    "come?"), 0);
	screen_put(row++, x + 2, w - 4, _("Type their numbers (or Up, Down, "
	    "Space); Backspace takes one back."), screen_attr(SCREEN_DIM));
	screen_put(row++, x + 2, w - 4, quiz.more ? _("Enter plays the run; "
	    "Esc skips. (The first 20 prints.)") : _("Enter plays the run; "
	    "Esc skips."), screen_attr(SCREEN_DIM));
	row++;
	/* More items than rows: the list scrolls with the cursor. */
	top = quiz.pos - (y + h - 3 - row) + 1;
	for (i = top > 0 ? top : 0; i < quiz.n && row < y + h - 3; i++) {
		quiz_label(ui, &quiz.items[i], lab, sizeof lab);
		snprintf(buf, sizeof buf, "%c %2d. %s", i == quiz.pos ? '>' :
		    ' ', i + 1, lab);
		screen_put(row++, x + 2, w - 4, buf, quiz_taken(i) ?
		    screen_attr(SCREEN_DIM) : i == quiz.pos ?
		    screen_attr(SCREEN_SELECT) : 0);
	}
	snprintf(buf, sizeof buf, "%s", _("your order:"));
	for (j = 0; j < quiz.norder; j++)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), " %d",
		    quiz.order[j] + 1);
	screen_put(y + h - 2, x + 2, w - 4, buf, screen_attr(SCREEN_TITLE));
}

static void
quiz_draw_show(const struct ui *ui, int y, int x, int w, int h)
{
	const struct quiz_item	*it;
	char			 buf[640], lab[240], why[400];
	int			 i, j, row = y + 2, right = 0, said;

	for (j = 0; j < quiz.n; j++)
		for (i = 0; i < quiz.n; i++)
			if (quiz.items[i].happened == j && j < quiz.norder &&
			    quiz.order[j] == i)
				right++;
	i18n_snprintf(buf, sizeof buf, _("%d of %d in the right place. What "
	    "happened, and what you said:"), right, quiz.n);
	screen_put(row++, x + 2, w - 4, buf, screen_attr(SCREEN_TITLE));
	row++;
	for (j = 0; j < quiz.n && row < y + h - 2; j++) {
		for (i = 0; i < quiz.n && quiz.items[i].happened != j; i++)
			continue;
		if (i == quiz.n)
			continue;
		it = &quiz.items[i];
		for (said = 0; said < quiz.norder && quiz.order[said] != i;
		    said++)
			continue;
		quiz_label(ui, it, lab, sizeof lab);
		snprintf(buf, sizeof buf, _("%2d. %s  (your place: %d) %s"), j + 1,
		    said == j ? (ui->glyphs->utf8 ? "✓" : "=") :
		    (ui->glyphs->utf8 ? "✗" : "x"), said + 1, lab);
		screen_put(row++, x + 2, w - 4, buf, said == j ?
		    screen_attr(SCREEN_GOOD) : screen_attr(SCREEN_WARN));
		quiz_why(ui, it, why, sizeof why);
		caption_fit(why, sizeof why, w - 8, ui->glyphs->utf8);
		if (why[0] != '\0' && row < y + h - 2)
			screen_put(row++, x + 6, w - 8, why,
			    screen_attr(SCREEN_DIM));
	}
}

void
quiz_draw(const struct ui *ui)
{
	int	rows, cols, h, w, y, x;

	screen_size(&rows, &cols);
	w = cols - 4 > 96 ? 96 : cols - 4;
	h = quiz.stage == QUIZ_SHOW ? 6 + 2 * quiz.n : 9 + quiz.n;
	if (h > rows - 2)
		h = rows - 2;
	y = (rows - h) / 2;
	x = (cols - w) / 2;
	screen_box(y, x, h, w, quiz.stage == QUIZ_SHOW ? _(" Quiz: the "
	    "answer ") : _(" Quiz: predict the order "));
	if (!quiz.known) {
		screen_put(y + 2, x + 2, w - 4, _("working the run out..."),
		    screen_attr(SCREEN_DIM));
		return;
	}
	if (quiz.n == 0) {
		screen_put(y + 2, x + 2, w - 4, _("this variant prints nothing: "
		    "nothing to predict (Esc)"), screen_attr(SCREEN_DIM));
		return;
	}
	if (quiz.stage == QUIZ_SHOW)
		quiz_draw_show(ui, y, x, w, h);
	else
		quiz_draw_ask(ui, y, x, w, h);
}

/* Each turn of the UI: learn the prints once the run is known. */
int
quiz_poll(struct ui *ui)
{
	if (quiz.stage == QUIZ_OFF || quiz.known)
		return 0;
	quiz_learn(ui);
	return quiz.known ? UI_REDRAW : 0;
}
