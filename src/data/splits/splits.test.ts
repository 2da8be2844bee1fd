import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupSplit } from './group-split.js';
import { partSizes } from './part-sizes.js';
import { randomSplit } from './random-split.js';
import { SplitSpec } from './split-spec.js';
import { stratifiedSplit } from './stratified-split.js';
import { timeSplit } from './time-split.js';

test('partSizes: largest remainder, total preserved', () => {
  assert.deepEqual([...partSizes(10, [0.8, 0.2])], [8, 2]);
  assert.deepEqual([...partSizes(10, [1 / 3, 1 / 3, 1 / 3])], [4, 3, 3]);
  assert.deepEqual([...partSizes(7, [0.5, 0.25])], [3, 2]); // round(7·0.75) = 5 rows: floors 3 and 1, the larger remainder (.75) gets the spare row
  assert.deepEqual([...partSizes(0, [0.5, 0.5])], [0, 0]);
});

test('randomSplit is a deterministic partition given the seed', () => {
  const a = randomSplit(20, [0.7, 0.3], 42);
  const b = randomSplit(20, [0.7, 0.3], 42);
  const c = randomSplit(20, [0.7, 0.3], 43);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.deepEqual(a.map((p) => p.length), [14, 6]);
  assert.deepEqual([...a[0], ...a[1]].sort((x, y) => x - y), Array.from({ length: 20 }, (_, i) => i));
  for (const p of a) for (let i = 1; i < p.length; i++) assert.ok(p[i] > p[i - 1], 'ascending');
});

test('stratifiedSplit keeps class proportions within one row per class', () => {
  // 30 of class 0, 10 of class 1, 3 of class 2 (e.g. nulls coded separately)
  const labels = Int32Array.from({ length: 43 }, (_, i) => (i < 30 ? 0 : i < 40 ? 1 : 2));
  const parts = stratifiedSplit(labels, [0.8, 0.2], 7);
  const count = (p: Int32Array, k: number) => [...p].filter((i) => labels[i] === k).length;
  assert.deepEqual([0, 1, 2].map((k) => count(parts[0], k)), [24, 8, 2]);
  assert.deepEqual([0, 1, 2].map((k) => count(parts[1], k)), [6, 2, 1]);
  assert.deepEqual(parts, stratifiedSplit(labels, [0.8, 0.2], 7));
});

test('groupSplit never puts a group in two parts', () => {
  const groups = Int32Array.from({ length: 100 }, (_, i) => Math.floor(i / 4)); // 25 groups of 4
  const parts = groupSplit(groups, [0.6, 0.4], 3);
  const g0 = new Set([...parts[0]].map((i) => groups[i]));
  const g1 = new Set([...parts[1]].map((i) => groups[i]));
  for (const g of g0) assert.ok(!g1.has(g));
  assert.equal(parts[0].length + parts[1].length, 100);
  assert.deepEqual([parts[0].length, parts[1].length], [60, 40]);
  assert.deepEqual(parts, groupSplit(groups, [0.6, 0.4], 3));
});

test('timeSplit respects time order by fractions and by cutoffs', () => {
  const t = Float64Array.from([50, 10, 40, 20, 30, 10]);
  assert.deepEqual(timeSplit(t, { fractions: [0.5, 0.5] }).map((p) => [...p]), [[1, 3, 5], [0, 2, 4]]);
  assert.deepEqual(timeSplit(t, { cutoffs: [20, 45] }).map((p) => [...p]), [[1, 5], [2, 3, 4], [0]]);
  const validity = new Uint8Array([0b111101]);
  assert.throws(() => timeSplit(t, { fractions: [0.5, 0.5] }, validity), { code: 'LOOM_ERR_DATA_INVALID_SPLIT' });
});

test('SplitSpec.create validates fractions, kinds and time options', () => {
  assert.equal(SplitSpec.create({ kind: 'random', fractions: [0.8, 0.2], seed: 1 }).kind, 'random');
  assert.throws(() => SplitSpec.create({ kind: 'random', fractions: [0.8, 0.3], seed: 1 }), (e: any) => e.code === 'LOOM_ERR_DATA_INVALID_SPLIT' && e.details.field === 'fractions');
  assert.throws(() => SplitSpec.create({ kind: 'random', fractions: [1.2], seed: 1 }), { code: 'LOOM_ERR_DATA_INVALID_SPLIT' });
  assert.throws(() => SplitSpec.create({ kind: 'magic', fractions: [0.5], seed: 1 }), { code: 'LOOM_ERR_DATA_INVALID_SPLIT' });
  assert.throws(() => SplitSpec.create({ kind: 'time', column: 't' }), { code: 'LOOM_ERR_DATA_INVALID_SPLIT' });
  assert.throws(() => SplitSpec.create({ kind: 'time', column: 't', cutoffs: [3, 2] }), (e: any) => e.details.field === 'cutoffs');
  assert.equal(SplitSpec.partCount(SplitSpec.create({ kind: 'time', column: 't', cutoffs: [1, 2] })), 3);
  assert.equal(SplitSpec.is({ kind: 'group', column: 'g', fractions: [0.5], seed: 0 }), true);
});
