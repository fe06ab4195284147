/* Predict the order of a variant's prints (--quiz, o): tui/quiz.c. */
#ifndef LOOPSCOPE_QUIZ_H
#define LOOPSCOPE_QUIZ_H

#include "ui.h"

int	quiz_open(struct ui *ui);
int	quiz_key(struct ui *ui, int key);
int	quiz_poll(struct ui *ui);
int	quiz_check(struct ui *ui);
void	quiz_draw(const struct ui *ui);
void	quiz_reset(void);

#endif
