/* A field of a record's JSON object, read and checked. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "record-field.h"

/* An integer member from lo to hi (def when absent) into *out. */
int
record_field_int(const json_t *o, const char *key, int64_t lo, int64_t hi,
    int64_t def, int64_t *out, char *why, size_t len)
{
	json_t		*v = json_object_get(o, key);
	json_int_t	 i;

	if (v == NULL) {
		*out = def;
		return 0;
	}
	if (!json_is_integer(v) || (i = json_integer_value(v)) < lo ||
	    i > hi) {
		snprintf(why, len, _("'%s' must be a whole number from %lld to "
		    "%lld"), key, (long long)lo, (long long)hi);
		return -1;
	}
	*out = i;
	return 0;
}

/* A boolean member into *out, left as it is when absent. */
int
record_field_bool(const json_t *o, const char *key, bool *out, char *why,
    size_t len)
{
	json_t	*v = json_object_get(o, key);

	if (v == NULL)
		return 0;
	if (!json_is_boolean(v)) {
		snprintf(why, len, _("'%s' must be true or false"), key);
		return -1;
	}
	*out = json_is_true(v);
	return 0;
}

/* A string member; NULL without an error when absent and optional. */
int
record_field_string(const json_t *o, const char *key, bool required,
    const char **out, char *why, size_t len)
{
	json_t	*v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL && !required)
		return 0;
	if (v == NULL || !json_is_string(v)) {
		snprintf(why, len, _("'%s' must be a string"), key);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

/* A name from a table, or a number below n; *out its index (0: absent). */
int
record_field_enum(const json_t *o, const char *key,
    const char *(*name)(int i), int n, int *out, char *why, size_t len)
{
	json_t		*v = json_object_get(o, key);
	const char	*s;
	int		 i;

	*out = 0;
	if (v == NULL)
		return 0;
	if (json_is_integer(v) && json_integer_value(v) >= 0 &&
	    json_integer_value(v) < n) {
		*out = (int)json_integer_value(v);
		return 0;
	}
	if (json_is_string(v)) {
		s = json_string_value(v);
		for (i = 0; i < n; i++)
			if (strcmp(s, name(i)) == 0) {
				*out = i;
				return 0;
			}
		snprintf(why, len, _("unknown %s '%s'"), key, s);
		return -1;
	}
	snprintf(why, len, _("'%s' must be a name or a number below %d"), key,
	    n);
	return -1;
}
