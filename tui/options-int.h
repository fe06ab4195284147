/* The command line's checks, shared by options.c and options-check.c. */
#ifndef LOOPSCOPE_OPTIONS_INT_H
#define LOOPSCOPE_OPTIONS_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "options.h"

int	options_check_pages(const struct options *o, char *err, size_t len);
int	options_check_variants(struct options *o, char *list, char *err,
	    size_t len);
int	options_check_files(struct options *o, int argc, char **argv,
	    const char *variant_list, char *err, size_t len);
int	options_check_paths(const struct options *o, char *err, size_t len);
int	options_check_modes(const struct options *o, char *err, size_t len);
bool	options_is_program(const char *arg);
bool	options_program_name(const char *arg);
int	options_programs(struct options *o, int argc, char **argv, char *err,
	    size_t len);
int	options_cells_list(struct options *o, const char *arg, char *err,
	    size_t len);
int	options_cells(struct options *o, char *err, size_t len);
int	options_bytes(const char *opt, const char *arg, unsigned long long lo,
	    unsigned long long hi, unsigned long long *v, char *err,
	    size_t len);

#endif
