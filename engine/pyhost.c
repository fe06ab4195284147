/*
 * The embedded CPython: a variant's child process (`loopscope --child`,
 * started by engine/child.c), and `loopscope --python ARGS`, which is
 * python3 ARGS with loopscope's loop as asyncio's.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"
#include "pyclock.h"
#include "pyemit.h"
#include "pyhost.h"
#include "pymodule.h"
#include "pypages.h"
#include "pyout.h"
#include "pythread.h"
#include "pytrace.h"

/*
 * LeakSanitizer, in the sanitizer build: CPython keeps much of what it
 * allocated until the process ends (interned strings, type caches, the
 * modules of a finalized interpreter); none of that is loopscope's.
 */
const char	*__lsan_default_suppressions(void);
const char	*__lsan_default_options(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:libpython3\n";
}

/* ... and says nothing of it: a program's stderr is the program's. */
const char *
__lsan_default_options(void)
{
	return "print_suppressions=0";
}

/* A process the program forked: it traces nothing (engine/pyemit.c). */
static void
pyhost_forked(void)
{
	pytrace_off();
	pythread_forked();
	pyemit_forked();
}

/* Start CPython as python3 would, with argv as its command line. */
static int
pyhost_start(int argc, char **argv, bool parse, int nx, char **xs)
{
	PyStatus	st;
	PyConfig	c;
	wchar_t		*w;
	int		 i;

	if (PyImport_AppendInittab("_loopscope", pymodule_init) != 0)
		return -1;
	PyConfig_InitPythonConfig(&c);
	c.parse_argv = parse;
	st = PyConfig_SetBytesString(&c, &c.program_name, PYTHON3);
	if (!PyStatus_Exception(st))
		st = PyConfig_SetBytesString(&c, &c.executable, PYTHON3);
	if (!PyStatus_Exception(st))
		st = PyConfig_SetBytesArgv(&c, argc, argv);
	/* -X options as python3 takes them (-X int_max_str_digits=0). */
	for (i = 0; i < nx && !PyStatus_Exception(st); i++) {
		if ((w = Py_DecodeLocale(xs[i], NULL)) == NULL) {
			fprintf(stderr, "loopscope: -X %s: cannot decode it\n",
			    xs[i]);
			PyConfig_Clear(&c);
			return -1;
		}
		st = PyWideStringList_Append(&c.xoptions, w);
		PyMem_RawFree(w);
		/* The pre-configuration reads -X dev from argv only. */
		if (strcmp(xs[i], "dev") == 0)
			c.dev_mode = 1;
	}
	if (!PyStatus_Exception(st))
		st = Py_InitializeFromConfig(&c);
	PyConfig_Clear(&c);
	if (PyStatus_Exception(st)) {
		if (PyStatus_IsExit(st))
			exit(st.exitcode);
		fprintf(stderr, "loopscope: cannot start Python: %s%s%s\n",
		    st.func != NULL ? st.func : "",
		    st.func != NULL ? ": " : "",
		    st.err_msg != NULL ? st.err_msg : "unknown error");
		return -1;
	}
	return 0;
}

/*
 * Put loopscope's Python modules at the end of sys.path, then its
 * stand-ins (`wikipedia`): a package the system has wins.
 */
static int
pyhost_path(void)
{
	static const char *const dirs[] = { "python", "python/stand-ins" };
	char		 dir[PATH_MAX];
	PyObject	*path = PySys_GetObject("path"), *s;
	size_t		 i;
	int		 rc;

	for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		snprintf(dir, sizeof dir, "%s/%s", paths_data(), dirs[i]);
		if (path == NULL ||
		    (s = PyUnicode_DecodeFSDefault(dir)) == NULL)
			return -1;
		rc = PyList_Append(path, s);
		Py_DECREF(s);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Call loopscope.MODULE.FUNC(args...) (a new reference, or NULL). */
static PyObject *
pyhost_call(const char *module, const char *func, PyObject *args)
{
	PyObject	*m, *f, *r;

	if ((m = PyImport_ImportModule(module)) == NULL)
		return NULL;
	f = PyObject_GetAttrString(m, func);
	Py_DECREF(m);
	if (f == NULL)
		return NULL;
	r = PyObject_CallObject(f, args);
	Py_DECREF(f);
	return r;
}

/*
 * loopscope --python ARGS: python3 ARGS, untraced, with loopscope's loop
 * what asyncio makes (even after set_event_loop_policy(None)).
 */
int
pyhost_python_main(int argc, char **argv)
{
	char		**pargv;
	PyObject	 *r;
	int		  i;

	if ((pargv = calloc((size_t)argc, sizeof *pargv)) == NULL)
		return 1;
	pargv[0] = (char *)PYTHON3;
	for (i = 2; i < argc; i++)
		pargv[i - 1] = argv[i];
	pyclock_init(false);
	if (pyhost_start(argc - 1, pargv, true, 0, NULL) != 0)
		return 1;
	if (pyhost_path() != 0 ||
	    (r = pyhost_call("loopscope.loop", "install", NULL)) == NULL) {
		PyErr_Print();
		fprintf(stderr, "loopscope: cannot install loopscope's loop\n");
		Py_FinalizeEx();
		return 1;
	}
	Py_DECREF(r);
	free(pargv);
	return Py_RunMain();
}

/* Send the variant's last event: its total and the program's status. */
static void
pyhost_end(vtime_t total, int status)
{
	struct trace_event	ev = { 0 };

	ev.type = TRACE_VARIANT_END;
	ev.vtime = total;
	trace_set_end(&ev, total, status);
	pyemit_push(&ev);
}

/*
 * loopscope --child FD T0 CLOCK NAME KIND CELLS NX X... FILE [ARGS...]:
 * run FILE as python3 would (with NX -X options), traced, writing the
 * trace to FD (engine/child.c reads it); a notebook's or a percent
 * script's cells as CELLS says ("all", or N: cells 1 to N, only N
 * traced). Returns the program's exit status.
 */
int
pyhost_child_main(int argc, char **argv)
{
	struct trace_event	 ev = { 0 };
	PyObject		*args, *r;
	char			 err[256];
	vtime_t			 total;
	long			 status;
	int			 fd, i, nx, file;

	nx = argc >= 9 ? atoi(argv[8]) : -1;
	file = 9 + nx;
	if (argc < 10 || nx < 0 || file >= argc) {
		fprintf(stderr, "loopscope: --child: too few arguments\n");
		return 2;
	}
	fd = atoi(argv[2]);
	pyclock_init(strcmp(argv[4], "sim") == 0);
	if (pyemit_open(fd, strtoll(argv[3], NULL, 10)) != 0) {
		fprintf(stderr, "loopscope: cannot start tracing: %s\n",
		    strerror(errno));
		return 1;
	}
	pthread_atfork(NULL, NULL, pyhost_forked);
	ev.type = TRACE_VARIANT_START;
	ev.text = argv[5];
	trace_set_variant_kind(&ev, atoi(argv[6]));
	pyemit_push(&ev);
	if (pypages_start(err, sizeof err) != 0) {
		fprintf(stderr, "loopscope: %s\n", err);
		pyhost_end(0, 1);
		pyemit_close();
		return 1;
	}
	if (pyhost_start(argc - file, argv + file, false, nx, argv + 9) != 0) {
		pyhost_end(0, 1);
		pyemit_close();
		return 1;
	}
	if (pyhost_path() != 0 ||
	    (args = Py_BuildValue("(ss)", argv[file], argv[7])) == NULL)
		r = NULL;
	else {
		r = pyhost_call("loopscope.run", "main", args);
		Py_DECREF(args);
	}
	total = pyclock_now();
	if (r == NULL) {
		/* loopscope's own Python failed, not the program. */
		PyErr_Print();
		status = 1;
	} else {
		status = PyLong_AsLong(r);
		Py_DECREF(r);
	}
	pyout_flush_all();
	if (Py_FinalizeEx() < 0 && status == 0)
		status = 120;
	pythread_stop();
	pypages_stop();
	pyhost_end(total, (int)status);
	pyemit_close();
	for (i = 0; i < 3; i++)
		close(i);
	return (int)status;
}
