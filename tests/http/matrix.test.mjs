// matrix.test.mjs - who may do what: every demo role against every endpoint and action,
// generated from one table.  Beyond the status, a list must hold only rows in the caller's
// scope (and all of them), a refused import must say why in a `reference` report row, and a
// non-central caller sees its own submissions and those that brought rows of its scope.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { assertCleanStops, citizenId, demoEnv, multipart } from './lib/nawat.mjs';

const BANPHUI = '1050060001'; // the school of the demo users banphui and teacher (area 50)
const OTHER50 = '1050060002'; // another pilot school of area 50
const SCHOOL71 = '1071060001'; // a school of area 71

// Students and outcomes the test adds (as admin) at these three schools.
const STUDENT = { [BANPHUI]: citizenId('150099901001'), [OTHER50]: citizenId('150099901002'), [SCHOOL71]: citizenId('150099901003') };

const AREA_ROWS = {
	50: '50,พื้นที่นวัตกรรมการศึกษาจังหวัดเชียงใหม่,Chiang Mai Education Sandbox,2018-10-02,active',
	71: '71,พื้นที่นวัตกรรมการศึกษาจังหวัดกาญจนบุรี,Kanchanaburi Education Sandbox,2018-10-02,active',
};
const SCHOOL_ROWS = {
	[OTHER50]: `${OTHER50},โรงเรียนบ้านยางครก,Ban Yang Khrok School,10,50,ฮอด,หางดง,สพป.เชียงใหม่ เขต 5,50,Y,2,2021-05-17,18.176457,98.656509`,
	[SCHOOL71]: `${SCHOOL71},โรงเรียนบ้านห้วยยาง,Ban Huai Yang School,10,71,สังขละบุรี,ห้วยยาง,สพป.กาญจนบุรี เขต 4,71,N,,,14.439283,99.499926`,
};
const HEADERS = {
	areas: 'area_code,name_th,name_en,designated_on,status',
	schools: 'school_code,name_th,name_en,affiliation_code,province_code,district_th,subdistrict_th,esa_th,area_code,pilot,pilot_cohort,pilot_since,latitude,longitude',
	students: 'citizen_id,school_code,academic_year,grade_code,gender,birth_date,disadvantage,disability',
	outcomes: 'citizen_id,school_code,academic_year,term,domain,subject_code,instrument,score,level',
	meetings: 'committee_code,year,number,area_code,status,held_on',
	pilot_status: 'school_code,status,applied_on,board_approved_on,supervisor,supervisor_approved_on,committee_approved_on,active_since',
	participants: 'participant_id,sector,area_code,type,name_th,status,involvement',
};
// Students the deletions of the table remove (DSTUDENT, without results) and whose results
// they remove (OSTUDENT); each deleted row is put back after its test.
const DSTUDENT = { [BANPHUI]: citizenId('150099902001'), [SCHOOL71]: citizenId('150099902003') };
const OSTUDENT = { [BANPHUI]: citizenId('150099903001'), [OTHER50]: citizenId('150099903002'), [SCHOOL71]: citizenId('150099903003') };
const dStudentRow = (school) => `${DSTUDENT[school]},${school},2567,213,2,2016-04-17,1,0`;
const oStudentRow = (school) => `${OSTUDENT[school]},${school},2567,213,2,2016-04-17,1,0`;
const dOutcomeRow = (school) => `${OSTUDENT[school]},${school},2567,1,S,201,AREA,,2`;
const studentRow = (school) => `${STUDENT[school]},${school},2567,213,1,2016-03-17,0,0`;
const outcomeRow = (school) => `${STUDENT[school]},${school},2567,1,S,201,AREA,,3`;
const csv = (ds, row) => `${HEADERS[ds]}\n${row}\n`;

// What each action of the table does.  `scope` is the field a refused import names.
const ACTIONS = {
	'list areas': { list: 'areas' },
	'get area 50': { get: '/api/v1/areas/50' },
	'get area 71': { get: '/api/v1/areas/71' },
	'list schools': { list: 'schools' },
	'get school Ban Phui': { get: `/api/v1/schools/${BANPHUI}` },
	'get other school of area 50': { get: `/api/v1/schools/${OTHER50}` },
	'get school of area 71': { get: `/api/v1/schools/${SCHOOL71}` },
	'list students': { list: 'students' },
	'get student of Ban Phui': { get: `/api/v1/students/${STUDENT[BANPHUI]},2567` },
	'get student of other school of area 50': { get: `/api/v1/students/${STUDENT[OTHER50]},2567` },
	'get student of area 71': { get: `/api/v1/students/${STUDENT[SCHOOL71]},2567` },
	'list outcomes': { list: 'outcomes' },
	'get outcome of Ban Phui': { get: `/api/v1/outcomes/${STUDENT[BANPHUI]},2567,1,S,201,AREA` },
	'get outcome of other school of area 50': { get: `/api/v1/outcomes/${STUDENT[OTHER50]},2567,1,S,201,AREA` },
	'get outcome of area 71': { get: `/api/v1/outcomes/${STUDENT[SCHOOL71]},2567,1,S,201,AREA` },
	'post area 50': { post: 'areas', body: csv('areas', AREA_ROWS[50]), scope: 'area_code' },
	'post area 71': { post: 'areas', body: csv('areas', AREA_ROWS[71]), scope: 'area_code' },
	'post school of area 50': { post: 'schools', body: csv('schools', SCHOOL_ROWS[OTHER50]), scope: 'area_code' },
	'post school of area 71': { post: 'schools', body: csv('schools', SCHOOL_ROWS[SCHOOL71]), scope: 'area_code' },
	'post student of Ban Phui': { post: 'students', body: csv('students', studentRow(BANPHUI)), scope: 'school_code' },
	'post student of other school of area 50': { post: 'students', body: csv('students', studentRow(OTHER50)), scope: 'school_code' },
	'post student of area 71': { post: 'students', body: csv('students', studentRow(SCHOOL71)), scope: 'school_code' },
	'post outcome of Ban Phui': { post: 'outcomes', body: csv('outcomes', outcomeRow(BANPHUI)), scope: 'school_code' },
	'post outcome of other school of area 50': { post: 'outcomes', body: csv('outcomes', outcomeRow(OTHER50)), scope: 'school_code' },
	'post outcome of area 71': { post: 'outcomes', body: csv('outcomes', outcomeRow(SCHOOL71)), scope: 'school_code' },
	'delete student of Ban Phui': { del: 'students', key: `${DSTUDENT[BANPHUI]},2567`, setup: dStudentRow(BANPHUI) },
	'delete student of area 71': { del: 'students', key: `${DSTUDENT[SCHOOL71]},2567`, setup: dStudentRow(SCHOOL71) },
	'delete outcome of Ban Phui': { del: 'outcomes', key: `${OSTUDENT[BANPHUI]},2567,1,S,201,AREA`, setup: dOutcomeRow(BANPHUI) },
	'delete outcome of other school of area 50': { del: 'outcomes', key: `${OSTUDENT[OTHER50]},2567,1,S,201,AREA`, setup: dOutcomeRow(OTHER50) },
	'delete outcome of area 71': { del: 'outcomes', key: `${OSTUDENT[SCHOOL71]},2567,1,S,201,AREA`, setup: dOutcomeRow(SCHOOL71) },
	'page area 50': { page: '/areas/50' },
	'page area 71': { page: '/areas/71' },
	'page school Ban Phui': { page: `/schools/${BANPHUI}` },
	'page other school of area 50': { page: `/schools/${OTHER50}` },
	'page school of area 71': { page: `/schools/${SCHOOL71}` },
	'page search for the other school of area 50': { page: `/schools?q=${OTHER50}`, lists: { school_code: OTHER50, area_code: '50' } },
	'page search for a school of area 71': { page: `/schools?q=${SCHOOL71}`, lists: { school_code: SCHOOL71, area_code: '71' } },
	'page import student of Ban Phui': { pageImport: 'students', body: csv('students', studentRow(BANPHUI)) },
	'page import student of area 71': { pageImport: 'students', body: csv('students', studentRow(SCHOOL71)) },
	'page import outcome of Ban Phui': { pageImport: 'outcomes', body: csv('outcomes', outcomeRow(BANPHUI)) },
	'page /users': { page: '/users' },
	'page /audit': { page: '/audit' },
	'list submissions': { submissions: true },
	'list committees': { list: 'committees' },
	'list meetings': { list: 'meetings' },
	'list pilot_status': { list: 'pilot_status' },
	'list participants': { list: 'participants' },
	'get committee 50-DRIVE': { get: '/api/v1/committees/50-DRIVE' },
	'get committee 71-DRIVE': { get: '/api/v1/committees/71-DRIVE' },
	'get committee POLICY': { get: '/api/v1/committees/POLICY' },
	'post meeting of 50-DRIVE': { post: 'meetings', body: csv('meetings', '50-DRIVE,2568,9,50,scheduled,2025-12-01'), scope: 'area_code' },
	'post meeting of 71-DRIVE': { post: 'meetings', body: csv('meetings', '71-DRIVE,2568,9,71,scheduled,2025-12-01'), scope: 'area_code' },
	'post pilot status of Ban Phui': { post: 'pilot_status', body: csv('pilot_status', `${BANPHUI},active,2020-01-15,2020-02-01,esa,2020-03-01,2020-04-01,2020-05-16`), scope: 'school_code' },
	'post participant of area 71': { post: 'participants', body: csv('participants', '3716800999,3,71,04,บริษัทตัวอย่าง จำกัด,01,03'), scope: { chiangmai: 'area_code', banphui: 'school_code' } },
	'compliance of all areas': { get: '/api/v1/compliance?scope=all' },
	'compliance of area 50': { get: '/api/v1/compliance?scope=50' },
	'compliance of area 71': { get: '/api/v1/compliance?scope=71' },
	'equity national': { get: '/api/v1/equity?scope=national' },
	'equity of area 50': { get: '/api/v1/equity?scope=area:50' },
	'equity of area 71': { get: '/api/v1/equity?scope=area:71' },
	'equity of province 50': { get: '/api/v1/equity?scope=province:50' },
	'equity of Ban Phui': { get: `/api/v1/equity?scope=school:${BANPHUI}` },
	'equity of other school of area 50': { get: `/api/v1/equity?scope=school:${OTHER50}` },
	'equity of school of area 71': { get: `/api/v1/equity?scope=school:${SCHOOL71}` },
	'equity trend of area 71': { get: '/api/v1/equity/trend?scope=area:71' },
	'page /equity': { page: '/equity' },
	'page /equity of area 71': { page: '/equity?scope=area:71' },
	'download equity of area 71': { page: '/equity/overview.csv?scope=area:71' },
	'page /governance': { page: '/governance' },
	'page committee 50-DRIVE': { page: '/committees/50-DRIVE' },
	'page committee 71-DRIVE': { page: '/committees/71-DRIVE' },
	'page meeting 50-DRIVE 3/2564': { page: '/meetings/50-DRIVE/2564/3' },
	'page plan of area 71': { page: '/plans/71-PLAN-2565' },
	'page /pilots': { page: '/pilots' },
	'page /partners': { page: '/partners' },
	'completeness of area 50': { get: '/api/v1/completeness?area=50' },
	'completeness of area 71': { get: '/api/v1/completeness?area=71' },
	'page /submissions': { page: '/submissions' },
	'page /completeness': { page: '/completeness' },
	'page /students/relink': { page: '/students/relink' },
	'page form meeting of 50-DRIVE': { pageForm: '/committees/50-DRIVE/meetings', form: { year: '2568', number: '8', status: 'scheduled', held_on: '2025-11-01' }, saved: '/meetings/50-DRIVE/2568/8?saved=1' },
};

// 200 ok · 303 to the sign-in page · 401 no caller · 403 not the role's · 404 outside the
// scope (as if absent); a researcher may not look a person up by their ID · 422 an import refused row by row (outside the scope: `reference`)
const TABLE = `
action                                   admin  chiangmai  banphui  teacher  researcher  anonymous
list areas                                200     200        200      200       200        401
get area 50                               200     200        200      200       200        401
get area 71                               200     404        404      404       200        401
list schools                              200     200        200      200       200        401
get school Ban Phui                       200     200        200      200       200        401
get other school of area 50               200     200        404      404       200        401
get school of area 71                     200     404        404      404       200        401
list students                             200     200        200      200       200        401
get student of Ban Phui                   200     200        200      200       403        401
get student of other school of area 50    200     200        404      404       403        401
get student of area 71                    200     404        404      404       403        401
list outcomes                             200     200        200      200       200        401
get outcome of Ban Phui                   200     200        200      200       403        401
get outcome of other school of area 50    200     200        404      404       403        401
get outcome of area 71                    200     404        404      404       403        401
post area 50                              200     200        403      403       403        401
post area 71                              200     422        403      403       403        401
post school of area 50                    200     200        403      403       403        401
post school of area 71                    200     422        403      403       403        401
post student of Ban Phui                  200     200        200      403       403        401
post student of other school of area 50   200     200        422      403       403        401
post student of area 71                   200     422        422      403       403        401
post outcome of Ban Phui                  200     200        200      200       403        401
post outcome of other school of area 50   200     200        422      422       403        401
post outcome of area 71                   200     422        422      422       403        401
delete student of Ban Phui                200     200        200      403       403        401
delete student of area 71                 200     404        404      403       403        401
delete outcome of Ban Phui                200     200        200      200       403        401
delete outcome of other school of area 50 200     200        404      404       403        401
delete outcome of area 71                 200     404        404      404       403        401
page area 50                              200     200        200      200       200        303
page area 71                              200     404        404      404       200        303
page school Ban Phui                      200     200        200      200       200        303
page other school of area 50              200     200        404      404       200        303
page school of area 71                    200     404        404      404       200        303
page search for the other school of area 50  200  200        200      200       200        303
page search for a school of area 71       200     200        200      200       200        303
page import student of Ban Phui           200     200        200      403       403        303
page import student of area 71            200     422        422      403       403        303
page import outcome of Ban Phui           200     200        200      200       403        303
page /users                               200     403        403      403       403        303
page /audit                               200     403        403      403       403        303
list submissions                          200     200        200      200       200        401
list committees                           200     200        200      200       200        401
list meetings                             200     200        200      200       200        401
list pilot_status                         200     200        200      200       200        401
list participants                         200     200        200      200       200        401
get committee 50-DRIVE                    200     200        200      200       200        401
get committee 71-DRIVE                    200     404        404      404       200        401
get committee POLICY                      200     404        404      404       200        401
post meeting of 50-DRIVE                  200     200        403      403       403        401
post meeting of 71-DRIVE                  200     422        403      403       403        401
post pilot status of Ban Phui             200     200        403      403       403        401
post participant of area 71               200     422        422      403       403        401
compliance of all areas                   200     403        403      403       200        401
compliance of area 50                     200     200        403      403       200        401
compliance of area 71                     200     403        403      403       200        401
equity national                           200     403        403      403       200        401
equity of area 50                         200     200        403      403       200        401
equity of area 71                         200     403        403      403       200        401
equity of province 50                     200     403        403      403       200        401
equity of Ban Phui                        200     200        200      200       200        401
equity of other school of area 50         200     200        403      403       200        401
equity of school of area 71               200     403        403      403       200        401
equity trend of area 71                   200     403        403      403       200        401
page /equity                              200     200        200      200       200        303
page /equity of area 71                   200     403        403      403       200        303
download equity of area 71                200     403        403      403       200        303
page /governance                          200     200        200      200       200        303
page committee 50-DRIVE                   200     200        200      200       200        303
page committee 71-DRIVE                   200     404        404      404       200        303
page meeting 50-DRIVE 3/2564              200     200        200      200       200        303
page plan of area 71                      200     404        404      404       200        303
page /pilots                              200     200        200      200       200        303
page /partners                            200     200        200      200       200        303
page form meeting of 50-DRIVE             303     303        403      403       403        303
completeness of area 50                   200     200        200      200       403        401
completeness of area 71                   200     404        404      404       403        401
page /submissions                         200     200        200      200       200        303
page /completeness                        200     200        200      200       403        303
page /students/relink                     200     200        200      403       403        303
`;

function parseTable(text) {
	const lines = text.trim().split('\n');
	const roles = lines[0].trim().split(/\s+/).slice(1);
	return lines.slice(1).map((line) => {
		const m = /^(.*?)\s+((?:\d{3}\s*)+)$/.exec(line);
		const statuses = m[2].trim().split(/\s+/).map(Number);
		assert.equal(statuses.length, roles.length, `the table row "${m[1]}" needs ${roles.length} statuses`);
		assert.ok(ACTIONS[m[1]], `the table names an unknown action "${m[1]}"`);
		return { action: m[1], expect: Object.fromEntries(roles.map((r, i) => [r, statuses[i]])) };
	});
}

const ROWS = parseTable(TABLE);
const ROLES = Object.keys(ROWS[0].expect);

// Which rows a role may see.  Filled in before the tests from the centre's view of the schools.
const schoolsOfArea50 = new Set();
// governance data sets: those with an area_code are scoped by it for an area, and by the
// school's area for a school; pilot_status by its school; participants by school for a school
const BY_AREA = new Set(['areas', 'schools', 'committees', 'committee_members', 'meetings', 'resolutions', 'plans', 'plan_goals', 'kpis', 'kpi_values', 'participants']);
function inScope(role, ds, row) {
	if (role === 'admin' || role === 'researcher') return true;
	if (role === 'chiangmai') return BY_AREA.has(ds) ? row.area_code === '50' : schoolsOfArea50.has(row.school_code);
	if (ds === 'participants') return row.school_code === BANPHUI;
	if (BY_AREA.has(ds) && ds !== 'schools') return row.area_code === '50';
	if (role === 'chiangmai') return ds === 'areas' || ds === 'schools' ? row.area_code === '50' : schoolsOfArea50.has(row.school_code);
	// banphui and teacher: their school, and the area it belongs to
	return row.school_code === BANPHUI;
}

describe('role × endpoint matrix', () => {
	let env;
	const all = {}; // dataset -> the centre's rows (first page of 1000)

	before(async () => {
		env = await demoEnv();
		for (const [ds, rows] of [
			['students', Object.keys(STUDENT).map(studentRow)],
			['outcomes', Object.keys(STUDENT).map(outcomeRow)],
			// the students whose rows the deletions remove: their outcomes are put back per test
			['students', [...Object.keys(DSTUDENT).map(dStudentRow), ...Object.keys(OSTUDENT).map(oStudentRow)]],
			['outcomes', Object.keys(OSTUDENT).map(dOutcomeRow)],
			// the governance rows the table posts, there before the counts are taken
			['meetings', ['50-DRIVE,2568,9,50,scheduled,2025-12-01', '71-DRIVE,2568,9,71,scheduled,2025-12-01', '50-DRIVE,2568,8,50,scheduled,2025-11-01']],
			['participants', ['3716800999,3,71,04,บริษัทตัวอย่าง จำกัด,01,03']],
		]) {
			const r = await env.req('admin', { method: 'POST', path: `/api/v1/${ds}`, headers: { 'Content-Type': 'text/csv' }, body: `${HEADERS[ds]}\n${rows.join('\n')}\n` });
			assert.equal(r.status, 200, `setup: POST ${ds}: ${r.text}`);
			assert.equal(r.json.counts.inserted, rows.length);
		}
		for (const ds of ['areas', 'schools', 'students', 'outcomes', 'committees', 'meetings', 'pilot_status', 'participants']) {
			const r = await env.req('admin', { path: `/api/v1/${ds}?limit=1000` });
			assert.equal(r.status, 200);
			all[ds] = r.json.data;
		}
		for (const s of all.schools) if (s.area_code === '50') schoolsOfArea50.add(s.school_code);
		assert.ok(schoolsOfArea50.has(BANPHUI) && schoolsOfArea50.has(OTHER50) && !schoolsOfArea50.has(SCHOOL71),
			'the demo data has changed: the schools of this test are not where it expects them');
	});

	after(async () => {
		if (env) assertCleanStops(await env.close());
	});

	for (const role of ROLES) {
		describe(role, () => {
			for (const { action, expect } of ROWS) {
				const status = expect[role];
				test(`${action} → ${status}`, async () => {
					const a = ACTIONS[action];
					const as = role === 'anonymous' ? null : role;
					let r;
					if (a.list) r = await env.req(as, { path: `/api/v1/${a.list}?limit=1000` });
					else if (a.get) r = await env.req(as, { path: a.get });
					else if (a.page) r = await env.req(as, { path: a.page });
					else if (a.pageImport)
						r = await env.req(as, { method: 'POST', path: '/import', ...multipart({ dataset: a.pageImport, file: { filename: 'x.csv', content: a.body } }) });
					else if (a.del) r = await env.req(as, { method: 'DELETE', path: `/api/v1/${a.del}/${a.key}` });
					else if (a.submissions) r = await env.req(as, { path: '/api/v1/submissions?limit=200' });
					else if (a.pageForm)
						r = await env.req(as, { method: 'POST', path: a.pageForm, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(a.form).toString() });
					else r = await env.req(as, { method: 'POST', path: `/api/v1/${a.post}`, headers: { 'Content-Type': 'text/csv' }, body: a.body });
					assert.equal(r.status, status, `${role}: ${action}: ${r.status} ${r.text.slice(0, 400)}`);

					if (status === 303) assert.equal(r.headers.location, a.pageForm && as ? a.saved : '/login');
					if ([401, 403, 404].includes(status) && !a.page && !a.pageImport && !a.pageForm) {
						assert.equal(typeof r.json?.error?.code, 'string', `an error body: ${r.text.slice(0, 200)}`);
						assert.equal(r.json.error.code, { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' }[status]);
					}
					if (status === 200 && a.list) {
						const rows = r.json.data;
						const outside = rows.find((row) => !inScope(role, a.list, row));
						assert.equal(outside, undefined, `${role} sees a row outside its scope: ${JSON.stringify(outside)}`);
						// all of the rows in scope (the centre's first page holds them all but for outcomes)
						if (a.list !== 'outcomes') {
							const expected = all[a.list].filter((row) => inScope(role, a.list, row)).length;
							assert.equal(rows.length, expected, `${role} sees ${rows.length} ${a.list}, not the ${expected} in its scope`);
						}
						assert.ok(rows.length > 0, `${role} sees no ${a.list} at all`);
						if (role === 'researcher' && rows[0].citizen_id !== undefined)
							assert.ok(rows.every((row) => /^P/.test(row.citizen_id)), 'the researcher sees a citizen ID');
					}
					if (status === 200 && a.get && role === 'researcher' && r.json.citizen_id !== undefined)
						assert.match(r.json.citizen_id, /^P/, 'the researcher sees a citizen ID');
					if (status === 200 && a.get && role !== 'researcher' && r.json.citizen_id !== undefined)
						assert.match(r.json.citizen_id, /^\d{13}$/);
					if (status === 200 && a.post) {
						assert.equal(r.json.committed, true);
						assert.equal(r.json.counts.rejected, 0);
						assert.equal(r.json.counts.inserted + r.json.counts.updated + r.json.counts.unchanged, 1);
					}
					if (status === 422 && a.post) {
						assert.equal(r.json.committed, false);
						const scope = typeof a.scope === 'object' ? a.scope[role] : a.scope;
						assert.deepEqual(r.json.report.map((x) => [x.row, x.column, x.code]), [[2, scope, 'reference']],
							`the report: ${JSON.stringify(r.json.report)}`);
					}
					if (a.del) {
						// deleted exactly when the answer says so, and the answer counts it
						const after = await env.req('admin', { path: `/api/v1/${a.del}/${a.key}` });
						assert.equal(after.status, status === 200 ? 404 : 200, `${role}: ${action}: the row after: ${after.status}`);
						if (status === 200) assert.deepEqual([r.json.committed, r.json.counts.deleted], [true, 1]);
						const put = await env.req('admin', { method: 'POST', path: `/api/v1/${a.del}`, headers: { 'Content-Type': 'text/csv' }, body: csv(a.del, a.setup) });
						assert.equal(put.status, 200, `putting the row back: ${put.text}`);
					}
					if (a.lists) {
						// a search page shows the school's link exactly when the school is in scope
						const shown = r.text.includes(`href="/schools/${a.lists.school_code}"`);
						assert.equal(shown, inScope(role, 'schools', a.lists), `${role}: the link to ${a.lists.school_code} ${shown ? 'is' : 'is not'} on ${a.page}`);
					}
					if (status === 200 && a.get && a.get.startsWith('/api/v1/compliance?scope=')) {
						const want = a.get.split('=')[1];
						assert.equal(r.json.scope, want);
						if (want !== 'all') assert.ok(r.json.findings.every((f) => f.area_code === want), `${role} sees findings of another area`);
					}
					if ((a.page || a.pageImport) && role === 'researcher')
						for (const id of Object.values(STUDENT)) assert.ok(!r.text.includes(id), `the researcher sees the citizen ID ${id} on ${a.page || '/import'}`);
					if (a.pageImport && status === 200) assert.match(r.text, /<table/, 'the import result');
					if (a.pageImport && status === 422) assert.match(r.text, /<table class="report"[\s\S]*<code>reference<\/code>/, 'the report names the reference');
					if (status === 200 && a.submissions) {
						const subs = r.json.submissions;
						assert.ok(Array.isArray(subs));
						if (role === 'admin') assert.ok(subs.some((s) => s.user === 'demo'), 'the centre sees every submission');
						else if (role === 'researcher') assert.ok(subs.every((s) => s.user === role), `the researcher sees others' submissions`);
						else {
							// another's submission only when it brought rows of the role's scope
							// (as the centre sees it), and whole only when all its rows are
							const mine = (row) => (role === 'chiangmai' ? row.area_code === '50' : row.school_code === BANPHUI);
							for (const s of subs) {
								if (s.user === role) continue;
								const centre = await env.req('admin', { path: `/api/v1/submissions/${s.id}` });
								assert.equal(centre.status, 200);
								const rows = centre.json.per_school;
								assert.ok(rows.some(mine), `${role} sees submission ${s.id} of ${s.user} with no row of its scope`);
								assert.equal(s.whole, rows.every(mine), `${role}: submission ${s.id} whole = ${s.whole}`);
							}
							assert.ok(subs.some((s) => s.user === 'demo'), `${role} sees the demo's imports of its schools`);
						}
					}
				});
			}
		});
	}
});
