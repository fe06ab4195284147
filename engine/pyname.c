/* Names of lanes as the program reads: name('Daniel'), fetch(url, 3). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pytrace.h"

#define PYNAME_ARG	40	/* characters of one argument's repr */
#define PYNAME_MAX	160	/* characters of a whole name */

struct pyname {
	char	 buf[PYNAME_MAX + 8];
	size_t	 n;
};

static void
pyname_add(struct pyname *nm, const char *s, size_t len)
{
	if (nm->n >= PYNAME_MAX)
		return;
	if (len > PYNAME_MAX - nm->n) {
		len = PYNAME_MAX - nm->n;
		memcpy(nm->buf + nm->n, s, len);
		nm->n += len;
		memcpy(nm->buf + nm->n, "...", 3);
		nm->n += 3;
		return;
	}
	memcpy(nm->buf + nm->n, s, len);
	nm->n += len;
}

static void
pyname_adds(struct pyname *nm, const char *s)
{
	pyname_add(nm, s, strlen(s));
}

/*
 * A default repr, "<httpx.AsyncClient object at 0x7f...>", without its
 * address: "<httpx.AsyncClient>" (the same from run to run, and short).
 * The new string, or r itself (a new reference either way).
 */
static PyObject *
pyname_no_address(PyObject *r)
{
	const char	*s, *at, *p;
	char		*b;
	PyObject	*out;
	Py_ssize_t	 len, keep;

	if ((s = PyUnicode_AsUTF8AndSize(r, &len)) == NULL || len < 2 ||
	    s[0] != '<' || s[len - 1] != '>' ||
	    (at = strstr(s, " at 0x")) == NULL)
		goto same;
	for (p = at + 6; p < s + len - 1; p++)
		if (!isxdigit((unsigned char)*p))
			goto same;
	keep = at - s;
	if (keep > 7 && strncmp(at - 7, " object", 7) == 0)
		keep -= 7;
	if ((b = PyMem_Malloc((size_t)keep + 1)) == NULL)
		goto same;
	memcpy(b, s, (size_t)keep);
	b[keep] = '>';
	out = PyUnicode_DecodeUTF8(b, keep + 1, "replace");
	PyMem_Free(b);
	return out;
same:
	PyErr_Clear();
	Py_INCREF(r);
	return r;
}

/* repr(o), cut to PYNAME_ARG characters; "?" when repr fails. */
static void
pyname_repr(struct pyname *nm, PyObject *o)
{
	PyObject	*r, *full;
	const char	*s;
	Py_ssize_t	 len, cut;

	r = (full = PyObject_Repr(o)) != NULL ? pyname_no_address(full) : NULL;
	Py_XDECREF(full);
	if (r == NULL || (s = PyUnicode_AsUTF8AndSize(r, &len)) == NULL) {
		PyErr_Clear();
		Py_XDECREF(r);
		pyname_adds(nm, "?");
		return;
	}
	if (PyUnicode_GET_LENGTH(r) > PYNAME_ARG) {
		/* Cut after PYNAME_ARG characters, not inside one. */
		Py_ssize_t	chars = 0;

		cut = 0;
		while (cut < len && chars < PYNAME_ARG) {
			cut++;
			while (cut < len && ((unsigned char)s[cut] & 0xc0) ==
			    0x80)
				cut++;
			chars++;
		}
		pyname_add(nm, s, (size_t)cut);
		pyname_adds(nm, "...");
	} else
		pyname_add(nm, s, (size_t)len);
	Py_DECREF(r);
}

/* The name of a function, without "<locals>." parts. */
static void
pyname_func(struct pyname *nm, PyObject *func, bool *method)
{
	PyObject	*q;
	const char	*s, *p;

	*method = false;
	q = PyObject_GetAttrString(func, "__qualname__");
	if (q == NULL || (s = PyUnicode_AsUTF8(q)) == NULL) {
		PyErr_Clear();
		Py_XDECREF(q);
		pyname_adds(nm, "?");
		return;
	}
	if ((p = strrchr(s, '>')) != NULL && p[1] == '.')
		s = p + 2;
	*method = strchr(s, '.') != NULL;
	pyname_adds(nm, s);
	Py_DECREF(q);
}

/* Whether a method's first parameter is self or cls (not shown). */
static bool
pyname_skips_self(PyObject *func)
{
	PyObject	*code;
	PyCodeObject	*co;
	PyObject	*first;
	bool		 skip = false;

	if ((code = PyObject_GetAttrString(func, "__code__")) == NULL) {
		PyErr_Clear();
		return false;
	}
	co = (PyCodeObject *)code;
	if (PyCode_Check(code) && co->co_argcount > 0) {
		first = PyTuple_GetItem(co->co_localsplusnames, 0);
		skip = first != NULL && (PyUnicode_CompareWithASCIIString(first,
		    "self") == 0 || PyUnicode_CompareWithASCIIString(first,
		    "cls") == 0);
	}
	PyErr_Clear();
	Py_DECREF(code);
	return skip;
}

/*
 * Close a name's argument list, put back the error indicator as it was
 * before the name was made, and give the name: a new string, or NULL.
 */
static char *
pyname_end(struct pyname *nm, PyObject *type, PyObject *value, PyObject *tb)
{
	pyname_adds(nm, ")");
	PyErr_Clear();
	PyErr_Restore(type, value, tb);
	nm->buf[nm->n] = '\0';
	return strdup(nm->buf);
}

/*
 * "func(arg, ..., key=value)" as the call was written (malloc'd, NULL
 * without memory). Runs repr, so keeps any exception in flight aside.
 */
char *
pytrace_call_name(PyObject *func, PyObject *const *args, size_t nargs,
    PyObject *kwnames)
{
	struct pyname	 nm;
	PyObject	*type, *value, *tb;
	Py_ssize_t	 nkw, k;
	size_t		 i, first = 0;
	bool		 method;

	PyErr_Fetch(&type, &value, &tb);
	nm.n = 0;
	pyname_func(&nm, func, &method);
	if (method && nargs > 0 && pyname_skips_self(func))
		first = 1;
	pyname_adds(&nm, "(");
	nkw = kwnames != NULL ? PyTuple_GET_SIZE(kwnames) : 0;
	for (i = first; i < nargs; i++) {
		if (i > first)
			pyname_adds(&nm, ", ");
		pyname_repr(&nm, args[i]);
	}
	for (k = 0; k < nkw; k++) {
		const char	*key = PyUnicode_AsUTF8(PyTuple_GET_ITEM(kwnames,
				    k));

		if (i > first || k > 0)
			pyname_adds(&nm, ", ");
		pyname_adds(&nm, key != NULL ? key : "?");
		pyname_adds(&nm, "=");
		pyname_repr(&nm, args[nargs + (size_t)k]);
	}
	return pyname_end(&nm, type, value, tb);
}

/*
 * The name of a coroutine the program did not make itself (a library's,
 * or one made before tracing): its function and the arguments its frame
 * holds before it first runs.
 */
char *
pytrace_coro_name(PyObject *coro)
{
	struct pyname	 nm;
	PyObject	*type, *value, *tb, *q, *frame, *locals, *code;
	PyCodeObject	*co;
	const char	*s;
	Py_ssize_t	 i, n;

	PyErr_Fetch(&type, &value, &tb);
	nm.n = 0;
	q = PyObject_GetAttrString(coro, "__qualname__");
	if (q != NULL && (s = PyUnicode_AsUTF8(q)) != NULL) {
		const char	*p = strrchr(s, '>');

		pyname_adds(&nm, p != NULL && p[1] == '.' ? p + 2 : s);
	} else
		pyname_adds(&nm, "?");
	Py_XDECREF(q);
	PyErr_Clear();
	pyname_adds(&nm, "(");
	frame = PyObject_GetAttrString(coro, "cr_frame");
	code = PyObject_GetAttrString(coro, "cr_code");
	if (frame != NULL && frame != Py_None && code != NULL &&
	    PyCode_Check(code) &&
	    (locals = PyObject_GetAttrString(frame, "f_locals")) != NULL) {
		co = (PyCodeObject *)code;
		n = co->co_argcount + co->co_kwonlyargcount;
		for (i = 0; i < n; i++) {
			PyObject *key = PyTuple_GetItem(co->co_localsplusnames,
			    i);
			PyObject *v = key != NULL ? PyDict_GetItemWithError(
			    locals, key) : NULL;

			if (v == NULL)
				break;
			if (i == 0 && (PyUnicode_CompareWithASCIIString(key,
			    "self") == 0))
				continue;
			if (nm.buf[nm.n - 1] != '(')
				pyname_adds(&nm, ", ");
			pyname_repr(&nm, v);
		}
		Py_DECREF(locals);
	}
	Py_XDECREF(frame);
	Py_XDECREF(code);
	return pyname_end(&nm, type, value, tb);
}

/*
 * "Type: message" of an exception, as the last line of Python's traceback
 * says it (the type alone when the message is empty): a new string, or
 * NULL. The error indicator is kept as it was.
 */
char *
pytrace_exc_text(PyObject *exc)
{
	PyObject	*type, *value, *tb, *s;
	const char	*msg;
	char		*out = NULL;

	PyErr_Fetch(&type, &value, &tb);
	if ((s = PyObject_Str(exc)) != NULL &&
	    (msg = PyUnicode_AsUTF8(s)) != NULL) {
		if (*msg == '\0')
			out = strdup(Py_TYPE(exc)->tp_name);
		else if (asprintf(&out, "%s: %s", Py_TYPE(exc)->tp_name,
		    msg) < 0)
			out = NULL;
	}
	Py_XDECREF(s);
	PyErr_Clear();
	PyErr_Restore(type, value, tb);
	return out;
}
