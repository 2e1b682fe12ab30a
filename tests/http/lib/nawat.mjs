// nawat.mjs - the test harness: a nawat binary, temporary stores, servers and requests.
//
// The binary is $NAWAT (relative to the working directory) or ./nawat of the repository.
// Every store lives in a fresh temporary directory; every server listens on 127.0.0.1 on a
// port chosen at run time (--listen 127.0.0.1:0 --port-file).  close() stops the servers
// (SIGTERM, then SIGKILL after 10 s) and removes the directory; an exit hook does the same
// for anything a failed test left behind.
//
// With PG_DIR set (a server started by tests/pg.sh), every temporary directory gets a fresh
// PostgreSQL database of its own, passed to nawat as NAWAT_DB (the key file stays in the
// directory), and sql() runs psql instead of sqlite3.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NAWAT = process.env.NAWAT
	? path.resolve(process.env.NAWAT)
	: fileURLToPath(new URL('../../../nawat', import.meta.url));

export const DEMO_USERS = ['admin', 'chiangmai', 'banphui', 'teacher', 'researcher'];
export const DEMO_PASSWORD = 'demo-1234';

const live = new Set(); // child processes still running
const dirs = new Set(); // temporary directories still present

process.on('exit', () => {
	for (const child of live) {
		try {
			child.kill('SIGKILL');
		} catch {}
	}
	for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const PG_DIR = process.env.PG_DIR;
const PG_SH = fileURLToPath(new URL('../../pg.sh', import.meta.url));
const databases = new Map(); // directory -> its PostgreSQL database URL
let dbCount = 0;

/** A fresh temporary directory (and, with PG_DIR, a database), removed by close() or at exit. */
export function tempDir() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nawat-http-'));
	dirs.add(dir);
	if (PG_DIR) {
		const name = `http_${process.pid}_${++dbCount}`;
		const r = spawnSync('sh', [PG_SH, 'createdb', PG_DIR, name], { encoding: 'utf8' });
		if (r.status !== 0) throw new Error(`pg.sh createdb ${name}: ${r.stderr}`);
		databases.set(dir, r.stdout.trim());
	}
	return dir;
}

/**
 * Points dir at a database the caller made (a server of its own): from now on cli(),
 * createToken(), startServer() and sql() use it, with the key file dir/nawat.key.
 */
export function useDatabase(dir, url) {
	databases.set(dir, url);
	dirs.add(dir);
}

/** The backend the tests run against: 'postgresql' or 'sqlite'. */
export const BACKEND = PG_DIR ? 'postgresql' : 'sqlite';

/** What nawat is given as --db for the store of dir: its database URL, or the SQLite file. */
export function storeUrl(dir) {
	return databases.get(dir) ?? path.join(dir, 'nawat.db');
}

/**
 * A copy of the store of dir, as it is now, in a new temporary directory (with the key
 * file): the file (after a checkpoint) with SQLite, and `nawat backup` restored into a new
 * database with PostgreSQL.
 */
export async function copyStore(dir) {
	const copy = tempDir();
	fs.copyFileSync(path.join(dir, 'nawat.key'), path.join(copy, 'nawat.key'));
	fs.chmodSync(path.join(copy, 'nawat.key'), 0o600);
	if (BACKEND === 'sqlite') {
		sql(dir, 'PRAGMA wal_checkpoint(TRUNCATE);');
		fs.copyFileSync(path.join(dir, 'nawat.db'), path.join(copy, 'nawat.db'));
	} else {
		const file = path.join(copy, 'store.backup');
		await cliOk(dir, ['backup', file, '--no-key']);
		await cliOk(copy, ['restore', file]);
	}
	return copy;
}

export function removeDir(dir) {
	fs.rmSync(dir, { recursive: true, force: true });
	dirs.delete(dir);
}

function cleanEnv(dir, { leakCheck = true } = {}) {
	const env = { ...process.env, USER: 'nawat-test' };
	delete env.NAWAT_DB;
	delete env.NAWAT_KEY;
	delete env.PG_DIR;
	if (databases.has(dir)) {
		env.NAWAT_DB = databases.get(dir);
		env.NAWAT_KEY = path.join(dir, 'nawat.key');
	}
	if (!leakCheck) env.ASAN_OPTIONS = (env.ASAN_OPTIONS ? env.ASAN_OPTIONS + ':' : '') + 'detect_leaks=0';
	return env;
}

/**
 * Runs `nawat ARGS...` in dir: { code, stdout, stderr }.  leakCheck: false turns
 * LeakSanitizer off for a command that only prepares a test (a sanitizer build).
 */
export function cli(dir, args, { input, leakCheck } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(NAWAT, args, { cwd: dir, env: cleanEnv(dir, { leakCheck }), stdio: ['pipe', 'pipe', 'pipe'] });
		let stdout = '',
			stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		child.on('error', reject);
		child.on('close', (code, signal) => resolve({ code: code ?? 128, signal, stdout, stderr }));
		child.stdin.end(input ?? '');
	});
}

/** Like cli(), but throws unless the command exits 0. */
export async function cliOk(dir, args, opts) {
	const r = await cli(dir, args, opts);
	if (r.code !== 0)
		throw new Error(`nawat ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
	return r;
}

/** `nawat token create NAME`: { id, token } (the token is the last line of the output). */
export async function createToken(dir, name) {
	const r = await cliOk(dir, ['token', 'create', name]);
	const lines = r.stdout.trim().split('\n');
	const token = lines[lines.length - 1].trim();
	const id = /token (\d+) for/.exec(r.stdout)?.[1];
	if (!/^nwt_[A-Za-z0-9_-]+$/.test(token) || !id) throw new Error(`unexpected token output: ${r.stdout}`);
	return { id, token };
}

let serverCount = 0;

/** Starts `nawat serve` in dir and waits for its port file. */
export async function startServer(dir, extraArgs = []) {
	const n = ++serverCount;
	const portFile = path.join(dir, `port-${n}`);
	const args = ['serve', '--listen', '127.0.0.1:0', '--port-file', portFile,
		'--access-log', path.join(dir, `access-${n}.log`), ...extraArgs];
	const child = spawn(NAWAT, args, { cwd: dir, env: cleanEnv(dir), stdio: ['ignore', 'pipe', 'pipe'] });
	live.add(child);
	let stdout = '',
		stderr = '',
		exit = null;
	child.stdout.on('data', (d) => (stdout += d));
	child.stderr.on('data', (d) => (stderr += d));
	const exited = new Promise((resolve) =>
		child.on('exit', (code, signal) => {
			live.delete(child);
			exit = { code, signal, at: Date.now() };
			resolve(exit);
		}),
	);
	const until = Date.now() + 20000;
	let port = 0;
	while (!port) {
		if (exit) throw new Error(`nawat serve exited (${exit.code ?? exit.signal}) before listening: ${stderr}`);
		if (Date.now() > until) {
			child.kill('SIGKILL');
			throw new Error(`nawat serve did not write ${portFile} within 20 s: ${stderr}`);
		}
		try {
			const text = fs.readFileSync(portFile, 'utf8');
			if (text.endsWith('\n')) port = Number(text.trim());
		} catch {}
		if (!port) await sleep(20);
	}
	return {
		port,
		pid: child.pid,
		accessLog: path.join(dir, `access-${n}.log`),
		child,
		exited,
		get stdout() {
			return stdout;
		},
		get stderr() {
			return stderr;
		},
		get running() {
			return exit === null;
		},
		/** SIGTERM, then SIGKILL after 10 s: { code, signal, killed, stderr }. */
		async stop() {
			if (exit) return { ...exit, killed: false, stderr };
			child.kill('SIGTERM');
			let timer;
			const timeout = new Promise((r) => (timer = setTimeout(() => r('timeout'), 10000)));
			const first = await Promise.race([exited, timeout]);
			clearTimeout(timer);
			if (first === 'timeout') {
				child.kill('SIGKILL');
				await exited;
				return { ...exit, killed: true, stderr };
			}
			return { ...exit, killed: false, stderr };
		},
	};
}

/**
 * Until the file (an access log) has a line matching re, for up to 5 s: the server writes
 * its log line after the answer has gone, so a client may read the file before it is there.
 */
export async function logLine(file, re) {
	const until = Date.now() + 5000;
	for (;;) {
		const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
		const line = text.split('\n').find((l) => re.test(l));
		if (line) return line;
		if (Date.now() > until) throw new Error(`no line matching ${re} in ${file}:\n${text.slice(-2000)}`);
		await sleep(20);
	}
}

/** What a stopped server must not have said on stderr (sanitizer reports). */
export function sanitizerReport(stderr) {
	const m = /(ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:)[^\n]*/.exec(stderr);
	return m ? m[0] : null;
}

/**
 * One HTTP request, on a new connection: { status, headers, text, json, cookies }.
 * opts: method, path, headers, body (string or Buffer), token (bearer), cookie,
 * localAddress (127.x.y.z to appear as another client), chunked (no Content-Length).
 */
export function request(port, opts) {
	const { method = 'GET', path: p, token, cookie, localAddress, chunked } = opts;
	const headers = { ...(opts.headers || {}) };
	let body = opts.body;
	if (body !== undefined && !Buffer.isBuffer(body)) body = Buffer.from(String(body));
	if (token) headers.Authorization = `Bearer ${token}`;
	if (cookie) headers.Cookie = cookie;
	if (body !== undefined && !chunked) headers['Content-Length'] = body.length;
	return new Promise((resolve, reject) => {
		const req = http.request(
			{ host: '127.0.0.1', port, method, path: p, headers, agent: false, localAddress },
			(res) => {
				const chunks = [];
				res.on('data', (d) => chunks.push(d));
				res.on('error', reject);
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json;
					if (/json/.test(res.headers['content-type'] || '')) {
						try {
							json = JSON.parse(text);
						} catch (e) {
							return reject(new Error(`${method} ${p}: bad JSON (${e.message}): ${text.slice(0, 200)}`));
						}
					}
					const cookies = {};
					for (const c of res.headers['set-cookie'] || []) {
						const [pair, ...attrs] = c.split(';').map((s) => s.trim());
						const eq = pair.indexOf('=');
						cookies[pair.slice(0, eq)] = { value: pair.slice(eq + 1), attrs, raw: c };
					}
					resolve({ status: res.statusCode, headers: res.headers, text, json, cookies });
				});
			},
		);
		req.setTimeout(120000, () => req.destroy(new Error(`${method} ${p}: no answer in 120 s`)));
		req.on('error', (e) => reject(new Error(`${method} ${p}: ${e.message}`)));
		if (body !== undefined && chunked) {
			// several writes without a length: Transfer-Encoding: chunked
			for (let i = 0; i < body.length; i += 65536) req.write(body.subarray(i, i + 65536));
			req.end();
		} else {
			req.end(body);
		}
	});
}

/**
 * A demo store (nawat demo --students N) with one API token per demo user, served.
 * { dir, server, tokens: {user: token}, tokenIds: {user: id}, get(), post(), close() }
 */
export async function demoEnv({ students = 300, serveArgs = [] } = {}) {
	const dir = tempDir();
	const servers = [];
	try {
		await cliOk(dir, ['demo', '--students', String(students)]);
		const tokens = {},
			tokenIds = {};
		for (const u of DEMO_USERS) {
			const t = await createToken(dir, u);
			tokens[u] = t.token;
			tokenIds[u] = t.id;
		}
		const server = await startServer(dir, serveArgs);
		servers.push(server);
		const env = {
			dir,
			server,
			servers,
			tokens,
			tokenIds,
			/** A request to the main server as a demo user (or 'anonymous'). */
			req(as, opts) {
				return request(server.port, { ...opts, token: as && as !== 'anonymous' ? tokens[as] : opts.token });
			},
			async startServer(args) {
				const s = await startServer(dir, args);
				servers.push(s);
				return s;
			},
			/** Stops every server; returns their { code, signal, killed, stderr }. */
			async close() {
				const results = [];
				for (const s of servers) results.push(await s.stop());
				removeDir(dir);
				return results;
			},
		};
		return env;
	} catch (e) {
		for (const s of servers) await s.stop();
		removeDir(dir);
		throw e;
	}
}

/** Asserts that every server stopped cleanly: exit 0 on SIGTERM, no sanitizer report. */
export function assertCleanStops(results) {
	for (const r of results) {
		const report = sanitizerReport(r.stderr);
		if (report) throw new Error(`the server reported: ${report}\n${r.stderr.slice(0, 4000)}`);
		if (r.killed) throw new Error('the server did not stop within 10 s of SIGTERM and was killed');
		if (r.code !== 0) throw new Error(`the server exited with ${r.code ?? r.signal} on SIGTERM: ${r.stderr.slice(0, 2000)}`);
	}
}

/** The Thai citizen ID check digit appended to 12 digits. */
export function citizenId(first12) {
	let sum = 0;
	for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (13 - i);
	return first12 + ((11 - (sum % 11)) % 10);
}

/** A form body, application/x-www-form-urlencoded. */
export function form(fields) {
	return {
		body: new URLSearchParams(fields).toString(),
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
	};
}

/** A multipart/form-data body from { name: string | { filename, content, type } }. */
export function multipart(fields) {
	const boundary = '----nawat-test-' + Math.random().toString(16).slice(2);
	const parts = [];
	for (const [name, v] of Object.entries(fields)) {
		if (typeof v === 'object') {
			parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${v.filename}"\r\n` +
				`Content-Type: ${v.type || 'text/csv'}\r\n\r\n`));
			parts.push(Buffer.from(v.content));
			parts.push(Buffer.from('\r\n'));
		} else {
			parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`));
		}
	}
	parts.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(parts), headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } };
}

/**
 * POST /login as a browser does: first GET /login for the form's token and its
 * nawat_login cookie (double submit), then the form with both.  opts: localAddress,
 * headers (sent with both requests).
 */
export async function postLogin(port, fields, { localAddress, headers = {} } = {}) {
	const page = await request(port, { path: '/login', localAddress, headers });
	if (page.status !== 200) throw new Error(`GET /login: ${page.status}`);
	const c = page.cookies.nawat_login;
	const token = csrfOf(page.text);
	if (!c || !token) throw new Error('GET /login: no nawat_login cookie or no _csrf field');
	const f = form({ _csrf: token, ...fields });
	return request(port, { method: 'POST', path: '/login', localAddress, cookie: `nawat_login=${c.value}`, body: f.body,
		headers: { ...headers, ...f.headers } });
}

/** The value of the hidden _csrf input of an HTML page. */
export function csrfOf(html) {
	const m = /<input[^>]*name="_csrf"[^>]*value="([^"]*)"/.exec(html) || /<input[^>]*value="([^"]*)"[^>]*name="_csrf"/.exec(html);
	return m ? m[1] : null;
}

/** The text of the page's notices (role=alert/status), tags removed, spaces collapsed. */
export function noticeText(html) {
	const out = [];
	const re = /<div class="notice[^"]*"[^>]*>([\s\S]*?)<\/div>/g;
	let m;
	while ((m = re.exec(html))) out.push(m[1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
	return out.join(' | ');
}

/** Runs SQL on the store of dir (sqlite3, or psql with PG_DIR): its output, trimmed. */
export function sql(dir, text) {
	if (databases.has(dir)) return psql(databases.get(dir), text);
	const r = spawnSync('sqlite3', [path.join(dir, 'nawat.db'), text], { encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
	return r.stdout.trim();
}

/** Runs SQL with psql on the PostgreSQL database at url: its output (unaligned, no headers), trimmed. */
export function psql(url, text) {
	const r = spawnSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', text], { encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
	return r.stdout.trim();
}
