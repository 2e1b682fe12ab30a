/* chart.c - charts as SVG text (see chart.h). */
#include "chart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define W 640.0
#define LEFT 56.0
#define RIGHT 16.0
#define TOP 36.0

static int text(struct buf *b, const char *s)
{
	int rc = 0;

	for (; s && *s && !rc; s++) {
		switch (*s) {
		case '&': rc = buf_puts(b, "&amp;"); break;
		case '<': rc = buf_puts(b, "&lt;"); break;
		case '>': rc = buf_puts(b, "&gt;"); break;
		case '"': rc = buf_puts(b, "&quot;"); break;
		case '\'': rc = buf_puts(b, "&#39;"); break;
		default: rc = buf_putc(b, *s);
		}
	}
	return rc;
}

/* Characters of UTF-8 text, to lay the legend out. */
static size_t chars(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void fmt(const struct chart *c, double v, char *out, size_t n)
{
	if (c->percent)
		snprintf(out, n, "%.1f%%", v * 100);
	else
		snprintf(out, n, "%.2f", v);
}

/* <svg ...><title/><desc/> and the legend. */
static int head(struct buf *b, const struct chart *c, double h)
{
	size_t i;
	double x = LEFT;
	int rc = buf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-labelledby=\"%s-t %s-d\" "
			       "xmlns=\"http://www.w3.org/2000/svg\"><title id=\"%s-t\">",
			    W, h, c->id, c->id, c->id);

	rc = rc || text(b, c->title) || buf_printf(b, "</title><desc id=\"%s-d\">", c->id) || text(b, c->desc) ||
	     buf_puts(b, "</desc>");
	for (i = 0; i < c->nseries && c->nseries > 1 && !rc; i++) {
		rc = buf_printf(b, "<rect class=\"s%zu\" x=\"%.1f\" y=\"8\" width=\"12\" height=\"12\"/>"
				   "<text x=\"%.1f\" y=\"19\" class=\"legend\">",
				i, x, x + 16) ||
		     text(b, c->series[i].name) || buf_puts(b, "</text>");
		x += 28 + 7.0 * (double)chars(c->series[i].name);
	}
	return rc;
}

static void range(const struct chart *c, double *lo, double *hi)
{
	size_t i, j;

	*lo = c->min;
	*hi = c->max;
	if (*hi > *lo)
		return;
	*lo = 0;
	*hi = 0;
	for (i = 0; i < c->nseries; i++)
		for (j = 0; j < c->ncat; j++)
			if (!isnan(c->series[i].v[j]) && c->series[i].v[j] > *hi)
				*hi = c->series[i].v[j];
	if (*hi <= 0)
		*hi = 1;
	*hi *= 1.1;
}

/* The value axis: grid lines and their labels from lo to hi. */
static int axis(struct buf *b, const struct chart *c, double lo, double hi, double y0, double y1)
{
	char t[32];
	int rc = 0, k;

	for (k = 0; k <= 4 && !rc; k++) {
		double v = lo + (hi - lo) * k / 4, y = y0 - (y0 - y1) * k / 4;

		fmt(c, v, t, sizeof t);
		rc = buf_printf(b, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
				   "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
				LEFT, W - RIGHT, y, y, LEFT - 4, y + 4, t);
	}
	return rc;
}

int chart_bars(struct buf *b, const struct chart *c)
{
	double h = 300, y0 = h - 48, lo, hi, band, bw;
	size_t i, j;
	char t[32];
	int rc;

	range(c, &lo, &hi);
	band = (W - LEFT - RIGHT) / (double)(c->ncat ? c->ncat : 1);
	bw = band * 0.8 / (double)(c->nseries ? c->nseries : 1);
	rc = head(b, c, h) || axis(b, c, lo, hi, y0, TOP);
	for (j = 0; j < c->ncat && !rc; j++) {
		double x0 = LEFT + band * (double)j + band * 0.1;

		for (i = 0; i < c->nseries && !rc; i++) {
			double v = c->series[i].v[j], top;

			if (isnan(v))
				continue;
			top = y0 - (y0 - TOP) * (v - lo) / (hi - lo);
			fmt(c, v, t, sizeof t);
			rc = buf_printf(b, "<rect class=\"s%zu\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
					i, x0 + bw * (double)i, top, bw * 0.92, y0 - top);
			if (!rc && bw >= 30)
				rc = buf_printf(b, "<text class=\"val\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>",
						x0 + bw * (double)i + bw * 0.46, top - 3, t);
		}
		rc = rc || buf_printf(b, "<text class=\"cat\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
				      LEFT + band * (double)j + band / 2, y0 + 18) ||
		     text(b, c->cats[j]) || buf_puts(b, "</text>");
	}
	return rc || buf_puts(b, "</svg>");
}

int chart_stacked(struct buf *b, const struct chart *c)
{
	double row = 30, h = TOP + row * (double)c->ncat + 12, lab = 150, x0 = lab, span = W - RIGHT - lab;
	size_t i, j;
	char t[32];
	int rc = head(b, c, h);

	for (j = 0; j < c->ncat && !rc; j++) {
		double x = x0, y = TOP + row * (double)j;

		rc = buf_printf(b, "<text class=\"cat\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", lab - 6, y + 19) ||
		     text(b, c->cats[j]) || buf_puts(b, "</text>");
		for (i = 0; i < c->nseries && !rc; i++) {
			double v = c->series[i].v[j], w;

			if (isnan(v) || v <= 0)
				continue;
			w = span * v;
			rc = buf_printf(b, "<rect class=\"s%zu\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>", i, x,
					y + 4, w, row - 8);
			fmt(c, v, t, sizeof t);
			if (!rc && w >= 40)
				rc = buf_printf(b, "<text class=\"in\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>",
						x + w / 2, y + 19, t);
			x += w;
		}
	}
	return rc || buf_puts(b, "</svg>");
}

int chart_lines(struct buf *b, const struct chart *c)
{
	double h = 280, y0 = h - 40, lo, hi, step;
	size_t i, j;
	char t[32];
	int rc;

	range(c, &lo, &hi);
	step = c->ncat > 1 ? (W - LEFT - RIGHT - 40) / (double)(c->ncat - 1) : 0;
	rc = head(b, c, h) || axis(b, c, lo, hi, y0, TOP);
	for (j = 0; j < c->ncat && !rc; j++)
		rc = buf_printf(b, "<text class=\"cat\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", LEFT + 20 + step * (double)j,
				y0 + 20) ||
		     text(b, c->cats[j]) || buf_puts(b, "</text>");
	for (i = 0; i < c->nseries && !rc; i++) {
		int open = 0;

		for (j = 0; j < c->ncat && !rc; j++) {
			double v = c->series[i].v[j];

			if (isnan(v))
				continue;
			if (!open)
				rc = buf_printf(b, "<polyline class=\"l%zu\" points=\"", i);
			rc = rc || buf_printf(b, "%s%.1f,%.1f", open ? " " : "", LEFT + 20 + step * (double)j,
					      y0 - (y0 - TOP) * (v - lo) / (hi - lo));
			open = 1;
		}
		if (open && !rc)
			rc = buf_puts(b, "\"/>");
		for (j = 0; j < c->ncat && !rc; j++) {
			double v = c->series[i].v[j], x = LEFT + 20 + step * (double)j, y;

			if (isnan(v))
				continue;
			y = y0 - (y0 - TOP) * (v - lo) / (hi - lo);
			fmt(c, v, t, sizeof t);
			rc = buf_printf(b, "<circle class=\"s%zu\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"/>"
					   "<text class=\"val\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>",
					i, x, y, x, y - 8, t);
		}
	}
	return rc || buf_puts(b, "</svg>");
}
