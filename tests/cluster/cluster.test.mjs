// cluster.test.mjs - nawat on more than one server: a PostgreSQL primary and a streaming
// replica, two `nawat serve` (A and B) reading the replica, nginx in front of them (round
// robin), all on 127.0.0.1.  Run by tests/cluster/run.sh, which starts the two PostgreSQL
// servers (CLUSTER_DIR, PRIMARY_URL, REPLICA_URL) and removes everything afterwards.
//
// The scenario goes through nginx: sign-in with the form and with a token, imports read back
// at once from either instance (read-your-writes) while the replica is held behind, reads
// that the replica answers, sign-in throttling per client behind the proxy, the primary and
// the replica stopped and started again under the instances, the change feed read from the
// replica, and kill -9 of one instance in the middle of a stream of requests and of an import
// of 100,000 rows.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
	cli, cliOk, createToken, csrfOf, DEMO_PASSWORD, logLine, postLogin, psql, request, sanitizerReport, startServer, useDatabase,
} from '../http/lib/nawat.mjs';

const { CLUSTER_DIR, PRIMARY_URL, REPLICA_URL } = process.env;
if (!CLUSTER_DIR || !PRIMARY_URL || !REPLICA_URL)
	throw new Error('run this test with tests/cluster/run.sh (make test-cluster): it needs CLUSTER_DIR, PRIMARY_URL and REPLICA_URL');

const ROWS = 100000; // outcome rows of the large import
const PG_SH = new URL('../pg.sh', import.meta.url).pathname;
const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const SCHOOL_HEADER =
	'school_code,name_th,name_en,affiliation_code,province_code,district_th,subdistrict_th,esa_th,area_code,pilot,pilot_cohort,pilot_since,latitude,longitude\n';
/** One new school of area 50 (Chiang Mai) as exchange CSV. */
const schoolCsv = (code) =>
	SCHOOL_HEADER + `${code},โรงเรียนทดสอบ ${code},Test School ${code},10,50,ฮอด,หางดง,สพป.เชียงใหม่ เขต 5,50,Y,2,2021-05-17,18.176457,98.656509\n`;

/** A port free now on 127.0.0.1. */
function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

/** tests/pg.sh CMD on the primary or the replica of run.sh (down, up, restart). */
function pg(cmd, which) {
	const r = spawnSync('sh', [PG_SH, cmd, path.join(CLUSTER_DIR, which)], { encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`pg.sh ${cmd} ${which}: ${r.stderr}`);
}

/** Records a process for run.sh, which kills what is left if this process dies. */
function recordPid(name, pid) {
	fs.writeFileSync(path.join(CLUSTER_DIR, 'pids', name), `${pid}\n`);
}

/** The nginx configuration: everything inside dir, round robin over the upstream ports. */
function nginxConf(dir, port, upstreams) {
	const user = process.getuid() === 0 ? 'user nobody nogroup;\n' : '';
	return `${user}worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 512; }
http {
	log_format upstreams '$remote_addr "$request" $status upstream=$upstream_addr upstream_status=$upstream_status';
	access_log ${dir}/access.log upstreams;
	client_body_temp_path ${dir}/client_body;
	proxy_temp_path ${dir}/proxy;
	fastcgi_temp_path ${dir}/fastcgi;
	uwsgi_temp_path ${dir}/uwsgi;
	scgi_temp_path ${dir}/scgi;
	client_max_body_size 512m;
	upstream nawat {
${upstreams.map((p) => `		server 127.0.0.1:${p} max_fails=1 fail_timeout=10s;`).join('\n')}
	}
	server {
		listen 127.0.0.1:${port};
		location / {
			proxy_pass http://nawat;
			proxy_next_upstream error timeout;
			proxy_connect_timeout 2s;
			proxy_read_timeout 300s;
			proxy_send_timeout 300s;
			proxy_set_header Host $host;
			proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
			add_header X-Upstream $upstream_addr always;
		}
	}
}
`;
}

/** Starts nginx in dir (its own configuration, logs, pid and temporary files): { port, child, stop() }. */
async function startNginx(dir, upstreams) {
	assert.ok(NGINX, 'nginx is not installed (scripts/deps.sh test)');
	fs.mkdirSync(dir, { mode: 0o711 });
	fs.chmodSync(dir, 0o711); // the workers (nobody, as root) reach their temporary directories
	for (let attempt = 1; ; attempt++) {
		const port = await freePort();
		const conf = path.join(dir, 'nginx.conf');
		fs.writeFileSync(conf, nginxConf(dir, port, upstreams));
		const child = spawn(NGINX, ['-p', dir, '-c', conf, '-e', path.join(dir, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
		recordPid('nginx', child.pid);
		let stderr = '';
		let exit = null;
		child.stderr.on('data', (d) => (stderr += d));
		const exited = new Promise((r) => child.on('exit', (code, signal) => r((exit = { code, signal }))));
		const until = Date.now() + 10000;
		for (;;) {
			if (exit) break;
			try {
				const r = await request(port, { path: '/login' });
				if (r.status === 200) {
					return {
						port,
						child,
						async stop() {
							if (!exit) child.kill('SIGQUIT');
							return exited;
						},
					};
				}
			} catch {}
			if (Date.now() > until) {
				child.kill('SIGKILL');
				await exited;
				throw new Error(`nginx does not answer on ${port}: ${stderr}\n${fs.readFileSync(path.join(dir, 'error.log'), 'utf8')}`);
			}
			await sleep(50);
		}
		const log = fs.readFileSync(path.join(dir, 'error.log'), 'utf8');
		if (attempt < 5 && /Address already in use/.test(log + stderr)) continue; // the port was taken meanwhile
		throw new Error(`nginx exited (${exit.code ?? exit.signal}): ${stderr}\n${log}`);
	}
}

/** Cookies kept across answers, as a browser does (a cookie set empty or with Max-Age=0 goes). */
class Jar {
	constructor() {
		this.c = {};
	}
	take(res) {
		for (const [name, c] of Object.entries(res.cookies)) {
			if (c.value === '' || c.attrs.some((a) => /^max-age=0$/i.test(a))) delete this.c[name];
			else this.c[name] = c.value;
		}
		return res;
	}
	header(omit = []) {
		return Object.entries(this.c)
			.filter(([n]) => !omit.includes(n))
			.map(([n, v]) => `${n}=${v}`)
			.join('; ');
	}
}

// (a bound on the whole run: a step that hangs fails the suite instead of holding make test)
describe('scale-out: primary + replica, two nawat instances behind nginx', { timeout: 300000 }, () => {
	const dir = path.join(CLUSTER_DIR, 'nawat');
	const servers = {}; // name -> server
	const byPort = {}; // port -> name
	let nginx, tokens, session;

	/** A request through nginx: the answer with .upstream (the instance that answered) and .tried. */
	async function via(opts) {
		const r = await request(nginx.port, opts);
		const tried = (r.headers['x-upstream'] || '').split(',').map((s) => byPort[s.trim().split(':').pop()] ?? s.trim());
		return Object.assign(r, { tried, upstream: tried[tried.length - 1] });
	}

	/** Until the replica has replayed everything the primary has written so far. */
	async function replicaCatchesUp() {
		const lsn = psql(PRIMARY_URL, 'SELECT pg_current_wal_lsn()');
		const until = Date.now() + 20000;
		while (psql(REPLICA_URL, `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn`) !== 't') {
			assert.ok(Date.now() < until, `the replica did not reach ${lsn} within 20 s`);
			await sleep(20);
		}
	}

	/** Runs fn while the replica replays nothing (so that it lags behind the primary). */
	async function withReplicaHeld(fn) {
		psql(REPLICA_URL, 'SELECT pg_wal_replay_pause()');
		try {
			return await fn();
		} finally {
			psql(REPLICA_URL, 'SELECT pg_wal_replay_resume()');
		}
	}

	const schoolOnReplica = (code) => psql(REPLICA_URL, `SELECT count(*) FROM schools WHERE school_code = '${code}'`);

	/** Until the replica streams from the primary again (it retries every 5 s after losing it). */
	async function replicaStreams() {
		const until = Date.now() + 30000;
		while (psql(PRIMARY_URL, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") !== '1') {
			assert.ok(Date.now() < until, 'the replica does not stream again within 30 s');
			await sleep(100);
		}
	}

	before(async () => {
		fs.mkdirSync(dir);
		useDatabase(dir, PRIMARY_URL);
		await cliOk(dir, ['init']);
		await cliOk(dir, ['demo', '--students', '2000']);
		tokens = {};
		// loader writes once, through one instance, in the test of read-your-writes with a token
		await cliOk(dir, ['user', 'add', 'loader', '--role', 'central'], { input: 'a-long-password\n' });
		for (const u of ['admin', 'chiangmai', 'researcher', 'loader']) tokens[u] = (await createToken(dir, u)).token;
		for (const name of ['a', 'b']) {
			// each instance names itself to PostgreSQL, so that pg_stat_activity tells them apart
			const app = `&application_name=nawat-${name}`;
			const s = await startServer(dir, ['--db', PRIMARY_URL + app, '--db-read', REPLICA_URL + app,
				'--trusted-proxy', '127.0.0.1']);
			recordPid(`nawat-${name}`, s.pid);
			servers[name] = s;
			byPort[s.port] = name;
		}
		nginx = await startNginx(path.join(CLUSTER_DIR, 'nginx'), [servers.a.port, servers.b.port]);
	});

	after(async () => {
		// (the last test stops them and checks how; here only what a failure left running)
		for (const s of Object.values(servers)) if (s.running) await s.stop();
		if (nginx) await nginx.stop();
	});

	test('the replica streams from the primary and has the demo data', async () => {
		assert.equal(psql(PRIMARY_URL, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"), '1');
		assert.equal(psql(REPLICA_URL, 'SELECT pg_is_in_recovery()'), 't');
		await replicaCatchesUp();
		assert.equal(psql(REPLICA_URL, 'SELECT count(*) FROM students'), '2000');
		assert.throws(() => psql(REPLICA_URL, "DELETE FROM students WHERE school_code = 'x'"), /read-only transaction/);
	});

	test('a bearer token works through nginx, and round robin sends requests to both instances', async () => {
		const seen = [];
		for (let i = 0; i < 6; i++) {
			const r = await via({ path: '/api/v1/areas', token: tokens.chiangmai });
			assert.equal(r.status, 200, r.text.slice(0, 300));
			assert.ok(r.json.data.length > 0);
			seen.push(r.upstream);
		}
		assert.deepEqual([...new Set(seen)].sort(), ['a', 'b'], `answered by ${seen.join(' ')}`);
		// each instance's own access log agrees
		for (const name of ['a', 'b']) await logLine(servers[name].accessLog, /chiangmai "GET \/api\/v1\/areas" 200/);
	});

	test('sign-in with the form through nginx: the form from one instance, the session on both', async () => {
		const jar = new Jar();
		const page = jar.take(await via({ path: '/login' }));
		assert.equal(page.status, 200);
		const form = await via({
			method: 'POST', path: '/login', cookie: jar.header(),
			body: new URLSearchParams({ _csrf: csrfOf(page.text), user: 'admin', password: DEMO_PASSWORD }).toString(),
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		});
		jar.take(form);
		assert.equal(form.status, 303, form.text.slice(0, 300));
		assert.notEqual(form.upstream, page.upstream, 'the form was posted to the other instance than the one that made it');
		assert.ok(jar.c.nawat_session);
		const seen = new Set();
		let csrf;
		for (let i = 0; i < 4; i++) {
			const home = await via({ path: '/', cookie: jar.header() });
			assert.equal(home.status, 200);
			assert.match(home.text, /admin/);
			csrf = csrfOf(home.text);
			seen.add(home.upstream);
		}
		assert.deepEqual([...seen].sort(), ['a', 'b']);
		session = { jar, csrf };
	});

	test('read-your-writes, session cookie: an import is read back at once from either instance while the replica lags', async () => {
		const code = '1050069901';
		await withReplicaHeld(async () => {
			const post = session.jar.take(await via({
				method: 'POST', path: '/api/v1/schools', cookie: session.jar.header(), body: schoolCsv(code),
				headers: { 'Content-Type': 'text/csv', 'X-CSRF-Token': session.csrf },
			}));
			assert.equal(post.status, 200, post.text.slice(0, 500));
			assert.equal(post.json.committed, true);
			assert.equal(post.json.counts.inserted, 1);
			assert.equal(session.jar.c.nawat_fresh, '1', 'the answer to a write sets nawat_fresh');
			const seen = new Set();
			for (let i = 0; i < 4; i++) {
				const r = await via({ path: `/api/v1/schools/${code}`, cookie: session.jar.header() });
				assert.equal(r.status, 200, `read back from ${r.upstream}: ${r.text.slice(0, 200)}`);
				seen.add(r.upstream);
			}
			assert.deepEqual([...seen].sort(), ['a', 'b']);
			// the replica has not got it: whoever did not write reads the replica there, and does not see it yet
			assert.equal(schoolOnReplica(code), '0');
			for (let i = 0; i < 2; i++) {
				const r = await via({ path: `/api/v1/schools/${code}`, token: tokens.chiangmai });
				assert.equal(r.status, 404, `a reader who did not write, on ${r.upstream}, reads the replica`);
			}
		});
		await replicaCatchesUp();
		assert.equal(schoolOnReplica(code), '1');
		for (let i = 0; i < 2; i++) assert.equal((await via({ path: `/api/v1/schools/${code}`, token: tokens.chiangmai })).status, 200);
	});

	test('read-your-writes, bearer token: no cookie, the instance that did not take the import knows from the store', async () => {
		const code = '1050069902';
		await withReplicaHeld(async () => {
			const post = await via({ method: 'POST', path: '/api/v1/schools', token: tokens.loader, body: schoolCsv(code),
				headers: { 'Content-Type': 'text/csv' } });
			assert.equal(post.status, 200, post.text.slice(0, 500));
			assert.equal(post.json.counts.inserted, 1);
			const seen = new Set();
			for (let i = 0; i < 4; i++) {
				const r = await via({ path: `/api/v1/schools/${code}`, token: tokens.loader });
				assert.equal(r.status, 200, `read back from ${r.upstream} (the import went to ${post.upstream}): ${r.text.slice(0, 200)}`);
				seen.add(r.upstream);
			}
			assert.deepEqual([...seen].sort(), ['a', 'b']);
			assert.equal(schoolOnReplica(code), '0');
			// X-Nawat-Read: primary asks for the primary whoever asks
			const r = await via({ path: `/api/v1/schools/${code}`, token: tokens.chiangmai, headers: { 'X-Nawat-Read': 'primary' } });
			assert.equal(r.status, 200);
		});
		await replicaCatchesUp();
	});

	test('the change feed on the replica: a poll from a mark the lagging replica has not reached is answered by the primary', async () => {
		const code = '1050069903';
		const feed = (query, headers) => via({ path: `/api/v1/schools?${query}`, token: tokens.researcher, headers });
		await replicaCatchesUp();
		const before = await feed('since=0&limit=1');
		assert.equal(before.status, 200, before.text.slice(0, 300));
		const replicaMark = before.json.high_water_mark;
		assert.equal(String(replicaMark), psql(REPLICA_URL, "SELECT value FROM nawat_meta WHERE name = 'commit_seq'"));
		await withReplicaHeld(async () => {
			const post = await via({ method: 'POST', path: '/api/v1/schools', token: tokens.loader, body: schoolCsv(code),
				headers: { 'Content-Type': 'text/csv' } });
			assert.equal(post.status, 200, post.text.slice(0, 300));
			// a client that read the primary last has its mark, which the held replica has not got
			const latest = await feed(`since=${replicaMark}`, { 'X-Nawat-Read': 'primary' });
			assert.equal(latest.status, 200);
			assert.deepEqual(latest.json.data.map((r) => r.school_code), [code]);
			const mark = latest.json.high_water_mark;
			assert.ok(mark > replicaMark);
			assert.equal(psql(REPLICA_URL, "SELECT value FROM nawat_meta WHERE name = 'commit_seq'"), String(replicaMark));
			// its next polls, on either instance: nothing new, not "start again from 0"
			const seen = new Set();
			for (let i = 0; i < 4; i++) {
				const r = await feed(`since=${mark}`);
				assert.equal(r.status, 200, `${r.upstream}: ${r.text.slice(0, 300)}`);
				assert.equal(r.json.high_water_mark, mark);
				assert.deepEqual(r.json.data, []);
				seen.add(r.upstream);
			}
			assert.deepEqual([...seen].sort(), ['a', 'b']);
			// a poll from the replica's own mark is the replica's to answer: it has nothing newer yet
			const held = await feed(`since=${replicaMark}`);
			assert.equal(held.status, 200);
			assert.equal(held.json.high_water_mark, replicaMark);
		});
		await replicaCatchesUp();
		const caught = await feed(`since=${replicaMark}`);
		assert.deepEqual(caught.json.data.map((r) => r.school_code), [code]);
	});

	test('reads are served by the replica: both instances have connections there, and it has the rows', async () => {
		for (let i = 0; i < 4; i++) assert.equal((await via({ path: '/api/v1/schools?limit=5', token: tokens.researcher })).status, 200);
		const names = psql(REPLICA_URL,
			"SELECT DISTINCT application_name FROM pg_stat_activity WHERE application_name LIKE 'nawat-%' ORDER BY 1");
		assert.equal(names, 'nawat-a\nnawat-b');
		assert.equal(psql(REPLICA_URL, "SELECT count(*) FROM schools WHERE school_code IN ('1050069901', '1050069902')"), '2');
	});

	test('sign-in throttling behind nginx counts each client, not the proxy', async () => {
		// five wrong passwords from one client lock that client (and that user name) out ...
		for (let i = 0; i < 5; i++) {
			const r = await postLogin(nginx.port, { user: 'teacher', password: 'wrong-password' }, { localAddress: '127.0.0.2' });
			assert.equal(r.status, 401, `attempt ${i + 1}`);
		}
		const locked = await postLogin(nginx.port, { user: 'banphui', password: DEMO_PASSWORD }, { localAddress: '127.0.0.2' });
		assert.equal(locked.status, 429);
		// ... and no one else
		const other = await postLogin(nginx.port, { user: 'banphui', password: DEMO_PASSWORD }, { localAddress: '127.0.0.3' });
		assert.equal(other.status, 303, `another client is not locked out: ${other.status}`);
		assert.equal(psql(PRIMARY_URL, "SELECT string_agg(key, ' ') FROM throttle WHERE key LIKE 'a:%'"), 'a:127.0.0.2');
		// the instance that answered logged the client, not the proxy
		const served = byPort[other.headers['x-upstream'].split(':').pop()];
		await logLine(servers[served].accessLog, / 127\.0\.0\.3 banphui "POST \/login" 303/);
	});

	test('PostgreSQL goes away and comes back: 503 while the primary is down, reads from the primary while the replica is', async () => {
		const reads = (n, as = 'chiangmai', p = '/api/v1/areas') =>
			Promise.all(Array.from({ length: n }, () => via({ path: p, token: tokens[as] })));
		const statuses = (rs) => rs.map((r) => `${r.upstream}:${r.status}`).join(' ');

		// the primary down: not "wrong token" (401) but "store unavailable"
		pg('down', 'primary');
		let rs = [];
		try {
			for (let i = 0; i < 4; i++) rs.push(await via({ path: '/api/v1/areas', token: tokens.chiangmai }));
		} finally {
			pg('up', 'primary');
		}
		assert.ok(rs.every((r) => r.status === 503 && r.json?.error?.code === 'store_unavailable'), statuses(rs));
		assert.deepEqual([...new Set(rs.map((r) => r.upstream))].sort(), ['a', 'b']);
		// a server that could not connect tries again a second later
		await sleep(1100);
		rs = await reads(8);
		assert.ok(rs.every((r) => r.status === 200), `after the primary came back: ${statuses(rs)}`);

		// a restart while the connections are idle costs no request at all
		pg('restart', 'primary');
		rs = [...(await reads(6)), ...(await reads(4, 'researcher', '/api/v1/schools?limit=3'))];
		assert.ok(rs.every((r) => r.status === 200), `after a restart of the primary: ${statuses(rs)}`);
		const page = await via({ path: '/', cookie: session.jar.header() });
		assert.equal(page.status, 200, 'the session lives in the store: still signed in');
		await replicaStreams();

		// the replica down: reads go to the primary, which has what the replica missed
		const code = '1050069904';
		await replicaCatchesUp();
		pg('down', 'replica');
		try {
			const post = await via({ method: 'POST', path: '/api/v1/schools', token: tokens.loader, body: schoolCsv(code),
				headers: { 'Content-Type': 'text/csv' } });
			assert.equal(post.status, 200, post.text.slice(0, 300));
			rs = await reads(8, 'chiangmai', `/api/v1/schools/${code}`);
			assert.ok(rs.every((r) => r.status === 200), `reads while the replica is down: ${statuses(rs)}`);
		} finally {
			pg('up', 'replica');
		}
		await replicaStreams();
		await replicaCatchesUp();
		// and both instances read the replica again
		const until = Date.now() + 15000;
		let names = '';
		while (names !== 'nawat-a\nnawat-b') {
			assert.ok(Date.now() < until, `the instances did not come back to the replica: ${JSON.stringify(names)}`);
			await reads(4, 'researcher');
			names = psql(REPLICA_URL, "SELECT string_agg(DISTINCT application_name, E'\\n' ORDER BY application_name) FROM pg_stat_activity WHERE application_name LIKE 'nawat-%'");
			if (names !== 'nawat-a\nnawat-b') await sleep(300);
		}
	});

	test('kill -9 of one instance in the middle of a stream of requests and of a 100,000-row import', async (t) => {
		// 100,000 results of 10,000 students of other schools (seed 2), the students loaded first
		await cliOk(dir, ['demo', '--students', String(ROWS / 10), '--seed', '2', '--csv', 'big']);
		for (const ds of ['areas', 'schools', 'students'])
			await cliOk(dir, ['import', ds, path.join('big', `${ds}.csv`), '--report', 'report.csv']);
		const body = fs.readFileSync(path.join(dir, 'big', 'outcomes.csv'));
		assert.equal(body.toString('latin1').split('\n').filter(Boolean).length, ROWS + 1, 'the outcomes file');
		const outcomesBefore = Number(psql(PRIMARY_URL, 'SELECT count(*) FROM outcomes'));
		const lastSub = Number(psql(PRIMARY_URL, 'SELECT max(id) FROM submissions'));

		// a stream of reads from four clients until told to stop
		const kinds = [
			() => ({ path: '/api/v1/areas', token: tokens.chiangmai }),
			() => ({ path: '/api/v1/schools?limit=50', token: tokens.researcher }),
			() => ({ path: '/', cookie: session.jar.header() }),
			() => ({ path: '/api/v1/submissions?limit=5', token: tokens.admin }),
		];
		const results = [];
		let streaming = true;
		const stream = Promise.all(kinds.map(async (kind) => {
			while (streaming) {
				const at = Date.now();
				try {
					const r = await via(kind());
					results.push({ at, end: Date.now(), path: kind().path, status: r.status, upstream: r.upstream, tried: r.tried });
				} catch (e) {
					results.push({ at, end: Date.now(), path: kind().path, error: e.message });
				}
			}
		}));
		let importing, victim = null, survivor, killedAt, activity = '';
		try {
			await sleep(300);

			// the import, and the instance that runs it: the one whose connection holds an open write transaction
			importing = via({ method: 'POST', path: '/api/v1/outcomes', token: tokens.admin, body, headers: { 'Content-Type': 'text/csv' } })
				.then((r) => ({ status: r.status, json: r.json, text: r.text, upstream: r.upstream }), (e) => ({ error: e.message }));
			let answered = null;
			importing.then((r) => (answered = r));
			while (!victim && !answered) {
				const row = psql(PRIMARY_URL, "SELECT application_name, state, round(extract(epoch FROM now() - xact_start) * 1000), left(query, 60) " +
					"FROM pg_stat_activity WHERE application_name LIKE 'nawat-%' AND backend_xid IS NOT NULL AND state <> 'idle'");
				if (row) {
					activity = row.split('\n')[0];
					victim = activity.split('|')[0].replace('nawat-', '');
				} else {
					await sleep(10);
				}
			}
			assert.ok(victim, `the import ended before it was seen running: ${JSON.stringify(answered)}`);
			survivor = victim === 'a' ? 'b' : 'a';
			killedAt = Date.now();
			servers[victim].child.kill('SIGKILL');
			const exit = await servers[victim].exited;
			assert.equal(exit.signal, 'SIGKILL');
			t.diagnostic(`killed nawat-${victim} during the import (its transaction: ${activity})`);

			await sleep(1500);
		} finally {
			// (also when a step failed: no stream may outlive the test)
			streaming = false;
			await stream;
		}
		const answer = await importing;
		t.diagnostic(`the import's client got ${answer.status ?? answer.error}`);

		// every read succeeded: nginx passed those the dead instance dropped to the other one
		const failed = results.filter((r) => r.status !== 200);
		assert.deepEqual(failed, [], 'requests that failed');
		const before = results.filter((r) => r.end < killedAt);
		const later = results.filter((r) => r.at > killedAt + 50);
		assert.ok(before.some((r) => r.upstream === victim) && before.some((r) => r.upstream === survivor),
			'both instances answered before the kill');
		assert.ok(later.length >= 8, `${later.length} requests after the kill`);
		assert.ok(later.every((r) => r.upstream === survivor), 'after the kill only the survivor answers');
		const retried = results.filter((r) => r.tried.length > 1);
		t.diagnostic(`${results.length} requests in the stream, ${before.length} before the kill, ${later.length} after, ${retried.length} passed on to the other instance by nginx`);
		const nginxErrors = fs.readFileSync(path.join(CLUSTER_DIR, 'nginx', 'error.log'), 'utf8').split('\n')
			.filter((l) => l.includes(`127.0.0.1:${servers[victim].port}`));
		for (const l of nginxErrors.slice(0, 6)) t.diagnostic(`nginx: ${l.replace(/^\S+ \S+ /, '')}`);
		assert.ok(nginxErrors.some((l) => /upstream server temporarily disabled/.test(l)), 'nginx marked the dead upstream failed');

		// the import: all of it or none of it, and the submissions say the same
		const added = Number(psql(PRIMARY_URL, 'SELECT count(*) FROM outcomes')) - outcomesBefore;
		const subs = psql(PRIMARY_URL, `SELECT id, status, inserted FROM submissions WHERE id > ${lastSub} AND dataset = 'outcomes'`);
		if (added === 0) {
			assert.equal(subs, '', 'no submission recorded for an import that wrote nothing');
			assert.notEqual(answer.status, 200, 'the client was not told the import succeeded');
		} else {
			assert.equal(added, ROWS, `a partial import: ${added} of ${ROWS} rows`);
			const [id, status, inserted] = subs.split('|');
			assert.equal(`${status} ${inserted}`, `accepted ${ROWS}`);
			assert.equal(psql(PRIMARY_URL, `SELECT count(*) FROM outcomes WHERE nw_sub = ${id}`), String(ROWS));
		}
		t.diagnostic(added ? 'the import had committed before the kill: all 100,000 rows' : 'the import was cut: no row of it');
		const verify = await cli(dir, ['audit', 'verify']);
		assert.equal(verify.code, 0, verify.stderr);

		// later requests through nginx succeed, the session included; the client sends its import again
		for (let i = 0; i < 6; i++) {
			const r = await via(kinds[i % kinds.length]());
			assert.equal(r.status, 200);
			assert.equal(r.upstream, survivor);
		}
		const again = await via({ method: 'POST', path: '/api/v1/outcomes', token: tokens.admin, body, headers: { 'Content-Type': 'text/csv' } });
		assert.equal(again.status, 200, again.text.slice(0, 500));
		assert.equal(again.upstream, survivor);
		assert.equal(again.json.committed, true);
		assert.equal(again.json.counts.inserted + again.json.counts.unchanged, ROWS);
		assert.equal(Number(psql(PRIMARY_URL, 'SELECT count(*) FROM outcomes')) - outcomesBefore, ROWS);
		const v2 = await cli(dir, ['audit', 'verify']);
		assert.equal(v2.code, 0, v2.stderr);
		await replicaCatchesUp();
		assert.equal(psql(REPLICA_URL, 'SELECT count(*) FROM outcomes'), String(outcomesBefore + ROWS));
	});

	test('the surviving instance stops cleanly on SIGTERM, and nginx on SIGQUIT', async () => {
		const running = Object.entries(servers).filter(([, s]) => s.running);
		assert.equal(running.length, 1);
		for (const [name, s] of running) {
			const r = await s.stop();
			assert.equal(sanitizerReport(r.stderr), null, `nawat ${name}: ${r.stderr}`);
			assert.equal(r.killed, false, `nawat ${name} did not stop within 10 s`);
			assert.equal(r.code, 0, `nawat ${name} exited with ${r.code ?? r.signal}: ${r.stderr}`);
		}
		const exit = await nginx.stop();
		assert.equal(exit.code, 0, `nginx exited with ${exit.code ?? exit.signal}`);
	});
});
