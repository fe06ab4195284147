/* The source panel: the programs' text, the lines their tasks stand on. */
#ifndef LOOPSCOPE_SOURCE_H
#define LOOPSCOPE_SOURCE_H

#include "timeline.h"
#include "ui.h"

void	source_panel(const struct ui *ui, const struct timeline *tl);

#endif
