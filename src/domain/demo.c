/*
 * demo.c - deterministic demo data in the exchange format (see demo.h).
 *
 * The areas are the 20 real ones; schools, students and outcomes are made
 * up but shaped like the real thing: small village schools next to large
 * town schools, kindergarten-to-primary and secondary grade ranges, Thai
 * citizen IDs with correct check digits (and a few G-codes), ages that fit
 * the grade, and scores with an equity gap (poor students lower), a small
 * pilot-school advantage and a school random effect, so that the analytics
 * have something to find.
 *
 * Everything comes from one seed through xoshiro256** (never rand()), in a
 * fixed order, so the files are byte-identical for the same options.  Only
 * the school list is kept in memory (one school per 230 students, at most
 * 30,000, under 100 bytes each); students and outcomes are streamed through 1 MiB
 * buffers with hand-rolled formatting, because printf per field is the
 * bottleneck at ten million outcome rows.  No libm: normals come from sums of
 * uniforms.
 */
#include "demo.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/mem.h"
#include "../standard/thaiid.h"
#include "demo_gov.h"

#define DEMO_YEAR_BE 2567               /* the one academic year written */
#define DEMO_YEAR_CE (DEMO_YEAR_BE - 543)
#define STR_(x) #x
#define STR(x) STR_(x)
#define YEAR_STR STR(DEMO_YEAR_BE)
#define DEMO_DEFAULT_STUDENTS 2000L
#define DEMO_MIN_SCHOOLS 66             /* so that every area has schools */
#define DEMO_STUDENTS_PER_SCHOOL 230    /* about the mean of the size mix below */
#define DEMO_MAX_SCHOOLS 30000          /* about the country's OBEC schools; beyond, schools grow */
#define WBUF_CAP ((size_t)1 << 20)
#define MAXDIST 10

/* ---- random numbers: splitmix64 seeds xoshiro256** ---- */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Independent streams for schools and students: changing how one is drawn
 * does not shift the other. */
static void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed * 0xd1342543de82ef95ULL + stream * 0x9e3779b97f4a7c15ULL;
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform in [0, n) (multiply-shift; the bias is far below what matters). */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [0, 1). */
static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* About N(0, 1): the sum of four 16-bit uniforms (Irwin-Hall), rescaled.
 * Bounded at +-3.46, which suits test scores. */
static double rng_normal(struct rng *r)
{
	uint64_t x = rng_next(r);
	double sum = (double)(x & 0xffff) + (double)((x >> 16) & 0xffff) +
		     (double)((x >> 32) & 0xffff) + (double)(x >> 48);

	return (sum / 65536.0 - 2.0) * 1.7320508075688772;
}

/* A keyed bijection of [0, 10^7): a 4-round Feistel network on 24 bits with
 * cycle walking; tweak picks one of many independent bijections.  The i-th
 * ID of a province/district prefix gets the seven digits perm7(i, key,
 * prefix), so citizen IDs are unique without a set in memory. */
static uint32_t fmix32(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bU;
	h ^= h >> 13;
	h *= 0xc2b2ae35U;
	h ^= h >> 16;
	return h;
}

static uint32_t perm7(uint32_t x, const uint32_t key[4], uint32_t tweak)
{
	uint32_t l, r, t;
	int i;

	do {
		l = x >> 12;
		r = x & 0xfff;
		for (i = 0; i < 4; i++) {
			t = l ^ (fmix32(r ^ key[i] ^ tweak) & 0xfff);
			l = r;
			r = t;
		}
		x = (l << 12) | r;
	} while (x >= 10000000U);
	return x;
}

/* ---- calendar (proleptic Gregorian, days since 1970-01-01) ---- */

static long days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* ---- reference data ---- */

enum { REG_NORTH, REG_NORTHEAST, REG_CENTRAL, REG_SOUTH, REG_BANGKOK, NREGION };

/* wave: 0 not an area, 1 designated 2561 (2018), 2 on 29 Nov 2022, 3 in 2567 (2024). */
struct prov {
	int code;
	const char *th, *en;
	int wave;
	const char *designated;
	int weight;             /* share of the schools */
	int lat, lon, rad;      /* centre and spread, 1e-4 degree */
	int region, nesa;       /* สพป. offices (เขต) in the province */
	int gpm;                /* students with a G-code, per mille */
	int pov;                /* extra poverty, percent */
	const char *dist[MAXDIST];
	unsigned char esa[MAXDIST]; /* explicit สพป. เขต of a district; 0 = spread evenly */
};

/* Sorted by code: the areas come out in area_code order.  Buriram's date in
 * 2567 is not in the sources; 2024-07-09 is an assumption. */
static const struct prov provs[] = {
	{10, "กรุงเทพมหานคร", "Bangkok", 2, "2022-11-29", 7, 137563, 1005018, 1500, REG_BANGKOK, 1, 10, 0,
	 {"ดุสิต", "บางกะปิ", "ลาดกระบัง", "หนองจอก", "บางขุนเทียน", "จตุจักร"}, {0}},
	{21, "ระยอง", "Rayong", 1, "2018-09-18", 3, 126800, 1012800, 2500, REG_CENTRAL, 2, 4, 0,
	 {"เมืองระยอง", "บ้านฉาง", "แกลง", "วังจันทร์", "บ้านค่าย", "ปลวกแดง"}, {0}},
	{22, "จันทบุรี", "Chanthaburi", 2, "2022-11-29", 3, 126100, 1021000, 3000, REG_CENTRAL, 2, 6, 5,
	 {"เมืองจันทบุรี", "ท่าใหม่", "มะขาม", "สอยดาว", "โป่งน้ำร้อน", "แก่งหางแมว"}, {0}},
	{23, "ตราด", "Trat", 2, "2022-11-29", 1, 122400, 1025100, 2500, REG_CENTRAL, 1, 8, 5,
	 {"เมืองตราด", "คลองใหญ่", "เขาสมิง", "บ่อไร่", "แหลมงอบ", "เกาะช้าง"}, {0}},
	{27, "สระแก้ว", "Sa Kaeo", 2, "2022-11-29", 3, 138200, 1020600, 3500, REG_CENTRAL, 2, 12, 20,
	 {"เมืองสระแก้ว", "อรัญประเทศ", "วังน้ำเย็น", "ตาพระยา", "วัฒนานคร", "คลองหาด"}, {0}},
	{30, "นครราชสีมา", "Nakhon Ratchasima", 0, NULL, 6, 149700, 1021000, 6000, REG_NORTHEAST, 7, 2, 15,
	 {"เมืองนครราชสีมา", "ปากช่อง", "พิมาย", "สีคิ้ว", "โชคชัย", "ด่านขุนทด"}, {0}},
	{31, "บุรีรัมย์", "Buriram", 3, "2024-07-09", 6, 149900, 1031000, 4500, REG_NORTHEAST, 4, 2, 25,
	 {"เมืองบุรีรัมย์", "นางรอง", "ประโคนชัย", "ลำปลายมาศ", "สตึก", "กระสัง"}, {0}},
	{33, "ศรีสะเกษ", "Sisaket", 1, "2018-09-18", 6, 151200, 1043200, 4500, REG_NORTHEAST, 4, 2, 30,
	 {"เมืองศรีสะเกษ", "กันทรลักษ์", "ขุขันธ์", "อุทุมพรพิสัย", "ราษีไศล", "ภูสิงห์"}, {0}},
	{34, "อุบลราชธานี", "Ubon Ratchathani", 2, "2022-11-29", 7, 152400, 1048500, 6000, REG_NORTHEAST, 5, 2, 25,
	 {"เมืองอุบลราชธานี", "วารินชำราบ", "เดชอุดม", "ตระการพืชผล", "พิบูลมังสาหาร", "เขมราฐ"}, {0}},
	{40, "ขอนแก่น", "Khon Kaen", 0, NULL, 5, 164300, 1028300, 5000, REG_NORTHEAST, 5, 2, 15,
	 {"เมืองขอนแก่น", "ชุมแพ", "น้ำพอง", "บ้านไผ่", "ภูเวียง", "พล"}, {0}},
	{41, "อุดรธานี", "Udon Thani", 0, NULL, 4, 174100, 1027900, 5000, REG_NORTHEAST, 4, 2, 20,
	 {"เมืองอุดรธานี", "กุมภวาปี", "บ้านดุง", "หนองหาน", "เพ็ญ"}, {0}},
	{50, "เชียงใหม่", "Chiang Mai", 1, "2018-10-02", 10, 187900, 989800, 6000, REG_NORTH, 6, 15, 15,
	 {"เมืองเชียงใหม่", "แม่ริม", "สันกำแพง", "ฝาง", "สันป่าตอง", "ฮอด", "ดอยเต่า", "อมก๋อย", "จอมทอง", "แม่แจ่ม"},
	 {1, 1, 2, 3, 4, 5, 5, 5, 5, 6}},
	{57, "เชียงราย", "Chiang Rai", 0, NULL, 4, 199100, 998300, 4500, REG_NORTH, 4, 25, 15,
	 {"เมืองเชียงราย", "แม่สาย", "เชียงแสน", "พาน", "เทิง", "แม่จัน"}, {0}},
	{58, "แม่ฮ่องสอน", "Mae Hong Son", 2, "2022-11-29", 3, 193000, 979700, 4000, REG_NORTH, 2, 60, 40,
	 {"เมืองแม่ฮ่องสอน", "ปาย", "แม่สะเรียง", "ขุนยวม", "สบเมย", "ปางมะผ้า"}, {0}},
	{64, "สุโขทัย", "Sukhothai", 2, "2022-11-29", 3, 170100, 998200, 3500, REG_NORTH, 2, 2, 15,
	 {"เมืองสุโขทัย", "ศรีสัชนาลัย", "สวรรคโลก", "ทุ่งเสลี่ยม", "บ้านด่านลานหอย", "คีรีมาศ"}, {0}},
	{65, "พิษณุโลก", "Phitsanulok", 0, NULL, 3, 168200, 1002600, 4500, REG_NORTH, 3, 2, 10,
	 {"เมืองพิษณุโลก", "นครไทย", "วังทอง", "บางระกำ", "วัดโบสถ์", "ชาติตระการ"}, {0}},
	{71, "กาญจนบุรี", "Kanchanaburi", 1, "2018-10-02", 5, 140200, 995300, 6000, REG_CENTRAL, 4, 25, 20,
	 {"เมืองกาญจนบุรี", "ท่าม่วง", "บ่อพลอย", "ไทรโยค", "ทองผาภูมิ", "สังขละบุรี"}, {0}},
	{80, "นครศรีธรรมราช", "Nakhon Si Thammarat", 0, NULL, 4, 84300, 999600, 4500, REG_SOUTH, 4, 2, 15,
	 {"เมืองนครศรีธรรมราช", "ทุ่งสง", "ปากพนัง", "สิชล", "ฉวาง"}, {0}},
	{81, "กระบี่", "Krabi", 2, "2022-11-29", 2, 80900, 989100, 3000, REG_SOUTH, 1, 8, 10,
	 {"เมืองกระบี่", "อ่าวลึก", "คลองท่อม", "เกาะลันตา", "ปลายพระยา", "เขาพนม"}, {0}},
	{83, "ภูเก็ต", "Phuket", 2, "2022-11-29", 1, 78900, 983900, 1000, REG_SOUTH, 1, 15, 0,
	 {"เมืองภูเก็ต", "กะทู้", "ถลาง"}, {0}},
	{84, "สุราษฎร์ธานี", "Surat Thani", 2, "2022-11-29", 4, 91400, 993300, 5000, REG_SOUTH, 3, 6, 10,
	 {"เมืองสุราษฎร์ธานี", "เกาะสมุย", "พุนพิน", "ไชยา", "เวียงสระ", "บ้านนาสาร"}, {0}},
	{90, "สงขลา", "Songkhla", 2, "2022-11-29", 5, 71900, 1005900, 4000, REG_SOUTH, 3, 4, 10,
	 {"เมืองสงขลา", "หาดใหญ่", "สะเดา", "จะนะ", "เทพา", "ระโนด"}, {0}},
	{91, "สตูล", "Satun", 1, "2018-08-02", 2, 66200, 1000700, 2000, REG_SOUTH, 1, 4, 20,
	 {"เมืองสตูล", "ละงู", "ควนกาหลง", "ท่าแพ", "ควนโดน", "ทุ่งหว้า"}, {0}},
	{94, "ปัตตานี", "Pattani", 1, "2018-10-02", 3, 68700, 1012500, 2000, REG_SOUTH, 3, 4, 35,
	 {"เมืองปัตตานี", "หนองจิก", "โคกโพธิ์", "ยะรัง", "สายบุรี", "ปะนาเระ"}, {0}},
	{95, "ยะลา", "Yala", 1, "2018-10-02", 3, 65400, 1012800, 3000, REG_SOUTH, 3, 4, 35,
	 {"เมืองยะลา", "เบตง", "บันนังสตา", "ธารโต", "รามัน", "ยะหา"}, {0}},
	{96, "นราธิวาส", "Narathiwat", 1, "2018-10-02", 4, 64300, 1018200, 2500, REG_SOUTH, 3, 6, 40,
	 {"เมืองนราธิวาส", "ตากใบ", "สุไหงโก-ลก", "ระแงะ", "รือเสาะ", "บาเจาะ"}, {0}},
};

#define NPROV ((int)(sizeof provs / sizeof provs[0]))

/* Pilot cohorts start with the academic year after designation (16 May;
 * 2021-05-16 was a Sunday).  A cohort date must not pass 2024-05-16, the
 * start of the year written, so the 2022 areas have two cohorts and Buriram
 * (designated after it) has no pilot schools in this data. */
static const char *const cohort_date[3][3] = {
	{"2019-05-16", "2020-05-16", "2021-05-17"},
	{"2023-05-16", "2024-05-16", NULL},
	{NULL, NULL, NULL},
};

/* Village name stems (Thai, romanised) by region.  No stem is another stem
 * plus a modifier below, and none collides with the fixed schools, so the
 * generated names are unique. */
struct stem {
	const char *th, *en;
};

static const struct stem stems_north[] = {
	{"สันป่าตอง", "San Pa Tong"}, {"ห้วยทราย", "Huai Sai"}, {"แม่สา", "Mae Sa"},
	{"ป่าเหมือด", "Pa Mueat"}, {"ทุ่งหลวง", "Thung Luang"}, {"ดอยคำ", "Doi Kham"},
	{"ห้วยแก้ว", "Huai Kaeo"}, {"ป่าแดด", "Pa Daet"}, {"แม่ขนิน", "Mae Khanin"},
	{"สันกำแพง", "San Kamphaeng"}, {"ห้วยส้ม", "Huai Som"}, {"ปางไม้แดง", "Pang Mai Daeng"},
	{"แม่แฮ", "Mae Hae"}, {"ขุนแตะ", "Khun Tae"}, {"ดงดำ", "Dong Dam"},
	{"ป่าซาง", "Pa Sang"}, {"หนองล่อง", "Nong Long"}, {"ห้วยม่วง", "Huai Muang"},
	{"แม่ลาน", "Mae Lan"}, {"ปางหินฝน", "Pang Hin Fon"}, {"กองแขก", "Kong Khaek"},
	{"แม่หลอด", "Mae Lot"}, {"ห้วยบง", "Huai Bong"}, {"ทุ่งปาง", "Thung Pang"},
};

static const struct stem stems_northeast[] = {
	{"หนองบัว", "Nong Bua"}, {"โนนสูง", "Non Sung"}, {"ดอนตูม", "Don Tum"},
	{"โคกสะอาด", "Khok Sa-at"}, {"หนองแวง", "Nong Waeng"}, {"นาคำ", "Na Kham"},
	{"โพนทอง", "Phon Thong"}, {"หัวช้าง", "Hua Chang"}, {"ดงมะไฟ", "Dong Mafai"},
	{"โนนสะอาด", "Non Sa-at"}, {"หนองไผ่", "Nong Phai"}, {"กุดจิก", "Kut Chik"},
	{"ห้วยทับทัน", "Huai Thap Than"}, {"สำโรง", "Samrong"}, {"ตาเกษ", "Ta Ket"},
	{"โคกกลาง", "Khok Klang"}, {"หนองหิน", "Nong Hin"}, {"ดอนแดง", "Don Daeng"},
	{"นาเจริญ", "Na Charoen"}, {"โนนค้อ", "Non Kho"}, {"ปรือใหญ่", "Prue Yai"},
	{"ละลม", "Lalom"}, {"ตะเคียน", "Takhian"}, {"หนองเม็ก", "Nong Mek"},
};

static const struct stem stems_central[] = {
	{"คลองใหญ่", "Khlong Yai"}, {"หนองคล้า", "Nong Khla"}, {"บางกะจะ", "Bang Kacha"},
	{"ท่าแฉลบ", "Tha Chalaep"}, {"เนินสูง", "Noen Sung"}, {"เขาไม้แก้ว", "Khao Mai Kaeo"},
	{"ทุ่งควายกิน", "Thung Khwai Kin"}, {"หนองปรือ", "Nong Prue"}, {"วังจันทร์", "Wang Chan"},
	{"ห้วยยาง", "Huai Yang"}, {"หนองกระทิง", "Nong Krathing"}, {"ท่าขนุน", "Tha Khanun"},
	{"ลิ้นช้าง", "Lin Chang"}, {"วังกระแจะ", "Wang Krachae"}, {"บ่อทอง", "Bo Thong"},
	{"โป่งแรด", "Pong Raet"}, {"คลองน้ำเค็ม", "Khlong Nam Khem"}, {"ดงละคร", "Dong Lakhon"},
	{"หนองแหน", "Nong Nae"}, {"ซับมะกรูด", "Sap Makrut"}, {"เขาสอยดาว", "Khao Soi Dao"},
	{"ทับทิมสยาม", "Thap Thim Sayam"}, {"หนองตะเคียน", "Nong Takhian"}, {"บางพระ", "Bang Phra"},
};

static const struct stem stems_south[] = {
	{"ควนโดน", "Khuan Don"}, {"บางเหรียง", "Bang Riang"}, {"ทุ่งหว้า", "Thung Wa"},
	{"ปากบารา", "Pak Bara"}, {"ควนขนุน", "Khuan Khanun"}, {"ท่าข้าม", "Tha Kham"},
	{"ลำพด", "Lam Phot"}, {"คลองแงะ", "Khlong Ngae"}, {"บาโงย", "Ba Ngoi"},
	{"ตะโละ", "Talo"}, {"กาหลง", "Kalong"}, {"ทุ่งยาว", "Thung Yao"},
	{"ป่าบอน", "Pa Bon"}, {"เขาพนม", "Khao Phanom"}, {"ไสใหญ่", "Sai Yai"},
	{"ปาดังเบซาร์", "Padang Besar"}, {"ทอนอม", "Tho Nom"}, {"บาละ", "Bala"},
	{"จะแนะ", "Chanae"}, {"ลีเล็ด", "Li Let"}, {"ในไร่", "Nai Rai"},
	{"คลองท่อม", "Khlong Thom"}, {"ยะรัง", "Yarang"}, {"ตันหยง", "Tanyong"},
};

/* Bangkok: canal and neighbourhood names, for its แขวง and city schools */
static const struct stem stems_bangkok[] = {
	{"คลองสามวา", "Khlong Sam Wa"}, {"บางชัน", "Bang Chan"}, {"ทับยาว", "Thap Yao"},
	{"คู้บอน", "Khu Bon"}, {"แสนแสบ", "Saen Saep"}, {"ลำต้อยติ่ง", "Lam Toi Ting"},
	{"กระทุ่มราย", "Krathum Rai"}, {"คลองสิบ", "Khlong Sip"}, {"บึงทองหลาง", "Bueng Thonglang"},
	{"บางมด", "Bang Mot"}, {"แสมดำ", "Samae Dam"}, {"บางบอน", "Bang Bon"},
	{"หนองแขม", "Nong Khaem"}, {"ทวีวัฒนา", "Thawi Watthana"}, {"ศาลาธรรมสพน์", "Sala Thammasop"},
	{"บางแวก", "Bang Waek"}, {"บางเชือกหนัง", "Bang Chueak Nang"}, {"คลองเตย", "Khlong Toei"},
	{"บางนา", "Bang Na"}, {"ประเวศ", "Prawet"}, {"ดอกไม้", "Dokmai"},
	{"หลักสี่", "Lak Si"}, {"ทุ่งครุ", "Thung Khru"}, {"บางขุนนนท์", "Bang Khun Non"},
};

#define NSTEM_REG 24

static const struct stem *const stems[NREGION] = {
	stems_north, stems_northeast, stems_central, stems_south, stems_bangkok,
};

static const struct stem mods[] = {
	{"", ""}, {"เหนือ", "Nuea"}, {"ใต้", "Tai"}, {"ใหม่", "Mai"}, {"กลาง", "Klang"},
	{"น้อย", "Noi"}, {"หลวง", "Luang"}, {"ตะวันออก", "Tawan Ok"}, {"ตะวันตก", "Tawan Tok"},
};

static const struct stem parens[] = {
	{"", ""}, {"ประชาสามัคคี", "Pracha Samakkhi"}, {"คุรุราษฎร์อุทิศ", "Khuru Rat Uthit"},
	{"ราษฎร์บำรุง", "Rat Bamrung"}, {"ประชานุกูล", "Prachanukun"}, {"มิตรภาพ", "Mittraphap"},
	{"สามัคคีวิทยา", "Samakkhi Witthaya"}, {"ราษฎร์อุปถัมภ์", "Rat Upatham"},
	{"ประชาบำรุง", "Pracha Bamrung"}, {"ราษฎร์ประสิทธิ์", "Rat Prasit"}, {"ประชาพัฒนา", "Pracha Phatthana"},
	{"คุรุประชาสรรค์", "Khuru Pracha San"}, {"ราษฎร์รังสรรค์", "Rat Rangsan"},
	{"ประชารัฐ", "Pracharat"}, {"ราษฎร์สามัคคี", "Rat Samakkhi"}, {"ศรีประชา", "Si Pracha"},
};

#define NMOD ((int)(sizeof mods / sizeof mods[0]))
#define NPAREN ((int)(sizeof parens / sizeof parens[0]))

/* Name patterns.  Prefixes and core suffixes differ between kinds, so two
 * kinds never give the same name. */
enum { KIND_BAN, KIND_SEC, KIND_PRIV, KIND_MUNI, KIND_WAT, NKIND };

static const struct stem core_none[] = {{"", ""}};
static const struct stem core_sec[] = {
	{"วิทยาคม", " Witthayakhom"}, {"วิทยา", " Witthaya"}, {"พิทยาคม", " Phitthayakhom"},
	{"ประชาสรรค์", " Pracha San"},
};
static const struct stem core_priv[] = {
	{"ศึกษา", " Sueksa"}, {"อนุสรณ์", " Anuson"}, {"พัฒนศึกษา", " Phatthana Sueksa"},
	{"ศรีวิทยา", " Si Witthaya"},
};

struct kind {
	const char *pre_th, *pre_en, *post_en;
	const struct stem *core;
	int ncore;
};

static const struct kind kinds[NKIND] = {
	{"โรงเรียนบ้าน", "Ban ", " School", core_none, 1},
	{"โรงเรียน", "", " School", core_sec, 4},
	{"โรงเรียน", "", " School", core_priv, 4},
	{"โรงเรียนเทศบาลบ้าน", "Ban ", " Municipal School", core_none, 1},
	{"โรงเรียนวัด", "Wat ", " School", core_none, 1},
};

/* The 13 pilot schools of สพป.เชียงใหม่ เขต 5 (seed 003).  The districts
 * are that office's (ฮอด, ดอยเต่า, อมก๋อย, จอมทอง); which school lies in
 * which district and subdistrict is plausible, not checked. */
struct fixed {
	const char *th, *en, *dist, *sub;
	int cohort, extended, lat, lon;
};

static const struct fixed fixed_schools[] = {
	{"โรงเรียนบ้านพุย", "Ban Phui School", "ฮอด", "บ้านตาล", 1, 1, 181900, 986100},
	{"โรงเรียนบ้านห้วยปูลิง", "Ban Huai Pu Ling School", "อมก๋อย", "แม่ตื่น", 1, 0, 178000, 983600},
	{"โรงเรียนบ้านมูเซอ", "Ban Muser School", "อมก๋อย", "ม่อนจอง", 1, 0, 178000, 983600},
	{"โรงเรียนบ้านห้วยน้ำขาว", "Ban Huai Nam Khao School", "อมก๋อย", "ยางเปียง", 1, 0, 178000, 983600},
	{"โรงเรียนบ้านสบลาน", "Ban Sop Lan School", "อมก๋อย", "สบโขง", 1, 0, 178000, 983600},
	{"โรงเรียนบ้านขุนแม่ตื่นน้อย", "Ban Khun Mae Tuen Noi School", "อมก๋อย", "แม่ตื่น", 1, 0, 178000, 983600},
	{"โรงเรียนบ้านยางเปา", "Ban Yang Pao School", "อมก๋อย", "ม่อนจอง", 1, 1, 178000, 983600},
	{"โรงเรียนบ้านตุงติง", "Ban Tung Ting School", "ดอยเต่า", "บ้านแอ่น", 1, 0, 179500, 986800},
	{"โรงเรียนบ้านห่างหลวง", "Ban Hang Luang School", "ดอยเต่า", "ท่าเดื่อ", 1, 1, 179500, 986800},
	{"โรงเรียนบ้านยางครก", "Ban Yang Khrok School", "ฮอด", "หางดง", 2, 0, 181900, 986100},
	{"โรงเรียนบ้านห้วยไม้หก", "Ban Huai Mai Hok School", "ดอยเต่า", "มืดกา", 2, 0, 179500, 986800},
	{"โรงเรียนบ้านตาลเหนือ", "Ban Tan Nuea School", "ฮอด", "บ้านตาล", 2, 0, 181900, 986100},
	{"โรงเรียนบ้านแม่บวน", "Ban Mae Buan School", "จอมทอง", "ข่วงเปา", 2, 0, 184200, 986800},
};

#define NFIXED ((int)(sizeof fixed_schools / sizeof fixed_schools[0]))
#define FIXED_SINCE_1 "2020-05-16"
#define FIXED_SINCE_2 "2021-05-17"

/* grade codes in order; a school teaches the index range [glo, ghi] */
static const char *const grades[15] = {
	"111", "112", "113", "211", "212", "213", "214", "215", "216",
	"311", "312", "313", "411", "412", "413",
};

/* K subjects (with a difficulty offset), then S competencies and A attitudes */
static const char *const k_subj[5] = {"THA", "MAT", "SCI", "SOC", "FLE"};
static const double k_off[5] = {2.0, -4.0, -1.0, 3.0, -3.0};
static const char *const s_subj[2] = {"202", "203"};
static const char *const a_subj[3] = {"303", "304", "306"};

struct school {
	uint64_t code;
	long nstud;
	int raw;              /* relative size before scaling to the student count */
	short prov, dist;
	short fixed;          /* index in fixed_schools, or -1 */
	short stem, sub;      /* indices in the region's stems */
	int variant;          /* k-th school of its kind and stem: picks the name */
	unsigned char kind, aff, pilot, cohort, glo, ghi, has_en, has_geo;
	int lat, lon;         /* micro-degrees */
	double eff;           /* school effect on scores, points */
	double pv;            /* poverty of the catchment, 0..1 */
	int gpm;              /* G-codes per mille */
	int step;             /* score rounding, hundredths */
};

/* ---- output buffer ---- */

struct wbuf {
	FILE *fp;
	char path[4096];
	char *b;
	size_t n;
};

static int wb_flush(struct wbuf *w, struct nw_err *err)
{
	if (w->n && fwrite(w->b, 1, w->n, w->fp) != w->n)
		return err_set(err, NAWAT_EIO, "เขียนไฟล์ %s ไม่สำเร็จ: %s", "cannot write %s: %s",
			       w->path, strerror(errno));
	w->n = 0;
	return 0;
}

/* Makes room for need bytes; every line is far shorter than the buffer. */
static int wb_reserve(struct wbuf *w, size_t need, struct nw_err *err)
{
	if (w->n + need > WBUF_CAP)
		return wb_flush(w, err);
	return 0;
}

static void put_mem(struct wbuf *w, const char *s, size_t n)
{
	memcpy(w->b + w->n, s, n);
	w->n += n;
}

static void put_str(struct wbuf *w, const char *s)
{
	put_mem(w, s, strlen(s));
}

/* v as exactly n digits, zero-padded, into d (no terminator). */
static void put_digits(char *d, unsigned long v, int n)
{
	while (n-- > 0) {
		d[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

static void put_ch(struct wbuf *w, char c)
{
	w->b[w->n++] = c;
}

static void put_uint(struct wbuf *w, unsigned long v)
{
	char tmp[24];
	int i = (int)sizeof tmp;

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put_mem(w, tmp + i, sizeof tmp - (size_t)i);
}

/* A text field, quoted only when it needs to be (RFC 4180). */
static void put_field(struct wbuf *w, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		put_str(w, s);
		return;
	}
	put_ch(w, '"');
	for (; *s; s++) {
		if (*s == '"')
			put_ch(w, '"');
		put_ch(w, *s);
	}
	put_ch(w, '"');
}

/* A fixed-point value in the canonical form of the exchange format: no
 * trailing zeros, no dot for whole numbers (72.5, 61.25, 48, 18.19). */
static void put_fixed(struct wbuf *w, long v, int places)
{
	long scale = 1, frac;
	int i, last;
	char tmp[8];

	for (i = 0; i < places; i++)
		scale *= 10;
	if (v < 0) {
		put_ch(w, '-');
		v = -v;
	}
	put_uint(w, (unsigned long)(v / scale));
	frac = v % scale;
	if (!frac)
		return;
	for (i = places - 1; i >= 0; i--) {
		tmp[i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	for (last = places; tmp[last - 1] == '0'; last--)
		;
	put_ch(w, '.');
	put_mem(w, tmp, (size_t)last);
}

static void put_date(struct wbuf *w, long days)
{
	int y, m, d;
	char t[10];

	civil_from_days(days, &y, &m, &d);
	t[0] = (char)('0' + y / 1000);
	t[1] = (char)('0' + y / 100 % 10);
	t[2] = (char)('0' + y / 10 % 10);
	t[3] = (char)('0' + y % 10);
	t[4] = '-';
	t[5] = (char)('0' + m / 10);
	t[6] = (char)('0' + m % 10);
	t[7] = '-';
	t[8] = (char)('0' + d / 10);
	t[9] = (char)('0' + d % 10);
	put_mem(w, t, 10);
}

static int wb_open(struct wbuf *w, const char *dir, const char *name, struct nw_err *err)
{
	int len = snprintf(w->path, sizeof w->path, "%s/%s", dir, name);

	if (len < 0 || (size_t)len >= sizeof w->path)
		return err_set(err, NAWAT_EINVAL, "ชื่อไดเรกทอรียาวเกินไป: %s", "directory name too long: %s", dir);
	w->b = nw_malloc(WBUF_CAP);
	if (!w->b)
		return err_generic(err, NAWAT_ENOMEM);
	w->n = 0;
	w->fp = fopen(w->path, "wb");
	if (!w->fp)
		return err_set(err, NAWAT_EIO, "เปิดไฟล์ %s เพื่อเขียนไม่ได้: %s", "cannot open %s for writing: %s",
			       w->path, strerror(errno));
	/* our own buffer does the batching: write it straight through */
	setvbuf(w->fp, NULL, _IONBF, 0);
	return 0;
}

/* Flushes and closes; with rc already set (an earlier failure) it only
 * releases.  Returns rc or the first close failure. */
static int wb_close(struct wbuf *w, int rc, struct nw_err *err)
{
	if (w->fp) {
		if (!rc)
			rc = wb_flush(w, err);
		if (fclose(w->fp) != 0 && !rc)
			rc = err_set(err, NAWAT_EIO, "เขียนไฟล์ %s ไม่สำเร็จ: %s", "cannot write %s: %s",
				     w->path, strerror(errno));
		w->fp = NULL;
	}
	nw_free(w->b);
	w->b = NULL;
	return rc;
}

/* ---- schools ---- */

static int cmp_school(const void *a, const void *b)
{
	const struct school *x = a, *y = b;

	return (x->code > y->code) - (x->code < y->code);
}

static int pick_prov(struct rng *r, int total)
{
	int i, v = (int)rng_below(r, (uint32_t)total);

	for (i = 0; i < NPROV; i++) {
		v -= provs[i].weight;
		if (v < 0)
			return i;
	}
	return NPROV - 1;
}

static int find_dist(const struct prov *p, const char *name)
{
	int i;

	for (i = 0; i < MAXDIST && p->dist[i]; i++)
		if (!strcmp(p->dist[i], name))
			return i;
	return 0;
}

static int ndist(const struct prov *p)
{
	int i;

	for (i = 0; i < MAXDIST && p->dist[i]; i++)
		;
	return i;
}

static int esa_of(const struct prov *p, int dist)
{
	if (p->esa[dist])
		return p->esa[dist];
	return 1 + dist * p->nesa / ndist(p);
}

/* Scores are rounded as schools round them: whole points, halves,
 * quarters or one decimal. */
static int pick_step(struct rng *r)
{
	static const int steps[4] = {100, 50, 25, 10};

	return steps[rng_below(r, 4)];
}

static void place(struct school *s, struct rng *r, int lat, int lon, int rad)
{
	long la = (long)lat * 100 + (long)rng_below(r, (uint32_t)(2 * rad + 1)) * 100 - (long)rad * 100 +
		  (long)rng_below(r, 100);
	long lo = (long)lon * 100 + (long)rng_below(r, (uint32_t)(2 * rad + 1)) * 100 - (long)rad * 100 +
		  (long)rng_below(r, 100);

	if (la < 5000000)
		la = 5000000;
	if (la > 21000000)
		la = 21000000;
	if (lo < 97000000)
		lo = 97000000;
	if (lo > 106000000)
		lo = 106000000;
	s->lat = (int)la;
	s->lon = (int)lo;
}

static void gen_fixed(struct school *s, int i, int cm, struct rng *r)
{
	const struct fixed *f = &fixed_schools[i];
	double u = rng_unit(r);

	memset(s, 0, sizeof *s);
	s->prov = (short)cm;
	s->dist = (short)find_dist(&provs[cm], f->dist);
	s->fixed = (short)i;
	s->stem = s->sub = -1;
	s->kind = KIND_BAN;
	s->aff = 10;
	s->pilot = 1;
	s->cohort = (unsigned char)f->cohort;
	s->glo = 1;
	s->ghi = f->extended ? 11 : 8;
	s->raw = f->extended ? 100 + (int)(250 * u) : 40 + (int)(110 * u * u);
	s->has_en = 1;
	s->has_geo = 1;
	place(s, r, f->lat, f->lon, 600);
	s->eff = 4.0 * rng_normal(r) - 1.0;
	s->pv = 0.75 + 0.25 * rng_unit(r);
	s->gpm = 60; /* hill villages of อมก๋อย: many children without a Thai ID */
	s->step = pick_step(r);
}

/* The g-th made-up school.  The first NPROV go one to each province, so every
 * area has schools even at the minimum count; the rest follow the weights.
 * Sizes (before scaling to the student count): village primary schools of
 * 40-150, town schools of a few hundred, secondary schools up to 1,500. */
static void gen_random(struct school *s, int g, struct rng *r, int total_weight)
{
	int p = g < NPROV ? g : pick_prov(r, total_weight);
	const struct prov *pv = &provs[p];
	double u = rng_unit(r), v = rng_unit(r), x = rng_unit(r);
	int type_s = 0;

	memset(s, 0, sizeof *s);
	s->prov = (short)p;
	s->fixed = -1;
	if (pv->code == 10) {
		/* Bangkok: city (BMA) schools, OBEC secondary, private */
		if (u < 0.45) {
			s->aff = 31;
			s->kind = KIND_WAT;
			s->glo = 1;
			s->ghi = v < 0.7 ? 8 : 11;
			s->raw = 200 + (int)(800 * x * x);
		} else if (u < 0.80) {
			s->aff = 10;
			type_s = 1;
		} else {
			s->aff = 11;
		}
	} else if (u < 0.80) {
		s->aff = 10;
		s->kind = KIND_BAN;
		if (v < 0.66) {
			s->glo = x < 0.3 ? 0 : 1;
			s->ghi = 8;
			x = rng_unit(r);
			s->raw = rng_unit(r) < 0.82 ? 40 + (int)(110 * x * x) : 150 + (int)(450 * x);
		} else if (v < 0.86) {
			s->glo = 1;
			s->ghi = 11;
			s->raw = 80 + (int)(300 * x);
		} else {
			type_s = 1;
		}
	} else if (u < 0.90) {
		s->aff = 11;
	} else {
		s->aff = 30;
		s->kind = KIND_MUNI;
		s->glo = 0;
		s->ghi = v < 0.5 ? 11 : 14;
		s->raw = 150 + (int)(600 * x * x);
	}
	if (type_s) {
		s->kind = KIND_SEC;
		s->glo = 9;
		s->ghi = 14;
		s->raw = 250 + (int)(1250 * x * x);
	} else if (s->aff == 11) {
		s->kind = KIND_PRIV;
		s->glo = 0;
		s->ghi = v < 0.6 ? 8 : 14;
		s->raw = 120 + (int)(900 * x * x);
	}
	/* town schools sit in the capital district more often than village ones */
	if (s->kind != KIND_BAN && rng_unit(r) < 0.5)
		s->dist = 0;
	else
		s->dist = (short)rng_below(r, (uint32_t)ndist(pv));
	s->stem = (short)rng_below(r, NSTEM_REG);
	s->sub = s->kind == KIND_BAN && rng_unit(r) < 0.4 ? s->stem : (short)rng_below(r, NSTEM_REG);
	s->has_en = rng_unit(r) < 0.92;
	s->has_geo = rng_unit(r) < 0.85;
	place(s, r, pv->lat, pv->lon, pv->rad);
	s->eff = 5.0 * rng_normal(r) + (s->aff == 11 ? 3.0 : 0.0);
	switch (s->kind) {
	case KIND_BAN:
		s->pv = s->raw < 150 ? 0.45 + 0.55 * rng_unit(r) : 0.2 + 0.5 * rng_unit(r);
		break;
	case KIND_PRIV:
		s->pv = 0.1 * rng_unit(r);
		break;
	default:
		s->pv = 0.15 + 0.45 * rng_unit(r);
		break;
	}
	s->pv += pv->pov / 100.0;
	if (s->pv > 1.0)
		s->pv = 1.0;
	s->gpm = pv->gpm;
	s->step = pick_step(r);
}

/* About 35% of the schools of the area provinces are pilots, the fixed ones
 * included: a uniform sample (selection sampling) of the others where a
 * cohort date exists.  Pilots draw poorer villages. */
static void pick_pilots(struct school *sc, int nsch, struct rng *r)
{
	int i, area = 0, eligible = 0, need;

	for (i = 0; i < nsch; i++) {
		const struct prov *p = &provs[sc[i].prov];

		area += p->wave != 0;
		eligible += sc[i].fixed < 0 && (p->wave == 1 || p->wave == 2);
	}
	need = (area * 35 + 50) / 100 - NFIXED;
	for (i = 0; i < nsch && need > 0; i++) {
		struct school *s = &sc[i];
		const struct prov *p = &provs[s->prov];
		double u;

		if (s->fixed >= 0 || (p->wave != 1 && p->wave != 2))
			continue;
		if ((int)rng_below(r, (uint32_t)eligible--) < need) {
			need--;
			s->pilot = 1;
			u = rng_unit(r);
			if (p->wave == 1)
				s->cohort = u < 0.4 ? 1 : u < 0.75 ? 2 : 3;
			else
				s->cohort = u < 0.6 ? 1 : 2;
			s->pv += 0.1;
			if (s->pv > 1.0)
				s->pv = 1.0;
		}
	}
}

/* Builds the school list, sorted by code, with student counts that add up
 * to exactly n. */
static int gen_schools(long n, uint64_t seed, struct school **out, int *nout, struct nw_err *err)
{
	struct rng r;
	struct school *sc;
	int seq[NPROV][MAXDIST];
	int var[NKIND][NREGION][NSTEM_REG];
	long ns = n / DEMO_STUDENTS_PER_SCHOOL;
	int i, total_weight = 0, nsch, cm = 0;
	long long w = 0, cum = 0, prev = 0;

	if (ns < DEMO_MIN_SCHOOLS)
		ns = DEMO_MIN_SCHOOLS;
	if (ns > DEMO_MAX_SCHOOLS)
		ns = DEMO_MAX_SCHOOLS;
	nsch = (int)ns;
	sc = nw_calloc((size_t)nsch, sizeof *sc);
	if (!sc)
		return err_generic(err, NAWAT_ENOMEM);
	memset(seq, 0, sizeof seq);
	memset(var, 0, sizeof var);
	for (i = 0; i < NPROV; i++) {
		total_weight += provs[i].weight;
		if (provs[i].code == 50)
			cm = i;
	}

	rng_seed(&r, seed, 1);
	for (i = 0; i < nsch; i++) {
		struct school *s = &sc[i];
		const struct prov *p;
		int nseq;

		if (i < NFIXED)
			gen_fixed(s, i, cm, &r);
		else
			gen_random(s, i - NFIXED, &r, total_weight);
		p = &provs[s->prov];
		if (s->fixed < 0)
			s->variant = var[s->kind][p->region][s->stem]++;
		nseq = ++seq[s->prov][s->dist];
		if (nseq > 9999) {
			nw_free(sc);
			return err_msg(err, NAWAT_EINVAL, "จำนวนโรงเรียนมากเกินไป", "too many schools");
		}
		s->code = (uint64_t)s->aff * 100000000ULL + (uint64_t)p->code * 1000000ULL +
			  (uint64_t)(s->dist + 1) * 10000ULL + (uint64_t)nseq;
	}
	pick_pilots(sc, nsch, &r);
	qsort(sc, (size_t)nsch, sizeof *sc, cmp_school);

	/* floor(n * cum / w) differences: exact total, proportional sizes */
	for (i = 0; i < nsch; i++)
		w += sc[i].raw;
	for (i = 0; i < nsch; i++) {
		long long next;

		cum += sc[i].raw;
		next = (long long)n * cum / w;
		sc[i].nstud = (long)(next - prev);
		prev = next;
	}
	*out = sc;
	*nout = nsch;
	return 0;
}

static void school_name(const struct school *s, char *th, size_t thn, char *en, size_t enn)
{
	const struct kind *k = &kinds[s->kind];
	const struct stem *st;
	const struct stem *core, *mod, *par;
	int v = s->variant, branch;
	char bth[32] = "", ben[32] = "";

	if (s->fixed >= 0) {
		snprintf(th, thn, "%s", fixed_schools[s->fixed].th);
		snprintf(en, enn, "%s", fixed_schools[s->fixed].en);
		return;
	}
	st = &stems[provs[s->prov].region][s->stem];
	core = &k->core[v % k->ncore];
	v /= k->ncore;
	mod = &mods[v % NMOD];
	v /= NMOD;
	par = &parens[v % NPAREN];
	branch = v / NPAREN;
	if (branch) {
		snprintf(bth, sizeof bth, " สาขา %d", branch + 1);
		snprintf(ben, sizeof ben, " Branch %d", branch + 1);
	}
	snprintf(th, thn, "%s%s%s%s%s%s%s%s", k->pre_th, st->th, mod->th, core->th,
		 par->th[0] ? "(" : "", par->th, par->th[0] ? ")" : "", bth);
	snprintf(en, enn, "%s%s%s%s%s%s%s%s%s%s", k->pre_en, st->en, mod->en[0] ? " " : "", mod->en,
		 core->en, par->en[0] ? " (" : "", par->en, par->en[0] ? ")" : "", k->post_en, ben);
}

static int write_areas(struct wbuf *w, long *count, struct nw_err *err)
{
	char name[256];
	int i, rc;

	put_str(w, "area_code,name_th,name_en,designated_on,status\n");
	for (i = 0; i < NPROV; i++) {
		const struct prov *p = &provs[i];

		if (!p->wave)
			continue;
		if ((rc = wb_reserve(w, 1024, err)))
			return rc;
		put_uint(w, (unsigned long)p->code);
		put_ch(w, ',');
		/* Bangkok is not a จังหวัด */
		snprintf(name, sizeof name, "%s%s",
			 p->code == 10 ? "พื้นที่นวัตกรรมการศึกษา" : "พื้นที่นวัตกรรมการศึกษาจังหวัด", p->th);
		put_field(w, name);
		put_ch(w, ',');
		snprintf(name, sizeof name, "%s Education Sandbox", p->en);
		put_field(w, name);
		put_ch(w, ',');
		put_str(w, p->designated);
		put_str(w, ",active\n");
		(*count)++;
	}
	return 0;
}

static int write_schools(struct wbuf *w, const struct school *sc, int nsch, struct nw_err *err)
{
	char th[512], en[512], esa[256];
	int i, rc;

	put_str(w, "school_code,name_th,name_en,affiliation_code,province_code,district_th,"
		   "subdistrict_th,esa_th,area_code,pilot,pilot_cohort,pilot_since,latitude,longitude\n");
	for (i = 0; i < nsch; i++) {
		const struct school *s = &sc[i];
		const struct prov *p = &provs[s->prov];
		const struct stem *reg = stems[p->region];

		if ((rc = wb_reserve(w, 4096, err)))
			return rc;
		school_name(s, th, sizeof th, en, sizeof en);
		esa[0] = '\0';
		if (s->aff == 10 && s->kind == KIND_SEC) {
			if (p->code == 10)
				snprintf(esa, sizeof esa, "สพม.%s เขต %d", p->th, 1 + s->dist % 2);
			else
				snprintf(esa, sizeof esa, "สพม.%s", p->th);
		} else if (s->aff == 10) {
			if (p->nesa == 1)
				snprintf(esa, sizeof esa, "สพป.%s", p->th);
			else
				snprintf(esa, sizeof esa, "สพป.%s เขต %d", p->th, esa_of(p, s->dist));
		}
		put_uint(w, (unsigned long)s->code);
		put_ch(w, ',');
		put_field(w, th);
		put_ch(w, ',');
		if (s->has_en)
			put_field(w, en);
		put_ch(w, ',');
		put_uint(w, s->aff);
		put_ch(w, ',');
		put_uint(w, (unsigned long)p->code);
		put_ch(w, ',');
		put_field(w, p->dist[s->dist]);
		put_ch(w, ',');
		put_field(w, s->fixed >= 0 ? fixed_schools[s->fixed].sub : reg[s->sub].th);
		put_ch(w, ',');
		put_field(w, esa);
		put_ch(w, ',');
		/* every school of an area province belongs to the area, pilot or not */
		if (p->wave)
			put_uint(w, (unsigned long)p->code);
		if (s->pilot) {
			put_str(w, ",Y,");
			put_uint(w, s->cohort);
			put_ch(w, ',');
			if (s->fixed >= 0)
				put_str(w, s->cohort == 1 ? FIXED_SINCE_1 : FIXED_SINCE_2);
			else
				put_str(w, cohort_date[p->wave - 1][s->cohort - 1]);
		} else {
			put_str(w, ",N,,");
		}
		put_ch(w, ',');
		if (s->has_geo) {
			put_fixed(w, s->lat, 6);
			put_ch(w, ',');
			put_fixed(w, s->lon, 6);
		} else {
			put_ch(w, ',');
		}
		put_ch(w, '\n');
	}
	return 0;
}

/* ---- students and outcomes, streamed together ---- */

/* Level 1..n+1 of x against ascending cut points. */
static int cut(double x, const double *cuts, int n)
{
	int i;

	for (i = 0; i < n && x >= cuts[i]; i++)
		;
	return i;
}

static int write_students(struct wbuf *ws, struct wbuf *wo, const struct school *sc, int nsch,
			  uint64_t seed, struct nw_err *err)
{
	static const double s_cuts[3] = {-0.9, 0.1, 1.1};
	static const double a_cuts[3] = {-1.9, -0.7, 0.5};
	struct rng r;
	uint32_t key[4];
	/* IDs issued so far per province and district (the last column: G-codes) */
	uint32_t issued[NPROV][MAXDIST + 1];
	int i, j, rc;

	memset(issued, 0, sizeof issued);
	rng_seed(&r, seed, 2);
	for (i = 0; i < 4; i++)
		key[i] = (uint32_t)rng_next(&r);
	put_str(ws, "citizen_id,school_code,academic_year,grade_code,gender,birth_date,disadvantage,disability\n");
	put_str(wo, "citizen_id,school_code,academic_year,term,domain,subject_code,instrument,score,level\n");

	for (i = 0; i < nsch; i++) {
		const struct school *s = &sc[i];
		int ng = s->ghi - s->glo + 1;
		double p1 = 0.15 + 0.20 * s->pv, p2 = 0.03 + 0.20 * s->pv;
		char code[16];
		long k;

		snprintf(code, sizeof code, "%010llu", (unsigned long long)s->code);
		for (k = 0; k < s->nstud; k++) {
			/* an export lists a school's students grade by grade */
			int g = s->glo + (int)((long long)k * ng / s->nstud);
			char id[13], pre[64];
			size_t pn;
			uint32_t *cnt, perm;
			int age, dis, disab, gender, sp, dd, gcode;
			double u, mu, z;
			long start, end;

			/* citizen ID: type digit, province and district of
			 * registration, seven digits from the permutation (unique),
			 * check digit; a G-code keeps the province and the seven */
			sp = rng_unit(&r) < 0.85 ? s->prov : (int)rng_below(&r, NPROV);
			dd = 1 + (int)rng_below(&r, (uint32_t)ndist(&provs[sp]));
			gcode = (int)rng_below(&r, 1000) < s->gpm;
			cnt = &issued[sp][gcode ? MAXDIST : dd - 1];
			if (*cnt >= 10000000U)
				return err_msg(err, NAWAT_EINVAL, "จำนวนนักเรียนมากเกินไป", "too many students");
			perm = perm7((*cnt)++, key, (uint32_t)(cnt - &issued[0][0]) * 0x9e3779b9U);
			if (gcode) {
				memcpy(id, "G00", 3);
				id[3] = (char)('0' + provs[sp].code / 10);
				id[4] = (char)('0' + provs[sp].code % 10);
				id[5] = '0';
				put_digits(id + 6, perm, 7);
			} else {
				id[0] = rng_below(&r, 1000) < 985 ? '1' : '2';
				id[1] = (char)('0' + provs[sp].code / 10);
				id[2] = (char)('0' + provs[sp].code % 10);
				id[3] = (char)('0' + dd / 10);
				id[4] = (char)('0' + dd % 10);
				put_digits(id + 5, perm, 7);
				id[12] = (char)('0' + thaiid_check_digit(id));
			}

			/* age on 16 May fits the grade: 3 in อนุบาล 1 ... 17 in ม.6,
			 * a few a year younger or one or two years older */
			u = rng_unit(&r);
			age = 3 + g + (u < 0.02 ? -1 : u < 0.86 ? 0 : u < 0.96 ? 1 : 2);
			start = days_from_civil(DEMO_YEAR_CE - age - 1, 5, 17);
			end = days_from_civil(DEMO_YEAR_CE - age, 5, 16);
			start += (long)rng_below(&r, (uint32_t)(end - start + 1));

			u = rng_unit(&r);
			gender = u < 0.002 ? 9 : u < 0.511 ? 1 : 2;
			u = rng_unit(&r);
			dis = u < p2 ? 2 : u < p2 + p1 ? 1 : 0;
			disab = rng_below(&r, 1000) < 25;

			if ((rc = wb_reserve(ws, 256, err)) || (rc = wb_reserve(wo, 1024, err)))
				return rc;
			put_mem(ws, id, 13);
			put_ch(ws, ',');
			put_mem(ws, code, 10);
			put_str(ws, "," YEAR_STR ",");
			put_str(ws, grades[g]);
			put_ch(ws, ',');
			put_ch(ws, (char)('0' + gender));
			put_ch(ws, ',');
			put_date(ws, start);
			put_ch(ws, ',');
			put_ch(ws, (char)('0' + dis));
			put_ch(ws, ',');
			put_ch(ws, (char)('0' + disab));
			put_ch(ws, '\n');

			/* outcomes: one latent ability drives knowledge, skills and
			 * attitude; poverty, disability, school and pilot shift it */
			memcpy(pre, id, 13);
			pre[13] = ',';
			memcpy(pre + 14, code, 10);
			memcpy(pre + 24, "," YEAR_STR ",1,", sizeof("," YEAR_STR ",1,") - 1);
			pn = 24 + sizeof("," YEAR_STR ",1,") - 1;
			mu = 62.5 + s->eff + (s->pilot ? 2.0 : 0.0) - (dis == 1 ? 6.0 : dis == 2 ? 10.0 : 0.0) -
			     (disab ? 8.0 : 0.0);
			z = rng_normal(&r);
			for (j = 0; j < 5; j++) {
				double sc100 = mu + k_off[j] + 11.0 * z + 8.0 * rng_normal(&r);
				long c;

				if (sc100 < 0)
					sc100 = 0;
				if (sc100 > 100)
					sc100 = 100;
				c = (long)(sc100 * 100.0 + 0.5);
				c = (c + s->step / 2) / s->step * s->step;
				if (c > 10000)
					c = 10000;
				put_mem(wo, pre, pn);
				put_str(wo, "K,");
				put_str(wo, k_subj[j]);
				put_str(wo, ",SCH,");
				put_fixed(wo, c, 2);
				put_str(wo, ",\n");
			}
			for (j = 0; j < 2; j++) {
				double x = 0.8 * z + (mu - 60.0) / 14.0 + 0.55 * rng_normal(&r);

				put_mem(wo, pre, pn);
				put_str(wo, "S,");
				put_str(wo, s_subj[j]);
				put_str(wo, ",SCH,,");
				put_ch(wo, (char)('1' + cut(x, s_cuts, 3)));
				put_ch(wo, '\n');
			}
			for (j = 0; j < 3; j++) {
				double x = 0.5 * z + (mu - 60.0) / 20.0 + 0.8 * rng_normal(&r);

				put_mem(wo, pre, pn);
				put_str(wo, "A,");
				put_str(wo, a_subj[j]);
				put_str(wo, ",SCH,,");
				put_ch(wo, (char)('0' + cut(x, a_cuts, 3)));
				put_ch(wo, '\n');
			}
		}
	}
	return 0;
}

/* ---- governance (demo_gov.c) ---- */

static int write_governance(const char *dir, const struct school *sc, int nsch, struct nw_err *err)
{
	struct demo_gov_area areas[NPROV];
	struct demo_gov_school *gs;
	int i, n = 0, rc;

	for (i = 0; i < NPROV; i++)
		if (provs[i].wave)
			areas[n++] = (struct demo_gov_area){ provs[i].code, provs[i].th, provs[i].en, provs[i].wave };
	gs = nw_calloc((size_t)nsch + 1, sizeof *gs);
	if (!gs)
		return err_generic(err, NAWAT_ENOMEM);
	for (i = 0; i < nsch; i++) {
		const struct school *s = &sc[i];
		const struct prov *p = &provs[s->prov];

		snprintf(gs[i].code, sizeof gs[i].code, "%010llu", (unsigned long long)s->code);
		gs[i].area = p->wave ? p->code : 0;
		gs[i].aff = s->aff;
		gs[i].pilot = s->pilot;
		gs[i].cohort = s->cohort;
		if (s->pilot)
			snprintf(gs[i].since, sizeof gs[i].since, "%s",
				 s->fixed >= 0 ? (s->cohort == 1 ? FIXED_SINCE_1 : FIXED_SINCE_2)
					       : cohort_date[p->wave - 1][s->cohort - 1]);
	}
	rc = demo_gov_write(dir, areas, n, gs, nsch, NULL, err);
	nw_free(gs);
	return rc;
}

int demo_write_csv(const char *dir, const struct demo_opts *o, struct demo_stats *stats, struct nw_err *err)
{
	static const char *const names[4] = {"areas.csv", "schools.csv", "students.csv", "outcomes.csv"};
	struct wbuf w[4];
	struct school *sc = NULL;
	long n = DEMO_DEFAULT_STUDENTS, nareas = 0;
	uint64_t seed = 1;
	int nsch = 0, i, rc = 0;

	memset(w, 0, sizeof w);
	if (!dir || !*dir)
		return err_msg(err, NAWAT_EINVAL, "ไม่ได้ระบุไดเรกทอรี", "no directory given");
	if (o) {
		if (o->students < 0 || o->students > DEMO_MAX_STUDENTS)
			return err_set(err, NAWAT_EINVAL, "จำนวนนักเรียนต้องอยู่ระหว่าง 1 ถึง %ld (ได้ %ld)",
				       "the student count must be between 1 and %ld (got %ld)",
				       DEMO_MAX_STUDENTS, o->students);
		if (o->students)
			n = o->students;
		if (o->seed)
			seed = o->seed;
	}
	if ((rc = gen_schools(n, seed, &sc, &nsch, err)))
		goto out;
	for (i = 0; i < 4; i++)
		if ((rc = wb_open(&w[i], dir, names[i], err)))
			goto out;
	if ((rc = write_areas(&w[0], &nareas, err)))
		goto out;
	if ((rc = write_schools(&w[1], sc, nsch, err)))
		goto out;
	if ((rc = write_students(&w[2], &w[3], sc, nsch, seed, err)))
		goto out;
	if ((rc = write_governance(dir, sc, nsch, err)))
		goto out;
out:
	for (i = 0; i < 4; i++)
		rc = wb_close(&w[i], rc, err);
	nw_free(sc);
	if (!rc && stats) {
		stats->areas = nareas;
		stats->schools = nsch;
		stats->students = n;
		stats->outcomes = 10 * n;
	}
	return rc;
}
