// submissions.test.mjs - submissions per school and area, and the completeness view.
//
// One demo store, users of two areas and two schools.  The counts per school of each
// submission are checked against the rows the test itself sent; who sees which submission,
// whole or in part, against the rule (own, or rows of the caller's scope); the completeness
// statuses against deadlines the test works out from the dates it chose (academic years far
// in the past and in the future, so that "now" is after or before every deadline).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { assertCleanStops, citizenId, cliOk, createToken, demoEnv } from './lib/nawat.mjs';

const BANPHUI = '1050060001'; // banphui's and teacher's school (area 50)
const OTHER50 = '1050060002'; // another school of area 50
const SCHOOL71 = '1071060001'; // a school of area 71
const HEADER = 'citizen_id,school_code,academic_year,grade_code,gender,birth_date,disadvantage,disability';
const OUT_HEADER = 'citizen_id,school_code,academic_year,term,domain,subject_code,instrument,score,level';

let serial = 0;
const newId = () => citizenId(`1500999${String(7000 + ++serial).padStart(5, '0')}`);
// a student of a year: 12 years old on 16 May of it
const student = (id, school, year, grade = '216', gender = '1') =>
	`${id},${school},${year},${grade},${gender},${year - 543 - 12}-03-17,0,0`;
const thaiDay = (ms = Date.now()) => new Date(ms + 7 * 3600e3).toISOString().slice(0, 10);

describe('submissions per school and area, completeness', () => {
	let env;
	const tok = {};

	const get = async (as, path) => {
		const r = await env.req(null, { path, token: tok[as] ?? env.tokens[as] });
		return r;
	};
	const postCsv = async (as, ds, lines, query = '') => {
		const r = await env.req(null, { method: 'POST', path: `/api/v1/${ds}${query}`, token: tok[as] ?? env.tokens[as],
			headers: { 'Content-Type': 'text/csv' }, body: lines.join('\n') + '\n' });
		return r;
	};

	before(async () => {
		env = await demoEnv();
		for (const [name, role, scope] of [['kan', 'area', '71'], ['yangkrok', 'school', OTHER50]]) {
			await cliOk(env.dir, ['user', 'add', name, '--role', role, '--scope', scope], { input: 'a-long-password\n' });
			tok[name] = (await createToken(env.dir, name)).token;
		}
	});

	after(async () => {
		if (env) assertCleanStops(await env.close());
	});

	let mixed; // the id of a submission with rows of three schools in two areas
	const ids = [newId(), newId(), newId(), newId()];

	test('an import records what it brought per school, area, academic year and term', async () => {
		const r = await postCsv('admin', 'students', [HEADER, student(ids[0], BANPHUI, 2567), student(ids[1], BANPHUI, 2567),
			student(ids[2], OTHER50, 2567), student(ids[3], SCHOOL71, 2567)]);
		assert.equal(r.status, 200, r.text);
		mixed = r.json.submission_id;
		const d = await get('admin', `/api/v1/submissions/${mixed}`);
		assert.equal(d.status, 200);
		assert.equal(d.json.whole, true);
		assert.equal(d.json.inserted, 4);
		assert.equal(d.json.schools, 3);
		assert.deepEqual(d.json.per_school.map((s) => [s.school_code, s.area_code, s.academic_year, s.term, s.inserted]),
			[[BANPHUI, '50', 2567, null, 2], [OTHER50, '50', 2567, null, 1], [SCHOOL71, '71', 2567, null, 1]]);
		// again with one row changed: updated and unchanged, per school
		const again = await postCsv('admin', 'students', [HEADER, student(ids[0], BANPHUI, 2567, '215'), student(ids[1], BANPHUI, 2567),
			student(ids[2], OTHER50, 2567), student(ids[3], SCHOOL71, 2567)]);
		const d2 = await get('admin', `/api/v1/submissions/${again.json.submission_id}`);
		assert.deepEqual(d2.json.per_school.map((s) => [s.school_code, s.inserted, s.updated, s.unchanged]),
			[[BANPHUI, 0, 1, 1], [OTHER50, 0, 0, 1], [SCHOOL71, 0, 0, 1]]);
	});

	test('a rejected file counts its rows as rejected, per school; a row of an unknown school under none', async () => {
		const r = await postCsv('admin', 'students', [HEADER, student(newId(), BANPHUI, 2567), student(newId(), '1050999999', 2567)]);
		assert.equal(r.status, 422);
		const d = await get('admin', `/api/v1/submissions/${r.json.submission_id}`);
		assert.equal(d.json.status, 'rejected');
		assert.deepEqual(d.json.per_school.map((s) => [s.school_code, s.inserted, s.rejected]), [[BANPHUI, 0, 1], [null, 0, 1]]);
	});

	test('who sees the mixed submission, and how much of it', async () => {
		// [user, sees, whole, inserted (of the first import), schools]
		for (const [as, sees, inserted, schools] of [
			['admin', true, 4, 3], ['chiangmai', true, 3, 2], ['kan', true, 1, 1], ['banphui', true, 2, 1],
			['teacher', true, 2, 1], ['yangkrok', true, 1, 1], ['researcher', false],
		]) {
			const d = await get(as, `/api/v1/submissions/${mixed}`);
			if (!sees) {
				assert.equal(d.status, 404, `${as}: ${d.text}`);
				const l = await get(as, '/api/v1/submissions?limit=200');
				assert.ok(!l.json.submissions.some((s) => s.id === mixed), `${as} lists it`);
				continue;
			}
			assert.equal(d.status, 200, `${as}: ${d.text}`);
			assert.equal(d.json.whole, as === 'admin', `${as}: whole`);
			assert.equal(d.json.inserted, inserted, `${as}: inserted`);
			assert.equal(d.json.schools, schools, `${as}: schools`);
			assert.equal(d.json.report, as === 'admin' ? `/api/v1/submissions/${mixed}/report.csv` : null);
			const rep = await get(as, `/api/v1/submissions/${mixed}/report.csv`);
			assert.equal(rep.status, as === 'admin' ? 200 : 404, `${as}: report`);
			// the per-school rows are the caller's own only
			const codes = d.json.per_school.map((s) => s.school_code);
			if (as === 'chiangmai') assert.deepEqual(codes, [BANPHUI, OTHER50]);
			if (as === 'kan') assert.deepEqual(codes, [SCHOOL71]);
			if (as === 'banphui' || as === 'teacher') assert.deepEqual(codes, [BANPHUI]);
			const l = await get(as, '/api/v1/submissions?limit=200');
			const s = l.json.submissions.find((x) => x.id === mixed);
			assert.ok(s, `${as} does not list it`);
			assert.equal(s.inserted, inserted);
		}
	});

	test('a file of one school only is that school\'s to see whole, report included; not another area\'s', async () => {
		const r = await postCsv('admin', 'students', [HEADER, student(newId(), BANPHUI, 2567)]);
		const id = r.json.submission_id;
		for (const as of ['banphui', 'chiangmai']) {
			const d = await get(as, `/api/v1/submissions/${id}`);
			assert.equal(d.json.whole, true, as);
			assert.equal((await get(as, `/api/v1/submissions/${id}/report.csv`)).status, 200, as);
		}
		for (const as of ['kan', 'yangkrok', 'researcher']) assert.equal((await get(as, `/api/v1/submissions/${id}`)).status, 404, as);
		// a user's own submission is theirs whole, whatever its rows
		const own = await postCsv('chiangmai', 'students', [HEADER, student(newId(), OTHER50, 2567)]);
		assert.equal(own.status, 200, own.text);
		const d = await get('chiangmai', `/api/v1/submissions/${own.json.submission_id}`);
		assert.equal(d.json.whole, true);
		assert.equal(d.json.user, 'chiangmai');
		assert.equal((await get('banphui', `/api/v1/submissions/${own.json.submission_id}`)).status, 404);
		assert.equal((await get('yangkrok', `/api/v1/submissions/${own.json.submission_id}`)).json.whole, true);
	});

	test('filters: school, area, data set, days, limit and cursor', async () => {
		const ids = async (as, q) => {
			const r = await get(as, `/api/v1/submissions?limit=200${q}`);
			assert.equal(r.status, 200, r.text);
			return r.json.submissions.map((s) => s.id);
		};
		assert.ok((await ids('admin', `&school=${SCHOOL71}`)).includes(mixed));
		assert.ok((await ids('admin', '&area=71')).includes(mixed));
		assert.ok((await ids('kan', '&area=71')).includes(mixed));
		assert.ok(!(await ids('admin', `&school=${BANPHUI}&dataset=outcomes`)).includes(mixed));
		// every submission listed for a school has rows of it (as the centre sees them)
		for (const id of await ids('chiangmai', `&school=${OTHER50}`)) {
			const d = await get('admin', `/api/v1/submissions/${id}`);
			assert.ok(d.json.per_school.some((s) => s.school_code === OTHER50), `submission ${id}`);
		}
		const today = thaiDay(), yesterday = thaiDay(Date.now() - 86400e3), tomorrow = thaiDay(Date.now() + 86400e3);
		assert.ok((await ids('admin', `&from=${today}&to=${today}`)).includes(mixed));
		assert.ok(!(await ids('admin', `&to=${yesterday}`)).includes(mixed));
		assert.ok(!(await ids('admin', `&from=${tomorrow}`)).includes(mixed));
		// outside the caller's scope, or malformed: refused with a reason
		for (const [as, q, status, code] of [
			['kan', `school=${BANPHUI}`, 404, 'not_found'], ['chiangmai', 'area=71', 404, 'not_found'],
			['admin', 'school=12', 400, 'bad_request'], ['admin', 'dataset=nope', 400, 'bad_request'],
			['admin', 'from=10/6/2567', 400, 'bad_request'], ['admin', 'limit=0', 400, 'bad_limit'],
			['admin', 'limit=201', 400, 'bad_limit'], ['admin', 'cursor=x', 400, 'bad_cursor'],
		]) {
			const r = await get(as, `/api/v1/submissions?${q}`);
			assert.equal(r.status, status, `${as} ${q}: ${r.text}`);
			assert.equal(r.json.error.code, code);
		}
		// pages of 2 give the same submissions as one page, newest first, none twice
		const all = await ids('chiangmai', '');
		const paged = [];
		let cursor = null;
		do {
			const r = await get('chiangmai', `/api/v1/submissions?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
			paged.push(...r.json.submissions.map((s) => s.id));
			cursor = r.json.next_cursor;
		} while (cursor);
		assert.deepEqual(paged, all);
		assert.deepEqual([...all].sort((a, b) => b - a), all);
		assert.ok(all.length > 2);
	});

	test('the pages: the list with filters, a submission in part, links from the school and area pages', async () => {
		let r = await get('banphui', `/submissions?school=${BANPHUI}`);
		assert.equal(r.status, 200);
		assert.match(r.text, new RegExp(`href="/submissions/${mixed}"`));
		r = await get('banphui', `/submissions/${mixed}`);
		assert.equal(r.status, 200);
		assert.match(r.text, /แสดงเฉพาะแถวของสถานศึกษาในขอบเขตของคุณ/);
		assert.ok(r.text.includes(`/schools/${BANPHUI}`) && !r.text.includes(`/schools/${OTHER50}"`));
		assert.ok(!r.text.includes('report.csv'));
		assert.equal((await get('kan', `/submissions/${mixed}`)).status, 200);
		assert.equal((await get('researcher', `/submissions/${mixed}`)).status, 404);
		assert.equal((await get('kan', `/submissions?school=${BANPHUI}`)).status, 404);
		assert.match((await get('banphui', `/schools/${BANPHUI}`)).text, new RegExp(`href="/submissions\\?school=${BANPHUI}"`));
		const area = (await get('chiangmai', '/areas/50')).text;
		assert.match(area, /href="\/completeness\?area=50"/);
		assert.match(area, /href="\/submissions\?area=50"/);
	});

	describe('completeness', () => {
		const FUTURE = 2600; // its deadlines are in 2057-2058: not yet due
		const PAST = 2560; // in 2017-2018: every import now is late
		const futureIds = [newId(), newId(), newId()];

		before(async () => {
			let r = await postCsv('admin', 'students', [HEADER, ...futureIds.map((id) => student(id, BANPHUI, FUTURE))]);
			assert.equal(r.status, 200, r.text);
			r = await postCsv('admin', 'outcomes', [OUT_HEADER, ...futureIds.map((id) => `${id},${BANPHUI},${FUTURE},1,K,MAT,SCH,75,`)]);
			assert.equal(r.status, 200, r.text);
			r = await postCsv('admin', 'students', [HEADER, student(newId(), OTHER50, PAST), student(newId(), OTHER50, PAST)]);
			assert.equal(r.status, 200, r.text);
		});

		const view = async (as, q) => {
			const r = await get(as, `/api/v1/completeness?${q}`);
			assert.equal(r.status, 200, `${as} ${q}: ${r.text}`);
			return r.json;
		};
		const cell = (j, school, ds) => j.schools.find((s) => s.school_code === school)[ds];

		test('round 1 of a year ahead: sent on time, the others not yet due; after the deadline, missing', async () => {
			let j = await view('chiangmai', `academic_year=${FUTURE}&term=1`);
			assert.equal(j.datasets[0].dataset, 'students');
			assert.equal(j.datasets[0].deadline, '2057-06-10');
			assert.equal(j.datasets[1].deadline, '2057-11-10'); // term 1 results: with the round of 10 November
			assert.deepEqual(cell(j, BANPHUI, 'students'), { ...cell(j, BANPHUI, 'students'), status: 'sent', late: false, rows: 3 });
			assert.equal(cell(j, BANPHUI, 'outcomes').status, 'sent');
			assert.equal(cell(j, BANPHUI, 'outcomes').rows, 3);
			assert.equal(cell(j, OTHER50, 'students').status, 'pending');
			assert.equal(cell(j, OTHER50, 'students').rows, 0);
			assert.ok(j.schools.every((s) => s.area_code === '50'));
			// every school of the area, each counted once per data set
			const area50 = (await get('admin', '/api/v1/schools?area_code=50&limit=1000')).json.data.length;
			assert.equal(j.schools.length, area50);
			for (const d of j.datasets) assert.equal(Object.values(d.counts).reduce((a, b) => a + b, 0), area50);
			j = await view('chiangmai', `academic_year=${FUTURE}&term=1&as_of=2057-06-11`);
			assert.equal(cell(j, OTHER50, 'students').status, 'missing');
			assert.equal(cell(j, BANPHUI, 'students').status, 'sent');
			assert.equal(j.datasets[0].counts.sent, 1);
		});

		test('round 2 opens on 1 October: an import before it does not count; term 2 results are due with 31 March', async () => {
			let j = await view('admin', `area=50&academic_year=${FUTURE}&term=2`);
			assert.equal(j.datasets[0].window_opens, '2057-10-01');
			assert.equal(cell(j, BANPHUI, 'students').status, 'pending');
			assert.equal(cell(j, BANPHUI, 'students').rows, 3); // held, but not sent for this round
			assert.ok(cell(j, BANPHUI, 'students').last_submission > 0);
			assert.equal(cell(j, BANPHUI, 'outcomes').rows, 0);
			assert.equal(j.datasets[1].deadline, '2058-03-31');
			j = await view('admin', `area=50&academic_year=${FUTURE}&term=2&as_of=2058-01-01`);
			assert.equal(cell(j, BANPHUI, 'students').status, 'missing');
			assert.equal(cell(j, BANPHUI, 'outcomes').status, 'pending');
		});

		test('a year long past: an import now is late for the round of 31 March, missing for the closed rounds', async () => {
			let j = await view('chiangmai', `academic_year=${PAST}&term=0`);
			assert.equal(j.datasets[0].deadline, '2018-03-31');
			assert.deepEqual([cell(j, OTHER50, 'students').status, cell(j, OTHER50, 'students').late, cell(j, OTHER50, 'students').rows], ['late', true, 2]);
			assert.equal(cell(j, OTHER50, 'students').first_sent_on, thaiDay());
			j = await view('chiangmai', `academic_year=${PAST}&term=1`);
			assert.equal(cell(j, OTHER50, 'students').status, 'missing');
		});

		test('scope: a school sees its own row, another area cannot ask for area 50, researchers none', async () => {
			let j = await view('banphui', `academic_year=${FUTURE}&term=1`);
			assert.deepEqual(j.schools.map((s) => s.school_code), [BANPHUI]);
			j = await view('kan', `academic_year=${FUTURE}&term=1`);
			assert.ok(j.schools.length > 0 && j.schools.every((s) => s.area_code === '71'));
			j = await view('admin', `academic_year=${FUTURE}&term=1`);
			assert.ok(j.schools.some((s) => s.area_code === '71') && j.schools.some((s) => s.area_code === '50'));
			assert.ok(j.schools.every((s) => s.area_code), 'the centre sees the schools of areas');
			j = await view('admin', `school=${BANPHUI}&academic_year=${FUTURE}&term=1`);
			assert.deepEqual(j.schools.map((s) => s.school_code), [BANPHUI]);
			for (const [as, q, status] of [
				['kan', 'area=50', 404], ['researcher', '', 403], ['admin', 'term=3', 400], ['admin', 'academic_year=67', 400],
				['admin', 'as_of=yesterday', 400], ['admin', 'format=pdf', 400], ['yangkrok', `school=${BANPHUI}`, 404],
			]) {
				const r = await get(as, `/api/v1/completeness?${q}`);
				assert.equal(r.status, status, `${as} ${q}: ${r.text}`);
			}
		});

		test('downloads: CSV and XLSX of the same view', async () => {
			const q = `area=50&academic_year=${FUTURE}&term=1`;
			const j = await view('chiangmai', q);
			const csv = await get('chiangmai', `/api/v1/completeness?${q}&format=csv`);
			assert.equal(csv.status, 200);
			assert.match(csv.headers['content-type'], /^text\/csv/);
			assert.match(csv.headers['content-disposition'], /completeness-50-2600-1\.csv/);
			const lines = csv.text.trim().split('\n');
			assert.equal(lines[0], 'academic_year,term,area_code,school_code,name_th,pilot,students_status,students_rows,' +
				'students_first_sent_on,students_last_sent_on,students_last_submission,outcomes_status,outcomes_rows,' +
				'outcomes_first_sent_on,outcomes_last_sent_on,outcomes_last_submission');
			assert.equal(lines.length, j.schools.length + 1);
			const row = lines.find((l) => l.includes(`,${BANPHUI},`)).split(',');
			assert.deepEqual([row[0], row[1], row[2], row[6], row[7], row[8], row[11], row[12]],
				['2600', '1', '50', 'sent', '3', thaiDay(), 'sent', '3']);
			const x = await env.req(null, { path: `/api/v1/completeness?${q}&format=xlsx`, token: env.tokens.chiangmai });
			assert.equal(x.status, 200);
			assert.match(x.headers['content-type'], /spreadsheetml/);
			assert.equal(x.text.slice(0, 2), 'PK');
		});

		test('the page: the deadline in B.E., statuses with their words, downloads', async () => {
			const r = await get('chiangmai', `/completeness?area=50&academic_year=${FUTURE}&term=1`);
			assert.equal(r.status, 200);
			assert.match(r.text, /10 มิ\.ย\. 2600/);
			assert.match(r.text, /class="badge ok">ส่งแล้ว/);
			assert.match(r.text, /class="badge none">ยังไม่ถึงกำหนด/);
			assert.match(r.text, new RegExp(`href="/api/v1/completeness\\?academic_year=${FUTURE}&amp;term=1&amp;area=50&amp;format=xlsx"`));
			assert.equal((await get('researcher', '/completeness')).status, 403);
		});
	});
});
