// xlsx.test.mjs - XLSX over HTTP: the templates on the standard and import pages, an XLSX body
// for POST /api/v1/{dataset} (by Content-Type and by ?format=xlsx), an XLSX upload on the import
// page, and damaged files refused with a Thai and English message, nothing written.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { assertCleanStops, cliOk, demoEnv, multipart, noticeText, request, sql } from './lib/nawat.mjs';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('XLSX over HTTP', () => {
	let env, exported, students;

	before(async () => {
		env = await demoEnv({ students: 300 });
		await cliOk(env.dir, ['export', 'students', '--format', 'xlsx', '--out', 'students.xlsx']);
		exported = fs.readFileSync(path.join(env.dir, 'students.xlsx'));
		students = Number(sql(env.dir, 'SELECT count(*) FROM students'));
		assert.ok(students > 0);
	});

	after(async () => {
		if (env) assertCleanStops(await env.close());
	});

	test('GET /standard/templates/students.xlsx: a workbook with the data set sheet', async () => {
		const r = await env.req('teacher', { path: '/standard/templates/students.xlsx' });
		assert.equal(r.status, 200);
		assert.equal(r.headers['content-type'], XLSX);
		assert.match(r.headers['content-disposition'], /filename="nawat-students-template\.xlsx"/);
		const body = Buffer.from(r.text, 'latin1');
		assert.equal(r.text.slice(0, 2), 'PK', 'a zip archive');
		assert.ok(body.length > 2000);
		const unknown = await env.req('teacher', { path: '/standard/templates/teachers.xlsx' });
		assert.equal(unknown.status, 404);
	});

	test('the standard page and the import page link the XLSX templates next to the CSV ones', async () => {
		const std = await env.req('teacher', { path: '/standard' });
		assert.equal(std.status, 200);
		for (const ds of ['areas', 'schools', 'students', 'outcomes']) {
			assert.match(std.text, new RegExp(`href="/standard/templates/${ds}\\.xlsx"`));
			assert.match(std.text, new RegExp(`href="/standard/templates/${ds}\\.csv"`));
		}
		const imp = await env.req('admin', { path: '/import' });
		assert.equal(imp.status, 200);
		assert.match(imp.text, /href="\/standard\/templates\/students\.xlsx"/);
		assert.match(imp.text, /accept="[^"]*\.xlsx/);
	});

	test('POST /api/v1/students with an XLSX body (Content-Type): every row unchanged', async () => {
		const r = await env.req('admin', { method: 'POST', path: '/api/v1/students', headers: { 'Content-Type': XLSX }, body: exported });
		assert.equal(r.status, 200, r.text.slice(0, 500));
		assert.equal(r.json.counts.rows, students);
		assert.equal(r.json.counts.unchanged, students);
		assert.equal(r.json.counts.rejected, 0);
		assert.equal(r.json.report_total, 0);
	});

	test('POST /api/v1/students?format=xlsx&dry_run=1: the same, by the query', async () => {
		const r = await env.req('admin', { method: 'POST', path: '/api/v1/students?format=xlsx&dry_run=1', headers: { 'Content-Type': 'application/octet-stream' }, body: exported });
		assert.equal(r.status, 200, r.text.slice(0, 500));
		assert.equal(r.json.dry_run, true);
		assert.equal(r.json.counts.unchanged, students);
	});

	test('a damaged XLSX body: 422, a Thai and English message, nothing written', async () => {
		const before = sql(env.dir, 'SELECT count(*) FROM submissions');
		const cut = exported.subarray(0, Math.floor(exported.length / 2));
		for (const body of [Buffer.from('not a workbook at all'), cut]) {
			const r = await env.req('admin', { method: 'POST', path: '/api/v1/students', headers: { 'Content-Type': XLSX }, body });
			assert.equal(r.status, 422, r.text.slice(0, 500));
			assert.equal(r.json.committed, false);
			assert.equal(r.json.report.length, 1);
			assert.match(r.json.report[0].message_th, /XLSX|zip/);
			assert.match(r.json.report[0].message_en, /XLSX|zip/);
			assert.equal(r.json.report[0].row, 0);
		}
		// the attempts are recorded as rejected submissions; no data changed
		assert.equal(Number(sql(env.dir, 'SELECT count(*) FROM submissions')), Number(before) + 2);
		assert.equal(Number(sql(env.dir, 'SELECT count(*) FROM students')), students);
	});

	test('serve --xlsx-max-unzipped-mb: a file that inflates past the limit is refused (422), the default takes it', async () => {
		await cliOk(env.dir, ['export', 'outcomes', '--format', 'xlsx', '--out', 'outcomes.xlsx']);
		const body = fs.readFileSync(path.join(env.dir, 'outcomes.xlsx')); // its sheet inflates to more than 1 MiB
		const small = await env.startServer(['--xlsx-max-unzipped-mb', '1']);
		const headers = { Authorization: `Bearer ${env.tokens.admin}`, 'Content-Type': XLSX };
		const r = await request(small.port, { method: 'POST', path: '/api/v1/outcomes?dry_run=1', headers, body });
		assert.equal(r.status, 422, r.text.slice(0, 500));
		assert.equal(r.json.report.length, 1);
		assert.match(r.json.report[0].message_en, /inflates to more than 1048576 bytes .* zip bomb/);
		assert.match(r.json.report[0].message_th, /--xlsx-max-unzipped/);
		const ok = await env.req('admin', { method: 'POST', path: '/api/v1/outcomes?dry_run=1', headers: { 'Content-Type': XLSX }, body });
		assert.equal(ok.status, 200, ok.text.slice(0, 500));
		assert.equal(ok.json.counts.rejected, 0);
		assert.ok(ok.json.counts.unchanged > 0);
	});

	test('the import page takes an XLSX upload', async () => {
		const r = await env.req('admin', {
			method: 'POST', path: '/import',
			...multipart({ dataset: 'students', dry_run: '1', file: { filename: 'students.xlsx', content: exported, type: XLSX } }),
		});
		assert.equal(r.status, 200, noticeText(r.text));
		assert.match(noticeText(r.text), /ไม่พบข้อผิดพลาด/);
		assert.match(r.text, /students\.xlsx/);
	});
});
