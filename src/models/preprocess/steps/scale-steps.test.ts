import assert from 'node:assert/strict';
import { test } from 'node:test';
import { floatColumn, intColumn } from '../../../core/frame/column-builders.js';
import { Frame } from '../../../core/frame/frame.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { quantileSorted } from '../statistics/quantile.js';
import { PreprocessStep } from './preprocess-step.js';

/** Matches a LoomError by code and by the given `details` entries (others may be present). */
const coded = (code: string, details: Record<string, unknown>) => (err: unknown) => {
  const e = err as { code?: string; details?: Record<string, unknown> };
  assert.equal(e.code, code);
  for (const [key, value] of Object.entries(details)) assert.deepEqual(e.details?.[key], value, key);
  return true;
};

const fit = (step: unknown, frame: Frame) => Pipeline.create([step]).fitTransform(frame, { target: null });
const values = (frame: Frame, name: string) => frame.toRecords().map((r) => r[name]);

test('type-7 quantiles interpolate between order statistics', () => {
  const sorted = Float64Array.from([1, 2, 3, 4, 100]);
  assert.deepEqual([0, 0.25, 0.5, 0.75, 1, 0.1].map((q) => quantileSorted(sorted, q)), [1, 2, 3, 4, 100, 1.4]);
  assert.equal(quantileSorted(Float64Array.from([1, 2]), 0.5), 1.5);
  assert.ok(Number.isNaN(quantileSorted(new Float64Array(0), 0.5)));
});

test('standard scaling uses the population std of non-missing values; nulls stay null', () => {
  const frame = new Frame([floatColumn('x', [1, 2, null, 3, 4]), intColumn('k', [7, 7, 7, 7, 7])]);
  const { fitted, frame: out } = fit(PreprocessStep.standardScale({ columns: ['x', 'k'] }), frame);
  const s = Math.sqrt(1.25);
  assert.deepEqual(fitted.state.steps[0], { kind: 'standard_scale', columns: ['x', 'k'], centers: [2.5, 7], scales: [s, 1] });
  assert.deepEqual(values(out, 'x'), [-1.5 / s, -0.5 / s, null, 0.5 / s, 1.5 / s]);
  assert.deepEqual(values(out, 'k'), [0, 0, 0, 0, 0], 'a constant column is centred, with scale 1');
  const uncentred = fit(PreprocessStep.standardScale({ columns: ['x'], withMean: false }), frame);
  assert.deepEqual(uncentred.fitted.state.steps[0], { kind: 'standard_scale', columns: ['x'], centers: [0], scales: [s] });
});

test('robust scaling centres on the median and divides by the IQR (or a chosen range)', () => {
  const frame = new Frame([floatColumn('x', [1, 2, 3, 4, 100, null])]);
  const { fitted, frame: out } = fit(PreprocessStep.robustScale({ columns: ['x'] }), frame);
  assert.deepEqual(fitted.state.steps[0], { kind: 'robust_scale', columns: ['x'], centers: [3], scales: [2] });
  assert.deepEqual(values(out, 'x'), [-1, -0.5, 0, 0.5, 48.5, null]);
  const wide = fit(PreprocessStep.robustScale({ columns: ['x'], quantileRange: [10, 90] }), frame);
  const step = wide.fitted.state.steps[0];
  assert.ok(step.kind === 'robust_scale');
  assert.equal(step.centers[0], 3);
  assert.ok(Math.abs(step.scales[0] - 60.2) < 1e-12, `Q90 − Q10 = 61.6 − 1.4, got ${step.scales[0]}`);
  assert.throws(() => PreprocessStep.robustScale({ columns: ['x'], quantileRange: [75, 25] }), coded('LOOM_ERR_PREPROCESS_STEP_INVALID', { field: 'quantileRange' }));
});

test('scalers reject non-numeric and empty columns', () => {
  const frame = new Frame([floatColumn('x', [null, null])]);
  assert.throws(() => fit(PreprocessStep.standardScale({ columns: ['x'] }), frame), coded('LOOM_ERR_PREPROCESS_COLUMN_EMPTY', { field: 'x' }));
  assert.throws(() => fit(PreprocessStep.robustScale({ columns: ['x'] }), frame), coded('LOOM_ERR_PREPROCESS_COLUMN_EMPTY', { field: 'x' }));
});
