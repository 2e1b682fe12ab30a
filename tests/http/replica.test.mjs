// replica.test.mjs - reads from a replica (--db-read) and read-your-writes across servers.
// Two servers share one store and read a copy of it made before the test writes, which
// stands for a replica that lags behind.  A user who has just written reads the primary on
// either server: the store remembers the write, not the server that took it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { assertCleanStops, cliOk, copyStore, createToken, removeDir, request, sql, startServer, storeUrl, tempDir } from './lib/nawat.mjs';

const SCHOOL = '1050069903';
const SCHOOL_CSV =
	'school_code,name_th,name_en,affiliation_code,province_code,district_th,subdistrict_th,esa_th,area_code,pilot,pilot_cohort,pilot_since,latitude,longitude\n' +
	`${SCHOOL},โรงเรียนบ้านทดสอบ,Ban Thotsop School,10,50,ฮอด,หางดง,สพป.เชียงใหม่ เขต 5,50,Y,2,2021-05-17,18.176457,98.656509\n`;

describe('a read replica and read-your-writes across servers', () => {
	let dir, stale, one, two;
	const tokens = {};

	before(async () => {
		dir = tempDir();
		await cliOk(dir, ['demo', '--students', '100']);
		for (const u of ['admin', 'chiangmai']) tokens[u] = (await createToken(dir, u)).token;
		stale = await copyStore(dir);
		const args = ['--db-read', storeUrl(stale)];
		one = await startServer(dir, args);
		two = await startServer(dir, args);
	});

	after(async () => {
		const stops = [];
		for (const s of [one, two]) if (s) stops.push(await s.stop());
		if (dir) removeDir(dir);
		if (stale) removeDir(stale);
		assertCleanStops(stops);
	});

	const get = (server, as, headers) => request(server.port, { path: `/api/v1/schools/${SCHOOL}`, token: tokens[as], headers });

	test('a write through one server is read back through the other; others read the replica', async () => {
		const post = await request(one.port, { method: 'POST', path: '/api/v1/schools', token: tokens.admin, body: SCHOOL_CSV,
			headers: { 'Content-Type': 'text/csv' } });
		assert.equal(post.status, 200, post.text);
		assert.equal(post.json.counts.inserted, 1);
		assert.equal(post.cookies.nawat_fresh, undefined, 'no cookie for a token');
		for (const s of [one, two]) assert.equal((await get(s, 'admin')).status, 200, `the writer reads it back on port ${s.port}`);
		// someone who did not write reads the replica, which has not got the school
		for (const s of [one, two]) assert.equal((await get(s, 'chiangmai')).status, 404);
		assert.equal((await get(two, 'chiangmai', { 'X-Nawat-Read': 'primary' })).status, 200, 'unless they ask for the primary');
	});

	test('the change feed: a client whose last answer came from the primary is not sent back to a lagging replica', async () => {
		const feed = (query, headers) => request(two.port, { path: `/api/v1/schools?${query}`, token: tokens.chiangmai, headers });
		const primary = { 'X-Nawat-Read': 'primary' };
		const staleMark = Number(sql(stale, "SELECT value FROM nawat_meta WHERE name = 'commit_seq'"));
		const all = await feed('since=0&limit=1000', primary);
		assert.equal(all.status, 200, all.text);
		const mark = all.json.high_water_mark;
		assert.ok(mark > staleMark, `the primary (${mark}) is ahead of the replica (${staleMark})`);
		const codes = all.json.data.map((r) => r.school_code);
		assert.ok(codes.includes(SCHOOL));
		// a reader at or behind the replica's mark reads the replica
		const behind = await feed(`since=${staleMark}`);
		assert.equal(behind.status, 200, behind.text);
		assert.equal(behind.json.high_water_mark, staleMark, 'answered by the replica');
		// the next poll from the primary's mark: nothing new, not 409 "start again from 0"
		const next = await feed(`since=${mark}`);
		assert.equal(next.status, 200, next.text);
		assert.equal(next.json.high_water_mark, mark);
		assert.deepEqual(next.json.data, []);
		// pages begun on the primary go on to the end with every row, the new school included
		let page = await feed('since=0&limit=2', primary);
		const paged = [];
		for (;;) {
			assert.equal(page.status, 200, page.text);
			assert.equal(page.json.high_water_mark, mark);
			paged.push(...page.json.data.map((r) => r.school_code));
			if (!page.json.next_cursor) break;
			page = await feed(`since=0&limit=2&cursor=${encodeURIComponent(page.json.next_cursor)}`);
		}
		assert.deepEqual(paged, codes);
	});

	test('ten seconds after the write, the writer reads the replica again', async () => {
		// as if the write were 11 seconds old
		sql(dir, "UPDATE users SET wrote_at = wrote_at - 11 WHERE name = 'admin'");
		for (const s of [one, two]) assert.equal((await get(s, 'admin')).status, 404);
	});
});
