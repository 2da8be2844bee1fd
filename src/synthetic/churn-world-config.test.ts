import assert from 'node:assert/strict';
import { test } from 'node:test';
import { churnWorldConfig } from './churn-world-config.js';

function assertInvalid(input: unknown, field: string): void {
  assert.throws(
    () => churnWorldConfig(input),
    (err: { code?: string; details?: { field?: string } }) => {
      assert.equal(err.code, 'LOOM_ERR_DATA_SYNTHETIC_CONFIG_INVALID');
      assert.equal(err.details?.field, field);
      return true;
    },
  );
}

test('defaults: 5,000 customers observed during 2024, drift from 2024-07-01, events as Parquet', () => {
  const c = churnWorldConfig();
  assert.equal(c.seed, 42);
  assert.equal(c.customers, 5000);
  assert.equal(c.start, '2024-01-01T00:00:00.000Z');
  assert.equal(c.end, '2025-01-01T00:00:00.000Z');
  assert.equal(c.horizonDays, 30);
  assert.equal(c.labelDelayDays, 7);
  assert.equal(c.nullRate, 0.01);
  assert.equal(c.eventsFormat, 'parquet');
  assert.deepEqual(c.drift, { enabled: true, at: '2024-07-01T00:00:00.000Z', covariate: true, concept: true });
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.drift));
});

test('instants are normalized to UTC ISO strings; a date alone is UTC midnight', () => {
  const c = churnWorldConfig({ start: '2023-01-01', end: '2023-12-31T12:00:00+02:00', drift: { at: '2023-06-15' } });
  assert.equal(c.start, '2023-01-01T00:00:00.000Z');
  assert.equal(c.end, '2023-12-31T10:00:00.000Z');
  assert.equal(c.drift.at, '2023-06-15T00:00:00.000Z');
  assert.equal(c.drift.covariate, true, 'unset drift keys keep their defaults');
});

test('bad options name their field', () => {
  assertInvalid({ customers: 5 }, 'customers');
  assertInvalid({ customers: 10.5 }, 'customers');
  assertInvalid({ seed: -1 }, 'seed');
  assertInvalid({ seed: Number.NaN }, 'seed');
  assertInvalid({ colour: 'blue' }, 'colour');
  assertInvalid({ drift: { when: '2024-01-01' } }, 'drift.when');
  assertInvalid({ start: '2024-01-01T00:00:00' }, 'start'); // no zone: ambiguous
  assertInvalid({ start: '2024-02-30' }, 'start');
  assertInvalid({ eventsFormat: 'xlsx' }, 'eventsFormat');
  assertInvalid({ end: '2023-06-01' }, 'end');
  assertInvalid({ drift: { at: '2026-01-01' } }, 'drift.at');
});

test('a disabled drift switch may carry any date', () => {
  assert.equal(churnWorldConfig({ drift: { enabled: false, at: '2030-01-01' } }).drift.enabled, false);
});
