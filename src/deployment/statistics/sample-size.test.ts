import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleSizeMeans, sampleSizeProportions } from './sample-size.js';
import { assertInvalid, close } from './statistics-test-support.js';

// Normal quantiles from standard tables: z_{0.975} = 1.959964, z_{0.8} = 0.841621, z_{0.9} = 1.281552.
const Z975 = 1.959964;
const Z80 = 0.841621;
const Z90 = 1.281552;

test('proportions: the normal-approximation formula, checked against its closed form and R\'s power.prop.test', () => {
  // Formula: n = (z_{1−α/2}·√(2p̄q̄) + z_{1−β}·√(p1q1 + p2q2))² / δ² (equal arms).
  // R: power.prop.test(p1 = 0.5, p2 = 0.75, power = 0.9) → n = 76.7 per group.
  const r = sampleSizeProportions({ baselineRate: 0.5, minimumDetectableEffect: 0.25, power: 0.9 });
  const closed = (Z975 * Math.sqrt(2 * 0.625 * 0.375) + Z90 * Math.sqrt(0.25 + 0.1875)) ** 2 / 0.0625;
  close(r.exactPerArmA, closed, 1e-4, 'closed form');
  close(r.exactPerArmA, 76.7, 0.05, 'R power.prop.test');
  assert.deepEqual([r.perArmA, r.perArmB, r.total], [77, 77, 154]);
  // A typical web experiment: 10% → 12% at 80% power: (1.959964·√(2·0.11·0.89) + 0.841621·√(0.09 + 0.1056))² / 0.0004.
  const web = sampleSizeProportions({ baselineRate: 0.1, minimumDetectableEffect: 0.02 });
  const webClosed = (Z975 * Math.sqrt(2 * 0.11 * 0.89) + Z80 * Math.sqrt(0.09 + 0.1056)) ** 2 / 0.0004;
  close(web.exactPerArmA, webClosed, 1e-3, '10% → 12%');
  assert.equal(web.perArmA, Math.ceil(webClosed));
  // A decrease needs the same formula with p2 < p1.
  const down = sampleSizeProportions({ baselineRate: 0.12, minimumDetectableEffect: -0.02 });
  close(down.exactPerArmA, webClosed, 1e-3, 'symmetric in the direction of the change for k = 1');
});

test('proportions with unequal arms (ratio = nB/nA)', () => {
  // k = 2: p̄ = (p1 + 2p2)/3; nA = (z√(p̄q̄(1 + 1/2)) + z_β√(p1q1 + p2q2/2))² / δ², nB = 2nA.
  const p1 = 0.2;
  const p2 = 0.25;
  const pBar = (p1 + 2 * p2) / 3;
  const nA = (Z975 * Math.sqrt(pBar * (1 - pBar) * 1.5) + Z80 * Math.sqrt(p1 * 0.8 + (p2 * 0.75) / 2)) ** 2 / 0.0025;
  const r = sampleSizeProportions({ baselineRate: p1, minimumDetectableEffect: 0.05, ratio: 2 });
  close(r.exactPerArmA, nA, 1e-3, 'nA for k = 2');
  assert.equal(r.perArmB, Math.ceil(2 * nA));
  assert.equal(r.total, r.perArmA + r.perArmB);
});

test('means: t-corrected formula against R\'s power.t.test', () => {
  // R: power.t.test(delta = 1, sd = 1, power = 0.9) → n = 22.02110; the normal approximation alone gives
  // 2(1.959964 + 1.281552)² = 21.0148. The t fixed point solves n = 2(t_{.975,2n−2} + t_{.9,2n−2})².
  const r = sampleSizeMeans({ standardDeviation: 1, minimumDetectableEffect: 1, power: 0.9 });
  close(r.exactPerArmA, 22.0211, 0.05, 'close to power.t.test');
  assert.ok(r.exactPerArmA > 2 * (Z975 + Z90) ** 2, 'above the normal approximation');
  assert.equal(r.perArmA, 23);
  // Large n: the t and normal answers agree; σ = 10, δ = 1, 80% power → 2·100·(1.959964 + 0.841621)² = 1569.7.
  const big = sampleSizeMeans({ standardDeviation: 10, minimumDetectableEffect: 1 });
  close(big.exactPerArmA, 2 * 100 * (Z975 + Z80) ** 2, 1.5, 'large-sample limit');
  // R: power.t.test(delta = 1, sd = 1, power = 0.8) → n = 16.71477.
  close(sampleSizeMeans({ standardDeviation: 1, minimumDetectableEffect: 1 }).exactPerArmA, 16.71477, 0.05, 'power 0.8');
});

test('sample size rejects bad input', () => {
  assertInvalid(() => sampleSizeProportions({ baselineRate: 0, minimumDetectableEffect: 0.1 }), 'baselineRate');
  assertInvalid(() => sampleSizeProportions({ baselineRate: 0.9, minimumDetectableEffect: 0.2 }), 'minimumDetectableEffect');
  assertInvalid(() => sampleSizeProportions({ baselineRate: 0.5, minimumDetectableEffect: 0 }), 'minimumDetectableEffect');
  assertInvalid(() => sampleSizeProportions({ baselineRate: 0.5, minimumDetectableEffect: 0.1, alpha: 0 }), 'alpha');
  assertInvalid(() => sampleSizeProportions({ baselineRate: 0.5, minimumDetectableEffect: 0.1, power: 1 }), 'power');
  assertInvalid(() => sampleSizeProportions({ baselineRate: 0.5, minimumDetectableEffect: 0.1, ratio: -1 }), 'ratio');
  assertInvalid(() => sampleSizeMeans({ standardDeviation: 0, minimumDetectableEffect: 1 }), 'standardDeviation');
  assertInvalid(() => sampleSizeMeans({ standardDeviation: 1, minimumDetectableEffect: Number.NaN }), 'minimumDetectableEffect');
});
