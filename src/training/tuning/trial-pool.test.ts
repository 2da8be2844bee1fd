import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categoryColumn, floatColumn } from '../../core/frame/column-builders.js';
import { Frame } from '../../core/frame/frame.js';
import { TrialPool } from './trial-pool.js';

// 300 rows: y is "yes" when a > 0.5, with every 10th label flipped.
const n = 300;
const a = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % n) / n);
const y = Array.from(a, (v, i) => ((v > 0.5) !== (i % 10 === 0) ? 'yes' : 'no'));
const frame = new Frame([floatColumn('a', a), categoryColumn('y', y)]);

test('worker trials: scores come back, the pruning verdict stops training, param errors reject with their code', async () => {
  const pool = new TrialPool(frame, { target: 'y', metric: 'auc', folds: 2, seed: 1 }, 2);
  try {
    const steps: number[] = [];
    const [full, pruned] = await Promise.all([
      pool.run(0, { num_iterations: 10, min_data_in_leaf: 5 }, () => false),
      pool.run(1, { num_iterations: 10, min_data_in_leaf: 5 }, (step) => (steps.push(step), step === 3)),
    ]);
    assert.equal(full.pruned, false);
    // the flipped labels cap AUC near 0.9
    assert.ok(full.value > 0.8 && full.value < 0.95, `AUC ${full.value}`);
    assert.equal(pruned.pruned, true);
    assert.deepEqual(steps, [1, 2, 3]);
    await assert.rejects(pool.run(2, { num_leaves: 1 }, () => false), (err: { code: string }) => err.code === 'LOOM_ERR_GBDT_PARAM_INVALID');
    // the worker that rejected still runs trials
    assert.equal((await pool.run(3, { num_iterations: 5, min_data_in_leaf: 5 }, () => false)).pruned, false);
  } finally {
    await pool.close();
  }
});

test('interrupt() stops a trial that would run for a long time: its run rejects and the slot runs the next trial', async () => {
  const pool = new TrialPool(frame, { target: 'y', metric: 'auc', folds: 2, seed: 1 }, 1, { interruptGraceMs: 0 });
  try {
    let reported = 0;
    // 10^6 iterations would take hours; the interrupt comes after the third report, and the report never asks to stop.
    const endless = pool.run(0, { num_iterations: 1_000_000, min_data_in_leaf: 5 }, () => {
      if (++reported === 3) pool.interrupt();
      return false;
    });
    await assert.rejects(endless, /exited/);
    assert.ok(reported >= 3);
    const next = await pool.run(1, { num_iterations: 5, min_data_in_leaf: 5 }, () => false);
    assert.equal(next.pruned, false);
    assert.ok(next.value > 0.8, `AUC ${next.value}`);
  } finally {
    await pool.close();
  }
});
