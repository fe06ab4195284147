/* Seeking: Home, End, a tenth back or forth, and a time typed in. */
#ifndef LOOPSCOPE_SEEK_H
#define LOOPSCOPE_SEEK_H

#include "ui.h"

void	seek_to(struct ui *, vtime_t);
int	seek_key(struct ui *, int);
int	seek_prompt_key(struct ui *, int);
int	seek_parse(const char *, vtime_t *);

#endif
