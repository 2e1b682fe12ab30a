// match.test.mjs - the subset matcher of the case files accepts what it should and, above
// all, refuses what it should (a matcher that accepts everything would pass every case).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { mismatch, pick } from './lib/match.mjs';

const ok = (actual, expected) => assert.equal(mismatch(actual, expected), null, JSON.stringify(expected));
const bad = (actual, expected, says) => {
	const m = mismatch(actual, expected);
	assert.ok(m, `${JSON.stringify(actual)} should not match ${JSON.stringify(expected)}`);
	if (says) assert.match(m, says);
};

test('values and subsets of objects', () => {
	ok({ a: 1, b: 'x', c: null }, { a: 1, c: null });
	bad({ a: 1 }, { a: 2 }, /\$\.a: expected 2, got 1/);
	bad({ a: 1 }, { b: 1 }, /\$\.b/);
	bad({ a: '1' }, { a: 1 });
	bad(null, { a: 1 });
	bad([1], { a: 1 });
	ok({ a: { b: { c: 3, d: 4 } } }, { a: { b: { c: 3 } } });
	bad({ a: { b: { c: 3 } } }, { a: { b: { c: 4 } } }, /\$\.a\.b\.c/);
});

test('arrays: exact length, element by element; or by index', () => {
	ok([{ a: 1, z: 0 }, { a: 2 }], [{ a: 1 }, { a: 2 }]);
	bad([{ a: 1 }, { a: 2 }], [{ a: 1 }]);
	bad([{ a: 1 }], [{ a: 2 }], /\$\[0\]\.a/);
	ok([5, 6, 7], { 1: 6 });
	bad([5, 6, 7], { 1: 7 });
	ok([], []);
});

test('type matchers', () => {
	ok({ s: 'x', n: 1.5, i: 2, b: false, any: 0 }, { s: '$string', n: '$number', i: '$integer', b: '$boolean', any: '$any' });
	bad({ s: 1 }, { s: '$string' });
	bad({ n: '1' }, { n: '$number' });
	bad({ i: 1.5 }, { i: '$integer' });
	bad({ b: 0 }, { b: '$boolean' });
	bad({}, { any: '$any' });
	ok({}, { gone: '$absent' });
	bad({ gone: null }, { gone: '$absent' });
});

test('operators', () => {
	ok([1, 2, 3], { $length: 3 });
	bad([1, 2], { $length: 3 }, /length 3/);
	ok('abc', { $regex: '^a' });
	bad('xbc', { $regex: '^a' });
	bad(7, { $regex: '7' });
	ok(5, { $min: 5, $max: 6 });
	bad(7, { $min: 5, $max: 6 });
	ok('P12', { $not: '1234' });
	bad('1234', { $not: '1234' });
	ok([{ a: 1 }, { a: 1 }], { $every: { a: 1 } });
	bad([{ a: 1 }, { a: 2 }], { $every: { a: 1 } }, /\$\[1\]\.a/);
	ok([{ a: 1 }, { a: 2 }], { $some: { a: 2 } });
	bad([{ a: 1 }], { $some: { a: 2 } });
	ok([{ a: 1 }], { $none: { a: 2 } });
	bad([{ a: 1 }, { a: 2 }], { $none: { a: 2 } }, /\$\[1\]/);
	ok(3, { $oneOf: [1, 3] });
	bad(2, { $oneOf: [1, 3] });
	assert.throws(() => mismatch(1, { $unknown: 1 }), /unknown matcher/);
});

test('pick reads dotted paths', () => {
	assert.equal(pick({ a: [{ b: 'x' }] }, 'a.0.b'), 'x');
	assert.equal(pick({ a: null }, 'a.b'), undefined);
});
