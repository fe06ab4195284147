/*
 * A field of a record's JSON object, read and checked: what the reader
 * of recordings asks of every field (engine/record-parse.c), and the UI
 * of the fields of its views (tui/record-view.c). Each returns 0, or -1
 * with why the field is wrong in why (without the file and line, which
 * the reader adds).
 */
#ifndef LOOPSCOPE_RECORD_FIELD_H
#define LOOPSCOPE_RECORD_FIELD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int	record_field_int(const json_t *o, const char *key, int64_t lo,
	    int64_t hi, int64_t def, int64_t *out, char *why, size_t len);
int	record_field_bool(const json_t *o, const char *key, bool *out,
	    char *why, size_t len);
int	record_field_string(const json_t *o, const char *key, bool required,
	    const char **out, char *why, size_t len);
int	record_field_enum(const json_t *o, const char *key,
	    const char *(*name)(int i), int n, int *out, char *why,
	    size_t len);

#endif
