import assert from 'node:assert/strict';
import { test } from 'node:test';
import { armAt, unitBucket } from './unit-bucket.js';

const N = 20_000;
const units = Array.from({ length: N }, (_, i) => `user-${i}`);

test('a unit always lands in the same place, in [0, 1)', () => {
  for (const u of units.slice(0, 100)) {
    const b = unitBucket('dep-1', u);
    assert.ok(b >= 0 && b < 1);
    assert.equal(unitBucket('dep-1', u), b);
  }
});

test('buckets are uniform: a 50/50 split within 4 sd of N/2, deciles pass chi-square at p = 0.001', () => {
  const buckets = units.map((u) => unitBucket('dep-abc', u));
  const inA = buckets.filter((b) => armAt([0.5, 0.5], b) === 0).length;
  // Binomial(N, 1/2): sd = sqrt(N)/2.
  assert.ok(Math.abs(inA - N / 2) < 4 * (Math.sqrt(N) / 2), `A got ${inA}`);
  const counts = new Array<number>(10).fill(0);
  for (const b of buckets) counts[Math.floor(b * 10)]++;
  const chi2 = counts.reduce((s, c) => s + (c - N / 10) ** 2 / (N / 10), 0);
  assert.ok(chi2 < 27.877, `chi² = ${chi2} (critical value df 9, p 0.001: 27.877)`);
});

test('growing the canary share keeps every canary unit on the canary', () => {
  const steps = [0.05, 0.25, 0.5, 1];
  for (const u of units.slice(0, 5000)) {
    const b = unitBucket('dep-canary', u);
    let wasCanary = false;
    for (const p of steps) {
      const isCanary = armAt([1 - p, p], b) === 1;
      if (wasCanary) assert.ok(isCanary, `${u} left the canary at ${p}`);
      wasCanary = isCanary;
    }
  }
});

test('two deployments place units independently (joint 50/50 membership ≈ 1/4)', () => {
  const both = units.filter((u) => unitBucket('dep-x', u) < 0.5 && unitBucket('dep-y', u) < 0.5).length / N;
  assert.ok(Math.abs(both - 0.25) < 4 * Math.sqrt((0.25 * 0.75) / N), `joint share ${both}`);
});

test('armAt: slices in arm order, the rounding remainder to the last weighted arm', () => {
  assert.deepEqual([0, 0.49, 0.5, 0.99].map((u) => armAt([0.5, 0.5], u)), [0, 0, 1, 1]);
  assert.deepEqual([0, 0.3, 0.35, 0.999].map((u) => armAt([0.1, 0.2, 0.7], u)), [0, 1, 2, 2]);
  assert.equal(armAt([0.3333333, 0.3333333, 0.3333333], 0.99999999), 2);
  assert.equal(armAt([1, 0], 0.9999), 0);
});
