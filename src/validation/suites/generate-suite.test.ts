import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Schema } from '../../core/schema/schema.js';
import type { ColumnProfile, NumericStats, Profile } from '../../data/profile/profile.js';
import { generateSuite } from './generate-suite.js';

function numeric(min: number, max: number, sample: number[], nans = 0): NumericStats {
  return { min, max, mean: 0, std: 0, quantiles: [], quantileSource: 'all', histogram: { edges: [], counts: [] }, sample, zeros: 0, nans, infinities: 0 };
}

const schema: Schema = {
  columns: [
    { name: 'id', type: 'string', nullable: false, tags: ['id'] },
    { name: 'age', type: 'int', nullable: true, tags: [] },
    { name: 'score', type: 'float', nullable: false, tags: [] },
    { name: 'plan', type: 'category', nullable: false, tags: [] },
    { name: 'note', type: 'string', nullable: false, tags: [] },
    { name: 'active', type: 'bool', nullable: false, tags: [] },
    { name: 'churn', type: 'category', nullable: false, tags: ['target'] },
    { name: 'seen', type: 'timestamp', nullable: false, tags: ['timestamp'] },
  ],
};

const columns: ColumnProfile[] = [
  { name: 'id', type: 'string', tags: ['id'], count: 10, nulls: 0, distinct: 10, categorical: { top: [], otherCount: 10, minLength: 3, maxLength: 5 } },
  { name: 'age', type: 'int', tags: [], count: 8, nulls: 2, distinct: 6, numeric: numeric(18, 70, [18, 20, 30, 40, 50, 70]) },
  { name: 'score', type: 'float', tags: [], count: 10, nulls: 0, distinct: 9, numeric: numeric(0.5, 9.5, [0.5, 9.5], 1) },
  {
    name: 'plan', type: 'category', tags: [], count: 10, nulls: 0, distinct: 2,
    categorical: { top: [{ value: 'pro', count: 7 }, { value: 'basic', count: 3 }], otherCount: 0, minLength: 3, maxLength: 5 },
  },
  {
    name: 'note', type: 'string', tags: [], count: 10, nulls: 0, distinct: 60,
    categorical: { top: [{ value: 'x', count: 2 }], otherCount: 8, minLength: 1, maxLength: 40 },
  },
  {
    name: 'active', type: 'bool', tags: [], count: 10, nulls: 0, distinct: 2,
    categorical: { top: [{ value: 'true', count: 6 }, { value: 'false', count: 4 }], otherCount: 0 },
  },
  {
    name: 'churn', type: 'category', tags: ['target'], count: 10, nulls: 0, distinct: 2,
    categorical: { top: [{ value: 'no', count: 8 }, { value: 'yes', count: 2 }], otherCount: 0, minLength: 2, maxLength: 3 },
  },
  { name: 'seen', type: 'timestamp', tags: ['timestamp'], count: 10, nulls: 0, distinct: 10, numeric: numeric(1000, 2000, [1000, 2000]) },
];

const profile: Profile = { rows: 10, columns };

test('generateSuite applies every documented rule, in order', () => {
  const suite = generateSuite('churn', schema, profile, { generatedFrom: { dataset: 'churn', version: 'abc' } });
  assert.equal(suite.name, 'churn');
  assert.deepEqual(suite.meta, { generatedFrom: { dataset: 'churn', version: 'abc' } });
  const target = { role: 'target' };
  assert.deepEqual(suite.expectations, [
    { kind: 'row_count', min: 9, max: 11, severity: 'error' },
    { kind: 'column_exists', column: 'id', type: 'string', severity: 'error' },
    { kind: 'not_null', column: 'id', severity: 'error' },
    { kind: 'unique', column: 'id', severity: 'error' },
    { kind: 'string_length', column: 'id', min: 3, max: 5, severity: 'error' },
    { kind: 'column_exists', column: 'age', type: 'int', severity: 'error' },
    // 2 nulls in 10 rows: 0.2·1.1 + 0.005 = 0.225 allowed, so mostly 0.775.
    { kind: 'not_null', column: 'age', mostly: 0.775, severity: 'error' },
    { kind: 'between', column: 'age', min: 18, max: 70, severity: 'error' },
    { kind: 'distribution', column: 'age', test: 'ks', reference: { type: 'numeric', sample: [18, 20, 30, 40, 50, 70] }, severity: 'error' },
    { kind: 'column_exists', column: 'score', type: 'float', severity: 'error' },
    { kind: 'not_null', column: 'score', severity: 'error' },
    // One NaN in 10 values: between allows it through mostly 0.9.
    { kind: 'between', column: 'score', min: 0.5, max: 9.5, mostly: 0.9, severity: 'error' },
    { kind: 'distribution', column: 'score', test: 'ks', reference: { type: 'numeric', sample: [0.5, 9.5] }, severity: 'error' },
    { kind: 'column_exists', column: 'plan', type: 'category', severity: 'error' },
    { kind: 'not_null', column: 'plan', severity: 'error' },
    { kind: 'in_set', column: 'plan', values: ['basic', 'pro'], severity: 'error' },
    {
      kind: 'distribution', column: 'plan', test: 'chi_square', severity: 'error',
      reference: { type: 'categorical', counts: [{ value: 'pro', count: 7 }, { value: 'basic', count: 3 }], otherCount: 0 },
    },
    { kind: 'column_exists', column: 'note', type: 'string', severity: 'error' },
    { kind: 'not_null', column: 'note', severity: 'error' },
    { kind: 'string_length', column: 'note', min: 1, max: 40, severity: 'error' },
    { kind: 'column_exists', column: 'active', type: 'bool', severity: 'error' },
    { kind: 'not_null', column: 'active', severity: 'error' },
    { kind: 'in_set', column: 'active', values: [false, true], severity: 'error' },
    {
      kind: 'distribution', column: 'active', test: 'chi_square', severity: 'error',
      reference: { type: 'categorical', counts: [{ value: 'true', count: 6 }, { value: 'false', count: 4 }], otherCount: 0 },
    },
    { kind: 'column_exists', column: 'churn', type: 'category', severity: 'error', meta: target },
    { kind: 'not_null', column: 'churn', severity: 'error', meta: target },
    { kind: 'in_set', column: 'churn', values: ['no', 'yes'], severity: 'error', meta: target },
    { kind: 'column_exists', column: 'seen', type: 'timestamp', severity: 'error' },
    { kind: 'not_null', column: 'seen', severity: 'error' },
    { kind: 'between', column: 'seen', min: 1000, max: 2000, severity: 'error' },
  ]);
});

test('generateSuite options change the row-count tolerance and the set size limit', () => {
  const suite = generateSuite('s', schema, profile, { rowCountTolerance: 0.5, maxSetSize: 1 });
  assert.deepEqual(suite.expectations[0], { kind: 'row_count', min: 5, max: 15, severity: 'error' });
  assert.equal(suite.expectations.some((e) => e.kind === 'in_set'), false);
  assert.deepEqual(suite.meta, {});
  // Without in_set, the category column gets its length range instead, and still its distribution.
  assert.ok(suite.expectations.some((e) => e.kind === 'string_length' && e.column === 'plan'));
  assert.ok(suite.expectations.some((e) => e.kind === 'distribution' && e.column === 'plan'));
});

test('generateSuite picks distance tests above 1000 reference rows, as Evidently does', () => {
  const suite = generateSuite('big', schema, { ...profile, rows: 1001 });
  const tests = suite.expectations.flatMap((e) => (e.kind === 'distribution' ? [`${e.column}:${e.test}`] : []));
  assert.deepEqual(tests, ['age:wasserstein', 'score:wasserstein', 'plan:jensen_shannon', 'active:jensen_shannon']);
  assert.deepEqual(suite.expectations[0], { kind: 'row_count', min: 900, max: 1102, severity: 'error' });
});
