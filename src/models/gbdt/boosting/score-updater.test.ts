import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../../core/random.js';
import type { DataPartition } from '../tree/data-partition.js';
import type { Tree } from '../tree/tree.js';
import { addTreeByPartition, rowLeavesBuffer } from './score-updater.js';

/** A partition of `rows` (ascending) into `leaves` leaves at random, rows ascending within each leaf, as the learner leaves it. */
function partitionOf(rows: readonly number[], leaves: number, rnd: () => number): { tree: Tree; partition: DataPartition; leafOf: Map<number, number> } {
  const leafOf = new Map(rows.map((r) => [r, Math.floor(rnd() * leaves)]));
  const leafCount = new Int32Array(leaves);
  for (const leaf of leafOf.values()) leafCount[leaf]++;
  const leafBegin = new Int32Array(leaves);
  for (let l = 1; l < leaves; l++) leafBegin[l] = leafBegin[l - 1] + leafCount[l - 1];
  const indices = new Int32Array(rows.length);
  const at = leafBegin.slice();
  for (const r of rows) indices[at[leafOf.get(r)!]++] = r;
  const leafValue = Float64Array.from({ length: leaves }, () => (rnd() - 0.5) * 0.3);
  return { tree: { numLeaves: leaves, leafValue } as unknown as Tree, partition: { indices, leafBegin, leafCount } as unknown as DataPartition, leafOf };
}

test('the row-ordered score update adds exactly what the scatter adds, bit for bit, and runs for large trees only', () => {
  const rng = new Random(5);
  const rnd = (): number => rng.nextFloat();
  const n = 5000;
  const all = Array.from({ length: n }, (_, i) => i);
  for (const leaves of [200, 65, 64, 31]) {
    const { tree, partition, leafOf } = partitionOf(all, leaves, rnd);
    const start = Float64Array.from({ length: 2 * n }, () => rnd() * 4 - 2);
    const scattered = start.slice();
    addTreeByPartition(tree, partition, scattered, n);
    const rowOrdered = start.slice();
    const rowLeaves = rowLeavesBuffer(n, leaves);
    addTreeByPartition(tree, partition, rowOrdered, n, rowLeaves, n);
    for (let i = 0; i < 2 * n; i++) assert.ok(Object.is(rowOrdered[i], scattered[i]), `${leaves} leaves, score ${i}: ${rowOrdered[i]} vs ${scattered[i]}`);
    for (let i = 0; i < n; i++) assert.equal(scattered[i], start[i], 'the other class is untouched');
    // The buffer exists, and was filled with every row's leaf, exactly when the tree has more than 64 leaves.
    assert.equal(rowLeaves !== null, leaves > 64);
    if (rowLeaves !== null) for (let r = 0; r < n; r++) assert.equal(rowLeaves[r], leafOf.get(r));
  }
});

test('a tree grown on a bag of the rows keeps the scatter: rows outside the bag are not touched', () => {
  const rng = new Random(9);
  const rnd = (): number => rng.nextFloat();
  const n = 3000;
  const bag = Array.from({ length: n }, (_, i) => i).filter(() => rnd() < 0.6);
  const { tree, partition } = partitionOf(bag, 100, rnd);
  const start = Float64Array.from({ length: n }, () => rnd());
  const score = start.slice();
  const rowLeaves = rowLeavesBuffer(n, 100)!.fill(255);
  addTreeByPartition(tree, partition, score, 0, rowLeaves, n);
  assert.ok(rowLeaves.every((v) => v === 255), 'the row-ordered path did not run');
  const inBag = new Set(bag);
  for (let r = 0; r < n; r++) if (!inBag.has(r)) assert.equal(score[r], start[r]);
  assert.ok(bag.some((r) => score[r] !== start[r]));
});
