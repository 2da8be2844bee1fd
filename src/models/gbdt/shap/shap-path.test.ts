import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../../core/random.js';
import { ShapPath } from './shap-path.js';

test('unwoundSums gives the two sums unwoundSum gives, bit for bit, for every pair of a path with passing and failing elements', () => {
  const rng = new Random(5);
  const depth = 9;
  const path = new ShapPath(12);
  const offset = 7;
  // A path as Algorithm 2 builds it: element 0 the root's (1, 1), then splits the row passes (one = 1) or not (0).
  path.handoff[0] = 1;
  path.handoff[1] = 1;
  path.extend(offset, 0, -1);
  for (let d = 1; d <= depth; d++) {
    path.handoff[0] = 0.05 + 0.9 * rng.nextFloat();
    path.handoff[1] = d % 3 === 0 ? 0 : 1;
    path.extend(offset, d, d);
  }
  let compared = 0;
  for (let a = 1; a <= depth; a++) {
    for (let b = 1; b <= depth; b++) {
      path.unwoundSums(offset, depth, a, b, path.sums);
      assert.ok(Object.is(path.sums[0], path.unwoundSum(offset, depth, a)), `element ${a} (beside ${b})`);
      assert.ok(Object.is(path.sums[1], path.unwoundSum(offset, depth, b)), `element ${b} (beside ${a})`);
      compared++;
    }
  }
  assert.equal(compared, depth * depth);
  // Both kinds of element took part, and the sums are not trivial.
  assert.ok(path.unwoundSum(offset, depth, 3) > 0 && path.unwoundSum(offset, depth, 1) > 0);
});
