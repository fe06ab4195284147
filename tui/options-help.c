/* loopscope --help: the options in words (tui/options.c reads them). */
#include "config.h"

#include <stdio.h>

#include "child.h"
#include "clock.h"
#include "demos.h"
#include "i18n.h"
#include "number.h"
#include "options.h"
#include "record.h"

void
options_usage(FILE *f)
{
	char	bytes[32], memory[32];

	number_size_format(RECORD_MAX_BYTES_DEFAULT, bytes, sizeof bytes);
	number_size_format(CHILD_MAX_MEMORY_DEFAULT, memory, sizeof memory);
	/* The values are the ones to type: "." whatever the language. */
	fprintf(f, _(
"Usage: loopscope [OPTION]... [DEMO]\n"
"       loopscope [OPTION]... FILE.py|FILE.ipynb... [ARG]...\n"
"       loopscope --replay FILE [--headless [--json]] [OPTION]...\n"
"       loopscope --export FORMAT FILE [-o OUT] [--size COLSxROWS]\n"
"       loopscope --python [PYTHON-ARG]...\n"
"Show an event loop at work: a demo's or your own Python programs run\n"
"side by side, on one virtual clock, each task a lane.\n"
"\n"
"  --list            list the demos and their variants\n"
"  --demo-source NAME  print a demo's program (NAME/VARIANT: one of them)\n"
"  -X OPTION         give CPython the -X OPTION, as python3 -X does\n"
"  --headless        no terminal UI: print the output and a text timeline\n"
"  --json            with --headless: one JSON document instead\n"
"  --variant LIST    run only these variants (comma-separated)\n"
"  --speed X         virtual seconds per real second, %g to %g (default 1)\n"
"  --clock sim|real  simulated time that jumps to the next deadline,\n"
"                    computed ahead and played back at the speed (the\n"
"                    default), or real time as the programs run\n"
"  --paused          start paused (terminal UI)\n"
"  --quiz            ask the order of the prints before the run (UI, sim)\n"
"  --width COLS      width of the text timeline (default: the terminal's)\n"
"  --cells LIST      a notebook's code cells side by side (2,4), each after\n"
"                    the cells before it, run untraced\n"
"  --watch           run again when a file is saved (terminal UI)\n"
"  --lang fr|en      the interface's language (default: LANG's); the\n"
"                    programs' own output is never translated\n"
"\n"
"Demos that fetch pages (wiki, fanout) ask loopscope's own server on\n"
"127.0.0.1 unless told otherwise:\n"
"  --online          fetch the real French Wikipedia over HTTPS\n"
"  --wiki-url URL    fetch from URL/api/rest_v1/page/summary/TITLE\n"
"  --http-timeout S  give up a fetch after S virtual seconds (default 10)\n"
"  --latency S       the server answers after S virtual seconds (0.5)\n"
"  --bandwidth B     the server sends B bytes per virtual second (no limit)\n"
"  --fault PAGE=KIND the server fails PAGE: 404, 500, reset, truncated,\n"
"                    badjson or silent (never answers); repeatable\n"
"  --tasks N         fanout: N concurrent fetches, 1 to 10000 (100)\n"
"  --max-connections N  fanout's connections at once, 0: no limit\n"
"\n"
"Recording, replay and export (FILE.gz: gzip):\n"
"  --record FILE     write the session (trace and actions) to FILE\n"
"  --replay FILE     show a recording again: the same UI, nothing runs\n"
"  --cast FILE       write what the terminal receives as an asciicast\n"
"  --export FORMAT FILE  write a recording as chrome (Trace Event JSON),\n"
"                    cast (asciicast v2), svg or text\n"
"  -o, --output OUT  where --export writes (default: standard output)\n"
"  --size COLSxROWS  the terminal of --export cast (default: recorded)\n"
"  --at T            --export svg: the screen at T virtual seconds\n"
"  --max-events N    read at most N events of a recording (%d)\n"
"  --max-bytes SIZE  read at most SIZE bytes of it, once inflated (%s)\n"
"  --max-memory SIZE a program's process holds at most SIZE of memory,\n"
"                    or its variant fails (%s)\n"
"  -h, --help        show this help and exit\n"
"  -V, --version     show the versions of loopscope and its libraries\n"
"\n"
"The default demo is '%s'. Exit status: 0 on success, 1 when the run\n"
"fails, 2 for a usage error.\n"), CLOCK_SPEED_MIN, CLOCK_SPEED_MAX,
	    RECORD_MAX_EVENTS_DEFAULT, bytes, memory, DEMO_DEFAULT);
}
