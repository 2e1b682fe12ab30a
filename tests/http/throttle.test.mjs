// throttle.test.mjs - sign-in throttling: 5 failures in 15 minutes lock a user name, and
// separately a client address, for 15 minutes.  A store of its own (nawat init + user add),
// so that no other test's users or address get locked.  Clients appear to come from different
// loopback addresses (127.0.0.x) so that the two locks can be told apart.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { postLogin, assertCleanStops, cli, cliOk, form, logLine, noticeText, removeDir, request, startServer, tempDir } from './lib/nawat.mjs';

const PASSWORD = 'right-password-1';

describe('sign-in throttling', () => {
	let dir, server;

	const signIn = (user, password, from) =>
		postLogin(server.port, { user, password }, { localAddress: from });

	before(async () => {
		dir = tempDir();
		await cliOk(dir, ['init']);
		for (const u of ['alice', 'bob', 'carol', 'dave'])
			await cliOk(dir, ['user', 'add', u, '--role', 'central'], { input: `${PASSWORD}\n` });
		server = await startServer(dir);
	});

	after(async () => {
		if (server) assertCleanStops([await server.stop()]);
		if (dir) removeDir(dir);
	});

	test('a wrong user name and a wrong password get the same status and message', async () => {
		const noUser = await signIn('nobody-here', PASSWORD, '127.0.0.2');
		const badPass = await signIn('alice', 'not-her-password', '127.0.0.3');
		assert.equal(noUser.status, 401);
		assert.equal(badPass.status, 401);
		const a = noticeText(noUser.text),
			b = noticeText(badPass.text);
		assert.ok(a.length > 0, 'the page says why');
		assert.equal(a, b);
		assert.equal(noUser.cookies.nawat_session, undefined);
		assert.equal(badPass.cookies.nawat_session, undefined);
	});

	test('the right password still works after one failure', async () => {
		const r = await signIn('alice', PASSWORD, '127.0.0.4');
		assert.equal(r.status, 303);
		assert.ok(r.cookies.nawat_session?.value);
	});

	test('5 wrong passwords lock the user name: the 6th attempt is refused even with the right password', async () => {
		for (let i = 0; i < 5; i++) {
			// each from another address: only the user name counts up
			const r = await signIn('bob', `wrong-${i}`, `127.0.0.${10 + i}`);
			assert.equal(r.status, 401, `attempt ${i + 1}`);
		}
		const locked = await signIn('bob', PASSWORD, '127.0.0.15');
		assert.equal(locked.status, 429);
		assert.equal(locked.cookies.nawat_session, undefined);
		const text = noticeText(locked.text);
		assert.match(text, /wait/i, `the message says to wait: ${text}`);
		assert.match(text, /รอ/, `the Thai message says to wait: ${text}`);
		// the lock is the user's, not the address's: another user signs in from there
		const other = await signIn('carol', PASSWORD, '127.0.0.15');
		assert.equal(other.status, 303);
	});

	test('5 failures from one address lock the address', async () => {
		for (let i = 0; i < 5; i++) {
			const r = await signIn(`nobody-${i}`, 'whatever', '127.0.0.20');
			assert.equal(r.status, 401, `attempt ${i + 1}`);
		}
		const locked = await signIn('dave', PASSWORD, '127.0.0.20');
		assert.equal(locked.status, 429);
		assert.match(noticeText(locked.text), /wait/i);
		// the same user from another address is fine
		const elsewhere = await signIn('dave', PASSWORD, '127.0.0.21');
		assert.equal(elsewhere.status, 303);
	});

	test('a locked user name stays locked for the right password from yet another address', async () => {
		const r = await signIn('bob', PASSWORD, '127.0.0.30');
		assert.equal(r.status, 429);
	});

	test('four failures do not lock', async () => {
		for (let i = 0; i < 4; i++) assert.equal((await signIn('alice', `wrong-${i}`, `127.0.0.${40 + i}`)).status, 401);
		// alice had one failure before, but a success in between starts the count again
		const r = await signIn('alice', PASSWORD, '127.0.0.44');
		assert.equal(r.status, 303);
	});
});

// Behind a reverse proxy every connection comes from the proxy; with --trusted-proxy the
// client is the address the proxy appended to X-Forwarded-For.  Here 127.0.0.50 and
// 127.0.0.51 play two proxies in a row, and anyone else sending the header is not believed.
describe('sign-in throttling behind a trusted proxy', () => {
	let dir, server;

	const viaProxy = (user, password, xff, from = '127.0.0.50') =>
		postLogin(server.port, { user, password }, { localAddress: from, headers: { 'X-Forwarded-For': xff } });

	before(async () => {
		dir = tempDir();
		await cliOk(dir, ['init']);
		for (const u of ['erin', 'frank', 'grace'])
			await cliOk(dir, ['user', 'add', u, '--role', 'central'], { input: `${PASSWORD}\n` });
		server = await startServer(dir, ['--trusted-proxy', '127.0.0.50, 127.0.0.51']);
	});

	after(async () => {
		if (server) assertCleanStops([await server.stop()]);
		if (dir) removeDir(dir);
	});

	test('5 failures from one client behind the proxy lock that client, not the proxy', async () => {
		// the client wrote a false address first: the proxy's own entry is the last one
		for (let i = 0; i < 5; i++) assert.equal((await viaProxy(`nobody-${i}`, 'x', `10.9.9.9, 192.0.2.7`)).status, 401);
		assert.equal((await viaProxy('erin', PASSWORD, '192.0.2.7')).status, 429);
		// another client through the same proxy, and through two proxies in a row
		assert.equal((await viaProxy('erin', PASSWORD, '192.0.2.8')).status, 303);
		assert.equal((await viaProxy('erin', PASSWORD, '192.0.2.9, 127.0.0.50', '127.0.0.51')).status, 303);
		await logLine(server.accessLog, / 192\.0\.2\.7 - "POST \/login" 429/);
		await logLine(server.accessLog, / 192\.0\.2\.9 erin "POST \/login" 303/);
	});

	test('X-Forwarded-For from a client that is not a trusted proxy is ignored', async () => {
		for (let i = 0; i < 5; i++) assert.equal((await viaProxy(`nobody-${i}`, 'x', `198.51.100.${i}`, '127.0.0.52')).status, 401);
		// each attempt claimed another address: all of them count for 127.0.0.52
		assert.equal((await viaProxy('frank', PASSWORD, '198.51.100.99', '127.0.0.52')).status, 429);
		assert.equal((await viaProxy('frank', PASSWORD, '198.51.100.99')).status, 303);
	});

	test('a header that is not an address leaves the proxy as the client', async () => {
		const r = await viaProxy('grace', PASSWORD, 'unknown');
		assert.equal(r.status, 303);
		await logLine(server.accessLog, / 127\.0\.0\.50 grace "POST \/login" 303/);
	});

	test('a bad --trusted-proxy is a usage error, in Thai and English', async () => {
		const r = await cli(dir, ['serve', '--listen', '127.0.0.1:0', '--trusted-proxy', '127.0.0.1,proxy.example']);
		assert.equal(r.code, 2);
		assert.match(r.stderr, /ที่อยู่ของพร็อกซีที่เชื่อถือ .* \/ bad trusted proxy address 127\.0\.0\.1,proxy\.example/);
	});
});
