import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLoomError } from '../../core/errors/index.js';
import { frameFromRecords } from '../../core/frame/frame-from-records.js';
import { BINARY_METRICS } from '../metrics/binary-metrics.js';
import type { MetricSample } from '../metrics/metric-sample.js';
import { sliceReports } from './slice-report.js';
import { sliceRows } from './slice-rows.js';
import { parseSliceOption } from './slice-spec.js';

const frame = frameFromRecords([
  { plan: 'basic', tenure: 1 },
  { plan: 'pro', tenure: 5 },
  { plan: 'basic', tenure: 12 },
  { plan: 'team', tenure: 30 },
  { plan: null, tenure: 40 },
  { plan: 'pro', tenure: null },
]);

test('parseSliceOption: auto, quantile bins, edges and conditions', () => {
  assert.deepEqual(parseSliceOption('plan'), { kind: 'auto', column: 'plan' });
  assert.deepEqual(parseSliceOption('tenure:q4'), { kind: 'bins', column: 'tenure', bins: 4 });
  assert.deepEqual(parseSliceOption('tenure:0,12,24'), { kind: 'bins', column: 'tenure', edges: [0, 12, 24] });
  assert.deepEqual(parseSliceOption('tenure>=12'), { kind: 'condition', column: 'tenure', op: '>=', value: 12 });
  assert.deepEqual(parseSliceOption('plan != basic'), { kind: 'condition', column: 'plan', op: '!=', value: 'basic' });
  for (const bad of ['tenure:12,0', 'tenure:q1', ':1,2', '']) {
    assert.throws(() => parseSliceOption(bad), (e: unknown) => isLoomError(e) && e.code === 'LOOM_ERR_EVAL_INVALID_OPTION', bad);
  }
});

test('sliceRows: values (nulls as their own slice), edges with open ends, conditions, predicates', () => {
  const byPlan = sliceRows(frame, { kind: 'value', column: 'plan' });
  assert.deepEqual(byPlan.map((s) => [s.name, [...s.rows]]), [['plan = (missing)', [4]], ['plan = basic', [0, 2]], ['plan = pro', [1, 5]], ['plan = team', [3]]]);
  const bins = sliceRows(frame, { kind: 'bins', column: 'tenure', edges: [5, 30] });
  assert.deepEqual(bins.map((s) => [s.name, [...s.rows]]), [['tenure < 5', [0]], ['tenure in [5, 30)', [1, 2]], ['tenure ≥ 30', [3, 4]], ['tenure = (missing)', [5]]]);
  assert.deepEqual([...sliceRows(frame, { kind: 'condition', column: 'tenure', op: '>=', value: 12 })[0].rows], [2, 3, 4]);
  assert.deepEqual([...sliceRows(frame, { kind: 'predicate', name: 'even rows', test: (i) => i % 2 === 0 })[0].rows], [0, 2, 4]);
  assert.throws(() => sliceRows(frame, { kind: 'value', column: 'region' }), (e: unknown) => isLoomError(e) && e.code === 'LOOM_ERR_EVAL_COLUMN_UNKNOWN' && e.details?.column === 'region');
  assert.throws(() => sliceRows(frame, { kind: 'bins', column: 'plan', bins: 2 }), (e: unknown) => isLoomError(e) && e.code === 'LOOM_ERR_EVAL_INVALID_OPTION');
});

test('sliceReports lists the worst slice first, with sizes; slices where AUC is undefined go last', () => {
  const f = frameFromRecords(Array.from({ length: 12 }, (_, i) => ({ g: i < 4 ? 'a' : i < 8 ? 'b' : 'c' })));
  // a: perfect ranking (AUC 1); b: inverted (AUC 0); c: one class only (AUC undefined).
  const y = [0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1];
  const p = [0.1, 0.2, 0.8, 0.9, 0.9, 0.8, 0.2, 0.1, 0.4, 0.6, 0.7, 0.8];
  const sample: MetricSample = { y: Float64Array.from(y), p: Float64Array.from(p), k: 1, threshold: 0.5, query: null };
  const auc = BINARY_METRICS[0];
  const out = sliceReports(f, sample, 'binary', [{ kind: 'value', column: 'g' }], BINARY_METRICS, auc, { resamples: 50, seed: 1, level: 0.95 });
  assert.deepEqual(out.map((s) => [s.name, s.size, s.metrics.auc?.value]), [['g = b', 4, 0], ['g = a', 4, 1], ['g = c', 4, undefined]]);
  assert.equal(out[2].metrics.accuracy.value, 0.75);
});
