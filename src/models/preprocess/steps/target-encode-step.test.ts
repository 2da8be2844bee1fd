import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boolColumn, categoryColumn, floatColumn, stringColumn } from '../../../core/frame/column-builders.js';
import { Frame } from '../../../core/frame/frame.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { PreprocessStep } from './preprocess-step.js';

/** Matches a LoomError by code and by the given `details` entries (others may be present). */
const coded = (code: string, details: Record<string, unknown>) => (err: unknown) => {
  const e = err as { code?: string; details?: Record<string, unknown> };
  assert.equal(e.code, code);
  for (const [key, value] of Object.entries(details)) assert.deepEqual(e.details?.[key], value, key);
  return true;
};

const x = ['a', 'a', 'b', 'b', 'b', 'c'];
const y = [1, 0, 1, 1, 0, 1];
const frame = new Frame([categoryColumn('x', x), floatColumn('y', y, ['target'])]);
const close = (actual: readonly unknown[], expected: readonly number[]) => {
  assert.equal(actual.length, expected.length);
  actual.forEach((v, i) => assert.ok(Math.abs((v as number) - expected[i]) < 1e-15, `row ${i}: ${v} vs ${expected[i]}`));
};

test('full-data encodings are (sum + m·prior) / (count + m); unseen and null get the prior', () => {
  const { fitted } = Pipeline.create([PreprocessStep.targetEncode({ columns: ['x'], smoothing: 1 })]).fitTransform(frame);
  const prior = 4 / 6;
  const step = fitted.state.steps[0];
  assert.ok(step.kind === 'target_encode');
  assert.deepEqual(step.categories, [['a', 'b', 'c']]);
  close(step.encodings[0], [(1 + prior) / 3, (2 + prior) / 4, (1 + prior) / 2]);
  const serving = new Frame([stringColumn('x', ['c', 'zzz', null, 'a'])]);
  close(fitted.transform(serving).toRecords().map((r) => r.x), [(1 + prior) / 2, prior, prior, (1 + prior) / 3]);
});

test('training rows get out-of-fold encodings (leave-one-out when folds = rows), computed without their own target', () => {
  const { frame: out } = Pipeline.create([PreprocessStep.targetEncode({ columns: ['x'], smoothing: 1, folds: 6 })]).fitTransform(frame);
  // Independent leave-one-out computation.
  const expected = x.map((value, i) => {
    let sum = 0;
    let count = 0;
    let total = 0;
    for (let r = 0; r < x.length; r++) {
      if (r === i) continue;
      total += y[r];
      if (x[r] !== value) continue;
      sum += y[r];
      count++;
    }
    const prior = total / (x.length - 1);
    return (sum + prior) / (count + 1);
  });
  close(out.toRecords().map((r) => r.x), expected);
  assert.deepEqual(out.names, ['x', 'y'], 'the target passes through at the end');
});

test('out-of-fold values are reproducible for a seed and change with it', () => {
  const run = (seed: number) => Pipeline.create([PreprocessStep.targetEncode({ columns: ['x'], folds: 2, seed, smoothing: 0.5 })]).fitTransform(frame).frame.toRecords().map((r) => r.x);
  assert.deepEqual(run(7), run(7));
  const seeds = [1, 2, 3, 4, 5].map(run).map((v) => JSON.stringify(v));
  assert.ok(new Set(seeds).size > 1, 'different seeds give different fold assignments');
});

test('binary labels count the second class as 1; multiclass targets and a missing target are errors', () => {
  const labels = new Frame([categoryColumn('x', x), categoryColumn('y', y.map((v) => (v ? 'yes' : 'no')), ['target'])]);
  const flags = new Frame([categoryColumn('x', x), boolColumn('y', y.map((v) => v === 1), ['target'])]);
  const encode = (f: Frame) => Pipeline.create([PreprocessStep.targetEncode({ columns: ['x'] })]).fit(f).state.steps[0];
  const reference = encode(frame);
  assert.deepEqual(encode(labels), reference);
  assert.deepEqual(encode(flags), reference);
  const three = new Frame([categoryColumn('x', x), categoryColumn('y', ['p', 'q', 'r', 'p', 'q', 'r'], ['target'])]);
  assert.throws(() => encode(three), coded('LOOM_ERR_MODEL_TARGET_INVALID', { field: 'y' }));
  assert.throws(() => Pipeline.create([PreprocessStep.targetEncode({ columns: ['x'] })]).fit(frame, { target: null }), coded('LOOM_ERR_PREPROCESS_STEP_INVALID', { field: 'target' }));
  assert.throws(() => Pipeline.create([PreprocessStep.targetEncode({ columns: ['y'] })]).fit(frame), coded('LOOM_ERR_PREPROCESS_STEP_INVALID', { field: 'y' }));
  assert.throws(() => PreprocessStep.targetEncode({ columns: ['x'], folds: 1 }), coded('LOOM_ERR_PREPROCESS_STEP_INVALID', { field: 'folds' }));
});
