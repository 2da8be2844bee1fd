import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLoomError } from '../../core/errors/index.js';
import { costReport, parseCostMatrix } from './cost-matrix.js';

const close = (a: number, b: number, tol = 1e-12): void => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('the cost-minimizing threshold on hand data (a missed positive costs 5, a false alarm 1)', () => {
  // y = 0 0 1 1 1, p = 0.1 0.3 0.2 0.6 0.9. Admitting rows by descending score, cost per row:
  // none 15/5 = 3; +0.9 → 10/5 = 2; +0.6 → 5/5 = 1; +0.3 (negative) → 6/5; +0.2 (positive) → 1/5; +0.1 → 2/5.
  // Best: positives are 0.9, 0.6, 0.3, 0.2, so the threshold is midway between 0.2 and 0.1.
  const y = Float64Array.from([0, 0, 1, 1, 1]);
  const p = Float64Array.from([0.1, 0.3, 0.2, 0.6, 0.9]);
  const r = costReport(y, p, parseCostMatrix('0,1,5,0'), 0.5);
  close(r.default_expected_cost, 1);
  close(r.chosen_threshold, 0.15);
  close(r.chosen_expected_cost, 0.2);
  assert.deepEqual(r.chosen_confusion, { tn: 1, fp: 1, fn: 0, tp: 3 });
  assert.deepEqual(r.default_confusion, { tn: 2, fp: 0, fn: 1, tp: 2 });
  assert.equal(r.rows, 5);
});

test('flat costs keep the default threshold region; symmetric costs find the accuracy-optimal cut', () => {
  const y = Float64Array.from([0, 1]);
  const p = Float64Array.from([0.2, 0.8]);
  const r = costReport(y, p, parseCostMatrix('0, 1, 1, 0'), 0.5);
  close(r.chosen_threshold, 0.5);
  assert.equal(r.chosen_expected_cost, 0);
});

test('cost matrices that do not parse are coded errors', () => {
  for (const bad of ['1,2,3', '0,1,x,0', '0,1,-5,0', '', '0,0,0,0', '0,1,2,3,4', '0,,1,0']) {
    assert.throws(() => parseCostMatrix(bad), (e: unknown) => isLoomError(e) && e.code === 'LOOM_ERR_EVAL_COST_MATRIX_INVALID' && e.details?.field === 'cost-matrix', bad);
  }
});
