// audit.test.mjs - the hash-chained audit log records imports and user changes; tampering
// with a stored entry makes `nawat audit verify` fail and name the entry.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { assertCleanStops, cli, citizenId, copyStore, demoEnv, sql, removeDir } from './lib/nawat.mjs';

const STUDENTS =
	'citizen_id,school_code,academic_year,grade_code,gender,birth_date,disadvantage,disability\n' +
	`${citizenId('150099902001')},1050060001,2567,213,1,2016-03-17,0,0\n`;

describe('the audit log', () => {
	let env;

	before(async () => {
		env = await demoEnv();
		// an import through the API, a rejected one, and user changes on the command line
		let r = await env.req('banphui', { method: 'POST', path: '/api/v1/students', headers: { 'Content-Type': 'text/csv' }, body: STUDENTS });
		assert.equal(r.status, 200, r.text);
		r = await env.req('admin', { method: 'POST', path: '/api/v1/students', headers: { 'Content-Type': 'text/csv' }, body: STUDENTS.replace(/,0,0\n$/, ',7,0\n') });
		assert.equal(r.status, 422, r.text);
		assert.equal((await cli(env.dir, ['user', 'add', 'auditor', '--role', 'researcher'], { input: 'a-long-password\n' })).code, 0);
		assert.equal((await cli(env.dir, ['user', 'disable', 'auditor'])).code, 0);
	});

	after(async () => {
		if (env) assertCleanStops(await env.close());
	});

	test('the imports and user changes are in the log, by whom', async () => {
		const r = await cli(env.dir, ['audit', 'list', '100']);
		assert.equal(r.code, 0, r.stderr);
		const lines = r.stdout.trim().split('\n').map((l) => l.split('\t'));
		const has = (user, action, dataset, pred = () => true) =>
			lines.some((l) => l[2] === user && l[3] === action && l[4] === dataset && pred(l));
		assert.ok(has('banphui', 'import', 'students', (l) => /inserted=1/.test(l[6])), 'the import by banphui');
		assert.ok(has('admin', 'import-rejected', 'students'), "admin's rejected import");
		assert.ok(has('nawat-test', 'user-add', '-', (l) => l[5] === 'auditor'), 'the user added');
		assert.ok(has('nawat-test', 'user-disable', '-', (l) => l[5] === 'auditor'), 'the user disabled');
		assert.ok(has('demo', 'user-add', '-', (l) => l[5] === 'admin'), 'the demo users');
	});

	test('nawat audit verify: exit 0, every entry checked', async () => {
		const r = await cli(env.dir, ['audit', 'verify']);
		assert.equal(r.code, 0, r.stderr);
		const n = Number(/intact: (\d+) entries/.exec(r.stdout)?.[1]);
		assert.equal(n, Number(sql(env.dir, 'SELECT count(*) FROM audit')));
		assert.ok(n >= 10, `${n} entries`);
	});

	test('a changed entry in the middle: exit 1, naming that entry', async () => {
		const copy = await copyStore(env.dir);
		try {
			const id = Number(sql(copy, "SELECT id FROM audit WHERE action = 'user-add' AND item = 'auditor'"));
			assert.ok(id > 1);
			sql(copy, `UPDATE audit SET user_name='someone-else' WHERE id=${id}`);
			const r = await cli(copy, ['audit', 'verify']);
			assert.equal(r.code, 1);
			assert.match(r.stderr, new RegExp(`entry ${id}\\b`));
		} finally {
			removeDir(copy);
		}
	});

	test('an entry deleted from the middle: exit 1', async () => {
		const copy = await copyStore(env.dir);
		try {
			sql(copy, 'DELETE FROM audit WHERE id=3');
			const r = await cli(copy, ['audit', 'verify']);
			assert.equal(r.code, 1);
			assert.match(r.stderr, /entry 4\b/);
		} finally {
			removeDir(copy);
		}
	});

	test('the newest entry deleted: exit 1 (the head of the chain is kept apart)', async () => {
		const copy = await copyStore(env.dir);
		try {
			sql(copy, 'DELETE FROM audit WHERE id=(SELECT max(id) FROM audit)');
			const r = await cli(copy, ['audit', 'verify']);
			assert.equal(r.code, 1, r.stdout);
		} finally {
			removeDir(copy);
		}
	});

	test('the store in use is untouched by the tampering of its copies', async () => {
		const r = await cli(env.dir, ['audit', 'verify']);
		assert.equal(r.code, 0, r.stderr);
	});

	test('the store itself changed under the running server: exit 1, naming entry 1', async () => {
		sql(env.dir, "UPDATE audit SET detail='x' WHERE id=1");
		const r = await cli(env.dir, ['audit', 'verify']);
		assert.equal(r.code, 1, r.stdout + r.stderr);
		assert.match(r.stderr, /entry 1\b/);
		assert.match(r.stderr, /[ก-๙]/, 'in Thai too');
	});
});
