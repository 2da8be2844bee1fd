import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MISSING_NAN, MISSING_NONE, type BinMapper } from '../binning/bin-mapper.js';
import { resolveGbdtParams } from '../params/resolve-params.js';
import { findCategoricalSplit } from './find-categorical-split.js';
import { findNumericalSplit } from './find-numerical-split.js';
import { LeafConstraints, monotonePenaltyFactor } from './leaf-constraints.js';
import { leafGain, leafOutput, thresholdL1 } from './leaf-output.js';
import { SplitCandidate } from './split-candidate.js';
import { splitRulesFrom } from './split-rules.js';

function numerical(numBins: number, missingType: 0 | 2): BinMapper {
  return { kind: 'numerical', numBins, missingType, upperBounds: Float64Array.from({ length: numBins }, (_, b) => b + 0.5), binToCategory: new Int32Array(0), categoryToBin: new Map(), isTrivial: false, defaultBin: 0, minValue: 0, maxValue: numBins - 1 };
}

function categorical(numBins: number): BinMapper {
  const binToCategory = Int32Array.from({ length: numBins }, (_, b) => b - 1);
  return { kind: 'categorical', numBins, missingType: MISSING_NONE, upperBounds: new Float64Array(0), binToCategory, categoryToBin: new Map(), isTrivial: false, defaultBin: 1, minValue: 0, maxValue: numBins - 2 };
}

/** A histogram from per-bin [g, h, count] triples. */
function hist(...bins: Array<[number, number, number]>): Float64Array {
  return Float64Array.from(bins.flat());
}

const INF = Number.POSITIVE_INFINITY;

test('leaf values and gains: -G/(H+λ2), L1 soft-threshold, max_delta_step cap, bounds', () => {
  const reg = { l1: 0, l2: 1, maxDeltaStep: 0 };
  assert.equal(leafOutput(8, 4, reg, -INF, INF), -8 / 5);
  assert.equal(leafGain(8, 4, reg), 64 / 5);
  assert.equal(thresholdL1(-3, 1), -2);
  assert.equal(thresholdL1(0.5, 1), 0);
  assert.equal(leafOutput(8, 4, { l1: 3, l2: 1, maxDeltaStep: 0 }, -INF, INF), -5 / 5);
  assert.equal(leafOutput(8, 4, { l1: 0, l2: 1, maxDeltaStep: 0.5 }, -INF, INF), -0.5);
  assert.equal(leafGain(8, 4, { l1: 0, l2: 1, maxDeltaStep: 0.5 }), -(2 * 8 * -0.5 + 5 * 0.25));
  assert.equal(leafOutput(8, 4, reg, -1, INF), -1);
  assert.equal(leafOutput(0, 0, { l1: 0, l2: 0, maxDeltaStep: 0 }, -INF, INF), 0);
});

test('numerical split: best threshold, sums, outputs and gain by hand', () => {
  const rules = splitRulesFrom(resolveGbdtParams({ min_data_in_leaf: 1, lambda_l2: 1 }));
  // bins 0..3: g = 2,2,-2,-2 with h = 2 each (two rows per bin). Best: bins 0-1 left.
  const h = hist([4, 2, 2], [4, 2, 2], [-4, 2, 2], [-4, 2, 2]);
  const out = new SplitCandidate(4);
  const splittable = findNumericalSplit(h, 0, numerical(4, MISSING_NONE), 0, 8, 8, rules, -INF, INF, 0, out);
  assert.equal(splittable, true);
  assert.equal(out.thresholdBin, 1);
  assert.equal(out.defaultLeft, true);
  assert.deepEqual([out.leftG, out.leftH, out.leftCount, out.rightG, out.rightH, out.rightCount], [8, 4, 4, -8, 4, 4]);
  assert.equal(out.leftOutput, -8 / 5);
  assert.equal(out.rightOutput, 8 / 5);
  assert.equal(out.gain, 64 / 5 + 64 / 5 - 0);
});

test('min_data_in_leaf, min_sum_hessian_in_leaf and min_gain_to_split block splits', () => {
  const h = hist([4, 2, 2], [4, 2, 2], [-4, 2, 2], [-4, 2, 2]);
  const out = new SplitCandidate(4);
  const tooFew = splitRulesFrom(resolveGbdtParams({ min_data_in_leaf: 5 }));
  assert.equal(findNumericalSplit(h, 0, numerical(4, MISSING_NONE), 0, 8, 8, tooFew, -INF, INF, 0, out), false);
  assert.equal(out.gain, -INF);
  const heavy = splitRulesFrom(resolveGbdtParams({ min_data_in_leaf: 1, min_sum_hessian_in_leaf: 5 }));
  assert.equal(findNumericalSplit(h, 0, numerical(4, MISSING_NONE), 0, 8, 8, heavy, -INF, INF, 0, out), false);
  const gainy = splitRulesFrom(resolveGbdtParams({ min_data_in_leaf: 1, min_gain_to_split: 100 }));
  assert.equal(findNumericalSplit(h, 0, numerical(4, MISSING_NONE), 0, 8, 8, gainy, -INF, INF, 0, out), false);
});

test('missing values go to the side that gains more', () => {
  const rules = splitRulesFrom(resolveGbdtParams({ min_data_in_leaf: 1 }));
  const out = new SplitCandidate(4);
  // Value bins 0..2 and the NaN bin 3. The NaN rows look like bin 0 (negative gradients): they should go left.
  let h = hist([-4, 2, 2], [-4, 2, 2], [8, 4, 4], [-4, 2, 2]);
  findNumericalSplit(h, 0, numerical(4, MISSING_NAN), -4, 10, 10, rules, -INF, INF, 0, out);
  assert.deepEqual([out.thresholdBin, out.defaultLeft, out.leftCount], [1, true, 6]);
  // Now the NaN rows look like bin 2 (positive gradients): they should go right.
  h = hist([-4, 2, 2], [-4, 2, 2], [8, 4, 4], [4, 2, 2]);
  findNumericalSplit(h, 0, numerical(4, MISSING_NAN), 4, 10, 10, rules, -INF, INF, 0, out);
  assert.deepEqual([out.thresholdBin, out.defaultLeft, out.leftCount], [1, false, 4]);
});

test('monotone constraints reject splits in the wrong direction and clamp outputs', () => {
  const rules = splitRulesFrom(resolveGbdtParams({ min_data_in_leaf: 1, monotone_constraints: [1] }));
  const out = new SplitCandidate(4);
  // Left has positive gradients (wants a negative value), right negative: increasing. Allowed for +1, not for -1.
  const h = hist([4, 2, 2], [-4, 2, 2]);
  assert.equal(findNumericalSplit(h, 0, numerical(2, MISSING_NONE), 0, 4, 4, rules, -INF, INF, 1, out), true);
  assert.equal(findNumericalSplit(h, 0, numerical(2, MISSING_NONE), 0, 4, 4, rules, -INF, INF, -1, out), false);
  findNumericalSplit(h, 0, numerical(2, MISSING_NONE), 0, 4, 4, rules, -0.5, 0.5, 1, out);
  assert.deepEqual([out.leftOutput, out.rightOutput], [-0.5, 0.5]);
  const c = new LeafConstraints(3);
  c.split(0, 1, 1, -2, 2);
  assert.deepEqual([c.min[0], c.max[0], c.min[1], c.max[1]], [-INF, 0, 0, INF]);
  assert.equal(monotonePenaltyFactor(2, 0), Math.fround(1e-15));
  assert.equal(monotonePenaltyFactor(1, 1), 1 - 0.5 + Math.fround(1e-15));
});

test('categorical one-vs-rest split for few categories', () => {
  const rules = splitRulesFrom(resolveGbdtParams({ min_data_in_leaf: 1 }));
  const out = new SplitCandidate(32);
  // Bin 0 (missing) and three categories; category bin 2 stands out.
  const h = hist([0, 0, 0], [1, 2, 2], [-6, 2, 2], [1, 2, 2]);
  const scratch = [new Int32Array(8), new Float64Array(8)] as const;
  assert.equal(findCategoricalSplit(h, 0, categorical(4), -4, 6, 6, rules, -INF, INF, out, ...scratch), true);
  assert.deepEqual(Array.from(out.catBins.subarray(0, out.numCat)), [2]);
  assert.deepEqual([out.leftG, out.leftH, out.leftCount], [-6, 2, 2]);
  assert.equal(out.gain, 36 / 2 + 4 / 4 - 16 / 6);
});

test('categorical split by sorted gradient ratio, with cat_l2 and cat_smooth', () => {
  const rules = splitRulesFrom(resolveGbdtParams({ min_data_in_leaf: 1, min_data_per_group: 1, cat_smooth: 1, cat_l2: 1 }));
  const out = new SplitCandidate(32);
  // Six categories (bins 1..6); ratios g/(h+1): 3/3, -3/3, 3/3, -3/3, 0.5/3, 0/1 (count 1 < cat_smooth? no, equal).
  const h = hist([0, 0, 0], [3, 2, 2], [-3, 2, 2], [3, 2, 2], [-3, 2, 2], [0.5, 2, 2], [0, 0.5, 1]);
  const scratch = [new Int32Array(8), new Float64Array(8)] as const;
  assert.equal(findCategoricalSplit(h, 0, categorical(7), 0.5, 10.5, 11, rules, -INF, INF, out, ...scratch), true);
  assert.deepEqual(Array.from(out.catBins.subarray(0, out.numCat)).sort(), [2, 4]);
  assert.equal(out.leftOutput, 6 / (4 + 1));
  const lg = -6, lh = 4, rg = 6.5, rh = 6.5;
  assert.equal(out.gain, (lg * lg) / (lh + 1) + (rg * rg) / (rh + 1) - (0.5 * 0.5) / 10.5);
});
