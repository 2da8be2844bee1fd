import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from './random.js';

test('the same seed gives the same stream, another seed another stream', () => {
  const a = new Random(42);
  const b = new Random(42);
  const c = new Random(43);
  const sa = Array.from({ length: 5 }, () => a.nextUint32());
  assert.deepEqual(sa, Array.from({ length: 5 }, () => b.nextUint32()));
  assert.notDeepEqual(sa, Array.from({ length: 5 }, () => c.nextUint32()));
});

test('xoshiro128** matches the reference output for a known state', () => {
  // Seed 0 through splitmix32 is fixed, so the first outputs are pinned; a change to either algorithm fails here.
  const r = new Random(0);
  const first = [r.nextUint32(), r.nextUint32(), r.nextUint32()];
  assert.deepEqual(first, PINNED_SEED0);
});

test('nextFloat stays in [0,1) with mean near 1/2; nextInt covers its range uniformly', () => {
  const r = new Random(7);
  let sum = 0;
  for (let i = 0; i < 100_000; i++) {
    const f = r.nextFloat();
    assert.ok(f >= 0 && f < 1);
    sum += f;
  }
  assert.ok(Math.abs(sum / 100_000 - 0.5) < 0.005);
  const counts = new Int32Array(6);
  for (let i = 0; i < 60_000; i++) counts[r.nextInt(6)]++;
  for (const c of counts) assert.ok(Math.abs(c - 10_000) < 400, `bucket ${c}`);
  assert.throws(() => r.nextInt(0), RangeError);
});

test('shuffle is a permutation and is reproducible', () => {
  const a = new Random(1).shuffle(Int32Array.from({ length: 20 }, (_, i) => i));
  const b = new Random(1).shuffle(Int32Array.from({ length: 20 }, (_, i) => i));
  assert.deepEqual(a, b);
  assert.deepEqual([...a].sort((x, y) => x - y), Array.from({ length: 20 }, (_, i) => i));
  assert.notDeepEqual([...a], Array.from({ length: 20 }, (_, i) => i));
});

// Computed independently with a Python implementation of splitmix32 + xoshiro128**.
const PINNED_SEED0 = [1789933344, 44971166, 2521387044];
