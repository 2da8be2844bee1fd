import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleRatioMismatch } from './sample-ratio-mismatch.js';
import { assertInvalid, close, referenceNormalCdf } from './statistics-test-support.js';

test('SRM chi-square on a 50/50 split', () => {
  // Expected 50 500 each: χ² = 2·500²/50 500 = 9.90099; with df = 1, p = 2(1 − Φ(√χ²)) = 0.001652.
  const r = sampleRatioMismatch([50_000, 51_000], [0.5, 0.5]);
  close(r.chiSquare, (2 * 500 * 500) / 50_500, 1e-9, 'χ²');
  assert.equal(r.df, 1);
  close(r.pValue, 2 * (1 - referenceNormalCdf(Math.sqrt(r.chiSquare))), 1e-6, 'p');
  assert.equal(r.mismatch, false, 'not below the default 0.001');
  assert.equal(sampleRatioMismatch([50_000, 51_000], [1, 1], { alpha: 0.01 }).mismatch, true);
});

test('SRM with three unequal weights uses df = 2, where p = e^{−χ²/2}', () => {
  // Weights 2:1:1 over 4000 units → expected 2000, 1000, 1000.
  const r = sampleRatioMismatch([2100, 950, 950], [2, 1, 1]);
  const chi = 100 ** 2 / 2000 + 50 ** 2 / 1000 + 50 ** 2 / 1000; // 10
  close(r.chiSquare, chi, 1e-9, 'χ²');
  assert.equal(r.df, 2);
  close(r.pValue, Math.exp(-chi / 2), 1e-12, 'p = e^{−5}');
  assert.equal(r.mismatch, false);
  const exact = sampleRatioMismatch([2000, 1000, 1000], [2, 1, 1]);
  assert.equal(exact.chiSquare, 0);
  assert.equal(exact.pValue, 1);
});

test('SRM with a zero-weight arm', () => {
  const ignored = sampleRatioMismatch([500, 500, 0], [1, 1, 0]);
  assert.equal(ignored.df, 1);
  assert.equal(ignored.chiSquare, 0);
  const leaked = sampleRatioMismatch([500, 500, 3], [1, 1, 0]);
  assert.equal(leaked.pValue, 0);
  assert.equal(leaked.mismatch, true);
  const empty = sampleRatioMismatch([0, 0], [1, 1]);
  assert.equal(empty.pValue, 1);
});

test('SRM rejects bad input', () => {
  assertInvalid(() => sampleRatioMismatch([1, 2, 3], [1, 1]), 'weights');
  assertInvalid(() => sampleRatioMismatch([1, -2], [1, 1]), 'observed[1]');
  assertInvalid(() => sampleRatioMismatch([1, 2.5], [1, 1]), 'observed[1]');
  assertInvalid(() => sampleRatioMismatch([1, 2], [1, -1]), 'weights[1]');
  assertInvalid(() => sampleRatioMismatch([1, 2], [1, 0]), 'weights');
  assertInvalid(() => sampleRatioMismatch([1, 2], [1, 1], { alpha: 2 }), 'alpha');
});
