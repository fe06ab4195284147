/* One glyph per task state, in UTF-8 or plain ASCII. */
#include "config.h"

#include <langinfo.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "glyphs.h"
#include "visible.h"

/* Each state keeps a distinct glyph in both sets: colour is never needed. */
/* The states' words, the same in both sets. */
#define GLYPHS_LABELS { \
	[TASK_CREATED] = "created", [TASK_READY] = "ready", \
	[TASK_RUNNING] = "running", [TASK_WAITING_TIMER] = "waiting (timer)", \
	[TASK_WAITING_IO] = "waiting (I/O)", \
	[TASK_WAITING_TASK] = "waiting (task)", [TASK_BLOCKED] = "blocked", \
	[TASK_DONE] = "done", [TASK_FAILED] = "failed", \
	[TASK_CANCELLED] = "cancelled", [TASK_WAITING_GIL] = "waiting (GIL)" }

static const struct glyphs glyphs_utf8 = {
	.utf8 = true,
	.state = {
		[TASK_CREATED] = " ", [TASK_READY] = "░",
		[TASK_RUNNING] = "█", [TASK_WAITING_TIMER] = "─",
		[TASK_WAITING_IO] = "≈", [TASK_WAITING_TASK] = "┄",
		[TASK_BLOCKED] = "▓", [TASK_DONE] = " ", [TASK_FAILED] = "✗",
		[TASK_CANCELLED] = "⊘", [TASK_WAITING_GIL] = "▒"
	},
	.label = GLYPHS_LABELS,
	.tick = "┬", .fill = "─", .rule = "─", .sep = "·", .bar = "│",
	.arrow = "▸", .playhead = "▼",
	.phase = {
		[PHASE_QUEUED] = "⋯", [PHASE_LOOKUP] = "d",
		[PHASE_CONNECT] = "c", [PHASE_TLS] = "t", [PHASE_SEND] = "›",
		[PHASE_WAIT] = "≈", [PHASE_RECEIVE] = "‹"
	},
	.thread = "↳", .process = "⇉", .due = "┆", .late = "╍"
};

static const struct glyphs glyphs_ascii = {
	.utf8 = false,
	.state = {
		[TASK_CREATED] = " ", [TASK_READY] = ":",
		[TASK_RUNNING] = "#", [TASK_WAITING_TIMER] = "-",
		[TASK_WAITING_IO] = "~", [TASK_WAITING_TASK] = ".",
		[TASK_BLOCKED] = "=", [TASK_DONE] = " ", [TASK_FAILED] = "!",
		[TASK_CANCELLED] = "x", [TASK_WAITING_GIL] = "%"
	},
	.label = GLYPHS_LABELS,
	.tick = "+", .fill = "-", .rule = "-", .sep = "-", .bar = "|",
	.arrow = ">", .playhead = "v",
	.phase = {
		[PHASE_QUEUED] = ",", [PHASE_LOOKUP] = "d",
		[PHASE_CONNECT] = "c", [PHASE_TLS] = "t", [PHASE_SEND] = ">",
		[PHASE_WAIT] = "~", [PHASE_RECEIVE] = "<"
	},
	.thread = "|", .process = "=", .due = "|", .late = "*"
};

const struct glyphs *
glyphs_get(bool utf8)
{
	return utf8 ? &glyphs_utf8 : &glyphs_ascii;
}

/* The locale's character set is UTF-8 (setlocale must have run). */
bool
glyphs_locale_utf8(void)
{
	const char	*cs = nl_langinfo(CODESET);

	return cs != NULL && (strcasecmp(cs, "UTF-8") == 0 ||
	    strcasecmp(cs, "utf8") == 0);
}

/*
 * Which state wins a cell that several share, when they share it equally:
 * what holds the thread first, idleness last.
 */
int
glyphs_priority(enum task_state s)
{
	static const int prio[TASK_NSTATES] = {
		[TASK_BLOCKED] = 9, [TASK_RUNNING] = 8, [TASK_FAILED] = 7,
		[TASK_CANCELLED] = 6, [TASK_WAITING_IO] = 5,
		[TASK_WAITING_GIL] = 5,
		[TASK_WAITING_TIMER] = 4, [TASK_READY] = 3,
		[TASK_WAITING_TASK] = 2, [TASK_CREATED] = 1, [TASK_DONE] = 0
	};

	return (unsigned)s < TASK_NSTATES ? prio[s] : -1;
}

/*
 * The bytes of s's longest start that fits in maxw columns, cut at a
 * character; its columns in *cols (if not NULL). Widths are those of what
 * is drawn: a control character or a byte that is not UTF-8 takes the
 * columns of its escape (visible.c), never zero; a character the locale
 * cannot decode counts as one column a byte.
 */
size_t
glyphs_fit(const char *s, int maxw, int *cols)
{
	mbstate_t	st;
	wchar_t		wc;
	char		esc[8];
	size_t		n, bytes = 0;
	long		code;
	int		c = 0, w;

	while (s[bytes] != '\0') {
		n = visible_unit(s + bytes, &code);
		if (code >= 0)
			w = (int)visible_escape(code, esc, sizeof esc);
		else {
			memset(&st, 0, sizeof st);
			if (mbrtowc(&wc, s + bytes, n, &st) != n)
				w = (int)n;
			else if ((w = wcwidth(wc)) < 0)
				w = 0;
		}
		if (c + w > maxw)
			break;
		c += w;
		bytes += n;
	}
	if (cols != NULL)
		*cols = c;
	return bytes;
}

/* Columns a UTF-8 string takes in the terminal. */
int
glyphs_width(const char *s)
{
	int	cols;

	glyphs_fit(s, INT_MAX, &cols);
	return cols;
}

/*
 * The bytes of s's first row when it wraps at maxw columns: at the last
 * space that fits, if that keeps at least half the row, else at the
 * column (a long word is cut). All of s when it fits; never 0 for a
 * non-empty s, so that a loop over the rows ends.
 */
size_t
glyphs_break(const char *s, int maxw)
{
	size_t	n, cut;

	n = glyphs_fit(s, maxw, NULL);
	if (s[n] == '\0')
		return n;
	if (n == 0)
		return s[0] != '\0' ? 1 : 0;
	for (cut = n; cut > n / 2 && s[cut] != ' '; cut--)
		continue;
	return cut > n / 2 ? cut + 1 : n;
}
