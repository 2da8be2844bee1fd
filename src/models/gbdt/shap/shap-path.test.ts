import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../../core/random.js';
import { ShapPath } from './shap-path.js';

/** LightGBM's UnwoundPathSum as it is written there, with the ratio divided out in every step. */
function unwoundPathSum(path: ShapPath, offset: number, depth: number, index: number): number {
  const w = path.weight;
  const oneFraction = path.one[offset + index];
  const zeroFraction = path.zero[offset + index];
  let nextOnePortion = w[offset + depth];
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (oneFraction !== 0) {
      const tmp = (nextOnePortion * (depth + 1)) / ((i + 1) * oneFraction);
      total += tmp;
      nextOnePortion = w[offset + i] - tmp * zeroFraction * ((depth - i) / (depth + 1));
    } else {
      total += w[offset + i] / zeroFraction / ((depth - i) / (depth + 1));
    }
  }
  return total;
}

test('unwoundSums gives LightGBM\'s unwound sums bit for bit, for every pair of a path with passing and failing elements', () => {
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
      assert.ok(Object.is(path.sums[0], unwoundPathSum(path, offset, depth, a)), `element ${a} (beside ${b})`);
      assert.ok(Object.is(path.sums[1], unwoundPathSum(path, offset, depth, b)), `element ${b} (beside ${a})`);
      compared++;
    }
  }
  assert.equal(compared, depth * depth);
  // Both kinds of element took part, and the sums are not trivial.
  assert.ok(unwoundPathSum(path, offset, depth, 3) > 0 && unwoundPathSum(path, offset, depth, 1) > 0);
});

test('extend leaves the weights LightGBM\'s ExtendPath leaves, bit for bit', () => {
  const rng = new Random(11);
  const depth = 10;
  const path = new ShapPath(depth);
  const reference = new Float64Array(depth + 1);
  path.handoff[0] = 1;
  path.handoff[1] = 1;
  path.extend(0, 0, -1);
  reference[0] = 1;
  for (let d = 1; d <= depth; d++) {
    const zero = 0.05 + 0.9 * rng.nextFloat();
    const one = d % 4 === 0 ? 0 : 1;
    path.handoff[0] = zero;
    path.handoff[1] = one;
    path.extend(0, d, d);
    // ExtendPath as LightGBM writes it: add to w[i + 1], then overwrite w[i], going down.
    reference[d] = 0;
    for (let i = d - 1; i >= 0; i--) {
      reference[i + 1] += (one * reference[i] * (i + 1)) / (d + 1);
      reference[i] = (zero * reference[i] * (d - i)) / (d + 1);
    }
    for (let i = 0; i <= d; i++) assert.ok(Object.is(path.weight[i], reference[i]), `depth ${d}, weight ${i}: ${path.weight[i]} vs ${reference[i]}`);
  }
});
