/* A notebook's cells in the terminal UI (tui/cells-ui.c). */
#ifndef LOOPSCOPE_CELLS_UI_H
#define LOOPSCOPE_CELLS_UI_H

#include <stdbool.h>

#include "axis.h"
#include "ui.h"

void	cells_ui_row(const struct ui *ui, const struct axis *a,
	    const struct tl_variant *v, int y, int x, int namew,
	    bool selected);
int	cells_ui_open(struct ui *ui);
int	cells_ui_key(struct ui *ui, int key);
void	cells_ui_draw(const struct ui *ui);

#endif
