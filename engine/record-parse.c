/* Recordings read back: each line's record, every field checked. */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "program.h"
#include "record-field.h"
#include "record-int.h"


/*
 * The fields of a record, checked (engine/record-field.c): a wrong one
 * fails the reading at its line.
 */
static int
record_parse_int(struct reader *rd, json_t *o, const char *key, int64_t lo,
    int64_t hi, int64_t def, int64_t *out)
{
	char	why[512];

	if (record_field_int(o, key, lo, hi, def, out, why, sizeof why) != 0)
		return record_read_fail(rd, "%s", why);
	return 0;
}

static int
record_parse_bool(struct reader *rd, json_t *o, const char *key, bool *out)
{
	char	why[512];

	if (record_field_bool(o, key, out, why, sizeof why) != 0)
		return record_read_fail(rd, "%s", why);
	return 0;
}

static int
record_parse_string(struct reader *rd, json_t *o, const char *key,
    bool required, const char **out)
{
	char	why[512];

	if (record_field_string(o, key, required, out, why, sizeof why) != 0)
		return record_read_fail(rd, "%s", why);
	return 0;
}

static int
record_parse_enum(struct reader *rd, json_t *o, const char *key,
    const char *(*name)(int), int n, int *out)
{
	char	why[512];

	if (record_field_enum(o, key, name, n, out, why, sizeof why) != 0)
		return record_read_fail(rd, "%s", why);
	return 0;
}

static const char *
record_parse_state_name(int i)
{
	return trace_state_name((enum task_state)i);
}

static const char *
record_parse_phase_name(int i)
{
	return trace_phase_name((enum io_phase)i);
}

static const char *
record_parse_reason_name(int i)
{
	return trace_reason_name((enum trace_reason)i);
}

static const char *
record_parse_type_name(int i)
{
	return trace_type_name((enum trace_type)i);
}

static const char *
record_parse_byte_name(int i)
{
	(void)i;
	return "";
}

/* A run's demo and variants (the header's, or a restart's). */
static int
record_parse_run(struct reader *rd, json_t *o, struct record_run *run)
{
	json_t		*vs, *v;
	const char	*s, *src, *kind;
	size_t		 i;
	int		 k;

	if (record_parse_string(rd, o, "demo", true, &s) != 0)
		return -1;
	if ((run->demo = strdup(s)) == NULL)
		return record_read_fail(rd, _("out of memory"));
	vs = json_object_get(o, "variants");
	if (!json_is_array(vs) || json_array_size(vs) == 0 ||
	    json_array_size(vs) > TRACE_MAX_VARIANTS)
		return record_read_fail(rd, _("'variants' must be a list of 1 "
		    "to %d variants"), TRACE_MAX_VARIANTS);
	json_array_foreach(vs, i, v) {
		if (!json_is_object(v))
			return record_read_fail(rd, _("variant %zu is not an "
			    "object"), i + 1);
		if (record_parse_string(rd, v, "name", true, &s) != 0 ||
		    record_parse_string(rd, v, "source", false, &src) != 0 ||
		    record_parse_string(rd, v, "kind", true, &kind) != 0)
			return -1;
		if ((k = program_kind_parse(kind)) < 0)
			return record_read_fail(rd, _("variant '%s': unknown "
			    "kind '%s'"), s, kind);
		run->variants[i].name = strdup(s);
		run->variants[i].source = strdup(src != NULL ? src : "");
		run->variants[i].kind = (uint8_t)k;
		run->nvariants = i + 1;
		if (run->variants[i].name == NULL ||
		    run->variants[i].source == NULL)
			return record_read_fail(rd, _("out of memory"));
	}
	return 0;
}

/* A new run, at the end of the list (which grows by doubling). */
static struct record_run *
record_parse_add_run(struct reader *rd)
{
	struct recording	*rec = rd->rec;
	struct record_run	*nr;
	size_t			 ncap;

	if (rec->nruns == RECORD_MAX_RUNS) {
		record_read_fail(rd, _("more than %d runs (restarts): the most "
		    "a recording is read with"), RECORD_MAX_RUNS);
		return NULL;
	}
	if (rec->nruns == rd->runs_cap) {
		ncap = rd->runs_cap ? rd->runs_cap * 2 : 4;
		if ((nr = realloc(rec->runs, ncap * sizeof *nr)) == NULL) {
			record_read_fail(rd, _("out of memory"));
			return NULL;
		}
		rec->runs = nr;
		rd->runs_cap = ncap;
	}
	nr = &rec->runs[rec->nruns++];
	memset(nr, 0, sizeof *nr);
	memset(rd->ntasks, 0, sizeof rd->ntasks);
	return nr;
}

/* Line 1: ours, of a version we read, with the first run's variants. */
int
record_parse_header(struct reader *rd, json_t *o)
{
	struct record_header	*h = &rd->rec->h;
	struct record_run	*run;
	json_t			*v;
	const char		*s;
	int64_t			 i;

	v = json_object_get(o, "format");
	if (!json_is_string(v) || strcmp(json_string_value(v),
	    RECORD_FORMAT) != 0)
		return record_read_fail(rd, _("not a loopscope recording (its "
		    "first line is no \"format\": \"%s\" header)"),
		    RECORD_FORMAT);
	v = json_object_get(o, "version");
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return record_read_fail(rd, _("'version' must be a whole "
		    "number from 1"));
	if (json_integer_value(v) > RECORD_VERSION)
		return record_read_fail(rd, _("format version %lld is newer "
		    "than this loopscope reads (%d): a newer loopscope wrote "
		    "it"), (long long)json_integer_value(v), RECORD_VERSION);
	h->version = (int)json_integer_value(v);
	if (record_parse_string(rd, o, "loopscope", false, &s) != 0)
		return -1;
	h->loopscope = strdup(s != NULL ? s : "?");
	if (record_parse_string(rd, o, "started", false, &s) != 0)
		return -1;
	h->started = strdup(s != NULL ? s : "");
	if (h->loopscope == NULL || h->started == NULL)
		return record_read_fail(rd, _("out of memory"));
	v = json_object_get(o, "speed");
	h->speed = 1.0;
	if (v != NULL && (!json_is_number(v) || !(json_number_value(v) >=
	    CLOCK_SPEED_MIN && json_number_value(v) <= CLOCK_SPEED_MAX)))
		return record_read_fail(rd, _("'speed' must be a number from "
		    "%g to %g"), CLOCK_SPEED_MIN, CLOCK_SPEED_MAX);
	if (v != NULL)
		h->speed = json_number_value(v);
	if (record_parse_string(rd, o, "clock", false, &s) != 0)
		return -1;
	if (s != NULL && strcmp(s, "sim") != 0 && strcmp(s, "real") != 0)
		return record_read_fail(rd, _("'clock' must be \"sim\" or "
		    "\"real\""));
	h->clock = s != NULL && strcmp(s, "sim") == 0 ? CLOCK_SIM : CLOCK_REAL;
	if (record_parse_bool(rd, o, "paused", &h->paused) != 0)
		return -1;
	if (record_parse_int(rd, o, "cols", 0, 10000, 0, &i) != 0)
		return -1;
	h->cols = (int)i;
	if (record_parse_int(rd, o, "rows", 0, 10000, 0, &i) != 0)
		return -1;
	h->rows = (int)i;
	if ((run = record_parse_add_run(rd)) == NULL)
		return -1;
	return record_parse_run(rd, o, run);
}

/*
 * A variant numbers its tasks 1, 2, ... as it creates them: an event names
 * one created before it (a print or a warning may name none).
 */
static int
record_parse_task_ids(struct reader *rd, const struct trace_event *ev)
{
	uint32_t	*n = &rd->ntasks[ev->variant];

	switch (ev->type) {
	case TRACE_TASK_CREATE:
		if (ev->task != *n + 1)
			return record_read_fail(rd, _("task_create: task %u, "
			    "not %u (a variant numbers its tasks in order)"),
			    ev->task, *n + 1);
		if (ev->other > *n)
			return record_read_fail(rd, _("task_create: creator %u "
			    "was never created"), ev->other);
		(*n)++;
		return 0;
	case TRACE_TASK_STATE:
	case TRACE_TIMER_FIRE:
	case TRACE_IO_PHASE:
	case TRACE_FETCH_DONE:
		if (ev->task == 0 || ev->task > *n)
			break;
		return 0;
	case TRACE_PRINT:
	case TRACE_WARNING:
		if (ev->task > *n)
			break;
		return 0;
	default:
		return 0;
	}
	return record_read_fail(rd, _("%s: task %u was never created"),
	    trace_type_name(ev->type), ev->task);
}

/* One trace event: every field checked against what the views assume. */
static int
record_parse_event(struct reader *rd, json_t *o, struct record_run *run)
{
	struct trace_event	 ev;
	struct trace_event	*ne;
	const char		*text;
	int64_t			 i;
	int			 e, type;
	size_t			 ncap;

	memset(&ev, 0, sizeof ev);
	if (record_parse_enum(rd, o, "event", record_parse_type_name,
	    TRACE_NTYPES, &type) != 0)
		return -1;
	ev.type = (uint8_t)type;
	if (record_parse_int(rd, o, "variant", 0, TIMELINE_CONTROL, 0,
	    &i) != 0)
		return -1;
	if (i >= (int64_t)run->nvariants && i != TIMELINE_CONTROL)
		return record_read_fail(rd, _("variant %lld: the run has %zu "
		    "variants"), (long long)i, run->nvariants);
	ev.variant = (uint16_t)i;
	if (record_parse_int(rd, o, "vtime", 0, RECORD_TIME_MAX, 0,
	    &ev.vtime) != 0 ||
	    record_parse_int(rd, o, "rtime", 0, RECORD_VALUE_MAX, 0,
	    &ev.rtime) != 0 ||
	    record_parse_int(rd, o, "a", -RECORD_VALUE_MAX, RECORD_VALUE_MAX,
	    0, &ev.a) != 0 ||
	    record_parse_int(rd, o, "b", -RECORD_VALUE_MAX, RECORD_VALUE_MAX,
	    0, &ev.b) != 0)
		return -1;
#define READ_U32(key, field) do {					\
	if (record_parse_int(rd, o, key, 0, UINT32_MAX, 0, &i) != 0)	\
		return -1;						\
	ev.field = (uint32_t)i;						\
} while (0)
	READ_U32("task", task);
	READ_U32("other", other);
	READ_U32("seq", seq);
	READ_U32("n_ready", n_ready);
	READ_U32("n_timers", n_timers);
	READ_U32("n_io", n_io);
#undef READ_U32
	if (record_parse_int(rd, o, "line", 0, UINT16_MAX, 0, &i) != 0)
		return -1;
	ev.line = (uint16_t)i;
	if (record_parse_int(rd, o, "flags", 0, 0x7f, 0, &i) != 0)
		return -1;
	ev.flags = (uint8_t)i;
	if (type == TRACE_TASK_STATE)
		e = record_parse_enum(rd, o, "state", record_parse_state_name,
		    TASK_NSTATES, &type);
	else if (type == TRACE_IO_PHASE)
		e = record_parse_enum(rd, o, "state", record_parse_phase_name,
		    PHASE_N, &type);
	else
		e = record_parse_enum(rd, o, "state", record_parse_byte_name,
		    256, &type);
	if (e != 0)
		return -1;
	ev.state = (uint8_t)type;
	if (record_parse_enum(rd, o, "reason", record_parse_reason_name,
	    REASON_NREASONS, &type) != 0)
		return -1;
	ev.reason = (uint8_t)type;
	if (ev.variant != TIMELINE_CONTROL &&
	    record_parse_task_ids(rd, &ev) != 0)
		return -1;
	/*
	 * Kinds index tables in the views: a task's, function to process
	 * (a thread's lane is a task_create of kind 3, a process's of 4); a
	 * variant's, sync, async, threads or processes (program.h).
	 */
	if (ev.type == TRACE_TASK_CREATE &&
	    (ev.a < 0 || ev.a > TASK_KIND_PROCESS))
		return record_read_fail(rd, _("%s: kind %lld is not 0 to %d"),
		    trace_type_name(ev.type), (long long)ev.a,
		    TASK_KIND_PROCESS);
	if (ev.type == TRACE_VARIANT_START &&
	    (ev.a < 0 || ev.a >= VARIANT_NKINDS))
		return record_read_fail(rd, _("%s: kind %lld is not 0 to %d"),
		    trace_type_name(ev.type), (long long)ev.a,
		    VARIANT_NKINDS - 1);
	if (record_parse_string(rd, o, "text", false, &text) != 0)
		return -1;
	if (text != NULL) {
		if ((ev.text = strdup(text)) == NULL)
			return record_read_fail(rd, _("out of memory"));
		ev.flags |= TRACE_F_OWNED;
	}
	if (run->nevents == run->events_cap) {
		ncap = run->events_cap ? run->events_cap * 2 : 256;
		if ((ne = realloc(run->events, ncap * sizeof *ne)) == NULL) {
			trace_event_clear(&ev);
			return record_read_fail(rd, _("out of memory"));
		}
		run->events = ne;
		run->events_cap = ncap;
	}
	run->events[run->nevents++] = ev;
	rd->events++;
	return 0;
}

/*
 * One of the lecturer's actions: its name and time, and the view it left,
 * kept as the object of the line's other fields. The view is the UI's
 * (tui/record-view.c): the reading's check, when it has one, says if it
 * is one the UI can show.
 */
static int
record_parse_action(struct reader *rd, json_t *o, struct record_run *run)
{
	struct record_action	 a;
	struct record_action	*na;
	const char		*s;
	char			 why[512];
	int64_t			 i;
	size_t			 ncap;

	memset(&a, 0, sizeof a);
	if (record_parse_string(rd, o, "action", true, &s) != 0 ||
	    record_parse_int(rd, o, "rtime", 0, RECORD_VALUE_MAX, 0,
	    &a.rtime) != 0 ||
	    record_parse_int(rd, o, "events", 0, RECORD_VALUE_MAX, 0, &i) != 0)
		return -1;
	a.events = (size_t)i;
	if ((a.view = json_copy(o)) == NULL)
		return record_read_fail(rd, _("out of memory"));
	json_object_del(a.view, "action");
	json_object_del(a.view, "rtime");
	json_object_del(a.view, "events");
	if (rd->check != NULL && rd->check(a.view, why, sizeof why) != 0) {
		json_decref(a.view);
		return record_read_fail(rd, "%s", why);
	}
	if (run->nactions == run->actions_cap) {
		ncap = run->actions_cap ? run->actions_cap * 2 : 32;
		if ((na = realloc(run->actions, ncap * sizeof *na)) == NULL) {
			json_decref(a.view);
			return record_read_fail(rd, _("out of memory"));
		}
		run->actions = na;
		run->actions_cap = ncap;
	}
	if ((a.act = strdup(s)) == NULL) {
		json_decref(a.view);
		return record_read_fail(rd, _("out of memory"));
	}
	run->actions[run->nactions++] = a;
	rd->actions++;
	return 0;
}

/* The end record: the counts must be what was read. */
static int
record_parse_end(struct reader *rd, json_t *o)
{
	int64_t	n;

	if (record_parse_int(rd, o, "events", 0, RECORD_VALUE_MAX, 0, &n) != 0)
		return -1;
	if ((size_t)n != rd->events)
		return record_read_fail(rd, _("the end record counts %lld "
		    "events, the file holds %zu"), (long long)n, rd->events);
	if (record_parse_int(rd, o, "actions", 0, RECORD_VALUE_MAX, 0,
	    &n) != 0)
		return -1;
	if ((size_t)n != rd->actions)
		return record_read_fail(rd, _("the end record counts %lld "
		    "actions, the file holds %zu"), (long long)n, rd->actions);
	rd->rec->complete = true;
	return 0;
}

/* One record after the header. */
int
record_parse_record(struct reader *rd, json_t *o)
{
	struct record_run	*run = &rd->rec->runs[rd->rec->nruns - 1];
	int64_t			 t;

	if (rd->rec->complete)
		return record_read_fail(rd, _("a record after the end record"));
	if (++rd->records > rd->lim.max_events)
		return record_read_fail(rd, _("more than %zu events: the most "
		    "a recording is read with (--max-events raises it)"),
		    rd->lim.max_events);
	if (json_object_get(o, "event") != NULL)
		return record_parse_event(rd, o, run);
	if (json_object_get(o, "action") != NULL)
		return record_parse_action(rd, o, run);
	if (json_object_get(o, "run") != NULL) {
		if (record_parse_int(rd, o, "rtime", 0, RECORD_VALUE_MAX, 0,
		    &t) != 0 ||
		    (run = record_parse_add_run(rd)) == NULL)
			return -1;
		run->rtime = t;
		return record_parse_run(rd, o, run);
	}
	if (json_object_get(o, "end") != NULL)
		return record_parse_end(rd, o);
	return record_read_fail(rd, _("not a record of a recording (no "
	    "\"event\", \"action\", \"run\" or \"end\")"));
}
