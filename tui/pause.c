/* Pause points: see pause.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pause.h"

void
pauses_free(struct pauses *p)
{
	size_t	i;

	for (i = 0; i < TRACE_MAX_VARIANTS; i++)
		free(p->v[i].lines);
	free(p->marks);
	memset(p, 0, sizeof *p);
}

/* Whether [s, e) holds the words of a pause point. */
static bool
pause_words(const char *s, const char *e)
{
	size_t	n = strlen(PAUSE_COMMENT);

	for (; s + n <= e; s++)
		if (memcmp(s, PAUSE_COMMENT, n) == 0)
			return true;
	return false;
}

/* Whether the line [s, e) holds code before any comment. */
static bool
pause_code(const char *s, const char *e)
{
	for (; s < e && *s != '#'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r')
			return true;
	return false;
}

/*
 * The lines a program's comments mark, 1-based, sorted: an inline
 * comment marks its own line, a comment alone the next line of code;
 * with none after it (the last cell's end), the program's end (*at_end).
 * Returns -1 when out of memory.
 */
int
pauses_scan(const char *source, int **lines, size_t *n, bool *at_end)
{
	const char	*s = source, *e, *c;
	int		 line = 1, *nl, at;
	size_t		 cap = 0;
	bool		 waiting = false, mark, code;

	*lines = NULL;
	*n = 0;
	*at_end = false;
	for (; s != NULL && *s != '\0'; s = *e != '\0' ? e + 1 : e, line++) {
		e = strchr(s, '\n');
		if (e == NULL)
			e = s + strlen(s);
		c = memchr(s, '#', (size_t)(e - s));
		mark = c != NULL && pause_words(c, e);
		code = pause_code(s, e);
		at = 0;
		if (code && (mark || waiting)) {
			at = line;
			waiting = false;
		} else if (mark)
			waiting = true;
		if (at == 0 || (*n > 0 && (*lines)[*n - 1] == at))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			if ((nl = realloc(*lines, cap * sizeof *nl)) == NULL) {
				free(*lines);
				*lines = NULL;
				*n = 0;
				return -1;
			}
			*lines = nl;
		}
		(*lines)[(*n)++] = at;
	}
	*at_end = waiting;
	return 0;
}

/* Read a variant's pause lines from its source, unless they are read. */
void
pauses_source(struct pauses *p, size_t variant, const char *source)
{
	struct pause_lines	*pl;

	if (variant >= TRACE_MAX_VARIANTS)
		return;
	pl = &p->v[variant];
	if (pl->source == source && source != NULL)
		return;
	free(pl->lines);
	pl->lines = NULL;
	pl->n = 0;
	pl->source = source;
	if (source != NULL && pauses_scan(source, &pl->lines, &pl->n,
	    &pl->at_end) != 0)
		pl->source = NULL;
}

bool
pauses_line(const struct pauses *p, size_t variant, int line)
{
	const struct pause_lines	*pl;
	size_t				 lo = 0, hi, mid;

	if (variant >= TRACE_MAX_VARIANTS || line <= 0)
		return false;
	pl = &p->v[variant];
	hi = pl->n;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (pl->lines[mid] == line)
			return true;
		if (pl->lines[mid] < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* A pause point at instant t (p in the UI); 0, or -1 out of memory. */
int
pauses_mark(struct pauses *p, vtime_t t)
{
	vtime_t	*nm;
	size_t	 i, cap;

	for (i = 0; i < p->nmarks && p->marks[i] < t; i++)
		continue;
	if (i < p->nmarks && p->marks[i] == t)
		return 0;
	if (p->nmarks == p->marks_cap) {
		cap = p->marks_cap ? p->marks_cap * 2 : 8;
		if ((nm = realloc(p->marks, cap * sizeof *nm)) == NULL)
			return -1;
		p->marks = nm;
		p->marks_cap = cap;
	}
	memmove(p->marks + i + 1, p->marks + i,
	    (p->nmarks - i) * sizeof *p->marks);
	p->marks[i] = t;
	p->nmarks++;
	return 0;
}

/* Take the mark at t away; whether there was one. */
bool
pauses_unmark(struct pauses *p, vtime_t t)
{
	size_t	i;

	for (i = 0; i < p->nmarks; i++)
		if (p->marks[i] == t) {
			memmove(p->marks + i, p->marks + i + 1,
			    (p->nmarks - i - 1) * sizeof *p->marks);
			p->nmarks--;
			return true;
		}
	return false;
}

void
pauses_clear_marks(struct pauses *p)
{
	p->nmarks = 0;
}

/*
 * Whether an event is a task coming to a marked line: a print, a call or
 * an await made there, a first run; not a task resuming there after its
 * await (that would stop twice on one line). Or the program's end, when a
 * comment alone has no code after it.
 */
static bool
pause_event(const struct pauses *p, const struct trace_event *ev)
{
	if (ev->type == TRACE_TASK_STATE) {
		if (trace_state_final((enum task_state)ev->state) ||
		    ev->state == TASK_READY || ev->state == TASK_CREATED)
			return false;
		if (ev->state == TASK_RUNNING && ev->reason != REASON_START)
			return false;
	} else if (ev->type == TRACE_VARIANT_END)
		return ev->variant < TRACE_MAX_VARIANTS &&
		    p->v[ev->variant].at_end;
	else if (ev->type != TRACE_PRINT)
		return false;
	return pauses_line(p, ev->variant, ev->line);
}

/*
 * Playing from event `from` (the playhead's count) and instant t0 on to
 * t1: the count of events up to and including the first one playback
 * stops at, or PAUSE_NONE. A mark at an instant in (t0, t1] stops it
 * after the events at or before that instant (*at says when it stops).
 */
size_t
pauses_find(const struct pauses *p, const struct timeline *tl, size_t from,
    vtime_t t0, vtime_t t1, vtime_t *at)
{
	struct trace_event	ev;
	size_t			i, k;
	vtime_t			mark = VTIME_NEVER;

	for (i = 0; i < p->nmarks; i++)
		if (p->marks[i] > t0 && p->marks[i] <= t1) {
			mark = p->marks[i];
			break;
		}
	for (k = from; k < tl->nlog; k++) {
		vtime_t	t = timeline_event_time(tl, k);

		if (t > t1 || t > mark)
			break;
		timeline_event(tl, k, &ev);
		if (pause_event(p, &ev)) {
			*at = t;
			return k + 1;
		}
	}
	*at = mark;
	return mark != VTIME_NEVER ? k : PAUSE_NONE;
}
