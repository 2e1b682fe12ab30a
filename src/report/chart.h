/*
 * chart.h - charts as SVG text for the pages: grouped bars, stacked bars of
 * shares, lines.
 *
 * Written by hand rather than through cairo's SVG surface: text stays text
 * (read by screen readers, found by search, in the page's Thai font), the
 * markup is a few kilobytes, and every chart carries its title and a
 * description (role="img", aria-labelledby).  Colours come from the page's
 * stylesheet (classes s0, s1, ...); a table of the same numbers is always
 * set beside a chart by the page.  Every text is escaped here.
 */
#ifndef NAWAT_CHART_H
#define NAWAT_CHART_H

#include <stddef.h>

#include "../base/buf.h"

struct chart_series {
	const char *name;         /* the legend's */
	const double *v;          /* one per category; NAN: no value */
};

struct chart {
	const char *id;           /* unique in the page (ids of title and desc) */
	const char *title, *desc;
	const char *const *cats;  /* category labels */
	size_t ncat;
	const struct chart_series *series;
	size_t nseries;
	double min, max;          /* the value axis; max <= min: 0 to the largest value */
	int percent;              /* values are shares (0-1), shown as % */
};

/* Bars side by side for each category. */
int chart_bars(struct buf *out, const struct chart *c);
/* One bar of shares per category, its series stacked (each 0-1, summing to 1 or less). */
int chart_stacked(struct buf *out, const struct chart *c);
/* A line per series over the categories (years). */
int chart_lines(struct buf *out, const struct chart *c);

#endif
