/* The keys: what each does to the UI's state, in one place. */
#ifndef LOOPSCOPE_KEYS_H
#define LOOPSCOPE_KEYS_H

#include "ui.h"

int	keys_handle(struct ui *ui, int key, int mouse_y);

#endif
