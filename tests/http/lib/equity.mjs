// equity.mjs - generated learner data with known properties, and the equity metrics of
// docs/equity.md computed straight from its raw rows (independently of nawat), for the
// tests of GET /api/v1/equity.
import fs from 'node:fs';
import path from 'node:path';

import { citizenId } from './nawat.mjs';

/** A small deterministic generator (LCG): () => [0, 1). */
export function rng(seed) {
	let s = seed >>> 0;
	return () => {
		s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
		return s / 4294967296;
	};
}

// Schools: two sandbox areas (50, 71) in their provinces, pilot schools of two cohorts and
// others, a school of province 50 outside the area, and a province (10) with no area.  The
// cohort-2 school is tiny (4 students) and one school has only two extremely poor students:
// groups the researcher must not see.
export const SCHOOLS = [
	{ code: '1050000001', province: '50', area: '50', pilot: 'Y', cohort: 1, students: 34 },
	{ code: '1050000002', province: '50', area: '50', pilot: 'Y', cohort: 1, students: 28 },
	{ code: '1050000003', province: '50', area: '50', pilot: 'Y', cohort: 1, students: 31 },
	{ code: '1050000004', province: '50', area: '50', pilot: 'Y', cohort: 2, students: 4, disadvantage: [0, 0, 1, 2] },
	{ code: '1050000005', province: '50', area: '50', pilot: 'N', cohort: 0, students: 30, twoPoorest: true },
	{ code: '1050000006', province: '50', area: '50', pilot: 'N', cohort: 0, students: 26 },
	{ code: '1050000007', province: '50', area: '', pilot: 'N', cohort: 0, students: 22 },
	{ code: '1071000001', province: '71', area: '71', pilot: 'Y', cohort: 1, students: 29 },
	{ code: '1071000002', province: '71', area: '71', pilot: 'Y', cohort: 1, students: 27 },
	{ code: '1071000003', province: '71', area: '71', pilot: 'N', cohort: 0, students: 33 },
	{ code: '1010000001', province: '10', area: '', pilot: 'N', cohort: 0, students: 25 },
	{ code: '1010000002', province: '10', area: '', pilot: 'N', cohort: 0, students: 24 },
];

const BASE = { 0: 68, 1: 58, 2: 47 }; // the planted gap: mean score by disadvantage

/**
 * The data: { schools, students: [{cid, school, year, grade, gender, disadvantage}],
 * outcomes: [{cid, school, year, term, domain, subject, instrument, score, level}] }.
 * Years 2566 and 2567; term 1; SCH for every result, AREA for Thai in 2567.
 */
export function generate(seed = 7) {
	const r = rng(seed);
	const students = [],
		outcomes = [];
	let serial = 0;
	for (const sc of SCHOOLS) {
		for (let i = 0; i < sc.students; i++) {
			const cid = citizenId(String(3500000000000 + ++serial * 7919).slice(0, 12));
			let d = r() < 0.6 ? 0 : r() < 0.62 ? 1 : 2;
			if (sc.disadvantage) d = sc.disadvantage[i];
			if (sc.twoPoorest) d = i < 2 ? 2 : i % 3 === 0 ? 1 : 0;
			const gender = r() < 0.5 ? '1' : '2';
			const grades = [['216', '311'], ['311', '312'], ['312', '313']][i % 3]; // 2566, 2567
			for (const year of [2566, 2567]) {
				// some change their disadvantage between the years
				const dy = year === 2566 && i % 9 === 4 && !sc.disadvantage && !sc.twoPoorest ? (d + 1) % 3 : d;
				students.push({ cid, school: sc.code, year, grade: grades[year - 2566], gender, disadvantage: dy, birth: `${2010 - (i % 3)}-0${1 + (i % 9)}-15` });
				const base = BASE[dy] + (year === 2567 ? 2 : 0);
				const score = () => Math.max(0, Math.min(100, Math.round((base + (r() - 0.5) * 40) * 100) / 100));
				const add = (o) => outcomes.push({ cid, school: sc.code, year, term: 1, instrument: 'SCH', ...o });
				add({ domain: 'K', subject: 'THA', score: score() });
				if (i % 10 !== 7) add({ domain: 'K', subject: 'MAT', score: score() }); // some have no mathematics
				if (i % 13 !== 5) add({ domain: 'S', subject: '202', level: 1 + Math.floor(r() * 4 - (dy ? 0.6 : 0) + 0.6) });
				add({ domain: 'A', subject: '303', level: Math.min(3, Math.floor(r() * 3.6 + (dy ? 0 : 0.4))) });
				if (year === 2567 && sc.province !== '10') add({ domain: 'K', subject: 'THA', instrument: 'AREA', score: score() });
			}
		}
	}
	for (const o of outcomes) if (o.level !== undefined) o.level = Math.max(o.domain === 'S' ? 1 : 0, Math.min(o.domain === 'S' ? 4 : 3, o.level));
	return { schools: SCHOOLS.map((s) => ({ ...s })), students, outcomes };
}

/** Writes the data as exchange files into dir (areas, schools, students, outcomes). */
export function writeFiles(dir, data) {
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'areas.csv'), [
		'area_code,name_th,name_en,designated_on,status',
		'50,พื้นที่นวัตกรรมการศึกษาจังหวัดเชียงใหม่,Chiang Mai Education Sandbox,2018-10-02,active',
		'71,พื้นที่นวัตกรรมการศึกษาจังหวัดกาญจนบุรี,Kanchanaburi Education Sandbox,2018-10-02,active',
	].join('\n') + '\n');
	fs.writeFileSync(path.join(dir, 'schools.csv'), ['school_code,name_th,affiliation_code,province_code,area_code,pilot,pilot_cohort,pilot_since']
		.concat(data.schools.map((s) => `${s.code},โรงเรียนทดสอบ ${s.code.slice(6)},10,${s.province},${s.area},${s.pilot},${s.cohort || ''},${s.pilot === 'Y' ? '2019-05-16' : ''}`))
		.join('\n') + '\n');
	writeStudents(path.join(dir, 'students.csv'), data.students);
	writeOutcomes(path.join(dir, 'outcomes.csv'), data.outcomes);
}

export function writeStudents(file, rows) {
	fs.writeFileSync(file, ['citizen_id,school_code,academic_year,grade_code,gender,birth_date,disadvantage,disability']
		.concat(rows.map((s) => `${s.cid},${s.school},${s.year},${s.grade},${s.gender},${s.birth},${s.disadvantage},0`)).join('\n') + '\n');
}

export function writeOutcomes(file, rows) {
	fs.writeFileSync(file, ['citizen_id,school_code,academic_year,term,domain,subject_code,instrument,score,level']
		.concat(rows.map((o) => `${o.cid},${o.school},${o.year},${o.term},${o.domain},${o.subject},${o.instrument},${o.score ?? ''},${o.level ?? ''}`))
		.join('\n') + '\n');
}

/** Whether a school is in a query's scope and filters. */
export function inScope(school, q) {
	const [kind, code] = q.scope === 'national' ? ['national', ''] : q.scope.split(':');
	if (kind === 'area' && school.area !== code) return false;
	if (kind === 'province' && school.province !== code) return false;
	if (kind === 'school' && school.code !== code) return false;
	if (q.pilot && school.pilot !== q.pilot) return false;
	if (q.cohort && !(school.pilot === 'Y' && school.cohort === q.cohort)) return false;
	return true;
}

/** The results that count in a query, each with its student's disadvantage. */
export function facts(data, q) {
	const sch = new Map(data.schools.map((s) => [s.code, s]));
	const stu = new Map(data.students.map((s) => [`${s.cid}/${s.year}`, s]));
	const out = [];
	for (const o of data.outcomes) {
		if (o.year !== q.year || o.term !== q.term || o.instrument !== q.instrument) continue;
		const s = stu.get(`${o.cid}/${o.year}`);
		if (!s || !inScope(sch.get(o.school), q)) continue;
		out.push({ ...o, d: s.disadvantage });
	}
	return out;
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs) => {
	const m = mean(xs);
	return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
};

/** The grouped-data p-quantile of scores over one-point bins (floor; 100 its own). */
export function quantile(scores, p) {
	const h = new Array(101).fill(0);
	for (const s of scores) h[Math.floor(s)]++;
	const t = p * scores.length;
	let below = 0;
	for (let b = 0; b <= 100; b++) {
		if (h[b] && below + h[b] >= t) return Math.min(100, b + (t - below) / h[b]);
		below += h[b];
	}
	return null;
}

function knowledge(rows, withStudents) {
	const all = rows.map((r) => r.score);
	const by = (ds) => rows.filter((r) => ds.includes(r.d)).map((r) => r.score);
	const g0 = by([0]), g12 = by([1, 2]), g2 = by([2]);
	const m = (xs) => (xs.length ? mean(xs) : null);
	const gap = g0.length && g12.length ? mean(g0) - mean(g12) : null;
	const pooled = g0.length > 1 && g12.length > 1 ? Math.sqrt(((g0.length - 1) * variance(g0) + (g12.length - 1) * variance(g12)) / (g0.length + g12.length - 2)) : null;
	const k = {
		n: all.length,
		mean: m(all),
		sd: all.length > 1 ? Math.sqrt(variance(all)) : null,
		below_pass_share: all.length ? all.filter((x) => x < 50).length / all.length : null,
		median: all.length ? quantile(all, 0.5) : null,
		q1: all.length ? quantile(all, 0.25) : null,
		q3: all.length ? quantile(all, 0.75) : null,
		mean_by_disadvantage: { 0: m(g0), 1: m(by([1])), 2: m(g2) },
		gap,
		gap_extreme: g0.length && g2.length ? mean(g0) - mean(g2) : null,
		effect_size: gap !== null && pooled ? gap / pooled : null,
		disadvantaged_below_pass_share: g12.length ? g12.filter((x) => x < 50).length / g12.length : null,
	};
	if (withStudents) k.students = new Set(rows.map((r) => r.cid)).size;
	return k;
}

function levels(rows, from, lo, hi, share, withStudents) {
	const byD = (ds) => rows.filter((r) => ds.includes(r.d));
	const sh = (rs) => (rs.length ? rs.filter((r) => r.level >= from).length / rs.length : null);
	const g0 = byD([0]), g12 = byD([1, 2]);
	const lv = {};
	for (let i = lo; i <= hi; i++) lv[i] = rows.filter((r) => r.level === i).length;
	const o = {
		n: rows.length,
		[share]: sh(rows),
		share_by_disadvantage: { 0: sh(g0), 1: sh(byD([1])), 2: sh(byD([2])) },
		gap: g0.length && g12.length ? sh(g0) - sh(g12) : null,
		levels: lv,
	};
	if (withStudents) o.students = new Set(rows.map((r) => r.cid)).size;
	return o;
}

/** The expected answer of a query: the names of the API, unrounded. */
export function expected(data, q) {
	const rows = facts(data, q);
	const dom = (d) => rows.filter((r) => r.domain === d);
	const subjects = (d) => [...new Set(dom(d).map((r) => r.subject))].sort();
	const out = { students: new Set(rows.map((r) => r.cid)).size };
	out.knowledge = knowledge(dom('K'), true);
	out.knowledge.by_learning_area = Object.fromEntries(subjects('K').map((s) => [s, knowledge(dom('K').filter((r) => r.subject === s), false)]));
	out.skills = levels(dom('S'), 3, 1, 4, 'proficient_share', true);
	out.skills.by_competency = Object.fromEntries(subjects('S').map((s) => [s, levels(dom('S').filter((r) => r.subject === s), 3, 1, 4, 'proficient_share', false)]));
	out.attitude = levels(dom('A'), 2, 0, 3, 'good_share', true);
	out.attitude.by_characteristic = Object.fromEntries(subjects('A').map((s) => [s, levels(dom('A').filter((r) => r.subject === s), 2, 0, 3, 'good_share', false)]));
	return out;
}

/** The students of each disadvantage group of an object's results (for suppression). */
export function groupSizes(data, q, domain, subject) {
	const rows = facts(data, q).filter((r) => (domain === '*' || r.domain === domain) && (!subject || r.subject === subject));
	return [0, 1, 2].map((d) => new Set(rows.filter((r) => r.d === d).map((r) => r.cid)).size);
}

/**
 * Compares an answer with the expected values: every number within half a unit of its
 * rounding (2 places, 4 for shares and gaps of shares), every null where expected is null.
 * Returns the list of differences ("path: got X, want Y").
 */
export function compare(got, want, where = '', places = 2) {
	const diffs = [];
	for (const [k, w] of Object.entries(want)) {
		const p = where ? `${where}.${k}` : k;
		const g = got?.[k];
		const pl = /share/.test(k) || /share/.test(where) || (k === 'gap' && /^(skills|attitude)/.test(where)) ? 4 : places;
		if (w !== null && typeof w === 'object') {
			diffs.push(...compare(g, w, p, pl));
		} else if (w === null) {
			if (g !== null && g !== undefined) diffs.push(`${p}: got ${g}, want null`);
		} else if (typeof g !== 'number') {
			diffs.push(`${p}: got ${g}, want ${w}`);
		} else if (Number.isInteger(w) && /(^|\.)(n|students|levels\.\d)$/.test(p) ? g !== w : Math.abs(g - w) > 0.5 * 10 ** -pl + 1e-9) {
			diffs.push(`${p}: got ${g}, want ${w}`);
		}
	}
	return diffs;
}
