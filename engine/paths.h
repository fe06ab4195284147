/* Where loopscope's own files are: its Python modules, demos, translations. */
#ifndef LOOPSCOPE_PATHS_H
#define LOOPSCOPE_PATHS_H

const char	*paths_data(void);
const char	*paths_self(void);
const char	*paths_loopscope(void);
const char	*paths_locale(void);

#endif
