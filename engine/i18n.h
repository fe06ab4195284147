/*
 * The interface's language: gettext's _() for what is shown, N_() for
 * what is marked here and translated where it is shown, and numbers
 * written with the language's decimal separator. The engine's errors
 * and the UI's words alike. Only loopscope's own words are translated:
 * never the programs' output, JSON or recordings (what the engine puts
 * in the trace stays English; i18n_reword says it again where shown).
 */
#ifndef LOOPSCOPE_I18N_H
#define LOOPSCOPE_I18N_H

#include <libintl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#define _(s)	i18n_gettext(s)
#define N_(s)	(s)
#define P_(one, many, n)	i18n_ngettext(one, many, n)

void	 i18n_init(void);
void	 i18n_fold_to(char *out, size_t cap, const char *s);
const char	*i18n_gettext(const char *msgid) __attribute__((format_arg(1)));
const char	*i18n_ngettext(const char *one, const char *many,
		    unsigned long n) __attribute__((format_arg(1)))
		    __attribute__((format_arg(2)));
const char	*i18n_str(const char *s);
const char	*i18n_reword(const char *text, const char *const *formats,
		    size_t n, char *out, size_t len);
int	 i18n_set_lang(const char *lang, char *err, size_t len);
char	 i18n_decimal(void);
int	 i18n_snprintf(char *buf, size_t len, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
int	 i18n_vsnprintf(char *buf, size_t len, const char *fmt, va_list ap)
	    __attribute__((format(printf, 3, 0)));
int	 i18n_fprintf(FILE *f, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
