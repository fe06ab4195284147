/* The panels beside the lanes: the loop, the output, the overlays. */
#ifndef LOOPSCOPE_PANELS_H
#define LOOPSCOPE_PANELS_H

#include "timeline.h"
#include "ui.h"

void	panels_loop(const struct ui *ui, const struct timeline *tl);
void	panels_output(const struct ui *ui, const struct timeline *tl);
void	panels_overlay(const struct ui *ui, const struct timeline *tl);

#endif
