// run.test.mjs - runs the HTTP cases of tests/http/cases/*.json against a real server.
//
// Each case file gets a fresh demo store (nawat demo --students 300, one API token per demo
// user) and its own server; its cases run in order and may depend on one another.  The
// format of a case file is described in tests/http/README.md.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { assertCleanStops, cli, demoEnv, request } from './lib/nawat.mjs';
import { mismatch, pick } from './lib/match.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const casesDir = path.join(here, 'cases');
const only = process.env.CASES; // e.g. CASES=pipeline to run cases/pipeline.json alone

const ERROR_SHAPE = {
	error: { code: '$string', message_th: { $regex: '[\u0E00-\u0E7F]' }, message_en: { $regex: '[a-z]' } },
};

/** ${NAME} in a string; a string that is only "${NAME}" takes the value's own type. */
function subst(value, vars) {
	if (typeof value === 'string') {
		const whole = /^\$\{([^}]+)\}$/.exec(value);
		const get = (name) => {
			if (!(name in vars)) throw new Error(`unknown variable \${${name}}`);
			return vars[name];
		};
		if (whole) return get(whole[1]);
		return value.replace(/\$\{([^}]+)\}/g, (_, name) => String(get(name)));
	}
	if (Array.isArray(value)) return value.map((v) => subst(v, vars));
	if (value && typeof value === 'object')
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, subst(v, vars)]));
	return value;
}

function check(actual, expected, what) {
	const m = mismatch(actual, expected, what);
	if (m) assert.fail(m);
}

/** The request a case describes: { port-independent options }. */
function buildRequest(c, vars) {
	const [method, p] = subst(c.request, vars).split(/\s+/);
	const headers = subst(c.headers || {}, vars);
	let body;
	if (c.csv) {
		body = subst(c.csv, vars).join('\n') + '\n';
		headers['Content-Type'] ??= 'text/csv';
	} else if (c.json_body !== undefined) {
		body = JSON.stringify(subst(c.json_body, vars));
		headers['Content-Type'] ??= 'application/json';
	} else if (c.form) {
		body = new URLSearchParams(subst(c.form, vars)).toString();
		headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
	} else if (c.body !== undefined) {
		body = subst(c.body, vars);
	} else if (c.filler_bytes) {
		// lines of 63 x's: the size without one very long field (libcsv grows a field 128 bytes at a time)
		body = Buffer.alloc(c.filler_bytes, 'x'.repeat(63) + '\n');
	}
	return { method, path: p, headers, body, chunked: !!c.chunked };
}

async function runRequest(env, c, vars) {
	const opts = buildRequest(c, vars);
	const server = c.serve ? await env.serverWith(c.serve) : env.server;
	const token = c.token !== undefined ? subst(c.token, vars) : c.as && c.as !== 'anonymous' ? env.tokens[c.as] : undefined;
	if (c.as && c.as !== 'anonymous' && !token) throw new Error(`no token for ${c.as}`);
	const r = await request(server.port, { ...opts, token });
	const label = `${opts.method} ${opts.path} as ${c.as || 'anonymous'}`;
	if (c.status !== undefined)
		assert.equal(r.status, c.status, `${label}: status ${r.status}, expected ${c.status}; body: ${r.text.slice(0, 600)}`);
	if (opts.path.startsWith('/api/') && !/\.csv$/.test(opts.path)) {
		check(r.headers['content-type'], { $regex: '^application/json' }, `${label}: Content-Type`);
		// every error of the API has one shape; a rejected import answers with its report instead
		const importReport = r.status === 422 && opts.method === 'POST';
		if (r.status >= 400 && !importReport) check(r.json, ERROR_SHAPE, `${label}: error body`);
	}
	if (c.json !== undefined) check(r.json, subst(c.json, vars), `${label}: body`);
	if (c.text !== undefined) check(r.text, subst(c.text, vars), `${label}: text`);
	if (c.response_headers) check(r.headers, subst(c.response_headers, vars), `${label}: headers`);
	for (const [name, p] of Object.entries(c.save || {})) {
		const v = pick(r.json, p);
		if (v === undefined) assert.fail(`${label}: nothing at ${p} to save as ${name}`);
		vars[name] = v;
	}
}

async function runCommand(env, c, vars) {
	const args = subst(c.command, vars);
	const r = await cli(env.dir, args, { input: c.stdin });
	const label = `nawat ${args.join(' ')}`;
	const m = mismatch(r.code, c.exit ?? 0, 'exit status');
	if (m) assert.fail(`${label}: ${m}; stderr: ${r.stderr}`);
	if (c.stdout !== undefined) check(r.stdout, subst(c.stdout, vars), `${label}: stdout`);
	if (c.stderr !== undefined) check(r.stderr, subst(c.stderr, vars), `${label}: stderr`);
}

/** Reads a whole data set page by page and checks the paging against one big read. */
async function runWalk(env, c, vars) {
	const base = subst(c.walk, vars);
	const sep = base.includes('?') ? '&' : '?';
	const get = async (q) => {
		const r = await request(env.server.port, { path: base + sep + q, token: env.tokens[c.as] });
		assert.equal(r.status, 200, `GET ${base + sep + q}: ${r.text.slice(0, 300)}`);
		return r.json;
	};
	const ds = (await request(env.server.port, { path: '/api/v1/datasets', token: env.tokens[c.as] })).json;
	const name = /\/api\/v1\/([a-z_]+)/.exec(base)[1];
	const key = ds.datasets.find((d) => d.name === name).key;
	const keyOf = (row) => JSON.stringify(key.map((k) => row[k]));

	async function pages(limit) {
		const keys = [];
		let cursor = null,
			n = 0;
		do {
			const page = await get(`limit=${limit}` + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''));
			if (page.next_cursor !== null)
				assert.equal(page.data.length, limit, `page ${n + 1} of ${limit} has a next_cursor but ${page.data.length} rows`);
			else assert.ok(page.data.length <= limit);
			keys.push(...page.data.map(keyOf));
			cursor = page.next_cursor;
			assert.ok(++n < 10000, 'more than 10000 pages: the cursor does not advance');
		} while (cursor !== null);
		return { keys, pages: n };
	}
	const small = await pages(c.limit);
	const big = await pages(1000);
	const dup = small.keys.find((k, i) => small.keys.indexOf(k) !== i);
	assert.equal(dup, undefined, `row ${dup} came twice`);
	assert.deepEqual(small.keys, big.keys, `pages of ${c.limit} and of 1000 give different rows or order`);
	assert.ok(small.pages > 1, `only one page of ${c.limit}: the walk tests nothing`);
	if (c.rows !== undefined) assert.equal(small.keys.length, subst(c.rows, vars), 'rows in all pages');
}

const files = fs.readdirSync(casesDir).filter((f) => f.endsWith('.json') && (!only || f.includes(only))).sort();

// the files run side by side, each on its own store and server; the cases of a file in order
describe('HTTP cases', { concurrency: true }, () => {
	for (const file of files) {
		const spec = JSON.parse(fs.readFileSync(path.join(casesDir, file), 'utf8'));
		describe(`${file}: ${spec.about || ''}`, { concurrency: false }, () => {
			let env, vars;
			const extra = new Map();

			before(async () => {
				env = await demoEnv(spec.demo || {});
				env.serverWith = async (args) => {
					const k = args.join(' ');
					if (!extra.has(k)) extra.set(k, await env.startServer(args));
					return extra.get(k);
				};
				vars = { ...(spec.vars || {}), PORT: env.server.port };
				for (const [u, t] of Object.entries(env.tokens)) vars[`TOKEN.${u}`] = t;
				for (const [u, id] of Object.entries(env.tokenIds)) vars[`TOKEN_ID.${u}`] = id;
			});

			after(async () => {
				if (env) assertCleanStops(await env.close());
			});

			for (const c of spec.cases) {
				test(c.name, async () => {
					// at the start of a wall-clock second: for what must not depend on the second it runs in
					if (c.at_second_start) await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
					if (c.command) await runCommand(env, c, vars);
					else if (c.walk) await runWalk(env, c, vars);
					else await runRequest(env, c, vars);
				});
			}
		});
	}
});
