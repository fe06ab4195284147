/*
 * The UI's view in a recording: an action's name and the fields of the
 * view it left, written and read back (doc/recording.md, "Actions").
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "i18n.h"
#include "record-field.h"
#include "record-view.h"

static const char *record_view_act_names[RECORD_VIEW_NACTS] = {
	[RECORD_VIEW_START] = "start",
	[RECORD_VIEW_PAUSE] = "pause",
	[RECORD_VIEW_RESUME] = "resume",
	[RECORD_VIEW_STEP] = "step",
	[RECORD_VIEW_BACK] = "back",
	[RECORD_VIEW_ITERATION] = "iteration",
	[RECORD_VIEW_SPEED] = "speed",
	[RECORD_VIEW_SELECT] = "select",
	[RECORD_VIEW_RESTART] = "restart",
	[RECORD_VIEW_SEEK] = "seek",
	[RECORD_VIEW_SOURCE] = "source",
	[RECORD_VIEW_FOLD] = "fold",
	[RECORD_VIEW_OVERLAY] = "overlay",
	[RECORD_VIEW_RESIZE] = "resize",
	[RECORD_VIEW_QUIT] = "quit",
	[RECORD_VIEW_MARK] = "pause_point",
	[RECORD_VIEW_OTHER] = "other",
};

static const char *record_view_overlay_names[RECORD_VIEW_NOVERLAYS] = {
	[RECORD_VIEW_OVERLAY_NONE] = "none",
	[RECORD_VIEW_OVERLAY_HELP] = "help",
	[RECORD_VIEW_OVERLAY_DETAILS] = "details",
	[RECORD_VIEW_OVERLAY_DEMOS] = "demos",
	[RECORD_VIEW_OVERLAY_VARIANTS] = "variants",
};

const char *
record_view_act_name(enum record_view_act act)
{
	return (unsigned)act < RECORD_VIEW_NACTS ?
	    record_view_act_names[act] : "other";
}

/* The action a name says; RECORD_VIEW_OTHER for one this version lacks. */
enum record_view_act
record_view_act_of(const char *name)
{
	int	i;

	for (i = 0; i < RECORD_VIEW_NACTS; i++)
		if (strcmp(name, record_view_act_names[i]) == 0)
			return (enum record_view_act)i;
	return RECORD_VIEW_OTHER;
}

const char *
record_view_overlay_name(enum record_view_overlay overlay)
{
	return (unsigned)overlay < RECORD_VIEW_NOVERLAYS ?
	    record_view_overlay_names[overlay] : "none";
}

static const char *
record_view_overlay_index(int i)
{
	return record_view_overlay_name((enum record_view_overlay)i);
}

/* A view as the fields of its action's line, in the order they are written. */
json_t *
record_view_json(const struct record_view *v)
{
	json_t	*o, *fold;
	size_t	 i;

	if ((o = json_object()) == NULL)
		return NULL;
	json_object_set_new(o, "vtime", json_integer(v->t));
	json_object_set_new(o, "k", json_integer((json_int_t)v->k));
	json_object_set_new(o, "following", json_boolean(v->following));
	json_object_set_new(o, "paused", json_boolean(v->view.paused));
	json_object_set_new(o, "stepping", json_boolean(v->view.stepping));
	json_object_set_new(o, "speed", json_real(v->view.speed));
	json_object_set_new(o, "selected", json_integer(v->view.selected));
	json_object_set_new(o, "scroll", json_integer(v->view.scroll));
	json_object_set_new(o, "source", json_boolean(v->view.source));
	json_object_set_new(o, "overlay", json_string(record_view_overlay_name(
	    (enum record_view_overlay)v->overlay)));
	fold = json_array();
	for (i = 0; i < TRACE_MAX_VARIANTS; i++)
		json_array_append_new(fold, json_integer(v->view.fold[i]));
	json_object_set_new(o, "fold", fold);
	json_object_set_new(o, "cols", json_integer(v->cols));
	json_object_set_new(o, "rows", json_integer(v->rows));
	json_object_set_new(o, "message", record_json_string(v->message));
	return o;
}

/* An integer field from lo to hi (0 when absent) into *out. */
static int
record_view_int(const json_t *o, const char *key, int64_t lo, int64_t hi,
    int *out, char *why, size_t len)
{
	int64_t	i;

	if (record_field_int(o, key, lo, hi, 0, &i, why, len) != 0)
		return -1;
	*out = (int)i;
	return 0;
}

/* The fold of each variant: -1, 0 or 1, at most one a variant. */
static int
record_view_fold(const json_t *o, struct record_view *v, char *why,
    size_t len)
{
	json_t	*l = json_object_get(o, "fold"), *f;
	size_t	 j;

	if (l != NULL && (!json_is_array(l) || json_array_size(l) >
	    TRACE_MAX_VARIANTS)) {
		snprintf(why, len, _("'fold' must be a list of at most %d "
		    "numbers"), TRACE_MAX_VARIANTS);
		return -1;
	}
	json_array_foreach(l, j, f) {
		if (!json_is_integer(f) || json_integer_value(f) < -1 ||
		    json_integer_value(f) > 1) {
			snprintf(why, len, _("'fold' holds -1, 0 or 1 per "
			    "variant"));
			return -1;
		}
		v->view.fold[j] = (int8_t)json_integer_value(f);
	}
	return 0;
}

/*
 * A view from the fields of its action's line o, every one checked; speed
 * is the one it has when it says none (the recording's). 0, or -1 with why
 * the view is wrong in why.
 */
int
record_view_parse(const json_t *o, double speed, struct record_view *v,
    char *why, size_t len)
{
	json_t		*n;
	const char	*s;
	int64_t		 i;
	size_t		 l;

	memset(v, 0, sizeof *v);
	v->view.speed = speed;
	v->view.source = true;
	if (record_field_int(o, "vtime", 0, RECORD_TIME_MAX, 0, &v->t, why,
	    len) != 0 || record_field_int(o, "k", 0, RECORD_VALUE_MAX, 0, &i,
	    why, len) != 0)
		return -1;
	v->k = (size_t)i;
	if (record_field_bool(o, "following", &v->following, why, len) != 0 ||
	    record_field_bool(o, "paused", &v->view.paused, why, len) != 0 ||
	    record_field_bool(o, "stepping", &v->view.stepping, why, len) != 0 ||
	    record_field_bool(o, "source", &v->view.source, why, len) != 0)
		return -1;
	n = json_object_get(o, "speed");
	if (n != NULL && (!json_is_number(n) || !(json_number_value(n) >=
	    CLOCK_SPEED_MIN && json_number_value(n) <= CLOCK_SPEED_MAX))) {
		snprintf(why, len, _("'speed' must be a number from %g to %g"),
		    CLOCK_SPEED_MIN, CLOCK_SPEED_MAX);
		return -1;
	}
	if (n != NULL)
		v->view.speed = json_number_value(n);
	if (record_view_int(o, "selected", -1, 1000000, &v->view.selected, why,
	    len) != 0 ||
	    record_view_int(o, "scroll", 0, 1000000, &v->view.scroll, why,
	    len) != 0 ||
	    record_view_int(o, "cols", 0, 10000, &v->cols, why, len) != 0 ||
	    record_view_int(o, "rows", 0, 10000, &v->rows, why, len) != 0 ||
	    record_field_enum(o, "overlay", record_view_overlay_index,
	    RECORD_VIEW_NOVERLAYS, &v->overlay, why, len) != 0 ||
	    record_view_fold(o, v, why, len) != 0 ||
	    record_field_string(o, "message", false, &s, why, len) != 0)
		return -1;
	if (s != NULL) {
		l = strlen(s);
		if (l >= sizeof v->message) {
			snprintf(why, len, _("'message' is longer than %zu "
			    "bytes"), sizeof v->message - 1);
			return -1;
		}
		memcpy(v->message, s, l + 1);
	}
	return 0;
}

/* The reader's check of each view (engine/record.h's record_check_fn). */
int
record_view_check(const json_t *o, char *why, size_t len)
{
	struct record_view	v;

	return record_view_parse(o, 1.0, &v, why, len);
}

/* Write down an action of the lecturer's and the view it left. */
int
record_view_write(struct record *r, enum record_view_act act,
    const struct record_view *v)
{
	json_t	*o;
	int	 rc;

	if ((o = record_view_json(v)) == NULL)
		return -1;
	rc = record_action(r, record_view_act_name(act), o);
	json_decref(o);
	return rc;
}

/* Read the recording at path, every view checked as it comes. */
struct recording *
record_view_read(const char *path, const struct record_limits *lim,
    char *err, size_t len)
{
	return record_read_checked(path, lim, record_view_check, err, len);
}

/*
 * An action read back: what it was, and the view it left into *v (as
 * recorded; the defaults, should it not be one, as it is not when read
 * by record_view_read).
 */
enum record_view_act
record_view_of(const struct recording *rec, const struct record_action *a,
    struct record_view *v)
{
	char	why[256];

	if (record_view_parse(a->view, rec->h.speed, v, why, sizeof why) != 0)
		record_view_parse(NULL, rec->h.speed, v, why, sizeof why);
	return record_view_act_of(a->act);
}
