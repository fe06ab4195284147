/*
 * The child's side of notebooks and percent scripts: _loopscope.cells
 * reads a file's cells with the session's own reader (engine/notebook.c),
 * so that both sides agree on every cell and line; _loopscope.cell says a
 * traced cell begins (a "cell" event: a section of the variant's
 * timeline); _loopscope.quiet runs cells untraced and instant, to set up
 * the namespace of the cell that is traced.
 */
#include "config.h"

#include "notebook.h"
#include "pycell.h"
#include "pyclock.h"
#include "pyemit.h"
#include "pytrace.h"

static bool	pycell_quieted;

/* Whether cells run quiet now (functions still wrapped, sleeps virtual). */
bool
pycell_quiet(void)
{
	return pycell_quieted;
}

/* A Python str of text, invalid UTF-8 replaced. */
static PyObject *
pycell_str(const char *text)
{
	return PyUnicode_DecodeUTF8(text, (Py_ssize_t)strlen(text), "replace");
}

/*
 * cells(path): None for a program without cells, else (format, text,
 * cells), cells a list of (kind, number, line, source); ValueError with
 * the reader's one line for a bad notebook.
 */
static PyObject *
pycell_cells(PyObject *m, PyObject *arg)
{
	static const char *const kinds[] = { "code", "markdown", "raw" };
	const struct notebook_cell	*c;
	struct notebook			 nb;
	PyObject			*path, *list, *t, *r = NULL;
	char				 err[512];
	size_t				 i;

	(void)m;
	if (!PyUnicode_FSConverter(arg, &path))
		return NULL;
	if (notebook_read(PyBytes_AS_STRING(path), &nb, err, sizeof err) !=
	    0) {
		Py_DECREF(path);
		PyErr_SetString(PyExc_ValueError, err);
		return NULL;
	}
	Py_DECREF(path);
	if (nb.format == NOTEBOOK_PLAIN) {
		notebook_clear(&nb);
		Py_RETURN_NONE;
	}
	if ((list = PyList_New(0)) == NULL)
		goto out;
	for (i = 0; i < nb.ncells; i++) {
		c = &nb.cells[i];
		t = Py_BuildValue("(siiN)", kinds[c->kind], c->number,
		    c->line, pycell_str(c->source));
		if (t == NULL || PyList_Append(list, t) != 0) {
			Py_XDECREF(t);
			Py_DECREF(list);
			goto out;
		}
		Py_DECREF(t);
	}
	r = Py_BuildValue("(sNN)", nb.format == NOTEBOOK_IPYNB ? "ipynb" :
	    "percent", pycell_str(nb.text), list);
out:
	notebook_clear(&nb);
	return r;
}

/*
 * cell(number, line[, caption]): traced cell In [number], at line,
 * begins now; its caption (the markdown before it) goes with the event.
 */
static PyObject *
pycell_cell(PyObject *m, PyObject *args)
{
	const char	*caption = NULL;
	int		 number, line;

	(void)m;
	if (!PyArg_ParseTuple(args, "ii|z", &number, &line, &caption))
		return NULL;
	pytrace_emit(TRACE_CELL, 0, caption != NULL && *caption != '\0' ?
	    caption : NULL, 0, number, line);
	Py_RETURN_NONE;
}

/*
 * quiet(flag): run untraced from now (True), or traced again from a
 * virtual 0 (False): the cells before the one traced are instant.
 */
static PyObject *
pycell_set_quiet(PyObject *m, PyObject *flag)
{
	int	on;

	(void)m;
	if ((on = PyObject_IsTrue(flag)) < 0)
		return NULL;
	if (on && !pycell_quieted) {
		pycell_quieted = true;
		pytrace_off();
	} else if (!on && pycell_quieted) {
		pycell_quieted = false;
		pyclock_zero();
		pytrace_resume();
	}
	Py_RETURN_NONE;
}

static PyMethodDef pycell_methods[] = {
	{ "cells", pycell_cells, METH_O,
	  "A notebook's or a percent script's cells, or None." },
	{ "cell", pycell_cell, METH_VARARGS, "A traced cell begins." },
	{ "quiet", pycell_set_quiet, METH_O, "Run cells untraced, or not." },
	{ NULL, NULL, 0, NULL }
};

/* Add the functions above to _loopscope. */
int
pycell_add(PyObject *module)
{
	return PyModule_AddFunctions(module, pycell_methods);
}
