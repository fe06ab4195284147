/* The terminal UI: its state, its event loop and its keys. */
#ifndef LOOPSCOPE_UI_H
#define LOOPSCOPE_UI_H

#include <stdbool.h>
#include <stdint.h>

#include "glyphs.h"
#include "layout.h"
#include "options.h"
#include "pause.h"
#include "playhead.h"
#include "record-view.h"
#include "session.h"

/* What a key handler or callback asks of the main loop (htop's way). */
#define UI_REDRAW	0x01
#define UI_RESIZE	0x02
#define UI_RESTART	0x04
#define UI_QUIT		0x08
#define UI_TICK		0x10		/* the animation timer must run */

/* A step that waits for the engine: what it steps to once events come. */
#define UI_STEP_EVENT	1
#define UI_STEP_TURN	2
#define UI_STEP_RETRY	0.01		/* s: a step's next look at the engine */
/* What a turn's step says when no loop turns any more: it took an event. */
#define UI_STEP_FALLBACK	N_("no loop turn ahead: stepped one event")
/*
 * In the simulated clock the engine computes ahead of the playhead, this
 * far at most (virtual time, events): a program that never ends waits.
 */
#define UI_AHEAD	(120 * VTIME_SEC)
#define UI_AHEAD_EVENTS	((size_t)500000)

enum ui_overlay {
	UI_OVERLAY_NONE,
	UI_OVERLAY_HELP,
	UI_OVERLAY_DETAILS,
	UI_OVERLAY_DEMOS,
	UI_OVERLAY_VARIANTS,
	UI_OVERLAY_CELLS,	/* tui/cells-ui.c */
	UI_OVERLAY_QUIZ		/* tui/quiz.c */
};

/*
 * One lane on the screen: a variant's heading, one of its tasks, or, when
 * its lanes are folded, how many of its tasks are in one state, or, when
 * even that does not fit, all its tasks merged in one lane.
 */
struct axis;

struct ui_lane {
	int		 variant;
	uint32_t	 task;		/* 0: a heading or a summary */
	int		 state;		/* a summary's state, else -1 */
};

#define UI_LANE_CELLS	(-2)	/* a lane's state: its notebook's cells */
#define UI_LANE_ALL	(-3)	/* a lane's state: all its tasks merged */

#define UI_FOLD_AUTO	16	/* fold a variant with more tasks than fit */

struct ui {
	struct options		 opts;
	struct session		*session;	/* NULL in a replay */
	struct timeline		*live;
	struct playhead		 ph;
	const struct glyphs	*glyphs;
	struct layout		 layout;

	bool			 sim;		/* play the trace back ourselves */
	bool			 real_clock;	/* the run's clock (the header) */
	bool			 held;		/* at what the engine computed */
	struct view_state	 view;		/* recorded as it is */
	size_t			 step_from;	/* the step's first event */
	int			 step_pending;	/* a UI_STEP_ waits for the engine */
	int64_t			 last_tick;	/* real ns of the last frame */

	struct ui_lane		*lanes;
	int			 nlanes;
	int			 lanes_cap;
	bool			 folded[TRACE_MAX_VARIANTS];	/* as drawn */
	bool			 merged[TRACE_MAX_VARIANTS];	/* folded more */
	enum ui_overlay		 overlay;
	int			 menu_pos;
	bool			 menu_want[TRACE_MAX_VARIANTS];
	char			 message[128];	/* one line for the key bar */
	struct pauses		 pauses;	/* where playback stops */
	int			 flags;

	struct record		*rec;		/* --record: written as we go */
	bool			 rec_said;	/* its failure shown */
	int			 act;		/* what the last key did, or -1 */
	int			 status;	/* ui_run's exit status */
	int			 signal;	/* SIGINT or SIGTERM ended it */
	char			 fatal[512];	/* why it ended, when it failed */
	bool			 prompting;	/* g: a time being typed */
	char			 prompt[24];

	/* --replay: the recording, and where its variants come from. */
	struct ui_replay {
		struct recording	*rec;		/* NULL: a live run */
		size_t			 run;		/* the run shown */
		struct program		*programs[TRACE_MAX_VARIANTS];	/* the recording's, not run */
		struct demo		 demo;		/* its name, for the header */
		struct demo_variant	 demo_variants[TRACE_MAX_VARIANTS];
		bool			 as_recorded;	/* following the lecturer */
		int			 resized_cols;	/* the size a resize last said */
		int			 resized_rows;
		size_t			 act_next;	/* the next action to apply */
		size_t			 fed;		/* the run's events in live */
		int64_t			 t0;		/* real ns at its rtime 0 */
		int64_t			 left;		/* where free exploration began */
		bool			 offline;	/* --export cast: no real clock */
		int64_t			 at;		/* then, the recording's "now" */
	}			 replay;
};

struct cast;
struct ev_loop;

size_t	ui_nvariants(const struct ui *ui);
const struct program *ui_program(const struct ui *ui, size_t i);
int	ui_selected_variant(const struct ui *ui);

/* The playhead in motion, in ui-play.c. */
bool	ui_playback(const struct ui *ui);
bool	ui_ahead(const struct ui *ui);
bool	ui_loop_ahead(const struct ui *ui);
void	ui_say(struct ui *ui, const char *msg);
void	ui_say_step_end(struct ui *ui);
void	ui_say_event(struct ui *ui);
void	ui_pause(struct ui *ui, bool paused);
void	ui_advance(struct ui *ui);
void	ui_pause_sources(struct ui *ui);

/* The recording and the cast, in ui-record.c. */
void	ui_record_size(int *cols, int *rows);
void	ui_record_check(struct ui *ui);
int	ui_record_start(struct ui *ui, char *err, size_t len);
void	ui_record_act(struct ui *ui, enum record_view_act act);
void	ui_record_finish(struct ui *ui, struct cast *cast);
void	ui_picture(struct ui *ui);

/* Signals that are not loop events (Ctrl-Z, SIGCONT, crashes): ui-signal.c. */
void	ui_signal_init(void);
void	ui_signal_hold(bool held);
void	ui_signal_start(struct ev_loop *loop);
void	ui_signal_fini(void);
int	ui_signal_check(struct ui *ui);
void	ui_die_of(int sig);

/* Drawing, in draw.c: reads the UI state and the model only. */
void	draw_screen(struct ui *ui);
int	draw_timeline_rows(const struct ui *ui, const struct timeline *tl);
void	draw_build_lanes(struct ui *ui, const struct timeline *tl);
void	draw_summary_label(const struct tl_variant *v, int state, char *buf,
	    size_t len);
void	draw_summary(const struct ui *ui, const struct axis *a,
	    const struct tl_variant *v, int state, int y, int x, int namew,
	    bool selected);

#endif
