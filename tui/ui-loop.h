/*
 * The terminal UI's loop: ui_run sets the interface up and runs its libev
 * loop, whose callbacks take keys and the engine's events and draw once
 * a turn (tui/ui-loop.c). What the loop works on, struct ui and its
 * helpers, is tui/ui.h's: the views and the keys never include this.
 */
#ifndef LOOPSCOPE_UI_LOOP_H
#define LOOPSCOPE_UI_LOOP_H

#include "options.h"

int	ui_run(const struct options *o);

#endif
