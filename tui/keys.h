/* The keys: what each does to the UI's state, in one place. */
#ifndef LOOPSCOPE_KEYS_H
#define LOOPSCOPE_KEYS_H

#include "ui.h"

/* What a key asks for where no prompt, menu or overlay takes it. */
enum keys_request {
	KEYS_NONE,
	KEYS_QUIT,
	KEYS_PLAY,		/* Space: pause or resume */
	KEYS_STEP,		/* one event forward */
	KEYS_TURN,		/* to the next turn of a loop */
	KEYS_BACK,		/* one event back */
	KEYS_QUIZ,
	KEYS_PICTURE,		/* e: an SVG of the screen */
	KEYS_MARK,		/* p: a pause point here, or none */
	KEYS_FASTER,
	KEYS_SLOWER,
	KEYS_SPEED_1,
	KEYS_RESTART,
	KEYS_AS_RECORDED,	/* a: follow the recording, or explore */
	KEYS_DEMOS,
	KEYS_VARIANTS,
	KEYS_CELLS,
	KEYS_WATCH,
	KEYS_NEXT_LANE,		/* Tab: around */
	KEYS_PREV_LANE,
	KEYS_DOWN,		/* stopping at the ends */
	KEYS_UP,
	KEYS_DETAILS,
	KEYS_SOURCE,
	KEYS_FOLD,
	KEYS_HELP,
	KEYS_SEEK,		/* Home, End, [, ], g: seek.c */
	KEYS_CLICK,		/* a mouse click in the lanes */
	KEYS_DEMO,		/* 1-9: that demo */
	KEYS_NREQUESTS
};

enum keys_request	 keys_request(int key);
int			 keys_do(struct ui *ui, enum keys_request req, int key,
			    int mouse_y, const char *said);
int			 keys_handle(struct ui *ui, int key, int mouse_y);

#endif
