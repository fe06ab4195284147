/* The SVG export's frame: its style, title, time axis and legend. */
#include "config.h"

#include <stdio.h>

#include "axis.h"
#include "demos.h"
#include "export-svg-int.h"
#include "glyphs.h"

static const char svg_style[] =
    "<style>\n"
    "text{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;"
    "font-size:18px;fill:#222}\n"
    ".title{font-size:32px;font-weight:bold}\n"
    ".sub{font-size:20px;fill:#555}\n"
    ".head{font-size:26px;font-weight:bold}\n"
    ".kind{font-size:20px;font-weight:normal;fill:#555}\n"
    ".total{font-size:22px;font-weight:bold;text-anchor:end}\n"
    ".faster{fill:#1a7f1a}\n"
    ".slower{fill:#b22222}\n"
    ".mono{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace}\n"
    ".dim{fill:#666}\n"
    ".warn{fill:#b22222}\n"
    ".axis{text-anchor:middle;fill:#444}\n"
    ".err{font-size:16px;fill:#b22222;stroke:#fff;stroke-width:4px;"
    "stroke-linejoin:round;paint-order:stroke}\n"
    ".grid{stroke:#d8d8d8;stroke-width:1}\n"
    ".rule{stroke:#999;stroke-width:1}\n"
    ".stripe{fill:#000;fill-opacity:0.04}\n"
    ".print{fill:#222;stroke:#fff;stroke-width:1.5}\n"
    ".failed{stroke:#d62728;stroke-width:4;fill:none}\n"
    ".cancelled{stroke:#7f7f7f;stroke-width:3;fill:none}\n"
    ".late{fill:#ff7f0e;fill-opacity:0.55}\n"
    ".due{stroke:#b22222;stroke-width:2;stroke-dasharray:4 3}\n"
    ".playhead{stroke:#b8860b;stroke-width:3}\n"
    ".at{font-size:20px;font-weight:bold;fill:#b8860b;text-anchor:middle}\n"
    "</style>\n";

/* The legend's items, laid out in rows; draws them when draw is set. */
int
svg_legend(struct svg *s, int top, bool draw)
{
	const struct glyphs	*g = glyphs_get(true);
	int			 x = SVG_MARGIN, rows = 1, w, i, cy;

	/* The states, a print, and a late timer where a lane has one. */
	for (i = 0; i <= (int)SVG_NORDER + s->late; i++) {
		const char	*label = i < (int)SVG_NORDER ?
		    g->label[svg_order[i]] : i == (int)SVG_NORDER ? "print" :
		    "late timer";

		w = 28 + 10 + svg_chars(label) * SVG_CHAR_W + 32;
		if (x > SVG_MARGIN && x + w > SVG_WIDTH - SVG_MARGIN) {
			x = SVG_MARGIN;
			rows++;
		}
		cy = top + (rows - 1) * SVG_LINE + SVG_LINE / 2;
		if (draw && i > (int)SVG_NORDER)
			fprintf(s->f, "<rect class=\"late\" x=\"%d\" y=\"%d\" "
			    "width=\"28\" height=\"%d\"/><line class=\"due\" "
			    "x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", x,
			    cy - SVG_BAR / 4, SVG_BAR / 2, x, cy - SVG_BAR / 2, x,
			    cy + SVG_BAR / 2);
		else if (draw && i == (int)SVG_NORDER)
			fprintf(s->f, "<circle class=\"print\" cx=\"%d\" "
			    "cy=\"%d\" r=\"6\"/>\n", x + 14, cy);
		else if (draw && svg_bar[svg_order[i]] != 0)
			fprintf(s->f, "<rect x=\"%d\" y=\"%d\" width=\"28\" "
			    "height=\"%d\" fill=\"%s\"/>\n", x,
			    cy - svg_bar[svg_order[i]] / 2,
			    svg_bar[svg_order[i]], svg_fill[svg_order[i]]);
		else if (draw && svg_order[i] == TASK_FAILED)
			fprintf(s->f, "<path class=\"failed\" d=\"M%d %dl12 "
			    "12m0 -12l-12 12\"/>\n", x + 8, cy - 6);
		else if (draw)
			fprintf(s->f, "<circle class=\"cancelled\" cx=\"%d\" "
			    "cy=\"%d\" r=\"7\"/><path class=\"cancelled\" "
			    "d=\"M%d %dl10 -10\"/>\n", x + 14, cy, x + 9,
			    cy + 5);
		if (draw) {
			fprintf(s->f, "<text x=\"%d\" y=\"%d\">", x + 38,
			    cy + 6);
			svg_text(s, label, 0);
			fputs("</text>\n", s->f);
		}
		x += w;
	}
	return rows;
}

/* The title, and the time axis with its ticks and grid. */
void
svg_header(struct svg *s, const struct export_info *info, int height,
    int grid_end)
{
	const struct demo	*d = info != NULL && info->demo != NULL ?
				    demos_find(info->demo) : NULL;
	char			 label[32];
	vtime_t			 t;
	int			 x, y;

	fprintf(s->f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\">\n<title>loopscope: ",
	    SVG_WIDTH, height, SVG_WIDTH, height);
	svg_text(s, info != NULL && info->demo != NULL ? info->demo : "", 0);
	fprintf(s->f, "</title>\n%s<rect width=\"%d\" height=\"%d\" "
	    "fill=\"#fff\"/>\n", svg_style, SVG_WIDTH, height);

	fprintf(s->f, "<text class=\"title\" x=\"%d\" y=\"%d\">",
	    SVG_MARGIN, SVG_MARGIN + 30);
	svg_text(s, info != NULL && info->demo != NULL ? info->demo :
	    "loopscope", 40);
	fputs("</text>\n", s->f);
	if (d != NULL) {
		fprintf(s->f, "<text class=\"sub\" x=\"%d\" y=\"%d\">",
		    SVG_MARGIN, SVG_MARGIN + 62);
		svg_text(s, d->summary, 120);
		fputs("</text>\n", s->f);
	}

	y = SVG_MARGIN + 108;
	fprintf(s->f, "<text class=\"dim\" x=\"%d\" y=\"%d\">virtual "
	    "seconds</text>\n", SVG_MARGIN + 12, y);
	for (t = 0; t <= s->span; t += s->step) {
		x = svg_x(s, t);
		axis_format(t, s->step, label, sizeof label);
		fprintf(s->f, "<text class=\"axis\" x=\"%d\" y=\"%d\">%s"
		    "</text>\n<line class=\"grid\" x1=\"%d\" y1=\"%d\" "
		    "x2=\"%d\" y2=\"%d\"/>\n", x, y, label, x, y + 8, x,
		    grid_end);
	}
	fprintf(s->f, "<line class=\"rule\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\"/>\n", s->x0, y + 14, s->x0 + s->w, y + 14);
	/* --at: the playhead, as the screen had it. */
	if (s->at != VTIME_NEVER) {
		x = svg_x(s, s->at);
		fprintf(s->f, "<line class=\"playhead\" x1=\"%d\" y1=\"%d\" "
		    "x2=\"%d\" y2=\"%d\"/>\n<text class=\"at\" x=\"%d\" "
		    "y=\"%d\">t = %.2f s</text>\n", x, y + 8, x, grid_end,
		    x, y - 26, vtime_to_sec(s->at));
	}
	s->y = y + 20;
}
