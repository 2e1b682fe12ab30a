/* err.c - bilingual error objects (see err.h). */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

size_t err_cut(const char *s, size_t max)
{
	size_t n = strnlen(s, max), i = n, need;
	unsigned char c;

	while (i > 0 && n - i < 3 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return n;
	c = (unsigned char)s[i - 1];
	if (c < 0x80)
		return n;
	need = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
	return n - (i - 1) >= need ? n : i - 1;
}

/* A message cut by its buffer's size ends on a whole character. */
static void cut_tail(char *s)
{
	s[err_cut(s, strlen(s))] = '\0';
}

int err_set(struct nw_err *e, int code, const char *fmt_th, const char *fmt_en, ...)
{
	va_list ap;

	if (!e)
		return code;
	e->code = code;
	va_start(ap, fmt_en);
	vsnprintf(e->th, sizeof e->th, fmt_th, ap);
	va_end(ap);
	va_start(ap, fmt_en);
	vsnprintf(e->en, sizeof e->en, fmt_en, ap);
	va_end(ap);
	cut_tail(e->th);
	cut_tail(e->en);
	return code;
}

int err_msg(struct nw_err *e, int code, const char *th, const char *en)
{
	if (!e)
		return code;
	e->code = code;
	snprintf(e->th, sizeof e->th, "%s", th);
	snprintf(e->en, sizeof e->en, "%s", en);
	cut_tail(e->th);
	cut_tail(e->en);
	return code;
}

void err_clear(struct nw_err *e)
{
	if (!e)
		return;
	e->code = 0;
	e->th[0] = '\0';
	e->en[0] = '\0';
}

const char *err_line(const struct nw_err *e, char *buf, size_t n)
{
	if (!e->th[0] && !e->en[0])
		snprintf(buf, n, "ข้อผิดพลาด / error: %s", err_name(e->code));
	else
		snprintf(buf, n, "%s / %s", e->th, e->en);
	return buf;
}

const char *err_name(int code)
{
	switch (code) {
	case NAWAT_OK: return "ok";
	case NAWAT_ENOMEM: return "out of memory";
	case NAWAT_EIO: return "input/output error";
	case NAWAT_EINVAL: return "invalid argument";
	case NAWAT_ELIMIT: return "size limit exceeded";
	case NAWAT_EPARSE: return "malformed input";
	case NAWAT_ESTORE: return "database error";
	case NAWAT_ENOTFOUND: return "not found";
	case NAWAT_EDATA: return "data rejected";
	case NAWAT_ECRYPTO: return "key error";
	case NAWAT_EEXIST: return "already exists";
	case NAWAT_EDENIED: return "not allowed";
	case NAWAT_EBUSY: return "busy";
	case NAWAT_ECONFLICT: return "conflict";
	case NAWAT_EREDO: return "to be done again";
	}
	return "unknown error";
}

int err_generic(struct nw_err *e, int code)
{
	static const struct { int code; const char *th, *en; } msgs[] = {
		{ NAWAT_ENOMEM, "หน่วยความจำไม่พอ", "out of memory" },
		{ NAWAT_EIO, "อ่านหรือเขียนไฟล์ไม่สำเร็จ", "input/output error" },
		{ NAWAT_EINVAL, "ค่าที่ให้มาไม่ถูกต้อง", "invalid argument" },
		{ NAWAT_ELIMIT, "ข้อมูลมีขนาดเกินที่กำหนด", "size limit exceeded" },
		{ NAWAT_EPARSE, "รูปแบบข้อมูลไม่ถูกต้อง", "malformed input" },
		{ NAWAT_ESTORE, "ฐานข้อมูลทำงานผิดพลาด", "database error" },
		{ NAWAT_ENOTFOUND, "ไม่พบข้อมูล", "not found" },
		{ NAWAT_EDATA, "ข้อมูลไม่ผ่านการตรวจสอบ", "data rejected" },
		{ NAWAT_ECRYPTO, "กุญแจเข้ารหัสไม่ถูกต้องหรือไม่พบ", "key missing or wrong" },
		{ NAWAT_EEXIST, "มีอยู่แล้ว", "already exists" },
		{ NAWAT_EDENIED, "ไม่มีสิทธิ์", "not allowed" },
		{ NAWAT_EBUSY, "ระบบไม่ว่าง โปรดลองอีกครั้ง", "busy, try again" },
		{ NAWAT_ECONFLICT, "มีการแก้ไขพร้อมกัน", "concurrent change" },
		{ NAWAT_EREDO, "ต้องทำใหม่อีกครั้งตามวิธีปกติ", "to be done again the ordinary way" },
	};
	size_t i;

	if (!e || (e->code == code && (e->th[0] || e->en[0])))
		return code;
	for (i = 0; i < sizeof msgs / sizeof msgs[0]; i++)
		if (msgs[i].code == code)
			return err_msg(e, code, msgs[i].th, msgs[i].en);
	return err_set(e, code, "ข้อผิดพลาด %d", "error %d", code);
}
