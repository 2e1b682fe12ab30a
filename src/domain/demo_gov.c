/*
 * demo_gov.c - governance demo data (see demo_gov.h).
 *
 * Small (a few thousand rows at most), so it is written with stdio.  Names
 * of people are made up, except those the sources name in their public
 * roles.  Every row is valid against the standard.
 */
#include "demo_gov.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../base/date.h"

/* ---- CSV out ---- */

struct out {
	FILE *fp;
	char path[4096];
	long rows;
};

static int out_open(struct out *o, const char *dir, const char *name, const char *header, struct nw_err *err)
{
	int len = snprintf(o->path, sizeof o->path, "%s/%s", dir, name);

	o->rows = 0;
	if (len < 0 || (size_t)len >= sizeof o->path)
		return err_set(err, NAWAT_EINVAL, "ชื่อไดเรกทอรียาวเกินไป: %s", "directory name too long: %s", dir);
	o->fp = fopen(o->path, "wb");
	if (!o->fp)
		return err_set(err, NAWAT_EIO, "เปิดไฟล์ %s เพื่อเขียนไม่ได้: %s", "cannot open %s for writing: %s", o->path,
			       strerror(errno));
	fputs(header, o->fp);
	fputc('\n', o->fp);
	return 0;
}

static int out_close(struct out *o, int rc, struct nw_err *err)
{
	if (!o->fp)
		return rc;
	if (fclose(o->fp) && !rc)
		rc = err_set(err, NAWAT_EIO, "เขียนไฟล์ %s ไม่สำเร็จ", "cannot write %s", o->path);
	o->fp = NULL;
	return rc;
}

/* One row of n fields; a field with a comma, quote or line end is quoted. */
static void row(struct out *o, int n, const char *const *f)
{
	int i;

	for (i = 0; i < n; i++) {
		const char *s = f[i] ? f[i] : "";

		if (i)
			fputc(',', o->fp);
		if (strpbrk(s, ",\"\r\n")) {
			fputc('"', o->fp);
			for (; *s; s++) {
				if (*s == '"')
					fputc('"', o->fp);
				fputc(*s, o->fp);
			}
			fputc('"', o->fp);
		} else {
			fputs(s, o->fp);
		}
	}
	fputc('\n', o->fp);
	o->rows++;
}

#define ROW(o, ...) do { const char *f_[] = { __VA_ARGS__ }; row((o), (int)(sizeof f_ / sizeof f_[0]), f_); } while (0)

/* ---- small helpers: numbers and dates as text in a ring of buffers ---- */

static char ring[64][64];
static int ring_i;

static char *slot(void)
{
	ring_i = (ring_i + 1) % 64;
	return ring[ring_i];
}

static const char *num(long v)
{
	char *s = slot();

	snprintf(s, 64, "%ld", v);
	return s;
}

static const char *dec(double v)
{
	char *s = slot();

	snprintf(s, 64, "%.2f", v);
	/* no trailing zeros: the exports write the shortest form */
	if (strchr(s, '.')) {
		size_t n = strlen(s);

		while (s[n - 1] == '0')
			s[--n] = '\0';
		if (s[n - 1] == '.')
			s[--n] = '\0';
	}
	return s;
}

/* ISO date of y-m-d (C.E.) plus days */
static const char *day(int y, int m, int d, long plus)
{
	struct date dt = { y, m, d };
	char *s = slot();

	return date_iso(date_from_days(date_to_days(dt) + plus), s, 64);
}

static const char *iso_plus(const char *iso, long plus)
{
	struct date dt;
	enum date_form f;

	if (date_parse(iso, strlen(iso), &dt, &f) != DATE_OK)
		return "";
	return day(dt.y, dt.m, dt.d, plus);
}

static const char *text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *text(const char *fmt, ...)
{
	static char big[16][512];
	static int bi;
	va_list ap;

	bi = (bi + 1) % 16;
	va_start(ap, fmt);
	vsnprintf(big[bi], sizeof big[bi], fmt, ap);
	va_end(ap);
	return big[bi];
}

/* A made-up person's name, fixed by (area, k). */
static const char *person(int area, int k)
{
	static const char *const men[] = { "สมชาย", "วิชัย", "ประเสริฐ", "ธนพล", "สมศักดิ์", "ชัยวัฒน์", "อนุชา", "กิตติ",
					   "สุรเชษฐ์", "ณรงค์", "พิชิต", "เอกชัย" };
	static const char *const women[] = { "สุดา", "มาลี", "อรุณี", "กนกวรรณ", "พรทิพย์", "จันทร์เพ็ญ", "รัตนา",
					     "วันเพ็ญ", "ศิริพร", "นงลักษณ์", "ปราณี", "อัญชลี" };
	static const char *const family[] = { "ใจดี", "ศรีสุข", "มั่นคง", "แก้วประเสริฐ", "ทองดี", "บุญมา", "สายสุวรรณ",
					      "พรหมมา", "วงศ์ใหญ่", "คำแก้ว", "ชัยมงคล", "สุขเจริญ", "รัตนวงศ์" };
	unsigned h = (unsigned)(area * 31 + k * 17 + 7);
	int woman = (h >> 3) & 1;

	return text("%s%s %s", woman ? ((h >> 4) & 1 ? "นาง" : "นางสาว") : "นาย", woman ? women[h % 12] : men[h % 12],
		    family[(h / 12) % 13]);
}

/* ---- the data ---- */

struct gov {
	const char *dir;
	const struct demo_gov_area *areas;
	int nareas;
	const struct demo_gov_school *schools;
	int nschools;
	struct out committees, members, meetings, resolutions, plans, goals, kpis, values, pilots, participants;
	struct nw_err *err;
};

#define H_COMMITTEES "committee_code,type,area_code,parent_code,name_th,name_en,order_no,appointed_on,seats,dissolved_on"
#define H_MEMBERS "committee_code,member_no,area_code,name_th,position_th,office,seat,sector,order_no,order_date,term_start,term_end,left_on,note_th"
#define H_MEETINGS "committee_code,year,number,area_code,status,held_on,venue_th,members_total,members_present,quorum,minutes_ref,note_th"
#define H_RESOLUTIONS "committee_code,meeting_year,meeting_no,resolution_no,area_code,text_th,owner_th,due_on,status,closed_on,note_th"
#define H_PLANS "plan_code,area_code,title_th,title_en,first_year,last_year,approved_on,approval_ref"
#define H_GOALS "plan_code,goal_no,area_code,issue,title_th,title_en"
#define H_KPIS "plan_code,goal_no,kpi_no,area_code,name_th,name_en,unit_th,baseline,baseline_year,target,direction," \
	       "metric,metric_subject,metric_instrument,metric_term"
#define H_VALUES "plan_code,goal_no,kpi_no,year,area_code,target,value,note_th"
#define H_PILOTS "school_code,status,applied_on,board_approved_on,board_doc_no,supervisor,supervisor_approved_on,supervisor_doc_no,committee_approved_on,committee_doc_no,active_since,exited_on,exit_reason,exit_doc_no,note_th"
#define H_PARTICIPANTS "participant_id,sector,area_code,school_code,type,name_th,name_en,status,involvement,joined_on,note_th"

static const char *province_th(const struct demo_gov_area *a)
{
	return a->code == 10 ? a->th : text("จังหวัด%s", a->th);
}

/* The policy committee: the Act's national body (s.15). */
static void policy(struct gov *g)
{
	static const struct { int year, n; const char *days[4]; } held[] = {
		{ 2020, 4, { "2020-06-15", "2020-09-21", "2020-11-16", "2020-12-21" } },
		{ 2021, 4, { "2021-03-15", "2021-06-21", "2021-09-20", "2021-12-20" } },
		{ 2022, 4, { "2022-03-21", "2022-06-20", "2022-09-19", "2022-12-26" } },
		{ 2023, 3, { "2023-03-20", "2023-07-17", "2023-11-20", NULL } },  /* one short */
		{ 2024, 4, { "2024-03-18", "2024-06-17", "2024-09-16", "2024-12-16" } },
		{ 2025, 4, { "2025-03-17", "2025-06-16", "2025-09-15", "2025-12-15" } },
	};
	int i, k, no = 1;

	ROW(&g->committees, "POLICY", "policy", "", "", "คณะกรรมการนโยบายพื้นที่นวัตกรรมการศึกษา",
	    "Education Sandbox Policy Committee", "", "2019-08-01", "14", "");
	/* the chair as the seeds name him signing in 2565 */
	ROW(&g->members, "POLICY", num(no++), "", "นายวิษณุ เครืองาม", "รองนายกรัฐมนตรี", "02", "chair", "1", "", "",
	    "2019-08-01", "", "", "");
	for (k = 0; k < 4; k++)
		ROW(&g->members, "POLICY", num(no++), "", person(0, k), text("ผู้แทนหน่วยงานโดยตำแหน่ง คนที่ %d", k + 1), "09",
		    "ex_officio", "1", "", "", "2019-08-01", "", "", "");
	/* eight experts: a first term 2562-2566; six reappointed for a second */
	for (k = 0; k < 8; k++) {
		ROW(&g->members, "POLICY", num(no++), "", person(0, 10 + k), "ผู้ทรงคุณวุฒิ", "09", "expert", "4",
		    "ประกาศแต่งตั้ง กนน.", "2019-08-01", "2019-08-01", "2023-07-31", k >= 6 ? "2023-07-31" : "", "");
	}
	for (k = 0; k < 8; k++)
		ROW(&g->members, "POLICY", num(no++), "", person(0, k < 6 ? 10 + k : 30 + k), "ผู้ทรงคุณวุฒิ", "09", "expert",
		    "4", "ประกาศแต่งตั้ง กนน.", "2023-08-01", "2023-08-01", "2027-07-31", "", "");
	ROW(&g->members, "POLICY", num(no++), "", person(0, 50), "เลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน", "09",
	    "secretary", "1", "", "", "2019-08-01", "", "", "");
	for (i = 0; i < (int)(sizeof held / sizeof held[0]); i++)
		for (k = 0; k < held[i].n; k++)
			ROW(&g->meetings, "POLICY", num(held[i].year + 543), num(k + 1), "", "held", held[i].days[k],
			    "ห้องประชุมสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน", "22", num(15 + (k + i) % 5), "Y", "", "");
	ROW(&g->resolutions, "POLICY", "2563", "2", "1", "",
	    "เห็นชอบให้หลักสูตรอิงสมรรถนะเป็นหลักสูตรตามมาตรา 25 วรรคสี่ ให้สถานศึกษานำร่องประยุกต์ใช้ได้",
	    "สำนักวิชาการและมาตรฐานการศึกษา สพฐ.", "2020-12-31", "done", "2020-11-30", "");
	ROW(&g->resolutions, "POLICY", "2565", "4", "1", "",
	    "เห็นชอบการแต่งตั้งคณะกรรมการขับเคลื่อนพื้นที่นวัตกรรมการศึกษา 11 พื้นที่", "สำนักงานบริหารพื้นที่นวัตกรรมการศึกษา",
	    "2023-01-31", "done", "2022-12-30", "");
}

/* A driving committee's members: the Act's composition (s.19) with at most 21. */
static void driving_members(struct gov *g, const struct demo_gov_area *a, const char *code, const char *start,
			    const char *end, const char *order)
{
	static const struct { const char *seat, *office, *sector, *position; } seats[] = {
		{ "chair", "03", "1", "ผู้ว่าราชการ%s" },
		{ "vice_chair", "04", "1", "รองผู้ว่าราชการ%s" },
		{ "ex_officio", "06", "1", "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษา%s เขต 1" },
		{ "ex_officio", "06", "1", "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษามัธยมศึกษา%s" },
		{ "ex_officio", "07", "2", "นายกองค์การบริหารส่วน%s" },
		{ "school_rep", "08", "1", "ผู้อำนวยการสถานศึกษานำร่อง%s" },
		{ "school_rep", "08", "2", "ผู้อำนวยการโรงเรียนเทศบาลนำร่อง%s" },
		{ "university", "09", "1", "ผู้แทนมหาวิทยาลัยราชภัฏใน%s" },
		{ "private", "09", "3", "ผู้แทนหอการค้า%s" },
		{ "private", "09", "3", "ผู้แทนสภาอุตสาหกรรม%s" },
		{ "expert", "09", "4", "ผู้ทรงคุณวุฒิด้านการศึกษา" },
		{ "expert", "09", "4", "ผู้ทรงคุณวุฒิด้านการพัฒนาชุมชน" },
		{ "expert", "09", "4", "ผู้ทรงคุณวุฒิด้านเศรษฐกิจ" },
		{ "secretary", "05", "1", "ศึกษาธิการ%s" },
		{ "asst_secretary", "09", "1", "รองศึกษาธิการ%s" },
	};
	int k;

	for (k = 0; k < (int)(sizeof seats / sizeof seats[0]); k++) {
		const char *name = person(a->code, k);
		const char *sector = seats[k].sector;

		/* Chiang Mai: the people seed 000 names in these roles */
		if (a->code == 50 && k == 1)
			name = "นายชัชวาลย์ ฉายะบุตร";
		if (a->code == 50 && k == 8)
			name = "ดร.กอบกิจ อิสรชีววัฒน์";
		ROW(&g->members, code, num(k + 1), num(a->code), name,
		    text(seats[k].position, province_th(a)), seats[k].office, seats[k].seat, sector, order,
		    start, start, end, "", "");
	}
}

/* Per area: the driving committee, subcommittees, meetings, resolutions. */
static void area_committees(struct gov *g, const struct demo_gov_area *a)
{
	const char *code = text("%d-DRIVE", a->code);
	const char *start = a->wave == 1 ? "2023-10-01" : a->wave == 2 ? "2022-12-27" : "2024-09-01";
	const char *end = a->wave == 1 ? "2027-09-30" : a->wave == 2 ? "2026-12-26" : "2028-08-31";
	const char *order = a->wave == 2 ? "ประกาศ กนน. เรื่อง แต่งตั้ง กขน. 11 พื้นที่" : "ประกาศ กนน. แต่งตั้ง กขน.";
	const char *venue = text("ห้องประชุมศาลากลาง%s", province_th(a));
	char dcode[32];
	int y, k;

	snprintf(dcode, sizeof dcode, "%s", code);
	ROW(&g->committees, dcode, "driving", num(a->code), "",
	    text("คณะกรรมการขับเคลื่อนพื้นที่นวัตกรรมการศึกษา%s", province_th(a)),
	    text("Driving committee of the %s sandbox area", a->en), order,
	    a->wave == 1 ? "2019-10-01" : start, "15", "");
	driving_members(g, a, dcode, start, end, order);
	ROW(&g->committees, text("%d-SUB-PLAN", a->code), "subcommittee", num(a->code), dcode,
	    "คณะอนุกรรมการยุทธศาสตร์และแผนงาน", "Strategy and plan subcommittee", "คำสั่ง กขน.",
	    a->wave == 1 ? "2020-03-01" : day(2023, 2, 15, 0), "", "");
	if (a->code == 50) {
		/* seed 000: the working groups proposed at meeting 3/2564 */
		ROW(&g->committees, "50-SUB-AREA", "subcommittee", "50", dcode,
		    "คณะอนุกรรมการบริหารจัดการเชิงพื้นที่นวัตกรรมการศึกษา", "Area-based management subcommittee", "คำสั่ง กขน.",
		    "2020-03-01", "", "");
		ROW(&g->committees, "50-WG-AREA", "working_group", "50", "50-SUB-AREA",
		    "คณะทำงานภายใต้คณะอนุกรรมการบริหารจัดการเชิงพื้นที่นวัตกรรมการศึกษา", "Working group on area-based management",
		    "คำสั่ง กขน.", "2021-08-20", "", "");
		ROW(&g->committees, "50-WG-PLAN", "working_group", "50", "50-SUB-PLAN",
		    "คณะทำงานภายใต้คณะอนุกรรมการยุทธศาสตร์และแผนงาน", "Working group on strategy and plans", "คำสั่ง กขน.",
		    "2021-08-20", "", "");
		/* an earlier-term member whose term lapsed without a record: the check shows it */
		ROW(&g->members, dcode, "16", "50", person(50, 40), "ผู้ทรงคุณวุฒิด้านศิลปวัฒนธรรมล้านนา", "09", "expert", "4",
		    "ประกาศ กนน. แต่งตั้ง กขน.", "2020-04-01", "2020-04-01", "2024-03-31", "", "");
		/* seed 000: meeting 3/2564 of 16 July 2564 */
		ROW(&g->meetings, dcode, "2564", "3", "50", "held", "2021-07-16",
		    "ห้องประชุมล้านนา สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงใหม่ เขต 1 อ.เมือง จ.เชียงใหม่", "21", "17", "Y", "",
		    "นายชัชวาลย์ ฉายะบุตร รองผู้ว่าราชการจังหวัดเชียงใหม่ ร่วมประชุม; ดร.กอบกิจ อิสรชีววัฒน์ ผู้แทนประธานหอการค้าจังหวัดเชียงใหม่");
		ROW(&g->resolutions, dcode, "2564", "3", "1", "50",
		    "แต่งตั้งคณะทำงานภายใต้คณะอนุกรรมการบริหารจัดการเชิงพื้นที่นวัตกรรมการศึกษา และคณะอนุกรรมการยุทธศาสตร์และแผนงาน",
		    "สำนักงานศึกษาธิการจังหวัดเชียงใหม่", "2021-08-31", "done", "2021-08-20", "");
		/* still open long after its due date: the check shows it */
		ROW(&g->resolutions, dcode, "2564", "3", "2", "50",
		    "ขับเคลื่อนแผนยุทธศาสตร์การขับเคลื่อนพื้นที่นวัตกรรมการศึกษาจังหวัดเชียงใหม่ (พ.ศ. 2565 – 2569) ให้เกิดผลอย่างเป็นรูปธรรม และรายงานความก้าวหน้าต่อ กขน.",
		    "คณะอนุกรรมการยุทธศาสตร์และแผนงาน", "2022-09-30", "in_progress", "", "");
	}
	if (a->code == 71) {
		/* seed 002: the workshop of 27 December 2561 that drafted the strategy */
		ROW(&g->committees, "71-WG-PLAN", "working_group", "71", dcode,
		    "คณะทำงานจัดทำแผนยุทธศาสตร์พื้นที่นวัตกรรมการศึกษาจังหวัดกาญจนบุรี", "Kanchanaburi strategy drafting group",
		    "คำสั่งจังหวัดกาญจนบุรี", "2018-12-01", "9", "2019-12-31");
		ROW(&g->members, "71-WG-PLAN", "1", "71", "นายอนันต์ กัลปะ", "ศึกษาธิการจังหวัดกาญจนบุรี", "05", "chair", "1", "",
		    "", "2018-12-01", "2018-12-01", "2019-12-31", "", "");
		ROW(&g->members, "71-WG-PLAN", "2", "71", "นายวิทยาเกียรติ เงินดี",
		    "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษากาญจนบุรี เขต 1", "06", "ex_officio", "1", "", "",
		    "2018-12-01", "2019-12-31", "2019-12-31", "");
		ROW(&g->meetings, "71-WG-PLAN", "2561", "1", "71", "held", "2018-12-27",
		    "ห้องประชุมคอนเวนชั่น โรงแรมราชศุภมิตร อำเภอเมือง จังหวัดกาญจนบุรี", "9", "9", "Y", "",
		    "ประชุมเชิงปฏิบัติการขับเคลื่อนพื้นที่นวัตกรรมการศึกษาจังหวัดกาญจนบุรี เวลา 09.00 น. พลเอกสุทัศน์ กาญจนานนท์กุล "
		    "ที่ปรึกษารัฐมนตรีช่วยว่าการกระทรวงศึกษาธิการ เป็นประธานเปิด ผู้เข้าร่วม 450 คน จากภาครัฐ ภาคีเครือข่ายประชาชน "
		    "และองค์กรปกครองส่วนท้องถิ่น");
		ROW(&g->resolutions, "71-WG-PLAN", "2561", "1", "1", "71",
		    "นำความคิดเห็นจากที่ประชุมไปจัดทำแผนยุทธศาสตร์พื้นที่นวัตกรรมการศึกษาจังหวัดกาญจนบุรี ให้ยืดหยุ่นและทบทวนได้ตามบริบทของพื้นที่",
		    "สำนักงานศึกษาธิการจังหวัดกาญจนบุรี", "2019-03-31", "done", "2019-03-15", "");
		ROW(&g->resolutions, "71-WG-PLAN", "2561", "1", "2", "71",
		    "ปรับระบบกลไกการมีส่วนร่วมในการจัดการศึกษาร่วมกันของภาคส่วนต่าง ๆ ในพื้นที่",
		    "สำนักงานเขตพื้นที่การศึกษาประถมศึกษากาญจนบุรี เขต 1", "2019-06-30", "done", "2019-06-28", "");
	}
	/* the 2567 round of the driving committee: three meetings (Buriram's
	 * committee began in September 2567: one) */
	for (y = a->wave == 3 ? 2 : 0; y < 3; y++) {
		const char *held_on = day(2024, 2 + 4 * y, 10 + a->code % 15, 0);
		/* Kanchanaburi's second meeting lacked a quorum */
		int present = a->code == 71 && y == 1 ? 7 : 11 + (a->code + y) % 4;

		ROW(&g->meetings, dcode, "2567", num(y + 1), num(a->code), "held", held_on, venue, "15", num(present),
		    present * 2 >= 15 ? "Y" : "N", text("รายงานการประชุม กขน. ครั้งที่ %d/2567", y + 1), "");
		for (k = 0; k < 2; k++) {
			const char *due = iso_plus(held_on, 90 + 60 * k);
			/* the last meeting's follow-up is still open in a third of the areas */
			int open = y == 2 && k == 1 && a->code % 3 == 0;

			ROW(&g->resolutions, dcode, "2567", num(y + 1), num(k + 1), num(a->code),
			    k == 0 ? "ให้สถานศึกษานำร่องรายงานผลการประเมินคุณภาพภายในประจำปีต่อ กขน." :
				     "จัดทำรายงานผลสัมฤทธิ์ ปัญหาและอุปสรรค เสนอ กนน. ตามมาตรา 20 (12)",
			    k == 0 ? text("สำนักงานเขตพื้นที่การศึกษาประถมศึกษา%s เขต 1", province_th(a)) :
				     text("สำนักงานศึกษาธิการ%s", province_th(a)),
			    due, open ? "in_progress" : "done", open ? "" : iso_plus(held_on, 60 + 30 * k), "");
		}
	}
}

/* The area's strategic plan: goals under the common issues, KPIs, values. */
static void area_plan(struct gov *g, const struct demo_gov_area *a)
{
	static const struct { const char *issue, *th, *en; } goals[] = {
		{ "4", "ผู้เรียนมีสมรรถนะตามศักยภาพ", "Learners reach their competencies" },
		{ "2", "ลดความเหลื่อมล้ำทางการศึกษา", "Less educational inequality" },
		{ "1", "สถานศึกษานำร่องสร้างนวัตกรรมและขยายผล", "Pilot schools innovate and spread it" },
		{ "5", "ภาคีเครือข่ายร่วมจัดการศึกษา", "Partners share in education" },
	};
	static const struct { const char *th, *en, *unit, *dir; double base, target; } kpis[] = {
		{ "ร้อยละของผู้เรียนที่มีสมรรถนะหลักระดับดีขึ้นไป", "Share of learners at level good or above", "ร้อยละ", "up", 52, 70 },
		{ "ร้อยละของนักเรียนยากจนพิเศษที่หลุดออกจากระบบ", "Drop-out rate of extremely poor students", "ร้อยละ", "down", 4, 1 },
		{ "จำนวนนวัตกรรมที่ได้รับการรับรองและขยายผล", "Innovations certified and spread", "นวัตกรรม", "up", 3, 25 },
		{ "จำนวนภาคีเครือข่ายที่ร่วมจัดการศึกษา", "Partners sharing in education", "องค์กร", "up", 10, 40 },
	};
	int first = a->wave == 1 ? 2565 : a->wave == 2 ? 2566 : 2568, last = first + 4, k, y;
	const char *plan = text("%d-PLAN-%d", a->code, first);
	char pcode[32];

	snprintf(pcode, sizeof pcode, "%s", plan);
	ROW(&g->plans, pcode, num(a->code),
	    text("แผนยุทธศาสตร์การขับเคลื่อนพื้นที่นวัตกรรมการศึกษา%s (พ.ศ. %d – %d)", province_th(a), first, last),
	    text("%s sandbox strategic plan %d-%d", a->en, first, last), num(first), num(last),
	    a->code == 50 ? "2021-07-16" : day(first - 544, 9, 15, 0),
	    a->code == 50 ? "มติ กขน. ครั้งที่ 3/2564" : "มติ กขน.");
	for (k = 0; k < 4; k++) {
		double base = kpis[k].base + (a->code % 5), target = kpis[k].target + (a->code % 5);

		if (kpis[k].dir[0] == 'd') {
			base = kpis[k].base;
			target = kpis[k].target;
		}
		ROW(&g->goals, pcode, num(k + 1), num(a->code), goals[k].issue, goals[k].th, goals[k].en);
		ROW(&g->kpis, pcode, num(k + 1), "1", num(a->code), kpis[k].th, kpis[k].en, kpis[k].unit, dec(base),
		    num(first - 1), dec(target), kpis[k].dir, "", "", "", "");
		/* values up to 2567: most on the line, some areas behind on one KPI */
		for (y = first; y <= 2567; y++) {
			double line = base + (target - base) * (double)(y - first + 1) / (double)(last - first + 1);
			int behind = (a->code + k) % 7 == 0;
			double v = behind ? base + (line - base) * 0.5 : line + (kpis[k].dir[0] == 'd' ? -0.2 : 0.5);

			ROW(&g->values, pcode, num(k + 1), "1", num(y), num(a->code), "", dec(v),
			    behind ? "ต่ำกว่าเป้าหมาย อยู่ระหว่างปรับแผน" : "");
		}
	}
	/* the gap between poor and other students, bound to the outcome metric:
	 * its values come from the learner results (no values recorded) */
	ROW(&g->kpis, pcode, "2", "2", num(a->code), "ช่องว่างคะแนนความรู้ระหว่างนักเรียนยากจนกับนักเรียนทั่วไป",
	    "Knowledge gap between poor and other students", "คะแนน", "8.00", num(first - 1), "4.00", "down",
	    "knowledge.gap", "", "SCH", "1");
	if (a->code == 71) {
		/* the first plan, drafted from the 2561 workshop (seed 002) */
		ROW(&g->plans, "71-PLAN-2562", "71", "แผนยุทธศาสตร์พื้นที่นวัตกรรมการศึกษาจังหวัดกาญจนบุรี (พ.ศ. 2562 – 2565)",
		    "Kanchanaburi sandbox strategic plan 2562-2565", "2562", "2565", "2019-03-15",
		    "ประชุมเชิงปฏิบัติการ 27 ธันวาคม 2561");
		ROW(&g->goals, "71-PLAN-2562", "1", "71", "3", "ระบบและกลไกการจัดการศึกษาร่วมกันของภาคส่วนต่าง ๆ ในพื้นที่",
		    "Joint education mechanisms of every sector in the area");
		ROW(&g->kpis, "71-PLAN-2562", "1", "1", "71", "จำนวนภาคส่วนที่ร่วมจัดการศึกษา", "Sectors sharing in education",
		    "ภาคส่วน", "1", "2561", "4", "up", "", "", "", "");
		for (y = 2562; y <= 2565; y++)
			ROW(&g->values, "71-PLAN-2562", "1", "1", num(y), "71", "", num(y - 2560 > 4 ? 4 : y - 2560), "");
	}
}

/* the B.E. year of an ISO date */
static int be_year(const char *iso)
{
	int y = 0, k;

	for (k = 0; k < 4 && iso[k] >= '0' && iso[k] <= '9'; k++)
		y = y * 10 + (iso[k] - '0');
	return y + BE_OFFSET;
}

static const char *supervisor_of(int aff)
{
	return aff == 11 ? "ppeo" : aff == 30 ? "lao" : "esa";
}

/* Each pilot school's path; some non-pilots applying or having left. */
static void pilots(struct gov *g)
{
	int i, applicants = 0, exits = 0, missing = 0;

	for (i = 0; i < g->nschools; i++) {
		const struct demo_gov_school *s = &g->schools[i];
		const char *sup = supervisor_of(s->aff);

		if (!s->area)
			continue;
		if (s->pilot) {
			/* two first-cohort schools outside Chiang Mai have no
			 * driving-committee approval on file: the s.27 check shows them */
			int no_committee = s->cohort == 1 && s->area != 50 && missing < 2;

			missing += no_committee;
			ROW(&g->pilots, s->code, "active", iso_plus(s->since, -150), iso_plus(s->since, -130),
			    text("มติคณะกรรมการสถานศึกษา %s", s->code + 6), sup, iso_plus(s->since, -100),
			    text("หนังสือต้นสังกัด ที่ %d/%d", 100 + i % 300, be_year(s->since)),
			    no_committee ? "" : iso_plus(s->since, -60), no_committee ? "" : "มติ กขน.", s->since, "", "", "",
			    no_committee ? "ไม่พบมติ กขน. ในแฟ้ม อยู่ระหว่างตรวจสอบ" : "");
		} else if (applicants < 6 && i % 7 == 3) {
			/* the next cohort, on its way */
			static const char *const stage[] = { "applied", "board_approved", "supervisor_approved",
							     "committee_approved" };
			const char *st = stage[applicants % 4];
			int n = applicants % 4;

			applicants++;
			ROW(&g->pilots, s->code, st, "2024-11-01", n >= 1 ? "2024-11-20" : "", n >= 1 ? "มติคณะกรรมการสถานศึกษา" : "",
			    n >= 2 ? sup : "", n >= 2 ? "2024-12-15" : "", n >= 2 ? "หนังสือต้นสังกัด" : "",
			    n >= 3 ? "2025-02-10" : "", n >= 3 ? "มติ กขน." : "", "", "", "", "", "");
		} else if (exits < 2 && i % 11 == 5) {
			exits++;
			ROW(&g->pilots, s->code, "exited", "2020-01-10", "2020-01-30", "มติคณะกรรมการสถานศึกษา", sup, "2020-02-20",
			    "หนังสือต้นสังกัด", "2020-03-20", "มติ กขน.", "2020-05-16", exits == 1 ? "2023-05-15" : "2024-03-31",
			    exits == 1 ? "1" : "2", exits == 1 ? "หนังสือขอออกของสถานศึกษา" : "มติ กขน.", "");
		}
	}
}

/* Partners: the sourced ones, then a few per area. */
static void participants(struct gov *g)
{
	static const struct { const char *sector, *type, *th, *en, *involvement; } kinds[] = {
		{ "2", "03", "องค์การบริหารส่วน%s", "%s Provincial Administrative Organisation", "05" },
		{ "1", "02", "มหาวิทยาลัยราชภัฏใน%s", "Rajabhat university of %s", "02" },
		{ "3", "04", "หอการค้า%s", "%s Chamber of Commerce", "03" },
		{ "4", "05", "มูลนิธิเพื่อการศึกษา%s", "%s education foundation", "06" },
	};
	int i, k;

	for (i = 0; i < g->nareas; i++) {
		const struct demo_gov_area *a = &g->areas[i];
		int yy = a->wave == 1 ? 62 : a->wave == 2 ? 66 : 67, run = 1;

		if (a->code == 50)
			ROW(&g->participants, "3506400001", "3", "50", "", "04", "หอการค้าจังหวัดเชียงใหม่",
			    "Chiang Mai Chamber of Commerce", "01", "03", "2021-07-16",
			    "ผู้แทนร่วมประชุม กขน. ครั้งที่ 3/2564");
		if (a->code == 71) {
			ROW(&g->participants, "4716100001", "4", "71", "", "05", "เครือข่ายภาคประชาชนจังหวัดกาญจนบุรี",
			    "Kanchanaburi people's network", "01", "02", "2018-12-27",
			    "ร่วมประชุมเชิงปฏิบัติการ 27 ธันวาคม 2561");
			ROW(&g->participants, "2716100002", "2", "71", "", "03", "องค์กรปกครองส่วนท้องถิ่นจังหวัดกาญจนบุรี",
			    "Kanchanaburi local authorities", "01", "02", "2018-12-27",
			    "ร่วมประชุมเชิงปฏิบัติการ 27 ธันวาคม 2561");
		}
		for (k = 0; k < 4; k++) {
			if ((a->code == 50 && k == 2))
				continue; /* the chamber is above, with its sourced date */
			ROW(&g->participants, text("%s%02d%02d%05d", kinds[k].sector, a->code, yy, 100 + run++),
			    kinds[k].sector, num(a->code), "", kinds[k].type, text(kinds[k].th, province_th(a)),
			    text(kinds[k].en, a->en), k == 3 && a->code % 3 == 0 ? "02" : "01", kinds[k].involvement,
			    day(yy + 2000 - 43, 6, 1, 0), "");
		}
	}
	/* a person working with one pilot school */
	for (i = 0; i < g->nschools; i++)
		if (g->schools[i].pilot && g->schools[i].area == 50) {
			ROW(&g->participants, "4506700201", "4", "50", g->schools[i].code, "01", "นายบุญมา ใจดี",
			    "", "01", "04", "2024-06-01", "ปราชญ์ชาวบ้าน ร่วมประเมินผลหลักสูตรท้องถิ่น");
			break;
		}
}

int demo_gov_write(const char *dir, const struct demo_gov_area *areas, int nareas,
		   const struct demo_gov_school *schools, int nschools, struct demo_gov_stats *stats,
		   struct nw_err *err)
{
	struct gov g;
	int i, rc;

	memset(&g, 0, sizeof g);
	g.dir = dir;
	g.areas = areas;
	g.nareas = nareas;
	g.schools = schools;
	g.nschools = nschools;
	g.err = err;
	ring_i = 0;
	if ((rc = out_open(&g.committees, dir, "committees.csv", H_COMMITTEES, err)) ||
	    (rc = out_open(&g.members, dir, "committee_members.csv", H_MEMBERS, err)) ||
	    (rc = out_open(&g.meetings, dir, "meetings.csv", H_MEETINGS, err)) ||
	    (rc = out_open(&g.resolutions, dir, "resolutions.csv", H_RESOLUTIONS, err)) ||
	    (rc = out_open(&g.plans, dir, "plans.csv", H_PLANS, err)) ||
	    (rc = out_open(&g.goals, dir, "plan_goals.csv", H_GOALS, err)) ||
	    (rc = out_open(&g.kpis, dir, "kpis.csv", H_KPIS, err)) ||
	    (rc = out_open(&g.values, dir, "kpi_values.csv", H_VALUES, err)) ||
	    (rc = out_open(&g.pilots, dir, "pilot_status.csv", H_PILOTS, err)) ||
	    (rc = out_open(&g.participants, dir, "participants.csv", H_PARTICIPANTS, err)))
		goto out;
	policy(&g);
	for (i = 0; i < nareas; i++) {
		area_committees(&g, &areas[i]);
		area_plan(&g, &areas[i]);
	}
	pilots(&g);
	participants(&g);
	if (stats) {
		stats->committees = g.committees.rows;
		stats->members = g.members.rows;
		stats->meetings = g.meetings.rows;
		stats->resolutions = g.resolutions.rows;
		stats->plans = g.plans.rows;
		stats->kpis = g.kpis.rows;
		stats->pilots = g.pilots.rows;
		stats->participants = g.participants.rows;
	}
out:
	rc = out_close(&g.committees, rc, err);
	rc = out_close(&g.members, rc, err);
	rc = out_close(&g.meetings, rc, err);
	rc = out_close(&g.resolutions, rc, err);
	rc = out_close(&g.plans, rc, err);
	rc = out_close(&g.goals, rc, err);
	rc = out_close(&g.kpis, rc, err);
	rc = out_close(&g.values, rc, err);
	rc = out_close(&g.pilots, rc, err);
	rc = out_close(&g.participants, rc, err);
	return rc;
}
