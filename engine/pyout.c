/* The program's standard output and error, as print events. */
#include "config.h"

#include <errno.h>
#include <unistd.h>

#include "pyemit.h"
#include "pyout.h"
#include "pytrace.h"

struct pyout {
	PyObject_HEAD
	int		 fd;
	bool		 is_stderr;
	char		 line[PYOUT_LINE_MAX];
	size_t		 nline;
	PyObject	*name;
};

static struct pyout	*pyout_streams[2];
static long		 pyout_total;	/* bytes printed, both streams */
static bool		 pyout_capped;

/* Write to the descriptor itself (tracing is off). */
static void
pyout_raw(int fd, const char *s, size_t n)
{
	ssize_t	w;

	while (n > 0) {
		if ((w = write(fd, s, n)) < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* Send what the line holds as one print event. */
static void
pyout_emit(struct pyout *self)
{
	static const char cap[] = "loopscope: this program printed more "
	    "than 64 MiB; the rest of its output is not shown";

	if (pyout_capped) {
		self->nline = 0;
		return;
	}
	pyout_total += (long)self->nline + 1;
	if (pyout_total > PYOUT_BYTES_MAX) {
		pyout_capped = true;
		pytrace_print(cap, sizeof cap - 1, true);
	} else
		pytrace_print(self->line, self->nline, self->is_stderr);
	self->nline = 0;
}

static void
pyout_add(struct pyout *self, const char *s, size_t n)
{
	const char	*nl;
	size_t		 k;

	if (!pytrace_on()) {
		if (self->nline > 0) {
			pyout_raw(self->fd, self->line, self->nline);
			self->nline = 0;
		}
		pyout_raw(self->fd, s, n);
		return;
	}
	while (n > 0) {
		nl = memchr(s, '\n', n);
		k = nl != NULL ? (size_t)(nl - s) : n;
		if (k > PYOUT_LINE_MAX - self->nline)
			k = PYOUT_LINE_MAX - self->nline;
		memcpy(self->line + self->nline, s, k);
		self->nline += k;
		s += k;
		n -= k;
		if (n > 0 && *s == '\n') {
			s++;
			n--;
			pyout_emit(self);
		} else if (self->nline == PYOUT_LINE_MAX)
			pyout_emit(self);
	}
}

/* write(text): str, or bytes (for code that writes to .buffer). */
static PyObject *
pyout_write(struct pyout *self, PyObject *arg)
{
	const char	*s;
	Py_ssize_t	 n;
	PyObject	*b = NULL;

	if (PyUnicode_Check(arg)) {
		if ((b = PyUnicode_AsEncodedString(arg, "utf-8",
		    "backslashreplace")) == NULL)
			return NULL;
		s = PyBytes_AS_STRING(b);
		n = PyBytes_GET_SIZE(b);
	} else if (PyBytes_Check(arg)) {
		s = PyBytes_AS_STRING(arg);
		n = PyBytes_GET_SIZE(arg);
	} else if (PyByteArray_Check(arg)) {
		s = PyByteArray_AS_STRING(arg);
		n = PyByteArray_GET_SIZE(arg);
	} else {
		PyErr_Format(PyExc_TypeError, "write() argument must be str, "
		    "not %.100s", Py_TYPE(arg)->tp_name);
		return NULL;
	}
	pyout_add(self, s, (size_t)n);
	Py_XDECREF(b);
	return PyLong_FromSsize_t(PyUnicode_Check(arg) ?
	    PyUnicode_GET_LENGTH(arg) : n);
}

static PyObject *
pyout_writelines(struct pyout *self, PyObject *lines)
{
	PyObject	*it, *item, *r;

	if ((it = PyObject_GetIter(lines)) == NULL)
		return NULL;
	while ((item = PyIter_Next(it)) != NULL) {
		r = pyout_write(self, item);
		Py_DECREF(item);
		if (r == NULL) {
			Py_DECREF(it);
			return NULL;
		}
		Py_DECREF(r);
	}
	Py_DECREF(it);
	if (PyErr_Occurred())
		return NULL;
	Py_RETURN_NONE;
}

/* flush(): what the program printed is with the session on return. */
static PyObject *
pyout_flush(struct pyout *self, PyObject *unused)
{
	(void)self;
	(void)unused;
	/* The GIL kept: the ring is the GIL holder's (engine/pyemit.c). */
	pyemit_sync();
	Py_RETURN_NONE;
}

static PyObject *
pyout_fileno(struct pyout *self, PyObject *unused)
{
	(void)unused;
	return PyLong_FromLong(self->fd);
}

static PyObject *
pyout_false(PyObject *self, PyObject *unused)
{
	(void)self;
	(void)unused;
	Py_RETURN_FALSE;
}

static PyObject *
pyout_true(PyObject *self, PyObject *unused)
{
	(void)self;
	(void)unused;
	Py_RETURN_TRUE;
}

static PyObject *
pyout_get_self(PyObject *self, void *unused)
{
	(void)unused;
	Py_INCREF(self);
	return self;
}

static PyObject *
pyout_get_str(PyObject *self, void *text)
{
	(void)self;
	return PyUnicode_FromString(text);
}

static PyObject *
pyout_get_bool(PyObject *self, void *on)
{
	(void)self;
	return PyBool_FromLong(on != NULL);
}

static PyObject *
pyout_get_none(PyObject *self, void *unused)
{
	(void)self;
	(void)unused;
	Py_RETURN_NONE;
}

static PyObject *
pyout_get_name(struct pyout *self, void *unused)
{
	(void)unused;
	Py_INCREF(self->name);
	return self->name;
}

static PyMethodDef pyout_methods[] = {
	{ "write", (PyCFunction)pyout_write, METH_O, NULL },
	{ "writelines", (PyCFunction)pyout_writelines, METH_O, NULL },
	{ "flush", (PyCFunction)pyout_flush, METH_NOARGS, NULL },
	{ "fileno", (PyCFunction)pyout_fileno, METH_NOARGS, NULL },
	{ "isatty", pyout_false, METH_NOARGS, NULL },
	{ "readable", pyout_false, METH_NOARGS, NULL },
	{ "seekable", pyout_false, METH_NOARGS, NULL },
	{ "writable", pyout_true, METH_NOARGS, NULL },
	{ "close", (PyCFunction)pyout_flush, METH_NOARGS, NULL },
	{ NULL, NULL, 0, NULL }
};

static PyGetSetDef pyout_getset[] = {
	{ "buffer", pyout_get_self, NULL, NULL, NULL },
	{ "encoding", pyout_get_str, NULL, NULL, "utf-8" },
	{ "errors", pyout_get_str, NULL, NULL, "backslashreplace" },
	{ "mode", pyout_get_str, NULL, NULL, "w" },
	{ "newlines", pyout_get_none, NULL, NULL, NULL },
	{ "name", (getter)pyout_get_name, NULL, NULL, NULL },
	{ "closed", pyout_get_bool, NULL, NULL, NULL },
	{ "line_buffering", pyout_get_bool, NULL, NULL, "" },
	{ NULL, NULL, NULL, NULL, NULL }
};

static void
pyout_dealloc(PyObject *o)
{
	PyTypeObject	*tp = Py_TYPE(o);

	Py_XDECREF(((struct pyout *)o)->name);
	tp->tp_free(o);
	Py_DECREF(tp);
}

static PyType_Slot pyout_slots[] = {
	{ Py_tp_methods, pyout_methods },
	{ Py_tp_getset, pyout_getset },
	{ Py_tp_dealloc, pyout_dealloc },
	{ 0, NULL }
};

static PyType_Spec pyout_spec = {
	.name = "_loopscope.Output",
	.basicsize = sizeof(struct pyout),
	.flags = Py_TPFLAGS_DEFAULT,
	.slots = pyout_slots,
};

/* Add _loopscope.stdout and _loopscope.stderr. */
int
pyout_add_type(PyObject *module)
{
	PyTypeObject	*tp;
	struct pyout	*o;
	int		 i;

	if ((tp = (PyTypeObject *)PyType_FromSpec(&pyout_spec)) == NULL)
		return -1;
	for (i = 0; i < 2; i++) {
		if ((o = PyObject_New(struct pyout, tp)) == NULL)
			return -1;
		o->fd = i + 1;
		o->is_stderr = i == 1;
		o->nline = 0;
		o->name = PyUnicode_FromString(i ? "<stderr>" : "<stdout>");
		pyout_streams[i] = o;
		Py_INCREF(o);
		if (o->name == NULL || PyModule_AddObject(module, i ?
		    "stderr" : "stdout", (PyObject *)o) != 0)
			return -1;
	}
	Py_DECREF(tp);
	return 0;
}

/* Send what is left of a line without its newline (at the end). */
void
pyout_flush_all(void)
{
	int	i;

	for (i = 0; i < 2; i++)
		if (pyout_streams[i] != NULL && pyout_streams[i]->nline > 0) {
			if (pytrace_on())
				pyout_emit(pyout_streams[i]);
			else {
				pyout_raw(pyout_streams[i]->fd,
				    pyout_streams[i]->line,
				    pyout_streams[i]->nline);
				pyout_streams[i]->nline = 0;
			}
		}
}
