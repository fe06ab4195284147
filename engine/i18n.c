/*
 * The interface's language, for the engine's errors as for the UI. The
 * message catalogue follows LANG and LC_MESSAGES (LANGUAGE too), or
 * --lang, which sets LANGUAGE: gettext heeds it only when LC_MESSAGES is
 * not "C", so a "C" one becomes C.UTF-8, which glibc always has, and
 * French shows where no French locale is installed. The decimal
 * separator is the catalogue's, not LC_NUMERIC's: that one would change
 * the programs' own output too.
 */
#include "config.h"

#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "paths.h"

static bool	i18n_ascii;	/* the catalogue folded to ASCII */

/* i18n_one formats one conversion at a time, cut from a checked format. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

/* The languages --lang knows: English (no catalogue) and po/LINGUAS. */
static const char *const i18n_langs[] = { "en", "fr" };

/* Bind loopscope's catalogue (setlocale must have run). */
void
i18n_init(void)
{
	const char	*cs = nl_langinfo(CODESET);

	bindtextdomain(PACKAGE, paths_locale());
	/*
	 * Plain ASCII (LANG=C): the catalogue in UTF-8, folded here, since
	 * iconv in the C locale writes "Dur?e" where "Duree" reads better.
	 */
	i18n_ascii = cs != NULL && strcmp(cs, "ANSI_X3.4-1968") == 0;
	if (i18n_ascii)
		bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
}

/*
 * S's UTF-8 letters as plain ASCII ones into out (cap bytes, cut short if
 * need be): "é" as "e", "«" as '"', any other as '?'. Never longer than s.
 */
void
i18n_fold_to(char *out, size_t cap, const char *s)
{
	static const char *const from[] = { "à", "â", "ç", "é", "è", "ê",
	    "ë", "î", "ï", "ô", "û", "ù", "ü", "É", "È", "À", "Ç", "«\u00a0",
	    "\u00a0»", "«", "»", "\u00a0", "’", "…" };
	static const char *const to[] = { "a", "a", "c", "e", "e", "e", "e",
	    "i", "i", "o", "u", "u", "u", "E", "E", "A", "C", "\"", "\"",
	    "\"", "\"", " ", "'", "..." };
	char	*o, *end;
	size_t	 i, n;

	if (cap == 0)
		return;
	for (o = out, end = out + cap - 1; *s != '\0' && o < end;) {
		for (i = 0; i < sizeof from / sizeof from[0]; i++) {
			n = strlen(from[i]);
			if (strncmp(s, from[i], n) == 0)
				break;
		}
		if (i < sizeof from / sizeof from[0]) {
			if (strlen(to[i]) > (size_t)(end - o))
				break;
			o = stpcpy(o, to[i]);
			s += n;
		} else if ((unsigned char)*s >= 0x80) {
			*o++ = '?';
			for (s++; ((unsigned char)*s & 0xc0) == 0x80; s++)
				;
		} else
			*o++ = *s++;
	}
	*o = '\0';
}

static char *
i18n_fold(const char *s)
{
	char	*out;
	size_t	 n = strlen(s) + 1;

	if ((out = malloc(n)) != NULL)
		i18n_fold_to(out, n, s);
	return out;
}

/*
 * _(): gettext, folded to ASCII where the terminal has no more. Each
 * translation is folded once and kept: the catalogue is small. The
 * engine's threads may say something too (a recording that cannot be
 * written), hence the lock; gettext itself is safe in threads.
 */
/* A translation as the terminal shows it: folded to ASCII under LANG=C. */
static const char *
i18n_shown(const char *msgid, const char *tr)
{
	static pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;
	static struct { const char *tr; char *folded; } cache[768];
	static size_t		 ncache;
	const char		*shown = tr;
	size_t			 i;

	if (!i18n_ascii || tr == msgid)
		return tr;
	pthread_mutex_lock(&lock);
	for (i = 0; i < ncache; i++)
		if (cache[i].tr == tr)
			break;
	if (i < ncache)
		shown = cache[i].folded;
	else if (ncache < sizeof cache / sizeof cache[0] &&
	    (cache[ncache].folded = i18n_fold(tr)) != NULL) {
		cache[ncache].tr = tr;
		shown = cache[ncache++].folded;
	}
	pthread_mutex_unlock(&lock);
	return shown;
}

const char *
i18n_gettext(const char *msgid)
{
	return i18n_shown(msgid, gettext(msgid));
}

/* P_(): the form of a message for the count n ("1 timer", "2 timers"). */
const char *
i18n_ngettext(const char *one, const char *many, unsigned long n)
{
	const char	*tr = ngettext(one, many, n);

	return i18n_shown(tr == many ? many : one, tr);
}

/*
 * The states' names in the legend (glyphs.c), marked here to leave that
 * table as it is: i18n_str() translates them where they are shown.
 */
static const char *const i18n_state_labels[] __attribute__((unused)) = {
	N_("created"), N_("ready"), N_("running"), N_("waiting (timer)"),
	N_("waiting (I/O)"), N_("waiting (task)"), N_("blocked"), N_("done"),
	N_("failed"), N_("cancelled"), N_("waiting (GIL)")
};

/*
 * The trace's own names (trace.c) where the interface shows them, in the
 * key bar and a task's details: the states not in the list above, and the
 * kinds. The JSON document and recordings keep them as they are.
 */
static const char *const i18n_trace_names[] __attribute__((unused)) = {
	N_("waiting_timer"), N_("waiting_io"), N_("waiting_task"),
	N_("waiting_gil"), N_("function"), N_("coroutine"), N_("task"),
	N_("thread"), N_("process"),
	/* Why a task changed state, in the key bar and its details. */
	N_("start"), N_("scheduled"), N_("sleep"), N_("yield"), N_("timer"),
	N_("await"), N_("gather"), N_("woken"), N_("time.sleep"), N_("cpu"),
	N_("resume"), N_("return"), N_("loop closed"), N_("never awaited"),
	N_("fetch"), N_("blocking fetch"), N_("io"), N_("error"),
	N_("future"), N_("blocking io"), N_("gil"), N_("lock or io")
};

/* A string marked with N_(), translated; "" stays "" (not the header). */
const char *
i18n_str(const char *s)
{
	return s == NULL || *s == '\0' ? s : i18n_gettext(s);
}

/* --lang LANG: that language whatever the environment says. */
int
i18n_set_lang(const char *lang, char *err, size_t len)
{
	const char	*cur;
	size_t		 i;

	for (i = 0; i < sizeof i18n_langs / sizeof i18n_langs[0]; i++)
		if (strcmp(lang, i18n_langs[i]) == 0)
			break;
	if (i == sizeof i18n_langs / sizeof i18n_langs[0]) {
		snprintf(err, len, _("--lang: unknown language '%s' "
		    "(fr or en)"), lang);
		return -1;
	}
	if (setenv("LANGUAGE", lang, 1) != 0) {
		snprintf(err, len, _("--lang: cannot set LANGUAGE"));
		return -1;
	}
	cur = setlocale(LC_MESSAGES, NULL);
	if (cur == NULL || strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0)
		setlocale(LC_MESSAGES, "C.UTF-8");
	/* gettext caches what it found: tell it the language changed. */
	textdomain(PACKAGE);
	return 0;
}

/* The decimal separator of the interface's language. */
char
i18n_decimal(void)
{
	/*
	 * TRANSLATORS: the decimal separator of the numbers loopscope shows
	 * (10.49 s), a single character: "," in French.
	 */
	const char	*d = gettext(".");

	return d[0] != '\0' && d[1] == '\0' ? d[0] : '.';
}

/* Whether CONV (a printf conversion) writes a floating-point number. */
static bool
i18n_is_real(char conv)
{
	return strchr("fFeEgGaA", conv) != NULL;
}

/*
 * One conversion of FMT (at its '%', SPEC_LEN long) into BUF, its
 * argument taken from AP; a real number with the language's separator.
 */
static int
i18n_one(char *buf, size_t len, const char *spec, size_t spec_len,
    va_list *ap)
{
	char		 f[32], conv = spec[spec_len - 1], *dot;
	const char	*lm;
	int		 n, longs;

	if (spec_len >= sizeof f)
		return -1;
	memcpy(f, spec, spec_len);
	f[spec_len] = '\0';
	lm = f + strcspn(f, "hlLjzt");
	longs = lm[0] == 'l' ? (lm[1] == 'l' ? 2 : 1) :
	    lm[0] == 'z' ? 3 : lm[0] == 'j' ? 2 : 0;
	if (i18n_is_real(conv)) {
		n = lm[0] == 'L' ?
		    snprintf(buf, len, f, va_arg(*ap, long double)) :
		    snprintf(buf, len, f, va_arg(*ap, double));
		if (n >= 0 && len > 0 && (dot = strchr(buf, '.')) != NULL)
			*dot = i18n_decimal();
		return n;
	}
	switch (conv) {
	case 's':
		return snprintf(buf, len, f, va_arg(*ap, const char *));
	case 'p':
		return snprintf(buf, len, f, va_arg(*ap, void *));
	case 'c':
		return snprintf(buf, len, f, va_arg(*ap, int));
	case '%':
		return snprintf(buf, len, "%%");
	}
	switch (longs) {
	case 1:
		return snprintf(buf, len, f, va_arg(*ap, long));
	case 2:
		return snprintf(buf, len, f, va_arg(*ap, long long));
	case 3:
		return snprintf(buf, len, f, va_arg(*ap, size_t));
	default:
		return snprintf(buf, len, f, va_arg(*ap, int));
	}
}

/*
 * vsnprintf, with real numbers written with the language's decimal
 * separator: with "." it is vsnprintf itself. No positional or '*'
 * arguments (loopscope's translations need none).
 */
int
i18n_vsnprintf(char *buf, size_t len, const char *fmt, va_list ap)
{
	va_list		 aq;
	const char	*p, *spec;
	size_t		 used = 0, sl;
	int		 n;

	if (i18n_decimal() == '.')
		return vsnprintf(buf, len, fmt, ap);
	va_copy(aq, ap);
	if (len > 0)
		buf[0] = '\0';
	for (p = fmt; *p != '\0'; p++) {
		if (*p != '%') {
			if (used + 1 < len) {
				buf[used] = *p;
				buf[used + 1] = '\0';
			}
			used++;
			continue;
		}
		spec = p;
		sl = 1 + strspn(p + 1, "#0- +'123456789.hlLjzt");
		if (p[sl] == '\0')
			break;
		n = i18n_one(used < len ? buf + used : NULL,
		    used < len ? len - used : 0, spec, sl + 1, &aq);
		if (n < 0) {
			va_end(aq);
			return -1;
		}
		used += (size_t)n;
		p += sl;
	}
	va_end(aq);
	return used > (size_t)INT_MAX ? -1 : (int)used;
}

int
i18n_snprintf(char *buf, size_t len, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = i18n_vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n;
}

/* fprintf with the language's decimal separator (a line at most 4 KiB). */
int
i18n_fprintf(FILE *f, const char *fmt, ...)
{
	char	buf[4096];
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	if (i18n_decimal() == '.') {
		n = vfprintf(f, fmt, ap);
		va_end(ap);
		return n;
	}
	n = i18n_vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return n < 0 ? n : fputs(buf, f) < 0 ? -1 : n;
}

/* A value i18n_match found in a text: where it starts, how long. */
struct i18n_value {
	const char	*s;
	size_t		 n;
};

#define I18N_VALUES	8

/* The length of FMT's conversion at its '%' (its flags, size, letter). */
static size_t
i18n_conv_len(const char *fmt)
{
	size_t	n = 1 + strspn(fmt + 1, "#0- +'123456789.hlLjzt");

	return fmt[n] == '\0' ? n : n + 1;
}

/*
 * Whether TEXT is what FMT writes: its literal characters as they are, a
 * %d, %u, %ld... a number, a %s any text (the shortest that lets the rest
 * match). The values go into VALS from K on.
 */
static bool
i18n_match(const char *fmt, const char *text, struct i18n_value *vals,
    size_t k)
{
	const char	*t;
	size_t		 cl;
	char		 conv;

	for (; *fmt != '\0'; fmt += cl) {
		if (*fmt != '%' || fmt[1] == '%') {
			cl = *fmt == '%' ? 2 : 1;
			if (*text++ != *fmt)
				return false;
			continue;
		}
		cl = i18n_conv_len(fmt);
		conv = fmt[cl - 1];
		if (k == I18N_VALUES)
			return false;
		vals[k].s = text;
		if (conv == 's') {
			for (t = text;; t++) {
				vals[k].n = (size_t)(t - text);
				if (i18n_match(fmt + cl, t, vals, k + 1))
					return true;
				if (*t == '\0')
					return false;
			}
		}
		if (strchr("diu", conv) == NULL)
			return false;
		t = text + (*text == '-');
		if (*t < '0' || *t > '9')
			return false;
		while (*t >= '0' && *t <= '9')
			t++;
		vals[k++].n = (size_t)(t - text);
		text = t;
	}
	return *text == '\0';
}

/*
 * TEXT, a message one of FORMATS (marked with N_()) wrote in English into
 * the trace, written again in the interface's language into OUT: the
 * values it holds put in the translation in their order. A translation
 * of these keeps its msgid's conversions in order, with no %n$: msgfmt
 * --check keeps their types, not their order (child.c's note to the
 * translators says so). OUT, or TEXT itself when no format wrote it (a
 * program's own words).
 */
const char *
i18n_reword(const char *text, const char *const *formats, size_t n,
    char *out, size_t len)
{
	struct i18n_value	 vals[I18N_VALUES];
	const char		*tr;
	size_t			 i, k = 0, used = 0, cl, w;

	for (i = 0; i < I18N_VALUES; i++)
		vals[i] = (struct i18n_value){ .s = "", .n = 0 };
	for (i = 0; i < n; i++)
		if (i18n_match(formats[i], text, vals, 0))
			break;
	if (i == n || len == 0)
		return text;
	for (tr = _(formats[i]); *tr != '\0' && used + 1 < len; tr += cl) {
		if (*tr != '%' || tr[1] == '%') {
			cl = *tr == '%' ? 2 : 1;
			out[used++] = *tr;
			continue;
		}
		cl = i18n_conv_len(tr);
		if (k == I18N_VALUES)
			break;
		w = vals[k].n < len - 1 - used ? vals[k].n : len - 1 - used;
		memcpy(out + used, vals[k++].s, w);
		used += w;
	}
	out[used] = '\0';
	return out;
}
