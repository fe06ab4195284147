/* Replaying a recording in the UI: its runs, its views, the lecturer's pace. */
#ifndef LOOPSCOPE_REPLAY_H
#define LOOPSCOPE_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "ui.h"

int	replay_open(struct ui *, struct recording *, char *, size_t);
int	replay_load(struct ui *, size_t, char *, size_t);
void	replay_close(struct ui *);
void	replay_view(const struct ui *, struct record_view *);
void	replay_apply(struct ui *, const struct record_view *);
void	replay_follow(struct ui *);
void	replay_leave(struct ui *);
double	replay_tick(struct ui *);
int64_t	replay_next(const struct ui *);

#endif
