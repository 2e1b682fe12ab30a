// session.test.mjs - signing in with the form, the session cookie, CSRF, signing out.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { postLogin, assertCleanStops, cli, csrfOf, demoEnv, DEMO_PASSWORD, form, multipart, request } from './lib/nawat.mjs';

const SCHOOL_CSV =
	'school_code,name_th,name_en,affiliation_code,province_code,district_th,subdistrict_th,esa_th,area_code,pilot,pilot_cohort,pilot_since,latitude,longitude\n' +
	'1050060002,โรงเรียนบ้านยางครก,Ban Yang Khrok School,10,50,ฮอด,หางดง,สพป.เชียงใหม่ เขต 5,50,Y,2,2021-05-17,18.176457,98.656509\n';

describe('sessions and CSRF', () => {
	let env, port;

	/** Signs in through the form: { cookie, csrf } (the CSRF token from the hidden input of /). */
	async function signIn(user, password = DEMO_PASSWORD) {
		const r = await postLogin(port, { user, password });
		assert.equal(r.status, 303, `sign-in of ${user}: ${r.status} ${r.text.slice(0, 300)}`);
		const c = r.cookies.nawat_session;
		assert.ok(c, 'a nawat_session cookie');
		const cookie = `nawat_session=${c.value}`;
		const home = await request(port, { path: '/', cookie });
		assert.equal(home.status, 200);
		const csrf = csrfOf(home.text);
		assert.ok(csrf, 'a hidden _csrf input on the page');
		return { cookie, csrf, setCookie: c, location: r.headers.location };
	}

	const importSchool = (s, headers = {}) =>
		request(port, { method: 'POST', path: '/api/v1/schools', cookie: s.cookie, body: SCHOOL_CSV, headers: { 'Content-Type': 'text/csv', ...headers } });

	before(async () => {
		env = await demoEnv();
		port = env.server.port;
	});

	after(async () => {
		if (env) assertCleanStops(await env.close());
	});

	test('the sign-in form answers 303 to / with an HttpOnly, SameSite=Strict session cookie', async () => {
		const s = await signIn('admin');
		assert.equal(s.location, '/');
		assert.match(s.setCookie.value, /^nws_[A-Za-z0-9_-]{20,}$/);
		const attrs = s.setCookie.attrs.map((a) => a.toLowerCase());
		assert.ok(attrs.includes('httponly'), `HttpOnly: ${s.setCookie.raw}`);
		assert.ok(attrs.includes('samesite=strict'), `SameSite=Strict: ${s.setCookie.raw}`);
		assert.ok(attrs.includes('path=/'), `Path=/: ${s.setCookie.raw}`);
	});

	test('the cookie opens the pages and the API', async () => {
		const s = await signIn('chiangmai');
		const page = await request(port, { path: '/schools', cookie: s.cookie });
		assert.equal(page.status, 200);
		assert.match(page.text, /chiangmai/);
		const api = await request(port, { path: '/api/v1/datasets', cookie: s.cookie });
		assert.equal(api.status, 200);
		assert.equal(api.json.datasets.find((d) => d.name === 'schools').writable, true);
	});

	test('a wrong password: 401, no cookie', async () => {
		const r = await postLogin(port, { user: 'teacher', password: 'wrong-password' });
		assert.equal(r.status, 401);
		assert.equal(r.cookies.nawat_session, undefined);
		assert.match(r.text, /wrong user name or password/);
	});

	test('a sign-in form not from this server (no nawat_login cookie or a wrong token): 403, no session', async () => {
		const bare = await request(port, { method: 'POST', path: '/login', ...form({ user: 'admin', password: DEMO_PASSWORD }) });
		assert.equal(bare.status, 403);
		assert.equal(bare.cookies.nawat_session, undefined);
		assert.match(bare.text, /sign in again/);
		assert.ok(bare.cookies.nawat_login, 'a fresh form token with the answer');
		const page = await request(port, { path: '/login' });
		const wrong = await request(port, { method: 'POST', path: '/login', cookie: `nawat_login=${page.cookies.nawat_login.value}`,
			...form({ _csrf: 'x'.repeat(43), user: 'admin', password: DEMO_PASSWORD }) });
		assert.equal(wrong.status, 403);
		assert.equal(wrong.cookies.nawat_session, undefined);
	});

	test('a sign-in without the password field: 400', async () => {
		const r = await postLogin(port, { user: 'admin' });
		assert.equal(r.status, 400);
		assert.equal(r.cookies.nawat_session, undefined);
	});

	test('POST /api/v1/schools with the cookie but no CSRF token: 403', async () => {
		const s = await signIn('admin');
		const r = await importSchool(s);
		assert.equal(r.status, 403);
		assert.equal(r.json.error.code, 'csrf');
		assert.equal(typeof r.json.error.message_th, 'string');
		assert.equal(typeof r.json.error.message_en, 'string');
	});

	test('POST /api/v1/schools with a wrong X-CSRF-Token: 403', async () => {
		const s = await signIn('admin');
		const r = await importSchool(s, { 'X-CSRF-Token': s.csrf.slice(0, -1) + (s.csrf.endsWith('A') ? 'B' : 'A') });
		assert.equal(r.status, 403);
		assert.equal(r.json.error.code, 'csrf');
	});

	test("POST /api/v1/schools with another session's CSRF token: 403", async () => {
		const a = await signIn('admin');
		const b = await signIn('admin');
		assert.notEqual(a.csrf, b.csrf);
		const r = await importSchool(a, { 'X-CSRF-Token': b.csrf });
		assert.equal(r.status, 403);
	});

	test('POST /api/v1/schools with the right X-CSRF-Token: imported', async () => {
		const s = await signIn('admin');
		const r = await importSchool(s, { 'X-CSRF-Token': s.csrf });
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.committed, true);
		assert.equal(r.json.counts.rows, 1);
	});

	test('a bearer token needs no CSRF token', async () => {
		const r = await env.req('admin', { method: 'POST', path: '/api/v1/schools', body: SCHOOL_CSV, headers: { 'Content-Type': 'text/csv' } });
		assert.equal(r.status, 200, r.text);
	});

	test('POST /users with the cookie but no _csrf: 403; with the _csrf field: not refused', async () => {
		const s = await signIn('admin');
		const no = await request(port, { method: 'POST', path: '/users', cookie: s.cookie, ...form({ user: 'x' }) });
		assert.equal(no.status, 403);
		const wrong = await request(port, { method: 'POST', path: '/users', cookie: s.cookie, ...form({ _csrf: 'nope', user: 'x' }) });
		assert.equal(wrong.status, 403);
		const yes = await request(port, { method: 'POST', path: '/users', cookie: s.cookie, ...form({ _csrf: s.csrf }) });
		assert.notEqual(yes.status, 403, yes.text.slice(0, 300));
		assert.ok(yes.status < 500, `POST /users with only _csrf: ${yes.status}`);
	});

	test('POST /import (multipart) is refused without _csrf and accepted with it', async () => {
		const s = await signIn('admin');
		const fields = { dataset: 'schools', file: { filename: 'schools.csv', content: SCHOOL_CSV }, dry_run: '1' };
		const no = await request(port, { method: 'POST', path: '/import', cookie: s.cookie, ...multipart(fields) });
		assert.equal(no.status, 403);
		const yes = await request(port, { method: 'POST', path: '/import', cookie: s.cookie, ...multipart({ _csrf: s.csrf, ...fields }) });
		assert.notEqual(yes.status, 403);
		assert.ok(yes.status < 500, `POST /import: ${yes.status}`);
	});

	test('POST /logout without the CSRF token: 403, and the session lives on', async () => {
		const s = await signIn('banphui');
		const r = await request(port, { method: 'POST', path: '/logout', cookie: s.cookie, ...form({}) });
		assert.equal(r.status, 403);
		const still = await request(port, { path: '/api/v1/datasets', cookie: s.cookie });
		assert.equal(still.status, 200);
	});

	test('signing out ends the session', async () => {
		const s = await signIn('banphui');
		const out = await request(port, { method: 'POST', path: '/logout', cookie: s.cookie, ...form({ _csrf: s.csrf }) });
		assert.equal(out.status, 303);
		assert.equal(out.headers.location, '/login');
		const cleared = out.cookies.nawat_session;
		assert.ok(cleared, 'the cookie is cleared');
		assert.equal(cleared.value, '');
		assert.ok(cleared.attrs.some((a) => /^max-age=0$/i.test(a)), cleared.raw);
		// the old cookie no longer works, even when a client keeps sending it
		const api = await request(port, { path: '/api/v1/datasets', cookie: s.cookie });
		assert.equal(api.status, 401);
		const page = await request(port, { path: '/', cookie: s.cookie });
		assert.equal(page.status, 303);
		assert.equal(page.headers.location, '/login');
		const post = await importSchool(s, { 'X-CSRF-Token': s.csrf });
		assert.equal(post.status, 401);
	});

	test('a disabled user loses the session at once', async () => {
		const s = await signIn('teacher');
		assert.equal((await cli(env.dir, ['user', 'disable', 'teacher'])).code, 0);
		const r = await request(port, { path: '/api/v1/datasets', cookie: s.cookie });
		assert.equal(r.status, 401);
		assert.equal((await cli(env.dir, ['user', 'enable', 'teacher'])).code, 0);
	});

	test('a made-up session cookie is no sign-in', async () => {
		const r = await request(port, { path: '/api/v1/datasets', cookie: 'nawat_session=nws_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
		assert.equal(r.status, 401);
	});
});
