/* Live edit: --watch and w (tui/ui-watch.c). */
#ifndef LOOPSCOPE_UI_WATCH_H
#define LOOPSCOPE_UI_WATCH_H

#include "ui.h"

struct ev_loop;

void	ui_watch_init(struct ev_loop *loop, struct ui *ui);
void	ui_watch_fini(void);
int	ui_watch_toggle(struct ui *ui);
void	ui_watch_restarted(struct ui *ui);
void	ui_watch_poll(struct ui *ui);

#endif
