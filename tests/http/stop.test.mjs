// stop.test.mjs - a graceful stop: SIGTERM while a large import (200,000 outcome rows) runs.
// The server must exit 0, and the import must have committed fully or not at all.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cli, cliOk, createToken, removeDir, sanitizerReport, sql, startServer, tempDir } from './lib/nawat.mjs';

const ROWS = 200000;

describe('graceful stop', () => {
	let dir, server, token, body;

	before(async () => {
		dir = tempDir();
		// 20,000 students with 10 results each, written as exchange files
		await cliOk(dir, ['demo', '--students', '20000', '--csv', 'csv']);
		await cliOk(dir, ['init']);
		for (const ds of ['areas', 'schools', 'students'])
			await cliOk(dir, ['import', ds, path.join('csv', `${ds}.csv`), '--report', 'report.csv']);
		await cliOk(dir, ['user', 'add', 'admin', '--role', 'central'], { input: 'a-long-password\n' });
		token = (await createToken(dir, 'admin')).token;
		body = fs.readFileSync(path.join(dir, 'csv', 'outcomes.csv'));
		assert.equal(body.toString('latin1').split('\n').filter(Boolean).length, ROWS + 1, 'the outcomes file');
		server = await startServer(dir);
	});

	after(async () => {
		if (server) await server.stop();
		if (dir) removeDir(dir);
	});

	test('SIGTERM during an import of 200,000 rows: exit 0 after the import, all rows or none', async (t) => {
		let termAt = 0;
		const answer = new Promise((resolve) => {
			const req = http.request(
				{
					host: '127.0.0.1', port: server.port, method: 'POST', path: '/api/v1/outcomes', agent: false,
					headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/csv', 'Content-Length': body.length },
				},
				(res) => {
					let text = '';
					res.on('data', (d) => (text += d));
					res.on('end', () => resolve({ status: res.statusCode, text, at: Date.now() }));
					res.on('error', (e) => resolve({ error: e.message, at: Date.now() }));
				},
			);
			req.on('error', (e) => resolve({ error: e.message, at: Date.now() }));
			// the whole body is on its way: the import starts as soon as the server has it
			req.end(body, () =>
				setTimeout(() => {
					termAt = Date.now();
					server.child.kill('SIGTERM');
				}, 50),
			);
		});

		const res = await answer;
		let timer;
		const exit = await Promise.race([server.exited, new Promise((r) => (timer = setTimeout(() => r(null), 120000)))]);
		clearTimeout(timer);
		assert.ok(exit, 'the server did not exit within 120 s of SIGTERM');
		assert.ok(termAt > 0, 'SIGTERM was sent');
		assert.equal(sanitizerReport(server.stderr), null, server.stderr);
		assert.equal(exit.code, 0, `exit status after SIGTERM: ${exit.code ?? exit.signal}; ${server.stderr}`);
		assert.match(server.stderr, /stopping/);

		const rows = Number(sql(dir, 'SELECT count(*) FROM outcomes'));
		assert.ok(rows === 0 || rows === ROWS, `a partial import: ${rows} of ${ROWS} rows`);
		if (res.status !== undefined) {
			assert.ok(res.at >= termAt, 'the import ended before SIGTERM was sent: the test stopped nothing mid-way');
			assert.ok(exit.at >= res.at, 'the server exited before it answered');
			assert.equal(res.status, 200, res.text.slice(0, 500));
			const j = JSON.parse(res.text);
			assert.equal(j.committed, true);
			assert.equal(j.counts.inserted, ROWS);
		}
		if (rows === ROWS) {
			assert.equal(sql(dir, "SELECT status || ' ' || inserted FROM submissions WHERE dataset = 'outcomes'"), `accepted ${ROWS}`);
			t.diagnostic(`the import finished during the stop; the client ${res.status ? `got ${res.status}` : `saw ${res.error}`}`);
		} else {
			assert.equal(res.status, undefined, 'an answer for an import that left nothing');
			t.diagnostic(`the stop came before the import began: nothing written (${res.error})`);
		}
		const verify = await cli(dir, ['audit', 'verify']);
		assert.equal(verify.code, 0, verify.stderr);
	});
});
