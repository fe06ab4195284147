/*
 * Text that came from outside (what a program printed, a page's summary,
 * anything in a recording a student was sent) goes to a terminal only in
 * a form that cannot drive it. One rule, Python's repr(): every control
 * character is written as an escape, \t, \n, \r or \xHH (ESC is \x1b, DEL
 * \x7f, a C1 control such as U+009B CSI \x9b), a byte that is not UTF-8
 * as \xHH, and a character that reorders or breaks the line or hides in
 * it (U+200B to U+200F, U+2028 to U+202E, U+2060 to U+206F, U+FEFF,
 * U+061C, U+00AD) as \uHHHH or \xHH, as Python's repr() writes these
 * too. Everything else, backslashes included, is left as it is. The text
 * timeline, the exports drawn as text, stderr and the terminal UI
 * (screen_put) all go through here; JSON is escaped by its own rules and is left to them.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "visible.h"

#define VISIBLE_MAX	7	/* the longest escape, \uHHHH, and a NUL */

/*
 * The next unit of s (not at its end): a character shown as it is, or one
 * to escape. Returns its bytes; *code is -1 for the first, else the code
 * (a byte, or a code point) the escape writes.
 */
size_t
visible_unit(const char *s, long *code)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned		 cp;
	size_t			 n;

	*code = -1;
	if (p[0] < 0x20 || p[0] == 0x7f) {
		*code = p[0];
		return 1;
	}
	if ((n = export_utf8_len(s)) == 0) {
		*code = p[0];		/* not UTF-8: the byte */
		return 1;
	}
	if (n == 2) {
		cp = (unsigned)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
		/* C1 controls; the soft hyphen; the Arabic letter mark. */
		if (cp < 0xa0 || cp == 0xad || cp == 0x61c)
			*code = (long)cp;
	} else if (n == 3) {
		cp = (unsigned)(p[0] & 0x0f) << 12 |
		    (unsigned)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
		/*
		 * Marks that reorder the line or hide in it: zero-width
		 * spaces and joiners, LRM and RLM, the embeddings, overrides
		 * and isolates, the line and paragraph separators, the
		 * invisible operators, the byte order mark.
		 */
		if ((cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 &&
		    cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) ||
		    cp == 0xfeff)
			*code = (long)cp;
	}
	return n;
}

/* The escape of code into buf (VISIBLE_MAX bytes at least): its length. */
size_t
visible_escape(long code, char *buf, size_t len)
{
	int	n;

	if (code == '\t' || code == '\n' || code == '\r')
		n = snprintf(buf, len, "\\%c", code == '\t' ? 't' :
		    code == '\n' ? 'n' : 'r');
	else if (code < 0x100)
		n = snprintf(buf, len, "\\x%02lx", code);
	else
		n = snprintf(buf, len, "\\u%04lx", code);
	return n > 0 ? (size_t)n : 0;
}

/* Nothing in s needs an escape. */
bool
visible_clean(const char *s)
{
	long	code;

	while (*s != '\0') {
		s += visible_unit(s, &code);
		if (code >= 0)
			return false;
	}
	return true;
}

/*
 * The visible form of s into buf, cut after the last unit that fits (an
 * escape is never cut in two). Returns its length.
 */
size_t
visible_copy(char *buf, size_t len, const char *s)
{
	char	esc[VISIBLE_MAX];
	size_t	n, out = 0, k;
	long	code;

	if (len == 0)
		return 0;
	while (*s != '\0') {
		n = visible_unit(s, &code);
		k = code < 0 ? n : visible_escape(code, esc, sizeof esc);
		if (out + k >= len)
			break;
		memcpy(buf + out, code < 0 ? s : esc, k);
		out += k;
		s += n;
	}
	buf[out] = '\0';
	return out;
}

/* The visible form of s, allocated; NULL when memory runs out. */
char *
visible_dup(const char *s)
{
	char	*v;
	size_t	 len;

	/* An escape is at most four bytes for each byte it stands for. */
	len = strlen(s) * 4 + 1;
	if ((v = malloc(len)) != NULL)
		visible_copy(v, len, s);
	return v;
}

/* fputs of s's visible form. */
int
visible_fputs(const char *s, FILE *f)
{
	char	esc[VISIBLE_MAX];
	size_t	n;
	long	code;

	while (*s != '\0') {
		n = visible_unit(s, &code);
		if (code < 0)
			fwrite(s, 1, n, f);
		else
			fwrite(esc, 1, visible_escape(code, esc, sizeof esc), f);
		s += n;
	}
	return ferror(f) ? EOF : 0;
}

/*
 * "loopscope: MESSAGE" on stderr: a message may quote what a recording
 * or a server said, so the whole of it is made visible.
 */
void
visible_warn(const char *fmt, ...)
{
	va_list	 ap;
	char	 buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	fputs("loopscope: ", stderr);
	visible_fputs(buf, stderr);
	fputc('\n', stderr);
}
