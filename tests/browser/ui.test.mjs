// ui.test.mjs - the web UI in Chromium (Debian's, driven by playwright-core): signing in,
// following links from the areas to a pilot school, importing a file with an error and
// again fixed, scheduling a meeting, adding a resolution and closing it while the area page
// follows, downloading the XLSX template and importing an XLSX file, the area's outcome and
// equity dashboard (its charts and tables against the API, a filter, CSV and XLSX downloads),
// and on every page:
// axe-core (no serious or critical violation), <html lang="th">,
// no console errors (a CSP violation is one), no horizontal scrolling at 360×740.  Full-page
// screenshots go to tests/browser/artifacts/NAME.png (NAME-360.png for the narrow view).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { assertCleanStops, citizenId, cliOk, demoEnv, DEMO_PASSWORD } from '../http/lib/nawat.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = path.join(here, 'artifacts');
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
	'--disable-component-update', '--disable-sync'];

const BANPHUI = '1050060001';
const HEADER = 'citizen_id,school_code,academic_year,grade_code,gender,birth_date,disadvantage,disability';
const GOOD1 = citizenId('150099903001');
const GOOD2 = citizenId('150099903002');
const BAD2 = GOOD2.slice(0, 12) + ((Number(GOOD2[12]) + 1) % 10); // the check digit is wrong

// Every page, by the name of its screenshot.
const PAGES = [
	['home', '/'],
	['areas', '/areas'],
	['area-50', '/areas/50'],
	['schools', '/schools'],
	['school', `/schools/${BANPHUI}`],
	['import', '/import'],
	['standard', '/standard'],
	['users', '/users'],
	['audit', '/audit'],
	['governance', '/governance'],
	['committee', '/committees/50-DRIVE'],
	['meeting', '/meetings/50-DRIVE/2564/3'],
	['plan', '/plans/50-PLAN-2565'],
	['pilots', '/pilots'],
	['partners', '/partners'],
	['equity', '/equity'],
	['equity-area-50', '/equity?scope=area:50'],
	['equity-school', `/equity?scope=school:${BANPHUI}`],
	['submissions', '/submissions'],
	['submission', '/submissions/3'],
	['completeness', '/completeness?area=50&academic_year=2567&term=1'],
	['relink', '/students/relink'],
];

describe('the web UI in Chromium', () => {
	let env, browser, base, wide, narrow;

	/** Opens a page, collecting console errors (CSP violations among them) and failed loads. */
	async function open(context, url) {
		const page = await context.newPage();
		page.setDefaultTimeout(15000);
		const problems = [];
		page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
		page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
		page.on('requestfailed', (r) => problems.push(`failed to load ${r.url()}: ${r.failure()?.errorText}`));
		const response = await page.goto(base + url);
		return { page, response, problems };
	}

	/** axe-core on the page (the page's CSP stays on: the script is evaluated, not injected). */
	async function seriousViolations(page) {
		await page.evaluate(AXE);
		const result = await page.evaluate(() =>
			window.axe.run(document, { resultTypes: ['violations'] }).then((r) =>
				r.violations.map((v) => ({
					id: v.id, impact: v.impact, help: v.help,
					nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 300) })),
				})),
			),
		);
		return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	}

	function describeViolations(vs) {
		return vs.map((v) => `${v.id} (${v.impact}): ${v.help}\n` + v.nodes.map((n) => `    ${n.target}: ${n.html}`).join('\n')).join('\n');
	}

	async function shoot(page, name) {
		await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
	}

	async function signIn(context) {
		const { page } = await open(context, '/login');
		await page.fill('#user', 'admin');
		await page.fill('#password', DEMO_PASSWORD);
		await Promise.all([page.waitForURL(base + '/'), page.click('form.login button[type=submit]')]);
		return page;
	}

	before(async () => {
		fs.mkdirSync(ARTIFACTS, { recursive: true });
		env = await demoEnv();
		base = `http://127.0.0.1:${env.server.port}`;
		browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
		wide = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'th-TH' });
		narrow = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'th-TH', isMobile: true, hasTouch: true });
	});

	after(async () => {
		if (browser) await browser.close();
		if (env) assertCleanStops(await env.close());
	});

	test('the checks can fail: axe finds the faults of a faulty page, the width check its overflow', async () => {
		const page = await narrow.newPage();
		await page.setContent('<html><body><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text">' +
			'<div style="width:600px">wide</div></body></html>');
		const ids = (await seriousViolations(page)).map((v) => v.id);
		assert.ok(ids.includes('image-alt') && ids.includes('label') && ids.includes('html-has-lang'), ids.join(', '));
		assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) > 364);
		await page.close();
	});

	test('the sign-in page: Thai, accessible, no horizontal scrolling at 360 px', async () => {
		for (const [context, name] of [[wide, 'login'], [narrow, 'login-360']]) {
			const { page, response, problems } = await open(context, '/login');
			assert.equal(response.status(), 200);
			assert.equal(await page.evaluate(() => document.documentElement.lang), 'th');
			await shoot(page, name);
			const vs = await seriousViolations(page);
			assert.deepEqual(vs, [], `axe on /login:\n${describeViolations(vs)}`);
			if (context === narrow) {
				const w = await page.evaluate(() => document.documentElement.scrollWidth);
				assert.ok(w <= 364, `/login is ${w} px wide at 360 px`);
			}
			assert.deepEqual(problems, []);
			await page.close();
		}
	});

	test('signing in through the form as admin', async () => {
		const page = await signIn(wide);
		assert.match(await page.locator('header').innerText(), /admin/);
		const cookie = (await wide.cookies()).find((c) => c.name === 'nawat_session');
		assert.ok(cookie, 'the session cookie');
		assert.equal(cookie.httpOnly, true);
		assert.equal(cookie.sameSite, 'Strict');
		await page.close();
		(await signIn(narrow)).close();
	});

	test('from the areas to Chiang Mai to one of its pilot schools, by links', async () => {
		const { page } = await open(wide, '/areas');
		await Promise.all([page.waitForURL(base + '/areas/50'), page.locator('a[href="/areas/50"]').first().click()]);
		assert.match(await page.locator('h1').innerText(), /เชียงใหม่/);
		// the pilot schools' tables link to the schools
		const link = page.locator('main table a[href^="/schools/"]').first();
		const href = await link.getAttribute('href');
		const code = href.split('/').pop();
		await Promise.all([page.waitForURL(base + href), link.click()]);
		const school = await env.req('admin', { path: `/api/v1/schools/${code}` });
		assert.equal(school.status, 200);
		assert.equal(school.json.pilot, 'Y', `${code} is a pilot school`);
		assert.equal(school.json.area_code, '50', `${code} is in area 50`);
		assert.match(await page.locator('h1').innerText(), new RegExp(school.json.name_th));
		await page.close();
	});

	async function importFile(page, name, content, mimeType = 'text/csv') {
		await page.goto(base + '/import');
		await page.selectOption('#dataset', 'students');
		await page.setInputFiles('#file', { name, mimeType, buffer: Buffer.isBuffer(content) ? content : Buffer.from(content) });
		const [response] = await Promise.all([
			page.waitForResponse((r) => r.url() === base + '/import' && r.request().method() === 'POST'),
			page.click('form.import button[type=submit]'),
		]);
		await page.waitForLoadState();
		return response;
	}

	/** The counts table of the import result: { Inserted: '2', Rejected: '0', ... } for the students. */
	async function counts(page) {
		return page.evaluate(() => {
			const table = [...document.querySelectorAll('main table')].find((t) => !t.classList.contains('report'));
			const heads = [...table.querySelectorAll('thead th')].map((th) => th.querySelector('[lang=en]')?.textContent.trim() ?? th.textContent.trim());
			const cells = [...table.querySelectorAll('tbody tr')[0].children].map((c) => c.textContent.trim());
			return Object.fromEntries(heads.map((h, i) => [h, cells[i]]));
		});
	}

	test('an import with one bad check digit shows that row in the report; fixed, the rows are inserted', async () => {
		const page = await wide.newPage();
		page.setDefaultTimeout(15000);
		const bad = `${HEADER}\n${GOOD1},${BANPHUI},2567,213,1,2016-03-17,0,0\n${BAD2},${BANPHUI},2567,213,2,2016-04-01,1,0\n`;
		const r1 = await importFile(page, 'students-bad.csv', bad);
		assert.equal(r1.status(), 422);
		const rows = await page.locator('table.report tbody tr').evaluateAll((trs) =>
			trs.map((tr) => [...tr.children].map((c) => c.querySelector('code')?.textContent.trim() ?? c.textContent.trim())));
		assert.equal(rows.length, 1, JSON.stringify(rows));
		assert.equal(rows[0][0], '3', 'the report names row 3 of the file');
		assert.equal(rows[0][1], 'citizen_id');
		assert.equal(rows[0][3], 'checksum');
		assert.ok(!(await page.content()).includes(BAD2), 'the page shows no citizen ID');
		const before = await counts(page);
		assert.equal(before.Inserted, '0');
		await shoot(page, 'import-report');
		const vs = await seriousViolations(page);
		assert.deepEqual(vs, [], `axe on the import report:\n${describeViolations(vs)}`);

		const fixed = bad.replace(BAD2, GOOD2);
		const r2 = await importFile(page, 'students-fixed.csv', fixed);
		assert.equal(r2.status(), 200);
		const after = await counts(page);
		assert.equal(after.Inserted, '2');
		assert.equal(after.Rejected, '0');
		assert.equal(await page.locator('table.report').count(), 0);
		const stored = await env.req('admin', { path: `/api/v1/students/${GOOD2},2567` });
		assert.equal(stored.status, 200);
		await shoot(page, 'import-done');
		await page.close();
	});

	/** The governance lines of the area page: the next meeting and the open resolutions. */
	async function areaGovernance(page) {
		await page.goto(base + '/areas/50');
		return {
			next: (await page.locator('#next-meeting').innerText()).trim(),
			open: Number(/^(\d+)/.exec((await page.locator('#open-resolutions').innerText()).trim())[1]),
		};
	}

	async function submit(page, form) {
		const [response] = await Promise.all([
			page.waitForResponse((r) => r.request().method() === 'POST'),
			page.click(`${form} button[type=submit]`),
		]);
		await page.waitForLoadState();
		return response;
	}

	test('a meeting is scheduled, a resolution added and closed, and the area page follows', async () => {
		const page = await wide.newPage();
		page.setDefaultTimeout(15000);
		const start = await areaGovernance(page);

		// schedule meeting 7 of this B.E. year from the committee page
		await page.goto(base + '/committees/50-DRIVE');
		const year = await page.inputValue('#new-meeting-year');
		assert.match(year, /^25\d\d$/, 'the B.E. year is offered');
		await page.fill('#new-meeting-number', '7');
		await page.selectOption('#new-meeting-status', 'scheduled');
		await page.fill('#new-meeting-held_on', '2099-01-15');
		await page.fill('#new-meeting-venue_th', 'ห้องประชุมศาลากลางจังหวัดเชียงใหม่');
		const r1 = await submit(page, '#new-meeting');
		assert.equal(new URL(page.url()).pathname, `/meetings/50-DRIVE/${year}/7`, `saved: ${r1.status()}`);
		assert.match(await page.locator('.notice.ok').innerText(), /บันทึกแล้ว/);
		let area = await areaGovernance(page);
		assert.match(area.next, new RegExp(`ครั้งที่ 7/${year}`), 'the area page shows the new meeting as the next one');
		assert.equal(area.open, start.open);

		// add a resolution with its owner and due date
		await page.goto(base + `/meetings/50-DRIVE/${year}/7`);
		assert.equal(await page.inputValue('#new-resolution-resolution_no'), '1');
		await page.fill('#new-resolution-text_th', 'จัดทำรายงานผลสัมฤทธิ์เสนอ กนน.');
		await page.fill('#new-resolution-owner_th', 'สำนักงานศึกษาธิการจังหวัดเชียงใหม่');
		await page.fill('#new-resolution-due_on', '2099-03-31');
		await submit(page, '#new-resolution');
		assert.match(await page.locator('#resolution-1').innerText(), /จัดทำรายงานผลสัมฤทธิ์[\s\S]*ยังไม่ดำเนินการ/);
		area = await areaGovernance(page);
		assert.equal(area.open, start.open + 1, 'one more open resolution on the area page');

		// closing it without the date: the message is beside the field, nothing saved
		await page.goto(base + `/meetings/50-DRIVE/${year}/7`);
		await page.selectOption('#resolution-form-1-status', 'done');
		const r2 = await submit(page, '#resolution-form-1');
		assert.equal(r2.status(), 422);
		assert.match(await page.locator('#resolution-form-1-closed_on-error').innerText(), /closed_on/);
		assert.equal(await page.getAttribute('#resolution-form-1-closed_on', 'aria-invalid'), 'true');
		await shoot(page, 'meeting-form-error');
		const vs = await seriousViolations(page);
		assert.deepEqual(vs, [], `axe on the form with its messages:\n${describeViolations(vs)}`);
		assert.equal((await areaGovernance(page)).open, start.open + 1, 'nothing was saved');

		// with the date it is done
		await page.goto(base + `/meetings/50-DRIVE/${year}/7`);
		await page.selectOption('#resolution-form-1-status', 'done');
		await page.fill('#resolution-form-1-closed_on', '2099-02-01');
		await submit(page, '#resolution-form-1');
		assert.match(await page.locator('#resolution-1').innerText(), /ดำเนินการแล้ว/);
		area = await areaGovernance(page);
		assert.equal(area.open, start.open, 'the area page no longer counts it');
		const stored = await env.req('admin', { path: `/api/v1/resolutions/50-DRIVE,${year},7,1` });
		assert.equal(stored.json.status, 'done');
		assert.equal(stored.json.closed_on, '2099-02-01');
		await shoot(page, 'area-50-after');
	});

	test('the XLSX template downloads from the standard page; an XLSX file imports through the form', async () => {
		const page = await wide.newPage();
		page.setDefaultTimeout(15000);
		await page.goto(base + '/standard');
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.click('a[href="/standard/templates/students.xlsx"]'),
		]);
		assert.equal(download.suggestedFilename(), 'nawat-students-template.xlsx');
		const template = fs.readFileSync(await download.path());
		assert.equal(template.subarray(0, 2).toString('latin1'), 'PK', 'a zip archive');

		await cliOk(env.dir, ['export', 'students', '--format', 'xlsx', '--out', 'students.xlsx']);
		const xlsx = fs.readFileSync(path.join(env.dir, 'students.xlsx'));
		const r = await importFile(page, 'students.xlsx', xlsx,
			'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
		assert.equal(r.status(), 200);
		const c = await counts(page);
		assert.equal(c.Inserted, '0');
		assert.equal(c.Rejected, '0');
		assert.ok(Number(c.Unchanged.replace(/,/g, '')) > 0, JSON.stringify(c));
		await shoot(page, 'import-xlsx');
		await page.close();
	});

	/** The rows of a dashboard table: [row header, ...cells] as shown. */
	function tableRows(page, id) {
		return page.locator(`#${id} tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
	}

	/** A metric as the overview table shows it (null shows as —). */
	function shown(value, places) {
		if (value === null) return '—';
		if (places === 'share') return `${(value * 100).toFixed(1)}%`;
		if (places === 0) return value.toLocaleString('en-US');
		return value.toFixed(places);
	}

	test('the area dashboard: from the area page, charts with tables that say what the API says, a filter, downloads', async () => {
		const page = await wide.newPage();
		page.setDefaultTimeout(15000);
		await page.goto(base + '/areas/50');
		await Promise.all([page.waitForURL(/\/equity\?scope=area(:|%3A)50$/), page.click('a[href="/equity?scope=area:50"]')]);
		assert.match(await page.locator('h1').innerText(), /ผลสัมฤทธิ์และความเหลื่อมล้ำ: .*เชียงใหม่/);

		const api = await env.req('admin', { path: '/api/v1/equity?scope=area:50' });
		assert.equal(api.status, 200);
		const m = api.json;
		assert.ok(m.students > 0 && m.knowledge.n > 0, 'the demo data has results in area 50');
		assert.match(await page.locator('p.lead').innerText(), new RegExp(`ปีการศึกษา ${m.academic_year}`));

		// the overview table has the API's numbers
		const overview = Object.fromEntries((await tableRows(page, 't-overview')).map(([h, v]) => [h.replace(/\s+/g, ' '), v]));
		const row = (en) => Object.entries(overview).find(([h]) => h.endsWith(en))?.[1];
		assert.equal(row('Students with results'), shown(m.students, 0));
		assert.equal(row('Knowledge: mean score'), shown(m.knowledge.mean, 2));
		assert.equal(row('Knowledge: median'), shown(m.knowledge.median, 2));
		assert.equal(row('Gap: not disadvantaged minus poor or extremely poor'), shown(m.knowledge.gap, 2));
		assert.equal(row('Skills: share proficient or above'), shown(m.skills.proficient_share, 'share'));
		assert.equal(row('Attitude: gap'), shown(m.attitude.gap, 'share'));

		// each chart is a titled, described image drawn on the server, and its table is beside it
		const charts = await page.locator('figure.eq-chart svg').evaluateAll((svgs) => svgs.map((s) => ({
			role: s.getAttribute('role'),
			title: s.querySelector('title')?.textContent.trim(),
			desc: s.querySelector('desc')?.textContent.trim(),
			marks: s.querySelectorAll('rect, path, polyline, circle').length,
			table: !!s.closest('.eq-row')?.querySelector('table.eq'),
		})));
		assert.ok(charts.length >= 4, `${charts.length} charts`);
		for (const ch of charts) {
			assert.equal(ch.role, 'img');
			assert.ok(ch.title && ch.desc, JSON.stringify(ch));
			assert.ok(ch.marks > 0, `the chart "${ch.title}" draws something`);
			assert.ok(ch.table, `the chart "${ch.title}" has its table beside it`);
		}

		// the learning-area table: a row per learning area of the API and one for all, with the API's numbers
		const areas = await tableRows(page, 't-learning_areas');
		const byArea = m.knowledge.by_learning_area;
		assert.equal(areas.length, Object.keys(byArea).length + 1);
		for (const [code, v] of Object.entries(byArea)) {
			const r = areas.find((cells) => cells[0].startsWith(`${code} `));
			assert.ok(r, `a row for ${code}`);
			assert.deepEqual([r[1], r[2], r[6]], [shown(v.n, 0), shown(v.mean, 2), shown(v.gap, 2)], code);
		}
		const all = areas.find((cells) => cells[0].endsWith('/ all'));
		assert.deepEqual([all[1], all[2], all[6]], [shown(m.knowledge.n, 0), shown(m.knowledge.mean, 2), shown(m.knowledge.gap, 2)]);

		// the schools within link to their own dashboards
		const within = page.locator('#t-within tbody th a').first();
		const href = await within.getAttribute('href');
		assert.match(href, /^\/equity\?scope=school(:|%3A)\d{10}/);

		// the filter: pilot schools only
		await page.selectOption('#pilot', 'Y');
		await Promise.all([page.waitForURL(/pilot=Y/), page.click('form.filters button[type=submit]')]);
		const pilot = await env.req('admin', { path: `/api/v1/equity?scope=area:50&pilot=Y&academic_year=${m.academic_year}&term=${m.term}&instrument=${m.instrument}` });
		assert.equal(pilot.status, 200);
		assert.ok(pilot.json.students < m.students, 'fewer students in the pilot schools');
		const overviewPilot = Object.fromEntries((await tableRows(page, 't-overview')).map(([h, v]) => [h.replace(/\s+/g, ' '), v]));
		assert.equal(Object.entries(overviewPilot).find(([h]) => h.endsWith('Students with results'))[1], shown(pilot.json.students, 0));
		await shoot(page, 'equity-area-50-pilot');

		// downloads of the overview table: CSV with the same numbers, XLSX a workbook
		const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#h-overview ~ .eq-row a[href^="/equity/overview.csv"]')]);
		assert.equal(csv.suggestedFilename(), 'nawat-equity-overview.csv');
		const text = fs.readFileSync(await csv.path(), 'utf8');
		assert.ok(text.startsWith('\uFEFF'), 'a BOM for spreadsheet programs');
		const students = text.split(/\r?\n/).find((l) => l.includes('Students with results'));
		assert.equal(students.split(',').pop(), String(pilot.json.students));
		const mean = text.split(/\r?\n/).find((l) => l.includes('Knowledge: mean score'));
		assert.equal(mean.split(',').pop(), pilot.json.knowledge.mean === null ? '' : pilot.json.knowledge.mean.toFixed(2));
		const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('#h-overview ~ .eq-row a[href^="/equity/overview.xlsx"]')]);
		assert.equal(xlsx.suggestedFilename(), 'nawat-equity-overview.xlsx');
		assert.equal(fs.readFileSync(await xlsx.path()).subarray(0, 2).toString('latin1'), 'PK', 'a zip archive');
		await page.close();
	});

	test('completeness: from the area page, a year and term chosen in the form, a school\'s import seen as sent, the XLSX download', async () => {
		const page = await wide.newPage();
		page.setDefaultTimeout(15000);
		// students of Ban Phui for academic year 2600 (its rounds are years ahead: on time)
		const ids = [citizenId('150099904001'), citizenId('150099904002')];
		const r = await importFile(page, 'students-2600.csv',
			`${HEADER}\n${ids.map((id) => `${id},${BANPHUI},2600,216,1,2045-03-17,0,0`).join('\n')}\n`);
		assert.equal(r.status(), 200);

		await page.goto(base + '/areas/50');
		await Promise.all([page.waitForURL(/\/completeness\?area=50$/), page.click('a[href="/completeness?area=50"]')]);
		assert.equal(await page.inputValue('#area'), '50');
		await page.fill('#academic_year', '2600');
		await page.selectOption('#term', '1');
		await Promise.all([page.waitForURL(/academic_year=2600/), page.click('form.filters button[type=submit]')]);
		const row = page.locator('table.completeness tbody tr', { has: page.locator(`a[href="/schools/${BANPHUI}"]`) });
		assert.match(await row.innerText(), /ส่งแล้ว[\s\S]*\b2\b/, 'Ban Phui: sent, 2 rows');
		assert.match(await page.locator('main').innerText(), /10 มิ\.ย\. 2600/, 'the deadline in B.E.');
		// every school of the area has a row, each with a status in words
		const statuses = await page.locator('table.completeness tbody tr td:nth-child(3) .badge').allInnerTexts();
		const schools = (await env.req('admin', { path: '/api/v1/schools?area_code=50&limit=1000' })).json.data.length;
		assert.equal(statuses.length, schools);
		assert.ok(statuses.every((t) => /ส่งแล้ว|ส่งช้า|ยังไม่ส่ง|ยังไม่ถึงกำหนด|มีข้อมูล/.test(t)), statuses.join(' | '));
		await shoot(page, 'completeness-2600');
		const vs = await seriousViolations(page);
		assert.deepEqual(vs, [], `axe on the completeness page:\n${describeViolations(vs)}`);

		const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[href$="format=xlsx"]')]);
		assert.equal(download.suggestedFilename(), 'completeness-50-2600-1.xlsx');
		assert.equal(fs.readFileSync(await download.path()).subarray(0, 2).toString('latin1'), 'PK');
		await page.close();
	});

	for (const [name, url] of PAGES) {
		test(`${url}: Thai, no serious or critical axe violation, no console error`, async () => {
			const { page, response, problems } = await open(wide, url);
			assert.equal(response.status(), 200, `${url}: ${response.status()}`);
			assert.equal(new URL(page.url()).pathname, url.split('?')[0], 'not sent elsewhere (to /login?)');
			assert.equal(await page.evaluate(() => document.documentElement.lang), 'th');
			assert.ok((await page.locator('h1').count()) === 1, 'one h1');
			await shoot(page, name);
			const vs = await seriousViolations(page);
			assert.deepEqual(vs, [], `axe on ${url}:\n${describeViolations(vs)}`);
			assert.deepEqual(problems, [], `${url}`);
			await page.close();
		});

		test(`${url} at 360×740: no horizontal scrolling`, async () => {
			const { page, response, problems } = await open(narrow, url);
			assert.equal(response.status(), 200);
			assert.equal(await page.evaluate(() => document.documentElement.lang), 'th');
			const { scroll, client, wide: culprits } = await page.evaluate(() => ({
				scroll: document.documentElement.scrollWidth,
				client: document.documentElement.clientWidth,
				// what sticks out, to say where to look
				wide: [...document.querySelectorAll('body *')]
					.filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 4 && !e.closest('.table-wrap'))
					.slice(0, 5)
					.map((e) => `${e.tagName.toLowerCase()}${e.className ? '.' + e.className : ''} (${Math.round(e.getBoundingClientRect().right)} px)`),
			}));
			await shoot(page, `${name}-360`);
			assert.ok(scroll <= 364, `${url} scrolls sideways at 360 px: ${scroll} px wide (viewport ${client}); ${culprits.join(', ')}`);
			assert.deepEqual(problems, [], `${url}`);
			await page.close();
		});
	}
});
