/*
 * A libFuzzer target for the recording reader: any bytes, plain or gzip,
 * are read as a recording, each action's view checked as the UI reads it
 * (tui/record-view.c); what is accepted is folded into timelines and
 * drawn as the text timeline and the JSON document, as --replay and
 * --export would. Nothing may crash, leak or read out of bounds.
 */
#include "config.h"

#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "headless.h"
#include "record-view.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Draw every run of an accepted recording, to nowhere. */
static void
fuzz_views(const struct recording *rec, FILE *out)
{
	struct headless_info	 info = { 0 };
	struct timeline		*tl;
	size_t			 i;

	for (i = 0; i < rec->nruns; i++) {
		if ((tl = record_timeline(&rec->runs[i], 0)) == NULL)
			continue;
		info.demo = rec->runs[i].demo;
		info.summary = "";
		info.clock = rec->h.clock;
		info.speed = rec->h.speed;
		info.width = 100;
		info.utf8 = (i % 2) == 0;
		headless_text(out, tl, &info);
		headless_json(out, tl, &info);
		timeline_free(tl);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE		*out;
	struct recording	*rec;
	char			 err[512];
	size_t			 done = 0;
	ssize_t			 w;
	int			 fd;

	if (out == NULL && (out = fopen("/dev/null", "w")) == NULL)
		return 0;
	/* The reader reads descriptors (gzip or not): give it one in memory. */
	if ((fd = memfd_create("fuzz", MFD_CLOEXEC)) < 0)
		return 0;
	while (done < size && (w = write(fd, data + done, size - done)) > 0)
		done += (size_t)w;
	if (done == size && lseek(fd, 0, SEEK_SET) == 0 &&
	    (rec = record_read_fd(fd, "fuzz", NULL, record_view_check, err,
	    sizeof err)) != NULL) {
		fuzz_views(rec, out);
		record_free(rec);
	}
	close(fd);
	return 0;
}
