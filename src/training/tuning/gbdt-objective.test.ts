import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { categoryColumn, floatColumn } from '../../core/frame/column-builders.js';
import { Frame } from '../../core/frame/frame.js';
import { trainGbdt } from '../../models/gbdt/index.js';
import { prepareObjective } from './gbdt-objective.js';
import { MedianPruner } from './median-pruner.js';
import { TrialPool } from './trial-pool.js';
import type { TrialRecord } from './trial-record.js';

// Cross-validated trials on worker threads: what the pruner sees. 300 rows: y is "yes" when a > 0.5, every 10th
// label flipped; b is noise.
const n = 300;
const a = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % n) / n);
const b = Float64Array.from({ length: n }, (_, i) => ((i * 104729) % 97) / 97);
const y = Array.from(a, (v, i) => ((v > 0.5) !== (i % 10 === 0) ? 'yes' : 'no'));
const frame = new Frame([floatColumn('a', a), floatColumn('b', b), categoryColumn('y', y)]);
const spec = { target: 'y', metric: 'binary_logloss', folds: 3, seed: 4 };
const pool = new TrialPool(frame, spec, 1);
after(() => pool.close());

test('under CV the pruner gets one score per iteration: the mean across the folds at that iteration', async () => {
  const params = { num_iterations: 6, min_data_in_leaf: 5, learning_rate: 0.2 };
  const reports: [number, number][] = [];
  const result = await pool.run(0, params, (step, value) => (reports.push([step, value]), false));
  // Each fold trained here on its own gives the per-iteration curves to average.
  const prepared = prepareObjective(frame, spec);
  const curves = prepared.folds.map((fold) => {
    const model = trainGbdt(prepared.tagged.take(fold.train), { objective: 'binary', seed: 4, num_threads: 1, ...params, metric: 'binary_logloss' }, { label: 'y', validSets: [{ name: 'valid', data: prepared.tagged.take(fold.test) }] });
    return model.evalLog.values.valid.binary_logloss;
  });
  assert.deepEqual(reports.map(([s]) => s), [1, 2, 3, 4, 5, 6]);
  for (const [s, v] of reports) {
    const mean = (curves[0][s - 1] + curves[1][s - 1] + curves[2][s - 1]) / 3;
    assert.ok(Math.abs(v - mean) < 1e-12, `step ${s}: ${v} vs ${mean}`);
  }
  assert.equal(result.pruned, false);
  assert.ok(Math.abs(result.value - reports[5][1]) < 1e-12, 'the trial value is the mean of the folds final scores');
});

test('median pruning under CV: a clearly bad trial is pruned at once, a good one runs every fold to the end', async () => {
  const pruner = new MedianPruner();
  // Five completed trials at learning rates around the good one.
  const completed: TrialRecord[] = [];
  for (const [t, lr] of [0.1, 0.15, 0.2, 0.25, 0.35].entries()) {
    const params = { num_iterations: 8, min_data_in_leaf: 5, learning_rate: lr };
    const intermediate = new Map<number, number>();
    const r = await pool.run(t, params, (step, value) => (intermediate.set(step, value), false));
    completed.push({ number: t, state: 'complete', params, value: r.value, intermediate });
  }
  const trial = async (lr: number): Promise<{ pruned: boolean; steps: number[] }> => {
    const params = { num_iterations: 8, min_data_in_leaf: 5, learning_rate: lr };
    const intermediate = new Map<number, number>();
    const steps: number[] = [];
    const result = await pool.run(9, params, (step, value) => {
      intermediate.set(step, value);
      steps.push(step);
      return pruner.shouldPrune({ number: 9, state: 'running', params, value: null, intermediate }, step, completed, 'minimize');
    });
    return { pruned: result.pruned, steps };
  };
  // A learning rate 300× smaller barely moves the log loss off the prior's.
  assert.deepEqual(await trial(0.001), { pruned: true, steps: [1] });
  // 0.3 learns faster than the median trial (0.2) and its best loss stays below the median's at every iteration.
  assert.deepEqual(await trial(0.3), { pruned: false, steps: [1, 2, 3, 4, 5, 6, 7, 8] });
});
