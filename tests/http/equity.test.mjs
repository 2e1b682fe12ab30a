// equity.test.mjs - GET /api/v1/equity and /equity/trend against values computed in the test
// from the raw rows of generated data (a planted gap between disadvantage groups, pupils
// without every subject, a tiny cohort-2 school, a school with two extremely poor pupils),
// for every scope kind and filter, before and after updates, deletions, students' changed
// groups and a school that becomes a pilot school; the scope check; small groups hidden
// from researchers, also against differencing two answers.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import test from 'node:test';

import { expected, compare, generate, groupSizes, writeFiles, writeOutcomes, writeStudents } from './lib/equity.mjs';
import { assertCleanStops, cli, cliOk, createToken, removeDir, request, sql, startServer, tempDir } from './lib/nawat.mjs';

const USERS = [
	['central', 'central', ''],
	['area50', 'area', '50'],
	['school1', 'school', '1050000001'],
	['research', 'researcher', ''],
];

async function setup() {
	const dir = tempDir();
	const data = generate();
	await cliOk(dir, ['init']);
	writeFiles(path.join(dir, 'data'), data);
	await cliOk(dir, ['import', '--dir', 'data']);
	const tokens = {};
	for (const [name, role, scope] of USERS) {
		await cliOk(dir, ['user', 'add', name, '--role', role, ...(scope ? ['--scope', scope] : [])], { input: 'equity-test-1\n' });
		tokens[name] = (await createToken(dir, name)).token;
	}
	const server = await startServer(dir, ['--cache-entries', '0']);
	const get = (as, q) => request(server.port, { path: `/api/v1/equity${q}`, token: tokens[as] });
	return { dir, data, server, tokens, get };
}

const SCOPES = ['national', 'area:50', 'area:71', 'province:50', 'province:71', 'province:10',
	'school:1050000001', 'school:1050000004', 'school:1050000005', 'school:1071000003'];
const FILTERS = [{}, { pilot: 'Y' }, { pilot: 'N' }, { cohort: 1 }, { cohort: 2 }];

function queryOf(scope, f, year = 2567, instrument = 'SCH') {
	return { scope, year, term: 1, instrument, ...f };
}

function qs(q, extra = '') {
	let s = `?scope=${q.scope}&academic_year=${q.year}&term=${q.term}&instrument=${q.instrument}`;
	if (q.pilot) s += `&pilot=${q.pilot}`;
	if (q.cohort) s += `&cohort=${q.cohort}`;
	return s + extra;
}

/** Every scope and filter (and the year before, and the area test) against the raw rows. */
async function checkAll(env, label) {
	let checked = 0;
	const queries = [];
	for (const scope of SCOPES) for (const f of FILTERS) queries.push(queryOf(scope, f));
	for (const scope of ['national', 'area:50', 'school:1050000002']) {
		queries.push(queryOf(scope, {}, 2566));
		queries.push(queryOf(scope, {}, 2567, 'AREA'));
	}
	for (const q of queries) {
		const r = await env.get('central', qs(q));
		assert.equal(r.status, 200, `${label} ${qs(q)}: ${r.text}`);
		const want = expected(env.data, q);
		const diffs = compare(r.json, want);
		assert.deepEqual(diffs, [], `${label} ${qs(q)}`);
		assert.equal(r.json.small_groups_suppressed, false);
		checked++;
	}
	return checked;
}

test('equity: every metric of every scope kind equals the one computed from the raw rows', async (t) => {
	const env = await setup();
	try {
		const n = await checkAll(env, 'as loaded');
		t.diagnostic(`${n} answers checked against the raw rows`);

		// the planted gap shows, with its sign
		const nat = (await env.get('central', qs(queryOf('national', {})))).json;
		assert.ok(nat.knowledge.gap > 5 && nat.knowledge.gap_extreme > nat.knowledge.gap, JSON.stringify(nat.knowledge));
		assert.ok(nat.knowledge.effect_size > 0.3);
		assert.ok(nat.knowledge.disadvantaged_below_pass_share > nat.knowledge.below_pass_share);

		// updates, deletions, students moving between groups, a school becoming a pilot school
		const { data, dir } = env;
		const changed = data.outcomes.filter((o, i) => i % 11 === 3 && o.year === 2567);
		for (const o of changed) {
			if (o.domain === 'K') o.score = Math.min(100, Math.round((o.score * 0.7 + 25) * 100) / 100);
			else o.level = o.domain === 'S' ? 1 + (o.level % 4) : (o.level + 1) % 4;
		}
		writeOutcomes(path.join(dir, 'changed.csv'), changed);
		await cliOk(dir, ['import', 'outcomes', 'changed.csv']);
		const gone = data.outcomes.filter((o, i) => i % 17 === 5);
		writeOutcomes(path.join(dir, 'gone.csv'), gone);
		await cliOk(dir, ['delete', 'outcomes', 'gone.csv']);
		data.outcomes = data.outcomes.filter((o, i) => i % 17 !== 5);
		const moved = data.students.filter((s, i) => i % 7 === 2 && s.school !== '1050000004' && s.school !== '1050000005');
		for (const s of moved) s.disadvantage = (s.disadvantage + 1) % 3;
		writeStudents(path.join(dir, 'moved.csv'), moved);
		await cliOk(dir, ['import', 'students', 'moved.csv']);
		const sc = data.schools.find((s) => s.code === '1071000003');
		sc.pilot = 'Y';
		sc.cohort = 2;
		fs.writeFileSync(path.join(dir, 'school.csv'),
			'school_code,name_th,affiliation_code,province_code,area_code,pilot,pilot_cohort,pilot_since\n' +
			'1071000003,โรงเรียนทดสอบ 000003,10,71,71,Y,2,2024-05-16\n');
		await cliOk(dir, ['import', 'schools', 'school.csv']);
		const m = await checkAll(env, 'after changes');
		t.diagnostic(`${m} answers checked after updates, deletions, moved students and a new pilot school`);
		const check = await cli(dir, ['analytics', 'check']);
		assert.equal(check.code, 0, check.stderr);
		// the check can fail: a sum changed by hand is found, and rebuild mends it
		sql(dir, "UPDATE eq_cells SET s1 = s1 + 1 WHERE subject_code = 'THA' AND school_code = '1050000002'");
		const bad = await cli(dir, ['analytics', 'check']);
		assert.equal(bad.code, 1);
		assert.match(bad.stderr, /eq_cells: kept, not recomputed: 1050000002/);
		assert.match(bad.stderr, /differ from a recomputation in \d+ rows/);
		await cliOk(dir, ['analytics', 'rebuild']);
		assert.equal((await cli(dir, ['analytics', 'check'])).code, 0);
		assert.equal(await checkAll(env, 'after rebuild'), m);
	} finally {
		assertCleanStops([await env.server.stop()]);
		removeDir(env.dir);
	}
});

test('equity: trend gives every year and the change from the year before', async () => {
	const env = await setup();
	try {
		const r = await request(env.server.port, { path: '/api/v1/equity/trend?scope=area:50&term=1&instrument=SCH', token: env.tokens.central });
		assert.equal(r.status, 200, r.text);
		assert.deepEqual(r.json.years.map((y) => y.academic_year), [2566, 2567]);
		const [a, b] = r.json.years;
		for (const [y, got] of [[2566, a], [2567, b]])
			assert.deepEqual(compare(got, expected(env.data, queryOf('area:50', {}, y))), [], `year ${y}`);
		assert.equal(a.change.knowledge.mean, null);
		assert.ok(Math.abs(b.change.knowledge.mean - (b.knowledge.mean - a.knowledge.mean)) < 0.011);
		assert.ok(Math.abs(b.change.skills.gap - (b.skills.gap - a.skills.gap)) < 0.0002);
		assert.equal(b.change.students, b.students - a.students);
	} finally {
		assertCleanStops([await env.server.stop()]);
		removeDir(env.dir);
	}
});

test('equity: the scope check, defaults and bad parameters', async () => {
	const env = await setup();
	try {
		const cases = [
			['area50', '?scope=area:50', 200],
			['area50', '', 200],
			['area50', '?scope=area:71', 403],
			['area50', '?scope=national', 403],
			['area50', '?scope=province:50', 403],
			['area50', '?scope=school:1050000002', 200],
			['area50', '?scope=school:1050000007', 403], // province 50 but outside the area
			['area50', '?scope=school:1071000001', 403],
			['school1', '?scope=school:1050000001', 200],
			['school1', '', 200],
			['school1', '?scope=school:1050000002', 403],
			['school1', '?scope=area:50', 403],
			['research', '?scope=national', 200],
			['central', '?scope=province:10', 200],
			['central', '?scope=area:5', 400],
			['central', '?scope=nation', 400],
			['central', '?term=3', 400],
			['central', '?academic_year=1999', 400],
			['central', '?instrument=XYZ', 400],
			['central', '?pilot=X', 400],
			['central', '?pilot=N&cohort=1', 400],
			['central', '?view=private', 400],
			['central', '?scope=area:23', 404], // no results there
		];
		for (const [as, q, status] of cases) {
			const r = await env.get(as, q);
			assert.equal(r.status, status, `${as} ${q}: ${r.text}`);
			if (status >= 400) assert.ok(r.json.error.message_th && r.json.error.message_en, r.text);
		}
		const r = await request(env.server.port, { path: '/api/v1/equity' });
		assert.equal(r.status, 401);
		// the defaults: the latest year, its term, the instrument with most results
		const d = await env.get('area50', '');
		assert.equal(d.json.scope, 'area:50');
		assert.equal(d.json.academic_year, 2567);
		assert.equal(d.json.term, 1);
		assert.equal(d.json.instrument, 'SCH');
	} finally {
		assertCleanStops([await env.server.stop()]);
		removeDir(env.dir);
	}
});

// ---- small groups ----

// The aggregates of an object, as sets of the disadvantage groups, and the fields that show them.
const AGG = { all: [0, 1, 2], d0: [0], d1: [1], d2: [2], d12: [1, 2] };

/** Which aggregates an answer's object shows (a value that rests only on that group). */
function shownOf(o, kind) {
	if (!o) return {};
	const byd = kind === 'K' ? o.mean_by_disadvantage : o.share_by_disadvantage;
	return {
		all: o.n !== null && o.n !== undefined,
		d0: byd?.['0'] !== null && byd?.['0'] !== undefined,
		d1: byd?.['1'] !== null && byd?.['1'] !== undefined,
		d2: byd?.['2'] !== null && byd?.['2'] !== undefined,
		d12: kind === 'K' ? o.disadvantaged_below_pass_share !== null : o.gap !== null,
	};
}

/** The sets of groups the shown aggregates give away (their linear span, over subsets). */
function derivable(shown) {
	const vecs = Object.entries(AGG).filter(([k]) => shown[k]).map(([, g]) => [0, 1, 2].map((i) => (g.includes(i) ? 1 : 0)));
	const rank = (rows) => {
		const a = rows.map((r) => r.slice());
		let rk = 0;
		for (let c = 0; c < 3 && rk < a.length; c++) {
			const p = a.findIndex((r, i) => i >= rk && Math.abs(r[c]) > 1e-9);
			if (p < 0) continue;
			[a[rk], a[p]] = [a[p], a[rk]];
			for (let i = 0; i < a.length; i++)
				if (i !== rk) {
					const f = a[i][c] / a[rk][c];
					for (let j = 0; j < 3; j++) a[i][j] -= f * a[rk][j];
				}
			rk++;
		}
		return rk;
	};
	const out = [];
	for (let m = 1; m < 8; m++) {
		const v = [0, 1, 2].map((i) => (m >> i) & 1);
		if (rank([...vecs, v]) === rank(vecs)) out.push([0, 1, 2].filter((i) => (m >> i) & 1));
	}
	return out;
}

const objectsOf = (ans) => {
	const out = [];
	for (const [name, kind, by] of [['knowledge', 'K', 'by_learning_area'], ['skills', 'S', 'by_competency'], ['attitude', 'A', 'by_characteristic']]) {
		out.push({ path: name, domain: kind, subject: null, o: ans[name], kind });
		for (const [code, o] of Object.entries(ans[name]?.[by] || {})) out.push({ path: `${name}.${by}.${code}`, domain: kind, subject: code, o, kind });
	}
	return out;
};

test('equity: a researcher sees no group of fewer than 5 students, nor one worked out by differencing', async (t) => {
	const env = await setup();
	try {
		const { data } = env;
		const answers = [];
		for (const scope of SCOPES)
			for (const f of FILTERS) {
				const q = queryOf(scope, f);
				const [r, full] = [await env.get('research', qs(q)), await env.get('central', qs(q))];
				const pub = await env.get('central', qs(q, '&view=public'));
				assert.equal(r.status, 200, r.text);
				assert.equal(r.json.small_groups_suppressed, true);
				assert.deepEqual(pub.json.knowledge, r.json.knowledge, 'view=public is the researcher view');
				answers.push({ q, ans: r.json, full: full.json });
			}
		let hidden = 0,
			shownValues = 0;
		for (const { q, ans, full } of answers) {
			for (const { path: p, domain, subject, o, kind } of objectsOf(ans)) {
				const size = groupSizes(data, q, domain, subject);
				const shown = shownOf(o, kind);
				const sz = (g) => g.reduce((a, i) => a + size[i], 0);
				// no value rests on 1-4 students, shown or given away by the others
				for (const g of derivable(shown)) {
					const n = sz(g);
					assert.ok(n === 0 || n >= 5, `${qs(q)} ${p}: the group ${JSON.stringify(g)} of ${n} students can be worked out`);
				}
				// what is hidden is what the full view shows
				const fullShown = shownOf(p.split('.').reduce((x, k) => x?.[k], full), kind);
				for (const k of Object.keys(AGG))
					if (fullShown[k] && !shown[k]) hidden++;
					else if (shown[k]) shownValues++;
			}
		}
		// differencing two answers whose schools nest: no group of 1-4 students between them
		const schoolsOf = (q) => new Set(data.schools.filter((sc) => {
			const [kind, code] = q.scope === 'national' ? ['national', ''] : q.scope.split(':');
			if (kind === 'area' && sc.area !== code) return false;
			if (kind === 'province' && sc.province !== code) return false;
			if (kind === 'school' && sc.code !== code) return false;
			if (q.pilot && sc.pilot !== q.pilot) return false;
			if (q.cohort && !(sc.pilot === 'Y' && sc.cohort === q.cohort)) return false;
			return true;
		}).map((sc) => sc.code));
		let pairs = 0,
			attacks = 0;
		for (const a of answers)
			for (const b of answers) {
				const A = schoolsOf(a.q), B = schoolsOf(b.q);
				if (a === b || B.size >= A.size || ![...B].every((s) => A.has(s))) continue;
				pairs++;
				for (const oa of objectsOf(a.ans)) {
					const ob = objectsOf(b.ans).find((x) => x.path === oa.path);
					const sa = groupSizes(data, a.q, oa.domain, oa.subject), sb = groupSizes(data, b.q, oa.domain, oa.subject);
					const shownA = shownOf(oa.o, oa.kind), shownB = shownOf(ob?.o, oa.kind);
					for (const [k, g] of Object.entries(AGG)) {
						const diff = g.reduce((x, i) => x + sa[i] - sb[i], 0);
						if (diff > 0 && diff < 5 && shownA[k] && (shownB[k] || g.every((i) => sb[i] === 0))) {
							attacks++;
							assert.fail(`${qs(a.q)} minus ${qs(b.q)}: ${oa.path} ${k} differs by ${diff} students and both show it`);
						}
					}
				}
			}
		t.diagnostic(`${answers.length} researcher answers; ${hidden} values hidden that the central office sees, ${shownValues} shown; ${pairs} nested pairs tried by differencing, ${attacks} groups recovered`);
		assert.ok(hidden > 0 && shownValues > hidden, 'suppression is neither absent nor total');

		// the planted groups: two extremely poor students of one school, the tiny cohort-2 school
		const q5 = queryOf('school:1050000005', {});
		const r5 = answers.find((x) => qs(x.q) === qs(q5));
		assert.equal(typeof r5.full.knowledge.mean_by_disadvantage['2'], 'number');
		assert.equal(r5.ans.knowledge.mean_by_disadvantage['2'], null);
		assert.equal(r5.ans.knowledge.suppressed, true);
		const q4 = queryOf('area:50', { cohort: 2 });
		const r4 = answers.find((x) => qs(x.q) === qs(q4));
		assert.equal(r4.full.students, 4);
		assert.equal(r4.ans.students, null);
		assert.equal(r4.ans.suppressed, true);
		// area 50 minus its cohort-1 pilot schools minus ... : the 4 students of cohort 2 stay hidden
		const y = answers.find((x) => qs(x.q) === qs(queryOf('area:50', { pilot: 'Y' })));
		const c1 = answers.find((x) => qs(x.q) === qs(queryOf('area:50', { cohort: 1 })));
		const attack = (x1, x2) => (x1.n * x1.mean - x2.n * x2.mean) / (x1.n - x2.n);
		const ky = y.ans.knowledge, kc = c1.ans.knowledge;
		assert.ok(ky.n === null || kc.n === null || ky.mean === null || kc.mean === null,
			`pilot schools minus cohort 1 would give cohort 2's mean: ${attack(ky, kc)}`);
	} finally {
		assertCleanStops([await env.server.stop()]);
		removeDir(env.dir);
	}
});

test('equity: a KPI bound to a metric fills itself in (plan page, compliance), a recorded value stays', async () => {
	const env = await setup();
	try {
		const { dir, data } = env;
		fs.writeFileSync(path.join(dir, 'plans.csv'),
			'plan_code,area_code,title_th,first_year,last_year\nT-PLAN,50,แผนทดสอบ,2566,2570\n');
		fs.writeFileSync(path.join(dir, 'plan_goals.csv'),
			'plan_code,goal_no,area_code,issue,title_th\nT-PLAN,1,50,2,ลดความเหลื่อมล้ำ\n');
		fs.writeFileSync(path.join(dir, 'kpis.csv'), [
			'plan_code,goal_no,kpi_no,area_code,name_th,unit_th,baseline,baseline_year,target,direction,metric,metric_subject,metric_instrument,metric_term',
			'T-PLAN,1,1,50,คณิตศาสตร์เฉลี่ย,คะแนน,80,2565,95,up,knowledge.mean,MAT,SCH,1',
			'T-PLAN,1,2,50,ช่องว่าง,คะแนน,20,2565,100,down,knowledge.gap,,,',
		].join('\n') + '\n');
		await cliOk(dir, ['import', 'plans', 'plans.csv']);
		await cliOk(dir, ['import', 'plan_goals', 'plan_goals.csv']);
		await cliOk(dir, ['import', 'kpis', 'kpis.csv']);
		const want = (year) => expected(data, queryOf('area:50', {}, year)).knowledge.by_learning_area.MAT.mean;
		const comp = await request(env.server.port, { path: '/api/v1/compliance?scope=50', token: env.tokens.central });
		assert.equal(comp.status, 200, comp.text);
		const f = comp.json.findings.find((x) => x.code === 'GOV-KPI-BEHIND' && x.key === 'T-PLAN/1/1');
		assert.ok(f, JSON.stringify(comp.json.findings.map((x) => x.key)));
		const m = /: ([\d.]+) in (\d+) B\.E\./.exec(f.message_en);
		assert.equal(Number(m[2]), 2567);
		assert.ok(Math.abs(Number(m[1]) - want(2567)) < 0.006, `${m[1]} vs ${want(2567)}`);
		assert.ok(!comp.json.findings.some((x) => x.key === 'T-PLAN/1/2'), 'the gap KPI is on track');
		const page = await request(env.server.port, { path: '/plans/T-PLAN', token: env.tokens.central });
		assert.equal(page.status, 200);
		assert.match(page.text, /knowledge\.mean MAT/);
		assert.match(page.text, new RegExp(`${want(2567).toFixed(2).replace('.', '\\.')}\\d* \\(2567\\)`));
		// a value recorded for the year stays
		fs.writeFileSync(path.join(dir, 'kpi_values.csv'), 'plan_code,goal_no,kpi_no,year,area_code,value\nT-PLAN,1,1,2567,50,42.5\n');
		await cliOk(dir, ['import', 'kpi_values', 'kpi_values.csv']);
		const comp2 = await request(env.server.port, { path: '/api/v1/compliance?scope=50', token: env.tokens.central });
		assert.match(comp2.json.findings.find((x) => x.key === 'T-PLAN/1/1').message_en, /: 42\.5 in 2567 B\.E\./);
	} finally {
		assertCleanStops([await env.server.stop()]);
		removeDir(env.dir);
	}
});

test('equity: the dashboard and its downloads carry the numbers of the API', async () => {
	const env = await setup();
	try {
		const q = qs(queryOf('area:50', {}));
		const api = (await env.get('central', q)).json;
		const page = await request(env.server.port, { path: `/equity${q}`, token: env.tokens.central });
		assert.equal(page.status, 200);
		for (const id of ['h-overview', 'h-gaps', 'h-skills', 'h-attitude', 'h-trend', 'h-pilot', 'h-distribution', 'h-within'])
			assert.match(page.text, new RegExp(`id="${id}"`));
		// every chart is an image with a name and a description, next to its table
		const svgs = page.text.match(/<svg class="chart"[^>]*>/g) || [];
		assert.ok(svgs.length >= 6, `${svgs.length} charts`);
		for (const s of svgs) assert.match(s, /role="img" aria-labelledby="c-[a-z_]+-t c-[a-z_]+-d"/);
		assert.match(page.text, new RegExp(`<td class="num">${api.knowledge.mean.toFixed(2)}</td>`));
		const csv = await request(env.server.port, { path: `/equity/learning_areas.csv${q}`, token: env.tokens.central });
		assert.equal(csv.status, 200);
		assert.match(csv.headers['content-disposition'], /nawat-equity-learning_areas\.csv/);
		const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\n');
		const mat = lines.find((l) => l.startsWith('MAT '))?.split(',');
		const k = api.knowledge.by_learning_area.MAT;
		assert.deepEqual(mat.slice(1, 4).map(Number), [k.n, k.mean, k.mean_by_disadvantage['0']]);
		const all = lines.find((l) => l.startsWith('ทุกกลุ่มสาระ'))?.split(',');
		assert.equal(Number(all[6]), api.knowledge.gap);
		const file = path.join(env.dir, 'trend.xlsx');
		const raw = await new Promise((resolve, reject) => {
			http.get({ host: '127.0.0.1', port: env.server.port, path: `/equity/trend.xlsx${q}`, headers: { Authorization: `Bearer ${env.tokens.central}` } },
				(res) => {
					assert.equal(res.statusCode, 200);
					assert.match(res.headers['content-type'], /spreadsheetml/);
					const chunks = [];
					res.on('data', (d) => chunks.push(d));
					res.on('end', () => resolve(Buffer.concat(chunks)));
				}).on('error', reject);
		});
		fs.writeFileSync(file, raw);
		const unzip = spawnSync('unzip', ['-p', file, 'xl/sharedStrings.xml', 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
		assert.equal(unzip.status, 0, unzip.stderr);
		assert.match(unzip.stdout, /ปีการศึกษา \(Academic year\)/);
		assert.match(unzip.stdout, new RegExp(`<v>${api.students}</v>`));
		// a table that is not there
		assert.equal((await request(env.server.port, { path: `/equity/nothing.csv${q}`, token: env.tokens.central })).status, 404);
	} finally {
		assertCleanStops([await env.server.stop()]);
		removeDir(env.dir);
	}
});
