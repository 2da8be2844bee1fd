import assert from 'node:assert/strict';
import { test } from 'node:test';
import { churnTruth } from './churn-truth.js';

const close = (actual: number, expected: number, tolerance = 1e-12) => assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} ≠ ${expected}`);

test('two customers: expected AUC 0.64/0.68, Bayes error 0.2, realized AUC from the drawn labels', () => {
  // P(the 0.8 customer churns and the 0.2 one stays) = 0.64 ranks right; the reverse (0.04) ranks wrong.
  const t = churnTruth(Float64Array.from([0.2, 0.8]), Uint8Array.from([0, 1]));
  close(t.expectedAuc, 0.64 / 0.68);
  close(t.bayesError, 0.2);
  close(t.meanProbability, 0.5);
  assert.equal(t.realizedAuc, 1);
  assert.equal(t.churnRate, 0.5);
  assert.equal(churnTruth(Float64Array.from([0.2, 0.8]), Uint8Array.from([1, 0])).realizedAuc, 0);
});

test('ties count half, in both AUCs', () => {
  const t = churnTruth(Float64Array.from([0.5, 0.5, 0.5]), Uint8Array.from([1, 0, 0]));
  close(t.expectedAuc, 0.5);
  close(t.realizedAuc, 0.5);
  // Hand-computed: p = [0.1, 0.4, 0.4, 0.9], labels [0, 1, 0, 1].
  const u = churnTruth(Float64Array.from([0.4, 0.1, 0.9, 0.4]), Uint8Array.from([1, 0, 1, 0]));
  // Realized: positives {0.4, 0.9} vs negatives {0.1, 0.4}: 0.9 beats both (2), 0.4 beats 0.1 and ties 0.4 (1.5) → 3.5/4.
  close(u.realizedAuc, 0.875);
  // Expected: numerator Σ over ordered pairs with p_i > p_j of p_i(1 − p_j), plus half of the tie pairs.
  const p = [0.1, 0.4, 0.4, 0.9];
  let num = 0;
  let den = 0;
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      if (i === j) continue;
      const w = p[i] * (1 - p[j]);
      den += w;
      num += p[i] > p[j] ? w : p[i] === p[j] ? w / 2 : 0;
    }
  }
  close(u.expectedAuc, num / den);
  close(u.bayesError, (0.1 + 0.4 + 0.4 + 0.1) / 4);
});

test('a mask selects customers; an empty class gives NaN AUCs', () => {
  const p = Float64Array.from([0.1, 0.7, 0.3, 0.9]);
  const y = Uint8Array.from([0, 1, 0, 0]);
  const t = churnTruth(p, y, Uint8Array.from([1, 0, 1, 1]));
  assert.equal(t.customers, 3);
  assert.equal(t.churned, 0);
  assert.ok(Number.isNaN(t.realizedAuc));
  close(t.meanProbability, (0.1 + 0.3 + 0.9) / 3);
});
