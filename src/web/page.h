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
