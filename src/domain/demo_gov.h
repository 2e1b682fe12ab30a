/*
 * demo_gov.h - the governance part of the demo data (demo.c calls it):
 * committees and members, meetings and resolutions, plans, goals, KPIs and
 * their yearly values, the pilot-school lifecycle and participants, as CSV
 * files in the exchange format.
 *
 * Deterministic: the same areas and schools give byte-identical files.  The
 * sourced events are in it (Chiang Mai's driving committee meeting 3/2564 of
 * 16 July 2564, seed 000; the Kanchanaburi workshop of 27 December 2561,
 * seed 002), and so are a few cases that break the rules (a lapsed term, an
 * overdue resolution, a meeting without quorum, pilots without every s.27
 * approval), so that the checks have something to show.
 */
#ifndef NAWAT_DEMO_GOV_H
#define NAWAT_DEMO_GOV_H

#include "../base/err.h"

struct demo_gov_area {
	int code;
	const char *th, *en;     /* the province's names */
	int wave;                /* 1 designated 2561, 2 in 2565, 3 in 2567 */
};

struct demo_gov_school {
	char code[11];
	int area;                /* 0 when not in an area */
	int aff;                 /* affiliation code */
	int pilot, cohort;
	char since[11];          /* pilot since, ISO */
};

struct demo_gov_stats {
	long committees, members, meetings, resolutions, plans, kpis, pilots, participants;
};

/* Writes committees.csv ... participants.csv into dir.  0 or NAWAT_E*. */
int demo_gov_write(const char *dir, const struct demo_gov_area *areas, int nareas,
		   const struct demo_gov_school *schools, int nschools, struct demo_gov_stats *stats,
		   struct nw_err *err);

#endif
