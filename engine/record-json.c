/* Recordings: each record as the JSON object of its line. */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "program.h"
#include "record-int.h"


/* Bytes of the valid UTF-8 character at p, or 0 when it is not one. */
static size_t
record_json_utf8(const unsigned char *p)
{
	size_t	n, i;
	int	lo = 0x80, hi = 0xbf;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		if (p[0] == 0xe0)
			lo = 0xa0;
		else if (p[0] == 0xed)
			hi = 0x9f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		if (p[0] == 0xf0)
			lo = 0x90;
		else if (p[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if (p[i] < lo || p[i] > hi)
			return 0;	/* a NUL stops here too */
		lo = 0x80;
		hi = 0xbf;
	}
	return n;
}

/* A JSON string of s; bytes that are not UTF-8 become '?'. */
json_t *
record_json_string(const char *s)
{
	json_t		*j;
	unsigned char	*copy, *p;
	size_t		 n;

	if ((j = json_string(s)) != NULL)
		return j;
	if ((copy = (unsigned char *)strdup(s)) == NULL)
		return NULL;
	for (p = copy; *p != '\0'; p += n)
		if ((n = record_json_utf8(p)) == 0) {
			*p = '?';
			n = 1;
		}
	j = json_string((char *)copy);
	free(copy);
	return j;
}

/* Set key to a number unless it is 0 (a reader takes a missing one as 0). */
static void
record_json_int(json_t *o, const char *key, int64_t v)
{
	if (v != 0)
		json_object_set_new(o, key, json_integer(v));
}

/* One trace event as a JSON object: every field, zeros left out. */
json_t *
record_json_event(const struct trace_event *ev)
{
	json_t	*o;

	if ((o = json_object()) == NULL)
		return NULL;
	json_object_set_new(o, "event",
	    json_string(trace_type_name(ev->type)));
	json_object_set_new(o, "variant", json_integer(ev->variant));
	json_object_set_new(o, "vtime", json_integer(ev->vtime));
	json_object_set_new(o, "rtime", json_integer(ev->rtime));
	json_object_set_new(o, "seq", json_integer(ev->seq));
	record_json_int(o, "task", ev->task);
	record_json_int(o, "line", ev->line);
	if (ev->type == TRACE_TASK_STATE && ev->state < TASK_NSTATES)
		json_object_set_new(o, "state",
		    json_string(trace_state_name(ev->state)));
	else if (ev->type == TRACE_IO_PHASE && ev->state < PHASE_N)
		json_object_set_new(o, "state",
		    json_string(trace_phase_name(ev->state)));
	else
		record_json_int(o, "state", ev->state);
	if (ev->reason != REASON_NONE && ev->reason < REASON_NREASONS)
		json_object_set_new(o, "reason",
		    json_string(trace_reason_name(ev->reason)));
	else
		record_json_int(o, "reason", ev->reason);
	record_json_int(o, "other", ev->other);
	record_json_int(o, "a", ev->a);
	record_json_int(o, "b", ev->b);
	record_json_int(o, "n_ready", ev->n_ready);
	record_json_int(o, "n_timers", ev->n_timers);
	record_json_int(o, "n_io", ev->n_io);
	record_json_int(o, "flags", ev->flags & ~TRACE_F_OWNED);
	if (ev->text != NULL)
		json_object_set_new(o, "text", record_json_string(ev->text));
	return o;
}

/* A run's demo and variants, as the header or a restart says them. */
void
record_json_run(json_t *o, const struct record_run *run)
{
	json_t	*vs, *v;
	size_t	 i;

	json_object_set_new(o, "demo", record_json_string(run->demo != NULL ?
	    run->demo : ""));
	vs = json_array();
	for (i = 0; i < run->nvariants; i++) {
		const struct record_variant *rv = &run->variants[i];

		v = json_object();
		json_object_set_new(v, "name", record_json_string(rv->name));
		json_object_set_new(v, "kind", json_string(rv->kind < VARIANT_NKINDS ?
		    program_kind_name(rv->kind) : "sync"));
		json_object_set_new(v, "source", record_json_string(
		    rv->source != NULL ? rv->source : ""));
		json_array_append_new(vs, v);
	}
	json_object_set_new(o, "variants", vs);
}
