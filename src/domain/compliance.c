/*
 * compliance.c - the governance rule checks (see compliance.h).
 *
 * Limits come from the Education Sandbox Act B.E. 2562 and the policy
 * committee's announcements (see docs/standard.md for each check and for
 * the decisions taken where the sources are silent).
 */
#include "compliance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/date.h"

#define DRV_MAX_MEMBERS 21
#define POL_MAX_EXPERTS 8
#define POL_TERM_YEARS 4
#define POL_MAX_TERMS 2
#define POL_MIN_MEETINGS 4
#define CONSECUTIVE_GAP_DAYS 365    /* a new term within a year of the last one continues it */
#define NO_REPLACEMENT_DAYS 90      /* a vacancy need not be filled when less remains */
#define KPI_CLOSE_SHARE 0.9         /* "close": 90% of the way from the baseline */

const struct cmp_check cmp_checks[CMP_COUNT] = {
	{ CMP_DRV_SIZE, "GOV-DRV-SIZE", CMP_ERROR,
	  "กขน. มีกรรมการเกิน 21 คน", "Driving committee larger than 21",
	  "คณะกรรมการขับเคลื่อนมีกรรมการไม่เกิน 21 คน", "A driving committee has at most 21 members" },
	{ CMP_DRV_SEATS, "GOV-DRV-SEATS", CMP_ERROR,
	  "กขน. ขาดกรรมการบางประเภท", "Driving committee lacks a required seat",
	  "ต้องมีประธาน กรรมการโดยตำแหน่ง ผู้แทนสถานศึกษา ผู้แทนสถาบันผลิตครู ผู้แทนภาคเอกชน ผู้ทรงคุณวุฒิ และเลขานุการ",
	  "A chair, ex officio members, school, teacher-training university, private-sector and expert members, and a secretary" },
	{ CMP_DRV_CHAIR, "GOV-DRV-CHAIR", CMP_ERROR,
	  "ประธาน กขน. ไม่ใช่ผู้ว่าราชการจังหวัด", "Driving committee chair is not the governor",
	  "ผู้ว่าราชการจังหวัดเป็นประธานคณะกรรมการขับเคลื่อน", "The provincial governor chairs the driving committee" },
	{ CMP_DRV_SECRETARY, "GOV-DRV-SECRETARY", CMP_ERROR,
	  "เลขานุการ กขน. ไม่ใช่ศึกษาธิการจังหวัด", "Driving committee secretary is not the provincial education officer",
	  "ศึกษาธิการจังหวัดเป็นกรรมการและเลขานุการ", "The provincial education officer is the secretary" },
	{ CMP_POL_EXPERTS, "GOV-POL-EXPERTS", CMP_ERROR,
	  "ผู้ทรงคุณวุฒิใน กนน. เกิน 8 คน", "More than 8 experts on the policy committee",
	  "กนน. มีกรรมการผู้ทรงคุณวุฒิไม่เกิน 8 คน", "The policy committee has at most 8 experts" },
	{ CMP_POL_TERM, "GOV-POL-TERM", CMP_ERROR,
	  "วาระผู้ทรงคุณวุฒิใน กนน. เกิน 4 ปี", "Policy-committee expert's term over 4 years",
	  "ผู้ทรงคุณวุฒิใน กนน. มีวาระ 4 ปี", "Policy-committee experts serve 4-year terms" },
	{ CMP_POL_CONSECUTIVE, "GOV-POL-CONSECUTIVE", CMP_ERROR,
	  "ผู้ทรงคุณวุฒิใน กนน. ดำรงตำแหน่งเกิน 2 วาระติดต่อกัน", "Policy-committee expert over 2 consecutive terms",
	  "ผู้ทรงคุณวุฒิใน กนน. ดำรงตำแหน่งติดต่อกันได้ไม่เกิน 2 วาระ", "An expert serves at most 2 consecutive terms" },
	{ CMP_POL_MEETINGS, "GOV-POL-MEETINGS", CMP_WARNING,
	  "กนน. ประชุมน้อยกว่า 4 ครั้งในปี", "Policy committee met fewer than 4 times in a year",
	  "กนน. ประชุมอย่างน้อยปีละ 4 ครั้ง", "The policy committee meets at least 4 times a year" },
	{ CMP_TERM_ENDED, "GOV-TERM-ENDED", CMP_WARNING,
	  "กรรมการครบวาระแล้ว", "Member's term has ended",
	  "กรรมการที่ครบวาระต้องได้รับแต่งตั้งใหม่หรือบันทึกการพ้นจากตำแหน่ง",
	  "A member whose term ended is reappointed or recorded as having left" },
	{ CMP_VACANCY, "GOV-VACANCY", CMP_WARNING,
	  "มีตำแหน่งกรรมการว่าง", "Vacant seats",
	  "ตำแหน่งที่ว่างต้องแต่งตั้งแทน เว้นแต่วาระเหลือไม่ถึง 90 วัน",
	  "A vacant seat is filled unless fewer than 90 days of the term remain" },
	{ CMP_PARENT, "GOV-PARENT", CMP_ERROR,
	  "ไม่พบคณะกรรมการที่แต่งตั้ง", "Parent committee not found",
	  "คณะอนุกรรมการและคณะทำงานต้องอ้างถึงคณะกรรมการที่แต่งตั้ง",
	  "A subcommittee or working group names the committee that appointed it" },
	{ CMP_QUORUM, "GOV-QUORUM", CMP_ERROR,
	  "การประชุมไม่ครบองค์ประชุม", "Meeting without quorum",
	  "การประชุมต้องมีกรรมการมาประชุมไม่น้อยกว่ากึ่งหนึ่ง", "At least half of the members attend" },
	{ CMP_MEETING_UNRECORDED, "GOV-MEETING-UNRECORDED", CMP_WARNING,
	  "ยังไม่บันทึกผลการประชุมที่ผ่านมาแล้ว", "Past meeting not recorded",
	  "การประชุมที่ถึงกำหนดแล้วต้องบันทึกว่าประชุมแล้วหรือยกเลิก",
	  "A meeting whose date has passed is recorded as held or cancelled" },
	{ CMP_RES_OVERDUE, "GOV-RES-OVERDUE", CMP_WARNING,
	  "มติที่เกินกำหนด", "Overdue resolution",
	  "มติต้องดำเนินการแล้วเสร็จภายในกำหนด", "A resolution is done by its due date" },
	{ CMP_KPI_BEHIND, "GOV-KPI-BEHIND", CMP_WARNING,
	  "ตัวชี้วัดต่ำกว่าเป้าหมาย", "KPI behind target",
	  "ผลของตัวชี้วัดถึงค่าเป้าหมายของปี", "A KPI's value reaches the year's target" },
	{ CMP_PILOT_S27, "GOV-PILOT-S27", CMP_ERROR,
	  "สถานศึกษานำร่องยังไม่ได้รับความเห็นชอบครบตามมาตรา 27", "Pilot school without the approvals of s.27",
	  "ต้องได้รับความเห็นชอบจากคณะกรรมการสถานศึกษา ต้นสังกัด และ กขน. ก่อนเป็นสถานศึกษานำร่อง",
	  "The school board, the supervising body and the driving committee approve before the school is a pilot" },
	{ CMP_PILOT_RECORD, "GOV-PILOT-RECORD", CMP_WARNING,
	  "ทะเบียนสถานศึกษานำร่องไม่ตรงกับสถานะ", "Pilot registry and lifecycle disagree",
	  "สถานศึกษาที่เป็นสถานศึกษานำร่องในทะเบียนต้องมีสถานะดำเนินการ และในทางกลับกัน",
	  "A school marked pilot in the registry is active in its lifecycle, and the reverse" },
};

const char *cmp_severity_name(enum cmp_severity s)
{
	return s == CMP_ERROR ? "error" : "warning";
}

static int eq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

int cmp_in_office(const struct cmp_member *m, int64_t on)
{
	return m->start != CMP_NODATE && m->start <= on && (m->end == CMP_NODATE || m->end >= on) &&
	       (m->left == CMP_NODATE || m->left > on);
}

/* day + years (29 Feb -> 28 Feb) */
static int64_t add_years(int64_t day, int years)
{
	struct date d = date_from_days(day);

	d.y += years;
	if (d.m == 2 && d.d == 29 && !date_valid(d.y, 2, 29))
		d.d = 28;
	return date_to_days(d);
}

static int be_year(int64_t day)
{
	return date_from_days(day).y + BE_OFFSET;
}

static const char *thai_date(int64_t day, char *buf, size_t n)
{
	return date_thai(date_from_days(day), 0, buf, n);
}

static const char *iso_date(int64_t day, char *buf, size_t n)
{
	return date_iso(date_from_days(day), buf, n);
}

struct run {
	const struct cmp_data *d;
	int64_t today;
	int (*fn)(void *ctx, const struct cmp_finding *f);
	void *ctx;
	char th[1024], en[1024], subject[160];
};

/* Cuts a trailing incomplete UTF-8 sequence (snprintf truncates bytes). */
static void utf8_trim(char *s)
{
	size_t n = strlen(s), start, need;

	if (!n)
		return;
	start = n - 1;
	while (start > 0 && ((unsigned char)s[start] & 0xC0) == 0x80 && n - start < 4)
		start--;
	need = ((unsigned char)s[start] & 0x80) == 0 ? 1 : ((unsigned char)s[start] & 0xE0) == 0xC0 ? 2
		: ((unsigned char)s[start] & 0xF0) == 0xE0 ? 3 : 4;
	if (n - start < need)
		s[start] = '\0';
}

static int emit(struct run *r, enum cmp_code id, const char *area, const char *dataset)
{
	struct cmp_finding f;

	utf8_trim(r->th);
	utf8_trim(r->en);
	utf8_trim(r->subject);
	f.check = &cmp_checks[id];
	f.area = area ? area : "";
	f.dataset = dataset;
	f.subject = r->subject;
	f.message_th = r->th;
	f.message_en = r->en;
	return r->fn(r->ctx, &f);
}

#define SAY(r, ...) snprintf((r)->th, sizeof (r)->th, __VA_ARGS__)
#define SAY_EN(r, ...) snprintf((r)->en, sizeof (r)->en, __VA_ARGS__)
#define SUBJECT(r, ...) snprintf((r)->subject, sizeof (r)->subject, __VA_ARGS__)

/* ---- committees and members ---- */

/* "a, b" lists in Thai and English */
static void add_item(char *th, size_t thn, char *en, size_t enn, const char *item_th, const char *item_en)
{
	size_t a = strlen(th), b = strlen(en);

	snprintf(th + a, thn - a, "%s%s", a ? " " : "", item_th);
	snprintf(en + b, enn - b, "%s%s", b ? ", " : "", item_en);
}

static const char *const drv_required[] = { "chair", "ex_officio", "school_rep", "university",
					    "private", "expert", "secretary" };
static const char *const drv_required_th[] = { "ประธาน", "กรรมการโดยตำแหน่ง", "ผู้แทนสถานศึกษา",
					       "ผู้แทนสถาบันผลิตครู", "ผู้แทนภาคเอกชน", "ผู้ทรงคุณวุฒิ",
					       "เลขานุการ" };

static int live(const struct cmp_committee *c, int64_t today)
{
	return c->dissolved == CMP_NODATE || c->dissolved > today;
}

static int check_driving(struct run *r, const struct cmp_committee *c)
{
	const struct cmp_data *d = r->d;
	size_t i, k, n = 0;
	int have[sizeof drv_required / sizeof drv_required[0]] = { 0 };
	char miss_th[256] = "", miss_en[256] = "";
	int rc;

	for (i = 0; i < d->nmembers; i++) {
		const struct cmp_member *m = &d->members[i];

		if (!eq(m->committee, c->code) || !cmp_in_office(m, r->today))
			continue;
		n++;
		for (k = 0; k < sizeof drv_required / sizeof drv_required[0]; k++)
			if (eq(m->seat, drv_required[k]))
				have[k] = 1;
		if (eq(m->seat, "chair") && !eq(m->office, "03")) {
			SUBJECT(r, "%s/%lld", c->code, (long long)m->no);
			SAY(r, "ประธาน %s (%s) ไม่ใช่ผู้ว่าราชการจังหวัด", m->name, c->code);
			SAY_EN(r, "the chair of %s (member %lld) is not the provincial governor", c->code,
			       (long long)m->no);
			if ((rc = emit(r, CMP_DRV_CHAIR, c->area, "committee_members")))
				return rc;
		}
		if (eq(m->seat, "secretary") && !eq(m->office, "05")) {
			SUBJECT(r, "%s/%lld", c->code, (long long)m->no);
			SAY(r, "เลขานุการ %s (%s) ไม่ใช่ศึกษาธิการจังหวัด", m->name, c->code);
			SAY_EN(r, "the secretary of %s (member %lld) is not the provincial education officer", c->code,
			       (long long)m->no);
			if ((rc = emit(r, CMP_DRV_SECRETARY, c->area, "committee_members")))
				return rc;
		}
	}
	if (n > DRV_MAX_MEMBERS) {
		SUBJECT(r, "%s", c->code);
		SAY(r, "%s มีกรรมการ %zu คน เกิน %d คน", c->code, n, DRV_MAX_MEMBERS);
		SAY_EN(r, "%s has %zu members in office, more than %d", c->code, n, DRV_MAX_MEMBERS);
		if ((rc = emit(r, CMP_DRV_SIZE, c->area, "committees")))
			return rc;
	}
	for (k = 0; k < sizeof drv_required / sizeof drv_required[0]; k++) {
		if (have[k])
			continue;
		add_item(miss_th, sizeof miss_th, miss_en, sizeof miss_en, drv_required_th[k], drv_required[k]);
	}
	if (miss_th[0]) {
		SUBJECT(r, "%s", c->code);
		SAY(r, "%s ไม่มีกรรมการที่อยู่ในวาระประเภท: %s", c->code, miss_th);
		SAY_EN(r, "%s has no member in office in the seats: %s", c->code, miss_en);
		if ((rc = emit(r, CMP_DRV_SEATS, c->area, "committees")))
			return rc;
	}
	return 0;
}

static int by_start(const void *a, const void *b)
{
	const struct cmp_member *x = *(const struct cmp_member *const *)a, *y = *(const struct cmp_member *const *)b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->start < y->start ? -1 : x->start > y->start;
}

static int check_policy(struct run *r, const struct cmp_committee *c)
{
	const struct cmp_data *d = r->d;
	const struct cmp_member **ex;
	size_t i, j, n = 0, nex = 0;
	int64_t y, first_y, last_y;
	char a[48], b[48];
	int rc = 0;

	ex = malloc((d->nmembers ? d->nmembers : 1) * sizeof *ex);
	if (!ex)
		return NAWAT_ENOMEM;
	for (i = 0; i < d->nmembers; i++) {
		const struct cmp_member *m = &d->members[i];

		if (!eq(m->committee, c->code) || !eq(m->seat, "expert"))
			continue;
		ex[nex++] = m;
		if (cmp_in_office(m, r->today))
			n++;
		if (m->end != CMP_NODATE && m->end > add_years(m->start, POL_TERM_YEARS)) {
			SUBJECT(r, "%s/%lld", c->code, (long long)m->no);
			SAY(r, "วาระของ %s ตั้งแต่ %s ถึง %s เกิน %d ปี", m->name, thai_date(m->start, a, sizeof a),
			    thai_date(m->end, b, sizeof b), POL_TERM_YEARS);
			SAY_EN(r, "member %lld's term from %s to %s is longer than %d years", (long long)m->no,
			       iso_date(m->start, a, sizeof a), iso_date(m->end, b, sizeof b), POL_TERM_YEARS);
			if ((rc = emit(r, CMP_POL_TERM, c->area, "committee_members")))
				goto out;
		}
	}
	if (n > POL_MAX_EXPERTS) {
		SUBJECT(r, "%s", c->code);
		SAY(r, "%s มีผู้ทรงคุณวุฒิในวาระ %zu คน เกิน %d คน", c->code, n, POL_MAX_EXPERTS);
		SAY_EN(r, "%s has %zu experts in office, more than %d", c->code, n, POL_MAX_EXPERTS);
		if ((rc = emit(r, CMP_POL_EXPERTS, c->area, "committees")))
			goto out;
	}
	/* the same person's terms, in order: a run of consecutive ones */
	qsort(ex, nex, sizeof *ex, by_start);
	for (i = 0; i < nex; i = j) {
		size_t run = 1;

		for (j = i + 1; j < nex && !strcmp(ex[j]->name, ex[i]->name); j++) {
			const struct cmp_member *p = ex[j - 1];

			run = p->end != CMP_NODATE && ex[j]->start <= p->end + CONSECUTIVE_GAP_DAYS ? run + 1 : 1;
			if (run == POL_MAX_TERMS + 1) {
				SUBJECT(r, "%s/%lld", c->code, (long long)ex[j]->no);
				SAY(r, "%s ได้รับแต่งตั้งเป็นวาระที่ %zu ติดต่อกัน (เกิน %d วาระ)", ex[j]->name, run,
				    POL_MAX_TERMS);
				SAY_EN(r, "member %lld is in a consecutive term number %zu (at most %d)",
				       (long long)ex[j]->no, run, POL_MAX_TERMS);
				if ((rc = emit(r, CMP_POL_CONSECUTIVE, c->area, "committee_members")))
					goto out;
			}
		}
	}
	/* meetings held in each whole year since the committee was appointed */
	first_y = be_year(c->appointed);
	last_y = be_year(r->today) - 1;
	if (c->dissolved != CMP_NODATE && be_year(c->dissolved) - 1 < last_y)
		last_y = be_year(c->dissolved) - 1;
	for (y = first_y + 1; y <= last_y; y++) {
		size_t held = 0;

		for (i = 0; i < d->nmeetings; i++)
			if (eq(d->meetings[i].committee, c->code) && eq(d->meetings[i].status, "held") &&
			    be_year(d->meetings[i].held_on) == y)
				held++;
		if (held < POL_MIN_MEETINGS) {
			SUBJECT(r, "%s/%lld", c->code, (long long)y);
			SAY(r, "%s ประชุม %zu ครั้งในปี %lld (อย่างน้อย %d ครั้ง)", c->code, held, (long long)y,
			    POL_MIN_MEETINGS);
			SAY_EN(r, "%s met %zu times in %lld B.E. (at least %d)", c->code, held, (long long)y,
			       POL_MIN_MEETINGS);
			if ((rc = emit(r, CMP_POL_MEETINGS, c->area, "meetings")))
				goto out;
		}
	}
out:
	free(ex);
	return rc;
}

/* The same person has a later term in the same committee. */
static int reappointed(const struct cmp_data *d, const struct cmp_member *m)
{
	size_t i;

	for (i = 0; i < d->nmembers; i++)
		if (eq(d->members[i].committee, m->committee) && eq(d->members[i].name, m->name) &&
		    d->members[i].start > m->start)
			return 1;
	return 0;
}

static int check_members(struct run *r, const struct cmp_committee *c)
{
	const struct cmp_data *d = r->d;
	int64_t term_end = CMP_NODATE;
	size_t i, n = 0;
	char a[48];
	int rc;

	for (i = 0; i < d->nmembers; i++) {
		const struct cmp_member *m = &d->members[i];

		if (!eq(m->committee, c->code))
			continue;
		if (cmp_in_office(m, r->today)) {
			n++;
			if (m->end != CMP_NODATE && (term_end == CMP_NODATE || m->end > term_end))
				term_end = m->end;
		}
		if (m->end != CMP_NODATE && m->end < r->today && m->left == CMP_NODATE && !reappointed(d, m)) {
			SUBJECT(r, "%s/%lld", c->code, (long long)m->no);
			SAY(r, "%s (%s) ครบวาระเมื่อ %s ยังไม่ได้แต่งตั้งใหม่หรือบันทึกการพ้นจากตำแหน่ง", m->name, c->code,
			    thai_date(m->end, a, sizeof a));
			SAY_EN(r, "member %lld of %s: the term ended on %s; reappoint or record that the member left",
			       (long long)m->no, c->code, iso_date(m->end, a, sizeof a));
			if ((rc = emit(r, CMP_TERM_ENDED, c->area, "committee_members")))
				return rc;
		}
	}
	if (c->seats != CMP_NONE && (int64_t)n < c->seats &&
	    !(term_end != CMP_NODATE && term_end - r->today < NO_REPLACEMENT_DAYS)) {
		SUBJECT(r, "%s", c->code);
		SAY(r, "%s มีกรรมการในวาระ %zu คน จาก %lld ตำแหน่ง ว่าง %lld ตำแหน่ง", c->code, n, (long long)c->seats,
		    (long long)(c->seats - (int64_t)n));
		SAY_EN(r, "%s has %zu members in office of %lld seats: %lld vacant", c->code, n, (long long)c->seats,
		       (long long)(c->seats - (int64_t)n));
		if ((rc = emit(r, CMP_VACANCY, c->area, "committees")))
			return rc;
	}
	return 0;
}

static int check_committees(struct run *r)
{
	const struct cmp_data *d = r->d;
	size_t i, j;
	int rc;

	for (i = 0; i < d->ncommittees; i++) {
		const struct cmp_committee *c = &d->committees[i];

		if (!live(c, r->today))
			continue;
		if (eq(c->type, "driving") && (rc = check_driving(r, c)))
			return rc;
		if (eq(c->type, "policy") && (rc = check_policy(r, c)))
			return rc;
		if ((rc = check_members(r, c)))
			return rc;
		if (c->parent && c->parent[0]) {
			for (j = 0; j < d->ncommittees && !eq(d->committees[j].code, c->parent); j++)
				;
			if (j == d->ncommittees) {
				SUBJECT(r, "%s", c->code);
				SAY(r, "%s อ้างถึงคณะกรรมการ %s ที่ไม่มีในระบบ", c->code, c->parent);
				SAY_EN(r, "%s names the parent committee %s, which is not in the store", c->code, c->parent);
				if ((rc = emit(r, CMP_PARENT, c->area, "committees")))
					return rc;
			}
		}
	}
	return 0;
}

/* ---- meetings and resolutions ---- */

static int64_t members_on(const struct cmp_data *d, const char *committee, int64_t day)
{
	size_t i;
	int64_t n = 0;

	for (i = 0; i < d->nmembers; i++)
		if (eq(d->members[i].committee, committee) && cmp_in_office(&d->members[i], day))
			n++;
	return n;
}

static int check_meetings(struct run *r)
{
	const struct cmp_data *d = r->d;
	size_t i;
	char a[48];
	int rc;

	for (i = 0; i < d->nmeetings; i++) {
		const struct cmp_meeting *m = &d->meetings[i];

		SUBJECT(r, "%s/%lld/%lld", m->committee, (long long)m->year, (long long)m->number);
		if (eq(m->status, "held")) {
			int64_t total = m->total != CMP_NONE ? m->total : members_on(d, m->committee, m->held_on);

			if (m->quorum == 0 || (m->present != CMP_NONE && total > 0 && m->present * 2 < total)) {
				SAY(r, "การประชุม %s ครั้งที่ %lld/%lld มีกรรมการมาประชุม %lld จาก %lld คน ไม่ครบองค์ประชุม",
				    m->committee, (long long)m->number, (long long)m->year,
				    (long long)(m->present != CMP_NONE ? m->present : 0), (long long)total);
				SAY_EN(r, "meeting %lld/%lld of %s: %lld of %lld members present, no quorum",
				       (long long)m->number, (long long)m->year, m->committee,
				       (long long)(m->present != CMP_NONE ? m->present : 0), (long long)total);
				if ((rc = emit(r, CMP_QUORUM, m->area, "meetings")))
					return rc;
			}
		} else if (eq(m->status, "scheduled") && m->held_on < r->today) {
			SAY(r, "การประชุม %s ครั้งที่ %lld/%lld กำหนดไว้วันที่ %s ยังไม่บันทึกผล", m->committee,
			    (long long)m->number, (long long)m->year, thai_date(m->held_on, a, sizeof a));
			SAY_EN(r, "meeting %lld/%lld of %s was scheduled for %s and is not recorded as held or cancelled",
			       (long long)m->number, (long long)m->year, m->committee, iso_date(m->held_on, a, sizeof a));
			if ((rc = emit(r, CMP_MEETING_UNRECORDED, m->area, "meetings")))
				return rc;
		}
	}
	for (i = 0; i < d->nresolutions; i++) {
		const struct cmp_resolution *x = &d->resolutions[i];

		if (!(eq(x->status, "open") || eq(x->status, "in_progress")) || x->due == CMP_NODATE ||
		    x->due >= r->today)
			continue;
		SUBJECT(r, "%s/%lld/%lld/%lld", x->committee, (long long)x->year, (long long)x->meeting_no,
			(long long)x->no);
		SAY(r, "มติที่ %lld ของการประชุม %s ครั้งที่ %lld/%lld (ผู้รับผิดชอบ %s) เกินกำหนด %s มาแล้ว %lld วัน",
		    (long long)x->no, x->committee, (long long)x->meeting_no, (long long)x->year, x->owner,
		    thai_date(x->due, a, sizeof a), (long long)(r->today - x->due));
		SAY_EN(r, "resolution %lld of meeting %lld/%lld of %s was due on %s, %lld days ago", (long long)x->no,
		       (long long)x->meeting_no, (long long)x->year, x->committee, iso_date(x->due, a, sizeof a),
		       (long long)(r->today - x->due));
		if ((rc = emit(r, CMP_RES_OVERDUE, x->area, "resolutions")))
			return rc;
	}
	return 0;
}

/* ---- plans and KPIs ---- */

static int value_of(const struct cmp_kpi *k, const struct cmp_kpi_value *v)
{
	return eq(v->plan, k->plan) && v->goal_no == k->goal_no && v->kpi_no == k->kpi_no;
}

int cmp_kpi_target(const struct cmp_kpi *k, const struct cmp_plan *plan, const struct cmp_kpi_value *vals,
		   size_t nvals, int64_t year, double *out)
{
	size_t i;
	int64_t y0, y1;

	for (i = 0; i < nvals; i++)
		if (value_of(k, &vals[i]) && vals[i].year == year && vals[i].has_target) {
			*out = vals[i].target;
			return 1;
		}
	if (!plan || year < plan->first_year)
		return 0;
	y1 = plan->last_year;
	if (year >= y1) {
		*out = k->target;
		return 1;
	}
	/* before the last year: on the straight line from the baseline; without
	 * a baseline a year has only the target given for it */
	if (!k->has_baseline)
		return 0;
	y0 = k->baseline_year != CMP_NONE ? k->baseline_year : plan->first_year - 1;
	if (year <= y0 || y1 <= y0)
		return 0;
	*out = k->baseline + (k->target - k->baseline) * (double)(year - y0) / (double)(y1 - y0);
	return 1;
}

void cmp_kpi_eval(const struct cmp_kpi *k, const struct cmp_plan *plan, const struct cmp_kpi_value *vals,
		  size_t nvals, int64_t year, struct cmp_kpi_eval *out)
{
	size_t i;
	int up = !eq(k->direction, "down");
	double gap, done;

	memset(out, 0, sizeof *out);
	out->value_year = CMP_NONE;
	for (i = 0; i < nvals; i++)
		if (value_of(k, &vals[i]) && vals[i].has_value && vals[i].year <= year &&
		    (out->value_year == CMP_NONE || vals[i].year > out->value_year)) {
			out->value_year = vals[i].year;
			out->value = vals[i].value;
		}
	if (out->value_year == CMP_NONE) {
		out->has_target = cmp_kpi_target(k, plan, vals, nvals, year, &out->target);
		out->status = KPI_NO_DATA;
		return;
	}
	/* the latest value is judged against the target of its own year */
	out->has_target = cmp_kpi_target(k, plan, vals, nvals, out->value_year, &out->target);
	if (!out->has_target) {
		out->status = KPI_NO_DATA;
		return;
	}
	if (up ? out->value >= out->target : out->value <= out->target) {
		out->status = KPI_ON_TRACK;
		return;
	}
	/* close: most of the way from the baseline to the year's target */
	if (k->has_baseline && (gap = out->target - k->baseline) != 0) {
		done = (out->value - k->baseline) / gap;
		if (done >= KPI_CLOSE_SHARE) {
			out->status = KPI_CLOSE;
			return;
		}
	}
	out->status = KPI_BEHIND;
}

const char *cmp_kpi_status_th(enum cmp_kpi_status s)
{
	static const char *t[] = { "ยังไม่มีข้อมูล", "ถึงเป้าหมาย", "ใกล้เป้าหมาย", "ต่ำกว่าเป้าหมาย" };
	return t[s];
}

const char *cmp_kpi_status_en(enum cmp_kpi_status s)
{
	static const char *t[] = { "no data", "on target", "close to target", "behind target" };
	return t[s];
}

const char *cmp_kpi_status_class(enum cmp_kpi_status s)
{
	static const char *t[] = { "none", "ok", "close", "behind" };
	return t[s];
}

static const struct cmp_plan *plan_of(const struct cmp_data *d, const char *code)
{
	size_t i;

	for (i = 0; i < d->nplans; i++)
		if (eq(d->plans[i].code, code))
			return &d->plans[i];
	return NULL;
}

static int check_kpis(struct run *r)
{
	const struct cmp_data *d = r->d;
	int64_t year = be_year(r->today);
	struct cmp_kpi_eval e;
	size_t i;
	int rc;

	for (i = 0; i < d->nkpis; i++) {
		const struct cmp_kpi *k = &d->kpis[i];

		cmp_kpi_eval(k, plan_of(d, k->plan), d->values, d->nvalues, year, &e);
		if (e.status != KPI_BEHIND && e.status != KPI_CLOSE)
			continue;
		SUBJECT(r, "%s/%lld/%lld", k->plan, (long long)k->goal_no, (long long)k->kpi_no);
		SAY(r, "%s: ผลปี %lld เท่ากับ %g ยังไม่ถึงเป้าหมาย %g", k->name, (long long)e.value_year, e.value, e.target);
		SAY_EN(r, "KPI %lld of goal %lld of %s: %g in %lld B.E., behind the target of %g", (long long)k->kpi_no,
		       (long long)k->goal_no, k->plan, e.value, (long long)e.value_year, e.target);
		if ((rc = emit(r, CMP_KPI_BEHIND, k->area, "kpis")))
			return rc;
	}
	return 0;
}

/* ---- pilot schools ---- */


static int check_pilots(struct run *r)
{
	const struct cmp_data *d = r->d;
	size_t i, j;
	int rc;

	for (i = 0; i < d->npilots; i++) {
		const struct cmp_pilot *p = &d->pilots[i];
		char th[256] = "", en[256] = "";

		if (!eq(p->status, "active"))
			continue;
		if (p->board == CMP_NODATE)
			add_item(th, sizeof th, en, sizeof en, "คณะกรรมการสถานศึกษา", "the school board");
		if (p->supervisor == CMP_NODATE)
			add_item(th, sizeof th, en, sizeof en, "ต้นสังกัด", "the supervising body");
		if (p->committee == CMP_NODATE)
			add_item(th, sizeof th, en, sizeof en, "กขน.", "the driving committee");
		if (!th[0])
			continue;
		SUBJECT(r, "%s", p->school);
		SAY(r, "สถานศึกษา %s เป็นสถานศึกษานำร่องโดยไม่มีวันที่ได้รับความเห็นชอบจาก %s", p->school, th);
		SAY_EN(r, "school %s is an active pilot without the approval of %s", p->school, en);
		if ((rc = emit(r, CMP_PILOT_S27, p->area, "pilot_status")))
			return rc;
	}
	for (i = 0; i < d->nschools; i++) {
		const struct cmp_school *s = &d->schools[i];
		const struct cmp_pilot *p = NULL;

		for (j = 0; j < d->npilots && !p; j++)
			if (eq(d->pilots[j].school, s->code))
				p = &d->pilots[j];
		SUBJECT(r, "%s", s->code);
		if (s->pilot && !p) {
			SAY(r, "%s เป็นสถานศึกษานำร่องในทะเบียน แต่ยังไม่มีข้อมูลสถานะสถานศึกษานำร่อง", s->name);
			SAY_EN(r, "school %s is a pilot in the registry but has no lifecycle record", s->code);
		} else if (s->pilot && !eq(p->status, "active")) {
			SAY(r, "%s เป็นสถานศึกษานำร่องในทะเบียน แต่สถานะคือ %s", s->name, p->status);
			SAY_EN(r, "school %s is a pilot in the registry but its lifecycle stage is %s", s->code, p->status);
		} else if (!s->pilot && p && eq(p->status, "active")) {
			SAY(r, "%s มีสถานะเป็นสถานศึกษานำร่อง แต่ทะเบียนสถานศึกษาไม่ได้ระบุเป็นสถานศึกษานำร่อง", s->name);
			SAY_EN(r, "school %s is an active pilot but the registry does not mark it as one", s->code);
		} else {
			continue;
		}
		if ((rc = emit(r, CMP_PILOT_RECORD, s->area, "pilot_status")))
			return rc;
	}
	return 0;
}

int cmp_run(const struct cmp_data *d, int64_t today,
	    int (*fn)(void *ctx, const struct cmp_finding *f), void *ctx)
{
	struct run r;
	int rc;

	memset(&r, 0, sizeof r);
	r.d = d;
	r.today = today;
	r.fn = fn;
	r.ctx = ctx;
	if ((rc = check_committees(&r)) || (rc = check_meetings(&r)) || (rc = check_kpis(&r)) ||
	    (rc = check_pilots(&r)))
		return rc;
	return 0;
}

/* ---- reading the store ---- */

struct loader {
	struct store *st;
	struct arena *mem;
	const struct std_dataset *ds;
	const struct val_value *v;
};

static const struct val_value *col(const struct loader *l, const char *name)
{
	int i = std_field_index(l->ds, name, strlen(name));

	return i >= 0 && l->v[i].state == VAL_SET ? &l->v[i] : NULL;
}

/* a string field ("" when empty; NULL only when out of memory) */
static const char *str(const struct loader *l, const char *name)
{
	const struct val_value *v = col(l, name);

	return v ? arena_strndup(l->mem, v->s, v->n) : "";
}

static int64_t day(const struct loader *l, const char *name)
{
	const struct val_value *v = col(l, name);
	enum date_form form;
	struct date d;

	if (!v || date_parse(v->s, v->n, &d, &form) != DATE_OK)
		return CMP_NODATE;
	return date_to_days(d);
}

static int64_t num(const struct loader *l, const char *name)
{
	const struct val_value *v = col(l, name);

	return v ? v->i : CMP_NONE;
}

static int real(const struct loader *l, const char *name, double *out)
{
	const struct val_value *v = col(l, name);

	*out = v ? v->d : 0;
	return v != NULL;
}

/* Every row of a data set in scope: one call of fn per row into the i-th
 * element of an array of size bytes per element, allocated in the arena. */
static int load_ds(struct loader *l, const struct store_scope *sc, const char *name, size_t size, void **out,
		   size_t *nout, void (*fn)(const struct loader *l, void *elem))
{
	struct store_query q;
	struct store_scan *scan = NULL;
	struct val_value *vals;
	int64_t n = 0;
	size_t i = 0;
	char *arr;
	int rc;

	*out = NULL;
	*nout = 0;
	l->ds = std_dataset(l->st->pkg, name);
	if (!l->ds)
		return 0; /* an older standard: nothing to check */
	memset(&q, 0, sizeof q);
	q.scope = *sc;
	if ((rc = store_count(l->st, l->ds, &q, &n)) || n == 0)
		return rc;
	arr = arena_alloc(l->mem, (size_t)n * size);
	vals = arena_alloc(l->mem, l->ds->nfields * sizeof *vals);
	if (!arr || !vals)
		return NAWAT_ENOMEM;
	memset(arr, 0, (size_t)n * size);
	q.limit = n;
	if ((rc = store_scan_open(l->st, l->ds, &q, &scan)))
		return rc;
	while (i < (size_t)n && (rc = store_scan_next(scan, vals)) == 1) {
		l->v = vals;
		fn(l, arr + i * size);
		i++;
	}
	store_scan_close(scan);
	if (rc < 0)
		return rc;
	*out = arr;
	*nout = i;
	return 0;
}

static void row_committee(const struct loader *l, void *e)
{
	struct cmp_committee *c = e;

	c->code = str(l, "committee_code");
	c->type = str(l, "type");
	c->area = str(l, "area_code");
	c->parent = str(l, "parent_code");
	c->appointed = day(l, "appointed_on");
	c->dissolved = day(l, "dissolved_on");
	c->seats = num(l, "seats");
}

static void row_member(const struct loader *l, void *e)
{
	struct cmp_member *m = e;

	m->committee = str(l, "committee_code");
	m->area = str(l, "area_code");
	m->name = str(l, "name_th");
	m->office = str(l, "office");
	m->seat = str(l, "seat");
	m->no = num(l, "member_no");
	m->start = day(l, "term_start");
	m->end = day(l, "term_end");
	m->left = day(l, "left_on");
}

static void row_meeting(const struct loader *l, void *e)
{
	struct cmp_meeting *m = e;
	const char *q = str(l, "quorum");

	m->committee = str(l, "committee_code");
	m->area = str(l, "area_code");
	m->status = str(l, "status");
	m->year = num(l, "year");
	m->number = num(l, "number");
	m->held_on = day(l, "held_on");
	m->total = num(l, "members_total");
	m->present = num(l, "members_present");
	m->quorum = eq(q, "Y") ? 1 : eq(q, "N") ? 0 : -1;
}

static void row_resolution(const struct loader *l, void *e)
{
	struct cmp_resolution *x = e;

	x->committee = str(l, "committee_code");
	x->area = str(l, "area_code");
	x->status = str(l, "status");
	x->owner = str(l, "owner_th");
	x->year = num(l, "meeting_year");
	x->meeting_no = num(l, "meeting_no");
	x->no = num(l, "resolution_no");
	x->due = day(l, "due_on");
	x->closed = day(l, "closed_on");
}

static void row_plan(const struct loader *l, void *e)
{
	struct cmp_plan *p = e;

	p->code = str(l, "plan_code");
	p->area = str(l, "area_code");
	p->first_year = num(l, "first_year");
	p->last_year = num(l, "last_year");
}

static void row_kpi(const struct loader *l, void *e)
{
	struct cmp_kpi *k = e;

	k->plan = str(l, "plan_code");
	k->area = str(l, "area_code");
	k->name = str(l, "name_th");
	k->direction = str(l, "direction");
	k->goal_no = num(l, "goal_no");
	k->kpi_no = num(l, "kpi_no");
	k->has_baseline = real(l, "baseline", &k->baseline);
	real(l, "target", &k->target);
	k->baseline_year = num(l, "baseline_year");
	k->metric = str(l, "metric");
	k->metric_subject = str(l, "metric_subject");
	k->metric_instrument = str(l, "metric_instrument");
	k->metric_term = num(l, "metric_term");
}

static void row_value(const struct loader *l, void *e)
{
	struct cmp_kpi_value *v = e;

	v->plan = str(l, "plan_code");
	v->goal_no = num(l, "goal_no");
	v->kpi_no = num(l, "kpi_no");
	v->year = num(l, "year");
	v->has_target = real(l, "target", &v->target);
	v->has_value = real(l, "value", &v->value);
}

static void row_pilot(const struct loader *l, void *e)
{
	struct cmp_pilot *p = e;

	p->school = str(l, "school_code");
	p->area = "";
	p->status = str(l, "status");
	p->board = day(l, "board_approved_on");
	p->supervisor = day(l, "supervisor_approved_on");
	p->committee = day(l, "committee_approved_on");
}

static void row_school(const struct loader *l, void *e)
{
	struct cmp_school *s = e;

	s->code = str(l, "school_code");
	s->area = str(l, "area_code");
	s->name = str(l, "name_th");
	s->pilot = eq(str(l, "pilot"), "Y");
}

int cmp_load(struct store *st, const struct store_scope *sc, struct arena *mem, struct cmp_data *out)
{
	struct loader l;
	size_t i, j;
	int rc;

	memset(out, 0, sizeof *out);
	memset(&l, 0, sizeof l);
	l.st = st;
	l.mem = mem;
#define LOAD(name, arr, n, fn) load_ds(&l, sc, name, sizeof *(arr), (void **)&(arr), &(n), fn)
	if ((rc = LOAD("committees", out->committees, out->ncommittees, row_committee)) ||
	    (rc = LOAD("committee_members", out->members, out->nmembers, row_member)) ||
	    (rc = LOAD("meetings", out->meetings, out->nmeetings, row_meeting)) ||
	    (rc = LOAD("resolutions", out->resolutions, out->nresolutions, row_resolution)) ||
	    (rc = LOAD("plans", out->plans, out->nplans, row_plan)) ||
	    (rc = LOAD("kpis", out->kpis, out->nkpis, row_kpi)) ||
	    (rc = LOAD("kpi_values", out->values, out->nvalues, row_value)) ||
	    (rc = LOAD("pilot_status", out->pilots, out->npilots, row_pilot)) ||
	    (rc = LOAD("schools", out->schools, out->nschools, row_school)))
		return rc;
#undef LOAD
	/* a pilot's area is its school's */
	for (i = 0; i < out->npilots; i++)
		for (j = 0; j < out->nschools; j++)
			if (eq(out->pilots[i].school, out->schools[j].code)) {
				out->pilots[i].area = out->schools[j].area;
				break;
			}
	return 0;
}
