import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertInvalid, close } from './statistics-test-support.js';
import { summarize, welchTTest } from './welch-test.js';

// Student's sleep data (Cushny & Peebles 1905, R's `sleep` data set): extra hours of sleep under two drugs.
const DRUG_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const DRUG_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

test('Welch t-test reproduces R\'s published output on the sleep data', () => {
  // R: t.test(extra ~ group, data = sleep) → t = -1.8608, df = 17.776, p-value = 0.07939,
  // 95 percent CI -3.3654832 0.2054832 (group 1 − group 2). Here difference = B − A, so signs flip.
  const r = welchTTest(summarize(DRUG_1), summarize(DRUG_2));
  close(r.difference, 1.58, 1e-12, 'difference');
  close(r.t, 1.8608, 5e-5, 't');
  close(r.df, 17.776, 5e-4, 'df');
  close(r.pValue, 0.07939, 5e-6, 'p');
  close(r.ci.low, -0.2054832, 5e-8, 'CI low');
  close(r.ci.high, 3.3654832, 5e-8, 'CI high');
  assert.equal(r.significant, false);
  // At alpha = 0.1 the same data are significant.
  assert.equal(welchTTest(summarize(DRUG_1), summarize(DRUG_2), { alpha: 0.1 }).significant, true);
});

test('summarize uses the n − 1 variance', () => {
  const s = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.equal(s.n, 8);
  close(s.mean, 5, 1e-15, 'mean');
  close(s.variance, 32 / 7, 1e-14, 'sample variance = Σ(x−x̄)²/(n−1) = 32/7');
  assert.deepEqual(summarize(Float64Array.of(3)), { n: 1, mean: 3, variance: 0 });
  // Large offset: Welford avoids the cancellation of Σx² − n·x̄².
  close(summarize([1e9 + 1, 1e9 + 2, 1e9 + 3]).variance, 1, 1e-6, 'shifted variance');
});

test('Welch t-test with zero variance in both arms', () => {
  const same = welchTTest({ n: 5, mean: 1, variance: 0 }, { n: 7, mean: 1, variance: 0 });
  assert.equal(same.t, 0);
  assert.equal(same.pValue, 1);
  const differ = welchTTest({ n: 5, mean: 1, variance: 0 }, { n: 7, mean: 2, variance: 0 });
  assert.equal(differ.t, Number.POSITIVE_INFINITY);
  assert.equal(differ.pValue, 0);
  assert.equal(differ.significant, true);
  // One arm constant: df collapses to the other arm's n − 1.
  close(welchTTest({ n: 5, mean: 1, variance: 0 }, { n: 9, mean: 2, variance: 4 }).df, 8, 1e-12, 'df = nB − 1');
});

test('Welch t-test and summarize reject bad input', () => {
  const ok = { n: 10, mean: 0, variance: 1 };
  assertInvalid(() => welchTTest({ n: 1, mean: 0, variance: 0 }, ok), 'a.n');
  assertInvalid(() => welchTTest(ok, { n: 10, mean: 0, variance: -1 }), 'b.variance');
  assertInvalid(() => welchTTest(ok, { n: 10, mean: Number.NaN, variance: 1 }), 'b.mean');
  assertInvalid(() => welchTTest(ok, { n: 3.5, mean: 0, variance: 1 }), 'b.n');
  assertInvalid(() => welchTTest(ok, ok, { alpha: -0.1 }), 'alpha');
  assertInvalid(() => summarize([]), 'values');
  assertInvalid(() => summarize([1, Number.POSITIVE_INFINITY]), 'values[1]');
});
