import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chiSquareTest } from './chi-square-test.js';
import { DRIFT_TESTS, defaultDriftTest, driftTestForReference, findDriftTest } from './drift-tests.js';
import { jensenShannonDistance, jensenShannonTest } from './jensen-shannon-test.js';
import { ksStatistic, ksTest } from './ks-test.js';
import { wassersteinDistance, wassersteinTest } from './wasserstein-test.js';

const f64 = (values: number[]) => Float64Array.from(values);
const range = (from: number, to: number) => Float64Array.from({ length: to - from }, (_, k) => from + k);

function close(actual: number | null, expected: number, tolerance: number, label: string): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `${label}: got ${actual}, expected ${expected} ± ${tolerance}`);
}

test('ksStatistic: disjoint samples, interleaved samples and ties', () => {
  assert.deepEqual(ksStatistic(f64([1, 2, 3]), f64([4, 5, 6])), { d: 1, scaledD: 9 });
  // ECDF gaps at 1,2,3,4,5,6: 1/3, 2/3, 1/3, 2/3, 1/3, 0.
  assert.deepEqual(ksStatistic(f64([1, 2, 4]), f64([3, 5, 6])), { d: 6 / 9, scaledD: 6 });
  // Ties advance both ECDFs together: gaps at 1,2,3,4 are 1/4, 0, 1/4, 0.
  assert.deepEqual(ksStatistic(f64([1, 2, 2, 3]), f64([2, 2, 2, 4])), { d: 0.25, scaledD: 4 });
  assert.deepEqual(ksStatistic(f64([]), f64([1])), { d: 0, scaledD: 0 });
});

test('ksTest: exact p-values for small samples', () => {
  const disjoint = ksTest(f64([1, 2, 3]), f64([4, 5, 6]));
  assert.equal(disjoint.method, 'exact');
  close(disjoint.pValue, 0.1, 1e-15, 'D=1, n=m=3 → 2/20');
  assert.equal(disjoint.drifted, false, 'p = 0.1 is not below 0.05');
  // SciPy 1.17 ks_2samp(1..20, 7..36, method="exact") = 0.0013473679457084095, D = 8/15.
  const shifted = ksTest(range(1, 21), range(7, 37));
  close(shifted.statistic, 8 / 15, 1e-15, 'D');
  close(shifted.pValue, 0.0013473679457084095, 1e-12, 'p exact');
  assert.equal(shifted.drifted, true);
  assert.equal(shifted.threshold, 0.05);
  assert.equal(ksTest(f64([1, 2, 3]), f64([4, 5, 6]), 0.2).drifted, true, 'a custom threshold is honoured');
});

test('ksTest: asymptotic p-values above 10,000 values agree with SciPy within 2%', () => {
  // SciPy 1.17 ks_2samp(arange(20000), arange(20000)+400, method="asymp"): D = 0.02, p = 6.6168e-4.
  const big = ksTest(range(0, 20000), range(400, 20400));
  assert.equal(big.method, 'asymptotic');
  close(big.statistic, 0.02, 1e-15, 'D');
  close(big.pValue, 6.616848639386923e-4, 6.6e-4 * 0.02, 'p');
  assert.equal(big.drifted, true);
  // SciPy: arange(12000) vs arange(12000)+90: D = 0.0075, p = 0.88586.
  const near = ksTest(range(0, 12000), range(90, 12090));
  close(near.pValue, 0.8858612961769967, 0.8858 * 0.02, 'p');
  assert.equal(near.drifted, false);
});

test('chiSquareTest: Pearson statistic, df and p on hand-worked counts', () => {
  // Expected [50,30,20]; χ² = 20²/50 + 0 + 20²/20 = 28, df = 2, p = e^{−14}.
  const drifted = chiSquareTest(f64([50, 30, 20]), f64([30, 30, 40]));
  close(drifted.statistic, 28, 1e-12, 'χ²');
  close(drifted.pValue, Math.exp(-14), 1e-18, 'p');
  assert.equal(drifted.drifted, true);
  // Reference proportions are scaled to the current total: [100,60,40] → expected [50,30,20]; χ² = 0.5 + 5/6.
  const stable = chiSquareTest(f64([100, 60, 40]), f64([45, 35, 20]));
  close(stable.statistic, 0.5 + 25 / 30, 1e-12, 'χ²');
  close(stable.pValue, Math.exp(-(0.5 + 25 / 30) / 2), 1e-12, 'p');
  assert.equal(stable.drifted, false);
  // df = 1 at the 5% critical value 3.841 (tables): 2 categories, expected [50,50], observed [50+a, 50−a], χ² = a²/25.
  const a = Math.sqrt(3.841 * 25);
  close(chiSquareTest(f64([1, 1]), f64([50 + a, 50 - a])).pValue, 0.05, 2e-4, 'χ²=3.841, df=1');
});

test('chiSquareTest: a new category is drift; empty categories are dropped', () => {
  const fresh = chiSquareTest(f64([10, 10, 0]), f64([5, 5, 1]));
  assert.equal(fresh.statistic, Number.POSITIVE_INFINITY);
  assert.equal(fresh.pValue, 0);
  assert.equal(fresh.drifted, true);
  const same = chiSquareTest(f64([10, 10, 0]), f64([10, 10, 0]));
  assert.equal(same.statistic, 0);
  assert.equal(same.pValue, 1);
  const single = chiSquareTest(f64([10, 0]), f64([7, 0]));
  assert.equal(single.pValue, 1, 'one category has nothing to compare');
});

test('registry lists each test once with its descriptor, and picks defaults by type', () => {
  assert.deepEqual([...DRIFT_TESTS.keys()], ['ks', 'chi_square', 'wasserstein', 'jensen_shannon']);
  assert.equal(driftTestForReference('numeric', 1000).descriptor.name, 'ks');
  assert.equal(driftTestForReference('numeric', 1001).descriptor.name, 'wasserstein');
  assert.equal(driftTestForReference('categorical', 1000).descriptor.name, 'chi_square');
  assert.equal(driftTestForReference('categorical', 32561).descriptor.name, 'jensen_shannon');
  assert.deepEqual(findDriftTest('ks')?.descriptor.allowedTypes, ['numeric']);
  assert.equal(findDriftTest('chi_square')?.descriptor.defaultThreshold, 0.05);
  assert.equal(findDriftTest('psi'), undefined);
  assert.equal(defaultDriftTest('numeric').descriptor.name, 'ks');
  assert.equal(defaultDriftTest('categorical').descriptor.name, 'chi_square');
  const viaRegistry = defaultDriftTest('categorical').run({ type: 'categorical', reference: f64([50, 30, 20]), current: f64([30, 30, 40]) }, 0.05);
  close(viaRegistry.statistic, 28, 1e-12, 'registry run');
});

test('wassersteinTest: W1 by merge, normed by the reference population std (SciPy 1.17 values)', () => {
  // scipy.stats.wasserstein_distance([0,1,2,3],[1,2,3,4]) = 1.0; numpy.std([0,1,2,3]) = √1.25.
  close(wassersteinDistance(f64([0, 1, 2, 3]), f64([1, 2, 3, 4])), 1, 1e-15, 'W1 shift by 1');
  // scipy.stats.wasserstein_distance([0,0,1,5],[2,3]) = 2.0 (ties in the reference).
  close(wassersteinDistance(f64([0, 0, 1, 5]), f64([2, 3])), 2, 1e-15, 'W1 with ties');
  const shifted = wassersteinTest(f64([0, 1, 2, 3]), f64([1, 2, 3, 4]));
  close(shifted.statistic, 1 / Math.sqrt(1.25), 1e-15, 'normed');
  assert.deepEqual([shifted.pValue, shifted.threshold, shifted.drifted], [null, 0.1, true]);
  const same = wassersteinTest(f64([0, 1, 2, 3]), f64([0, 1, 2, 3]));
  assert.deepEqual([same.statistic, same.drifted], [0, false]);
  // A constant reference has σ = 0; the norm falls back to 0.001 as Evidently does.
  close(wassersteinTest(f64([5, 5]), f64([5, 5.0001])).statistic, 0.00005 / 0.001, 1e-9, 'σ floor');
});

test('jensenShannonTest: natural-log JS distance on category shares (SciPy 1.17 values)', () => {
  // scipy.spatial.distance.jensenshannon([0.5,0.5],[0.9,0.1]) = 0.31898154347735663
  close(jensenShannonDistance(f64([5, 5]), f64([9, 1])), 0.31898154347735663, 1e-14, 'two categories');
  // jensenshannon([50,30,20],[30,30,40]) = 0.17211473103812178 (counts are normalized first)
  const drifted = jensenShannonTest(f64([50, 30, 20]), f64([30, 30, 40]));
  close(drifted.statistic, 0.17211473103812178, 1e-14, 'three categories');
  assert.deepEqual([drifted.pValue, drifted.drifted], [null, true]);
  const same = jensenShannonTest(f64([50, 30, 20]), f64([5, 3, 2]));
  assert.ok(same.statistic < 1e-7 && !same.drifted, 'equal shares');
  // A category only the current data has gets share 0.0001 in the reference, then both sides are renormalized.
  const p = [0.5 / 1.0001, 0.5 / 1.0001, 0.0001 / 1.0001];
  const q = [0.25, 0.25, 0.5];
  let divergence = 0;
  for (let b = 0; b < 3; b++) {
    const m = (p[b] + q[b]) / 2;
    divergence += 0.5 * (p[b] * Math.log(p[b] / m) + q[b] * Math.log(q[b] / m));
  }
  close(jensenShannonDistance(f64([10, 10, 0]), f64([1, 1, 2])), Math.sqrt(divergence), 1e-14, 'new category');
});
