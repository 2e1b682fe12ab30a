/*
 * page.h - the frame every HTML page shares: head, navigation, footer,
 * messages, and small helpers for tables, forms and Thai dates.
 *
 * Pages are server-rendered, Thai first with English beside it, Buddhist-era
 * dates, usable on a phone and with a keyboard, with no JavaScript needed.
 * All text goes through html_f/html_text (escaped by construction).
 */
#ifndef NAWAT_PAGE_H
#define NAWAT_PAGE_H

#include "../base/buf.h"
#include "app.h"
#include "html.h"

/* Starts a page: <html lang="th">, head, the navigation (with `active` the
 * current section: "home", "areas", "schools", "import", "standard",
 * "users", "audit"), and <main>.  Titles in Thai and English. */
void page_begin(struct ctx *c, const char *active, const char *title_th, const char *title_en);
/* Closes <main>, the footer, the document; status 200 unless set. */
void page_end(struct ctx *c);

/* A message box: kind "ok", "error" or "info". */
void page_notice(struct ctx *c, const char *kind, const char *th, const char *en);
/* A full page for an error (404, 403, ...). */
void page_error(struct ctx *c, int status, const char *th, const char *en);

/* The hidden CSRF field every POST form carries. */
void page_csrf(struct ctx *c);

/* "16 พ.ค. 2567" from an ISO date (or the text unchanged if it is not one). */
const char *page_date(struct ctx *c, const char *iso);
/* "1,234,567" */
const char *page_num(struct ctx *c, long long n);
/* A code's Thai label from a code list ("" if unknown). */
const char *page_label(const struct std_package *pkg, const char *codelist, const char *code);

/* ---- helpers shared by the pages (pages_common.c) ---- */

/* A stored string value as a NUL-terminated copy in the request's arena
 * ("" when missing). */
const char *page_vstr(struct ctx *c, const struct val_value *v);
/* A code's English label ("" if unknown). */
const char *page_label_en(const struct std_package *pkg, const char *codelist, const char *code);
/* "23 พ.ย. 2569 04:02 น." (Thai time) from an ISO 8601 UTC timestamp such as
 * "2024-11-22T21:02:48Z" (or the text unchanged if it is not one). */
const char *page_time(struct ctx *c, const char *iso);
/* A row's fields as a definition list: Thai and English titles, values with
 * their code-list labels, dates in B.E., links to the areas and schools it
 * refers to.  Personal-data fields are never shown. */
void page_profile(struct ctx *c, const struct std_dataset *ds, const struct val_value *vals);
/* The indexes (into cl->codes) of a code list's codes in the order of its
 * CSV file, the order people expect (ภาษาไทย before คณิตศาสตร์); ncodes
 * entries in the request's arena, NULL when out of memory. */
const size_t *page_code_order(struct ctx *c, const struct std_codelist *cl);
/* An equality filter on a text field. */
void page_filter_text(struct store_filter *f, int field, const char *s);
/* A number of students (or of values about them) as shown to the caller:
 * "< 5" instead of 1-4 (and 0) for a role that sees no small groups
 * (auth_suppresses_small_groups); `students` is the group's size. */
int page_suppressed(struct ctx *c, long long students);
const char *page_count(struct ctx *c, long long n, long long students);
/* The note under a table where page_count hid something. */
void page_suppression_note(struct ctx *c);
/* The Thai name of the row of dsname whose field is code, in the caller's
 * scope ("" when there is none). */
const char *page_name_of(struct ctx *c, const char *dsname, const char *field, const char *code);
/* The <option>s of the areas in the caller's scope, `selected` chosen. */
void page_area_options(struct ctx *c, const char *selected);
/* A submission's status (accepted, partial, rejected) in Thai. */
const char *page_sub_status_th(const char *status);

/* The body being built (for html_f). */
#define PB(c) (&(c)->rs->body)

/* Page handlers (pages_*.c), dispatched by pages_route. */
void page_home(struct ctx *c);
void page_areas(struct ctx *c);
void page_area(struct ctx *c, const char *code);
void page_schools(struct ctx *c);
void page_school(struct ctx *c, const char *code);
void page_import(struct ctx *c);
void page_standard(struct ctx *c);
void page_standard_file(struct ctx *c, const char *name);
void page_users(struct ctx *c);
void page_audit(struct ctx *c);

#endif
