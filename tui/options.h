/* The command line: GNU-style options, checked before anything runs. */
#ifndef LOOPSCOPE_OPTIONS_H
#define LOOPSCOPE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "clock.h"
#include "demos.h"
#include "record.h"
#include "pages.h"

#define OPTIONS_XMAX	16	/* -X options at most */

/* The user's own programs (loopscope FILE.py...), as a demo of theirs. */
struct options_user {
	struct demo		 demo;
	struct demo_variant	 variants[TRACE_MAX_VARIANTS];
	char			 names[8][64];
	char			 title[256];
	/* --cells: the demo's variants, one a cell (options-cells.c). */
	const struct demo	*base;		/* the demo they come from */
	struct demo		 cdemo;
	struct demo_variant	 cvariants[TRACE_MAX_VARIANTS];
	char			 cnames[8][80];
};

struct options {
	const struct demo	*demo;
	const char		*variants[TRACE_MAX_VARIANTS];	/* chosen, in demo order */
	size_t			 nvariants;
	bool			 list;
	bool			 headless;
	bool			 json;
	bool			 paused;
	bool			 quiz;		/* predict the prints' order */
	bool			 help;
	bool			 version;
	bool			 clock_given;
	enum clock_mode		 clock;
	double			 speed;
	int			 width;		/* 0: the terminal's */
	bool			 speed_given;
	/* Recording, replay, export (doc/recording.md). */
	const char		*record;	/* --record FILE */
	const char		*replay;	/* --replay FILE */
	const char		*cast;		/* --cast FILE */
	const char		*export_format;	/* --export FORMAT FILE */
	const char		*export_file;
	const char		*output;	/* -o OUT; NULL: stdout */
	int			 size_cols;	/* --size, 0: the recording's */
	vtime_t			 at;		/* --at T: the SVG's instant */
	bool			 at_given;
	int			 size_rows;
	struct record_limits	 limits;	/* what a recording may hold */
	unsigned long long	 max_memory;	/* a program's process, bytes */
	const char		*limits_option;	/* the first of them given */
	/* Where pages come from, and what goes wrong with them. */
	bool			 online;
	const char		*wiki_url;
	vtime_t			 http_timeout;
	vtime_t			 latency;
	long			 bandwidth;
	long			 tasks;
	bool			 tasks_given;
	long			 max_connections;
	const char		*page_option;	/* the first of those given */
	const char		*server_option;	/* of the embedded server's */
	const char		*fault_page[SERVER_MAX_FAULTS];
	enum server_fault	 fault[SERVER_MAX_FAULTS];
	size_t			 nfaults;
	/* -X OPTION for CPython; --demo-source NAME. */
	const char		*xoptions[OPTIONS_XMAX];
	size_t			 nxoptions;
	const char		*demo_source;
	/* loopscope FILE.py... [ARG...]: the programs and their arguments. */
	struct options_user	 user;
	char *const		*prog_args;
	size_t			 nprog_args;
	/* --cells LIST (code cells side by side), --watch (rerun on save). */
	int			 cells[TRACE_MAX_VARIANTS];
	size_t			 ncells;
	bool			 watch;
	const char		*lang;		/* --lang fr|en; NULL: LANG's */
};

int	options_parse(int argc, char **argv, struct options *o, char *err,
	    size_t len);
void	options_usage(FILE *f);
const char	*options_lang_arg(int argc, char **argv);
int	options_cells_apply(struct options *o, const struct demo *base,
	    char *err, size_t len);
int	options_cells_file(const struct demo *d, const struct demo_variant *v,
	    char *buf, size_t len);

#endif
