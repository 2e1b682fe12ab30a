/* pages_stub.c - placeholder pages until their modules exist. */
#include "page.h"

static void stub(struct ctx *c, const char *th, const char *en)
{
	page_begin(c, NULL, th, en);
	page_notice(c, "info", "หน้านี้กำลังจัดทำ", "this page is being built");
	page_end(c);
}

void page_home(struct ctx *c) { stub(c, "หน้าแรก", "Home"); }
void page_areas(struct ctx *c) { stub(c, "พื้นที่นวัตกรรม", "Areas"); }
void page_area(struct ctx *c, const char *code) { (void)code; stub(c, "พื้นที่", "Area"); }
void page_schools(struct ctx *c) { stub(c, "สถานศึกษา", "Schools"); }
void page_school(struct ctx *c, const char *code) { (void)code; stub(c, "สถานศึกษา", "School"); }
void page_import(struct ctx *c) { stub(c, "นำเข้าข้อมูล", "Import"); }
void page_standard(struct ctx *c) { stub(c, "มาตรฐานข้อมูล", "Data standard"); }
void page_standard_file(struct ctx *c, const char *name) { (void)name; stub(c, "มาตรฐานข้อมูล", "Data standard"); }
void page_users(struct ctx *c) { stub(c, "ผู้ใช้", "Users"); }
void page_audit(struct ctx *c) { stub(c, "บันทึกการตรวจสอบ", "Audit log"); }
