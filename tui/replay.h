/* Replaying a recording in the UI: its runs, its views, the lecturer's pace. */
#ifndef LOOPSCOPE_REPLAY_H
#define LOOPSCOPE_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record-view.h"
#include "ui.h"

int	replay_open(struct ui *ui, struct recording *rec, char *err,
	    size_t len);
int	replay_load(struct ui *ui, size_t n, char *err, size_t len);
void	replay_close(struct ui *ui);
void	replay_view(const struct ui *ui, struct record_view *v);
void	replay_apply(struct ui *ui, const struct record_view *v);
void	replay_follow(struct ui *ui);
void	replay_leave(struct ui *ui);
double	replay_tick(struct ui *ui);
int64_t	replay_next(const struct ui *ui);

#endif
