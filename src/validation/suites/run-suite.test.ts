import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frameFromRecords } from '../../core/frame/frame-from-records.js';
import { runSuite } from './run-suite.js';
import { Suite } from './suite.js';

const frame = frameFromRecords([
  { age: 30, plan: 'pro' },
  { age: 150, plan: 'pro' },
  { age: null, plan: 'gold' },
]);

test('runSuite: success ignores warn failures and counts them apart', () => {
  const suite = Suite.create({
    name: 's',
    expectations: [
      { kind: 'row_count', min: 1, max: 10 },
      { kind: 'between', column: 'age', min: 0, max: 120, severity: 'warn' },
      { kind: 'in_set', column: 'plan', values: ['pro', 'basic'], severity: 'warn' },
      { kind: 'column_exists', column: 'plan' },
    ],
  });
  const result = runSuite(suite, frame);
  assert.equal(result.suite, 's');
  assert.equal(result.success, true);
  assert.deepEqual(result.statistics, { evaluated: 4, successful: 2, failed: 0, warnings: 2 });
  assert.deepEqual(result.results.map((r) => r.success), [true, false, false, true]);
  assert.deepEqual(result.results[1].failures, [{ row: 1, value: 150 }]);
  assert.deepEqual(result.results[2].failures, [{ row: 2, value: 'gold' }]);
});

test('runSuite: an error-severity failure fails the suite; freshness uses the given now', () => {
  const withTime = frameFromRecords([{ t: '2024-01-01T00:00:00Z', x: 1 }]);
  const suite = Suite.create({
    name: 's',
    expectations: [
      { kind: 'freshness', column: 't', maxAgeMs: 3_600_000 },
      { kind: 'not_null', column: 'missing' },
    ],
  });
  const fresh = runSuite(suite, withTime, { now: Date.parse('2024-01-01T00:30:00Z') });
  assert.equal(fresh.success, false);
  assert.deepEqual(fresh.statistics, { evaluated: 2, successful: 1, failed: 1, warnings: 0 });
  assert.equal(fresh.results[1].problem, 'column "missing" is missing');
  const stale = runSuite(suite, withTime, { now: Date.parse('2024-01-01T02:00:00Z') });
  assert.equal(stale.results[0].success, false);
});

test('the docs/validation.md library example gives the documented result', async () => {
  const { categoryColumn, floatColumn } = await import('../../core/frame/column-builders.js');
  const { Frame } = await import('../../core/frame/frame.js');
  const docsFrame = new Frame([floatColumn('age', [34, 51, null, 207]), categoryColumn('plan', ['basic', 'pro', 'pro', 'gold'])]);
  const suite = Suite.create({
    name: 'customers',
    expectations: [
      { kind: 'row_count', min: 1 },
      { kind: 'not_null', column: 'age', mostly: 0.75 },
      { kind: 'between', column: 'age', min: 0, max: 120 },
      { kind: 'in_set', column: 'plan', values: ['basic', 'pro'], severity: 'warn' },
    ],
  });
  const result = runSuite(suite, docsFrame);
  assert.equal(result.success, false);
  assert.deepEqual(result.statistics, { evaluated: 4, successful: 2, failed: 1, warnings: 1 });
  assert.deepEqual(result.results[2].failures, [{ row: 3, value: 207 }]);
});
