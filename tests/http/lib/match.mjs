// match.mjs - "these keys and values must be present": a subset match of JSON.
//
// expected            matches
//   a string/number/boolean/null   exactly that value
//   "$string"          any string           "$number"  any number     "$integer" any integer
//   "$boolean"         true or false        "$any"     anything present (not undefined)
//   "$absent"          the key is not there
//   { k: v, ... }      an object having each key k, its value matching v (other keys ignored)
//   [ a, b, ... ]      an array of exactly that length, element i matching the i-th expectation
//   { "0": v, ... }    against an array: element 0 matches v (the length is free)
//   an object whose keys all start with $ is a matcher; its conditions all must hold:
//     { "$length": N }         array (or string) of length N
//     { "$min": N, "$max": M } number in [N, M]
//     { "$regex": "..." }      string matching the regular expression
//     { "$not": v }            does not match v
//     { "$every": v }          array whose elements all match v
//     { "$some": v }           array with at least one element matching v
//     { "$none": v }           array with no element matching v
//     { "$oneOf": [v, ...] }   matches at least one of the expectations

/** Returns null when actual matches expected, else a message naming the first difference. */
export function mismatch(actual, expected, where = '$') {
	const show = (v) => (v === undefined ? 'nothing' : JSON.stringify(v)?.slice(0, 200));
	const fail = (what) => `${where}: expected ${what}, got ${show(actual)}`;

	if (typeof expected === 'string' && expected.startsWith('$')) {
		switch (expected) {
			case '$string': return typeof actual === 'string' ? null : fail('a string');
			case '$number': return typeof actual === 'number' ? null : fail('a number');
			case '$integer': return Number.isInteger(actual) ? null : fail('an integer');
			case '$boolean': return typeof actual === 'boolean' ? null : fail('true or false');
			case '$any': return actual !== undefined ? null : fail('a value');
			case '$absent': return actual === undefined ? null : fail('no such key');
		}
	}
	if (expected === null || typeof expected !== 'object')
		return actual === expected ? null : fail(show(expected));
	if (Array.isArray(expected)) {
		if (!Array.isArray(actual)) return fail(`an array of ${expected.length}`);
		if (actual.length !== expected.length) return fail(`an array of ${expected.length}`);
		for (let i = 0; i < expected.length; i++) {
			const m = mismatch(actual[i], expected[i], `${where}[${i}]`);
			if (m) return m;
		}
		return null;
	}
	const keys = Object.keys(expected);
	if (keys.length && keys.every((k) => k.startsWith('$'))) return matcher(actual, expected, where, fail);
	if (Array.isArray(actual) && keys.every((k) => /^\d+$/.test(k))) {
		for (const k of keys) {
			const m = mismatch(actual[k], expected[k], `${where}[${k}]`);
			if (m) return m;
		}
		return null;
	}
	if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return fail('an object');
	for (const k of keys) {
		const m = mismatch(actual[k], expected[k], `${where}.${k}`);
		if (m) return m;
	}
	return null;
}

function matcher(actual, e, where, fail) {
	for (const [op, v] of Object.entries(e)) {
		let m = null;
		switch (op) {
			case '$length':
				if (!(Array.isArray(actual) || typeof actual === 'string') || actual.length !== v)
					m = fail(`length ${v}` + (actual?.length !== undefined ? ` (length ${actual.length})` : ''));
				break;
			case '$min':
				if (typeof actual !== 'number' || actual < v) m = fail(`a number >= ${v}`);
				break;
			case '$max':
				if (typeof actual !== 'number' || actual > v) m = fail(`a number <= ${v}`);
				break;
			case '$regex':
				if (typeof actual !== 'string' || !new RegExp(v).test(actual)) m = fail(`a string matching /${v}/`);
				break;
			case '$not':
				if (!mismatch(actual, v, where)) m = fail(`anything but ${JSON.stringify(v)}`);
				break;
			case '$every':
				if (!Array.isArray(actual)) m = fail('an array');
				else for (let i = 0; i < actual.length && !m; i++) m = mismatch(actual[i], v, `${where}[${i}]`);
				break;
			case '$some':
				if (!Array.isArray(actual) || !actual.some((x) => !mismatch(x, v)))
					m = fail(`an array with an element like ${JSON.stringify(v)}`);
				break;
			case '$none':
				if (!Array.isArray(actual)) m = fail('an array');
				else {
					const i = actual.findIndex((x) => !mismatch(x, v));
					if (i >= 0) m = `${where}[${i}]: expected no element like ${JSON.stringify(v)}, got ${JSON.stringify(actual[i])}`;
				}
				break;
			case '$oneOf':
				if (!v.some((x) => !mismatch(actual, x, where))) m = fail(`one of ${JSON.stringify(v)}`);
				break;
			default:
				throw new Error(`${where}: unknown matcher ${op}`);
		}
		if (m) return m;
	}
	return null;
}

/** Reads a value by a dotted path: "data.0.school_code". */
export function pick(obj, dotted) {
	let v = obj;
	for (const part of dotted.split('.')) {
		if (v === null || v === undefined) return undefined;
		v = v[part];
	}
	return v;
}
