import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boolColumn, categoryColumn, floatColumn, intColumn, stringColumn, timestampColumn } from '../../core/frame/column-builders.js';
import type { Column } from '../../core/frame/column.js';
import { Frame } from '../../core/frame/frame.js';
import { evaluateExpectation } from './evaluate-expectation.js';
import { Expectation, type ExpectationInput } from './expectation.js';
import type { ExpectationResult } from './expectation-result.js';

const NOW = Date.parse('2024-01-02T12:00:00Z');
const run = (input: ExpectationInput, ...columns: Column[]): ExpectationResult =>
  evaluateExpectation(Expectation.create(input), new Frame(columns), { now: NOW });
/** The parts of a result that describe what was found, for exact comparison. */
const summary = (r: ExpectationResult) => ({
  success: r.success,
  observed: r.observed,
  elementCount: r.elementCount,
  unexpectedCount: r.unexpectedCount,
  unexpectedPercent: r.unexpectedPercent,
  failures: r.failures,
});

test('column_exists: type match, type mismatch, missing column', () => {
  const x = intColumn('x', [1]);
  assert.deepEqual(summary(run({ kind: 'column_exists', column: 'x', type: 'int' }, x)), {
    success: true, observed: 'int', elementCount: 1, unexpectedCount: 0, unexpectedPercent: 0, failures: [],
  });
  assert.equal(run({ kind: 'column_exists', column: 'x', type: 'float' }, x).success, false);
  assert.equal(run({ kind: 'column_exists', column: 'x' }, x).success, true);
  const missing = run({ kind: 'column_exists', column: 'y' }, x);
  assert.equal(missing.success, false);
  assert.equal(missing.observed, null);
});

test('not_null: null rows fail, mostly is a share of all rows', () => {
  const x = floatColumn('x', [1, null, 3, null, 5]);
  assert.deepEqual(summary(run({ kind: 'not_null', column: 'x' }, x)), {
    success: false,
    observed: 0.6,
    elementCount: 5,
    unexpectedCount: 2,
    unexpectedPercent: 40,
    failures: [{ row: 1, value: null }, { row: 3, value: null }],
  });
  assert.equal(run({ kind: 'not_null', column: 'x', mostly: 0.6 }, x).success, true, '3/5 = 0.6 meets mostly 0.6');
  assert.equal(run({ kind: 'not_null', column: 'x', mostly: 0.61 }, x).success, false);
  assert.equal(run({ kind: 'not_null', column: 'x' }, floatColumn('x', [1, 2])).success, true);
  assert.equal(run({ kind: 'not_null', column: 'nope' }, x).problem, 'column "nope" is missing');
});

test('between: inclusive bounds, strict bounds, NaN, nulls ignored, mostly boundary', () => {
  const age = intColumn('age', [10, 20, null, 30, 40, 50]);
  assert.deepEqual(summary(run({ kind: 'between', column: 'age', min: 20, max: 40 }, age)), {
    success: false,
    observed: { min: 10, max: 50 },
    elementCount: 6,
    unexpectedCount: 2,
    unexpectedPercent: 40,
    failures: [{ row: 0, value: 10 }, { row: 5, value: 50 }],
  });
  assert.equal(run({ kind: 'between', column: 'age', min: 20, max: 40, mostly: 0.6 }, age).success, true, '3 of 5 non-null pass');
  assert.equal(run({ kind: 'between', column: 'age', min: 20, max: 40, mostly: 0.61 }, age).success, false);
  const strict = run({ kind: 'between', column: 'age', min: 20, max: 40, strictMin: true, strictMax: true }, age);
  assert.deepEqual(strict.failures.map((f) => f.row), [0, 1, 4, 5]);
  const x = floatColumn('x', [0.5, Number.NaN, 1.5]);
  assert.deepEqual(run({ kind: 'between', column: 'x', min: 0 }, x).failures, [{ row: 1, value: 'NaN' }]);
  const t = timestampColumn('t', ['2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z']);
  assert.deepEqual(run({ kind: 'between', column: 't', max: Date.parse('2024-06-01T00:00:00Z') }, t).failures, [{ row: 1, value: '2025-01-01T00:00:00.000Z' }]);
  assert.equal(run({ kind: 'between', column: 's', min: 0 }, stringColumn('s', ['a'])).problem, 'column "s" is string; this expectation needs int or float or timestamp');
});

test('in_set: category, string, numeric and bool columns; unexpected values; mostly boundary', () => {
  const c = categoryColumn('c', ['a', 'b', null, 'z', 'a', 'y']);
  assert.deepEqual(summary(run({ kind: 'in_set', column: 'c', values: ['a', 'b'] }, c)), {
    success: false,
    observed: { unexpectedValues: ['z', 'y'] },
    elementCount: 6,
    unexpectedCount: 2,
    unexpectedPercent: 40,
    failures: [{ row: 3, value: 'z' }, { row: 5, value: 'y' }],
  });
  assert.equal(run({ kind: 'in_set', column: 'c', values: ['a', 'b'], mostly: 0.6 }, c).success, true);
  assert.equal(run({ kind: 'in_set', column: 'c', values: ['a', 'b'], mostly: 0.61 }, c).success, false);
  const s = stringColumn('s', ['a', 'q', null]);
  assert.deepEqual(run({ kind: 'in_set', column: 's', values: ['a'] }, s).failures, [{ row: 1, value: 'q' }]);
  assert.deepEqual(run({ kind: 'in_set', column: 'n', values: [1, 2] }, intColumn('n', [1, 2, 3])).failures, [{ row: 2, value: 3 }]);
  assert.deepEqual(run({ kind: 'in_set', column: 'b', values: [true] }, boolColumn('b', [true, false])).failures, [{ row: 1, value: false }]);
});

test('unique: every row holding a repeated value fails; nulls are ignored', () => {
  const s = stringColumn('s', ['a', 'b', 'a', null, 'c', 'b']);
  assert.deepEqual(summary(run({ kind: 'unique', column: 's' }, s)), {
    success: false,
    observed: 3,
    elementCount: 6,
    unexpectedCount: 4,
    unexpectedPercent: 80,
    failures: [{ row: 0, value: 'a' }, { row: 1, value: 'b' }, { row: 2, value: 'a' }, { row: 5, value: 'b' }],
  });
  assert.equal(run({ kind: 'unique', column: 'n' }, intColumn('n', [3, 1, 2, null, null])).success, true);
  const c = run({ kind: 'unique', column: 'c' }, categoryColumn('c', ['x', 'y', 'x']));
  assert.deepEqual(c.failures.map((f) => f.row), [0, 2]);
  assert.deepEqual(run({ kind: 'unique', column: 'f' }, floatColumn('f', [1.5, 2.5, 1.5])).failures.map((f) => f.row), [0, 2]);
});

test('regex: unanchored match on strings and categories; mostly boundary', () => {
  const s = stringColumn('s', ['a1', 'b2', 'cc', null, 'd4']);
  assert.deepEqual(summary(run({ kind: 'regex', column: 's', pattern: '^[a-z]\\d$' }, s)), {
    success: false,
    observed: 0.75,
    elementCount: 5,
    unexpectedCount: 1,
    unexpectedPercent: 25,
    failures: [{ row: 2, value: 'cc' }],
  });
  assert.equal(run({ kind: 'regex', column: 's', pattern: '^[a-z]\\d$', mostly: 0.75 }, s).success, true);
  assert.equal(run({ kind: 'regex', column: 's', pattern: '^[a-z]\\d$', mostly: 0.76 }, s).success, false);
  const c = categoryColumn('c', ['Male', 'female', 'MALE']);
  assert.deepEqual(run({ kind: 'regex', column: 'c', pattern: 'male', flags: 'i' }, c).failures, []);
  assert.deepEqual(run({ kind: 'regex', column: 'c', pattern: '^[A-Z]' }, c).failures, [{ row: 1, value: 'female' }]);
});

test('string_length: bounds on UTF-16 length; observed min/max; mostly boundary', () => {
  const s = stringColumn('s', ['ab', 'abcd', '', null, 'abc']);
  assert.deepEqual(summary(run({ kind: 'string_length', column: 's', min: 1, max: 3 }, s)), {
    success: false,
    observed: { min: 0, max: 4 },
    elementCount: 5,
    unexpectedCount: 2,
    unexpectedPercent: 50,
    failures: [{ row: 1, value: 'abcd' }, { row: 2, value: '' }],
  });
  assert.equal(run({ kind: 'string_length', column: 's', min: 1, max: 3, mostly: 0.5 }, s).success, true);
  assert.equal(run({ kind: 'string_length', column: 's', min: 1, max: 3, mostly: 0.51 }, s).success, false);
  const c = categoryColumn('c', ['xx', null, 'xxxxx']);
  assert.deepEqual(run({ kind: 'string_length', column: 'c', max: 2 }, c).failures, [{ row: 2, value: 'xxxxx' }]);
});

test('row_count: inclusive range on the number of rows', () => {
  const x = intColumn('x', [1, 2, 3, 4, 5]);
  assert.deepEqual(summary(run({ kind: 'row_count', min: 5, max: 10 }, x)), {
    success: true, observed: 5, elementCount: 5, unexpectedCount: 0, unexpectedPercent: 0, failures: [],
  });
  assert.equal(run({ kind: 'row_count', min: 6 }, x).success, false);
  assert.equal(run({ kind: 'row_count', max: 4 }, x).success, false);
  assert.equal(run({ kind: 'row_count', max: 5 }, x).success, true);
});

test('freshness: age of the newest timestamp relative to now', () => {
  const t = timestampColumn('t', ['2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', null]);
  assert.deepEqual(summary(run({ kind: 'freshness', column: 't', maxAgeMs: 86_400_000 }, t)), {
    success: true,
    observed: { latest: '2024-01-02T00:00:00.000Z', ageMs: 43_200_000 },
    elementCount: 3,
    unexpectedCount: 0,
    unexpectedPercent: 0,
    failures: [],
  });
  assert.equal(run({ kind: 'freshness', column: 't', maxAgeMs: 43_200_000 }, t).success, true, 'exactly maxAgeMs old is fresh');
  assert.equal(run({ kind: 'freshness', column: 't', maxAgeMs: 43_199_999 }, t).success, false);
  assert.equal(run({ kind: 'freshness', column: 't', maxAgeMs: 1 }, timestampColumn('t', [null])).success, false);
});

test('distribution: KS on numeric columns against the reference sample', () => {
  const near = run({ kind: 'distribution', column: 'x', reference: { type: 'numeric', sample: [3, 1, 2] } }, floatColumn('x', [4, null, 5, 6]));
  assert.equal(near.success, true, 'D = 1 on 3 vs 3 values has exact p = 0.1');
  const { pValue, ...rest } = near.observed as { pValue: number };
  assert.deepEqual(rest, { test: 'ks', statistic: 1, threshold: 0.05, method: 'exact', referenceSize: 3, currentSize: 3 });
  assert.ok(Math.abs(pValue - 0.1) < 1e-15, '2 of C(6,3) = 20 orderings');
  assert.equal(run({ kind: 'distribution', column: 'x', threshold: 0.2, reference: { type: 'numeric', sample: [1, 2, 3] } }, floatColumn('x', [4, 5, 6])).success, false);
  const sample = Array.from({ length: 20 }, (_, k) => k + 1);
  const shifted = run({ kind: 'distribution', column: 'n', reference: { type: 'numeric', sample } }, intColumn('n', Array.from({ length: 30 }, (_, k) => k + 7)));
  assert.equal(shifted.success, false);
  const observed = shifted.observed as { pValue: number };
  assert.ok(Math.abs(observed.pValue - 0.0013473679457084095) < 1e-12, 'SciPy exact p for 1..20 vs 7..36');
});

test('distribution: chi-square on categorical columns, unseen values go to the other bucket', () => {
  const reference = { type: 'categorical' as const, counts: [{ value: 'a', count: 50 }, { value: 'b', count: 30 }, { value: 'c', count: 20 }], otherCount: 0 };
  const values = [...Array(30).fill('a'), ...Array(30).fill('b'), ...Array(40).fill('c'), null];
  const drifted = run({ kind: 'distribution', column: 'c', reference }, categoryColumn('c', values));
  assert.equal(drifted.success, false);
  const observed = drifted.observed as Record<string, unknown>;
  assert.ok(Math.abs((observed.statistic as number) - 28) < 1e-12, 'χ² = 400/50 + 400/20');
  assert.ok(Math.abs((observed.pValue as number) - Math.exp(-14)) < 1e-18, 'df = 2: p = e^{−χ²/2}');
  assert.deepEqual([observed.referenceSize, observed.currentSize, observed.unseenValues], [100, 100, []]);
  const same = run({ kind: 'distribution', column: 's', reference }, stringColumn('s', [...Array(5).fill('a'), ...Array(3).fill('b'), ...Array(2).fill('c')]));
  assert.equal(same.success, true);
  assert.equal((same.observed as Record<string, unknown>).pValue, 1);
  const unseen = run({ kind: 'distribution', column: 's', reference }, stringColumn('s', ['a', 'b', 'c', 'd']));
  assert.equal(unseen.success, false);
  assert.deepEqual([(unseen.observed as Record<string, unknown>).statistic, (unseen.observed as Record<string, unknown>).unseenValues], [null, ['d']]);
  const flags = run(
    { kind: 'distribution', column: 'b', reference: { type: 'categorical', counts: [{ value: 'true', count: 1 }, { value: 'false', count: 1 }], otherCount: 0 } },
    boolColumn('b', [true, false, true, false]),
  );
  assert.equal((flags.observed as Record<string, unknown>).pValue, 1);
  assert.match(run({ kind: 'distribution', column: 'x', reference }, floatColumn('x', [1])).problem ?? '', /needs category, string or bool/);
});

test('failures list at most 20 rows but count them all', () => {
  const r = run({ kind: 'not_null', column: 'x' }, floatColumn('x', Array(25).fill(null)));
  assert.equal(r.unexpectedCount, 25);
  assert.equal(r.failures.length, 20);
  assert.equal(r.failures[19].row, 19);
});
