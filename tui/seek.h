/* Seeking: Home, End, a tenth back or forth, and a time typed in. */
#ifndef LOOPSCOPE_SEEK_H
#define LOOPSCOPE_SEEK_H

#include "ui.h"

void	seek_to(struct ui *ui, vtime_t t);
int	seek_key(struct ui *ui, int key);
int	seek_prompt_key(struct ui *ui, int key);
int	seek_parse(const char *s, vtime_t *t);

#endif
