import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../core/random.js';
import { normalDraw } from '../../training/tuning/normal-distribution.js';
import { msprt, msprtProportions } from './msprt.js';
import { assertInvalid, close, referenceNormalCdf } from './statistics-test-support.js';

/** Λ written out directly from Johari, Pekelis & Walsh (2017), eq. for the normal mixture. */
function lambdaClosedForm(theta: number, v: number, tau2: number): number {
  return Math.sqrt(v / (v + tau2)) * Math.exp((tau2 * theta * theta) / (2 * v * (v + tau2)));
}

test('mSPRT likelihood ratio, p-value and always-valid CI match the closed form', () => {
  const a = { n: 400, mean: 10, variance: 4 };
  const b = { n: 500, mean: 10.5, variance: 5 };
  const v = 4 / 400 + 5 / 500; // 0.02
  const tau2 = 0.05;
  const r = msprt(a, b, { tau2 });
  const lambda = lambdaClosedForm(0.5, v, tau2);
  close(r.likelihoodRatio, lambda, 1e-12 * lambda, 'Λ');
  // By hand: √(0.02/0.07) · exp(0.05·0.25/(2·0.02·0.07)) = 0.534522 · exp(4.464286) = 0.534522 · 86.8583 = 46.4281.
  close(r.likelihoodRatio, 46.4281, 1e-3, 'Λ by hand');
  close(r.pValue, 1 / lambda, 1e-15, 'p = 1/Λ');
  assert.equal(r.significant, true);
  // The CI edges are exactly where Λ(θ) = 1/α: check by evaluating Λ at the edges with θ̂ − θ.
  for (const edge of [r.ci.low, r.ci.high]) close(lambdaClosedForm(0.5 - edge, v, tau2), 1 / 0.05, 1e-9, `Λ at CI edge ${edge}`);
  assert.ok(r.ci.low > 0 && r.ci.high > 0.5);
  // Monotone: a larger previous p is replaced; a smaller one is kept.
  close(msprt(a, b, { tau2, previousPValue: 0.5 }).pValue, 1 / lambda, 1e-15, 'min with larger previous');
  assert.equal(msprt(a, b, { tau2, previousPValue: 0.001 }).pValue, 0.001);
  // A previous CI is intersected.
  const narrowed = msprt(a, b, { tau2, previousCi: { low: 0.3, high: 0.6, level: 0.95 } });
  assert.equal(narrowed.ci.high, 0.6);
  close(narrowed.ci.low, Math.max(0.3, r.ci.low), 1e-15, 'intersected low');
  // Default τ² = 0.01·(σ²_A + σ²_B)/2 = 0.045.
  close(msprt(a, b).likelihoodRatio, lambdaClosedForm(0.5, v, 0.045), 1e-9, 'default τ²');
});

test('mSPRT on proportions uses Bernoulli variances', () => {
  const r = msprtProportions({ successes: 480, total: 10_000 }, { successes: 560, total: 10_000 }, { tau2: 1e-4 });
  const v = (0.048 * 0.952 + 0.056 * 0.944) / 10_000;
  close(r.likelihoodRatio, lambdaClosedForm(0.008, v, 1e-4), 1e-9, 'Λ for proportions');
  const none = msprtProportions({ successes: 0, total: 10 }, { successes: 0, total: 12 });
  assert.equal(none.likelihoodRatio, 1);
  assert.equal(none.pValue, 1);
  assert.equal(none.ci.low, Number.NEGATIVE_INFINITY);
});

test('peeking every 100 samples: mSPRT keeps the false-positive rate ≤ α, naive z-tests do not', () => {
  // 200 A/A experiments, N(0, 1) in both arms, 2000 units per arm, a look after every 100 units (20 looks).
  const runs = 200;
  const alpha = 0.05;
  const rng = new Random(20261126);
  let msprtFalse = 0;
  let naiveFalse = 0;
  for (let run = 0; run < runs; run++) {
    const sums = [0, 0];
    const squares = [0, 0];
    let p = 1;
    let msprtHit = false;
    let naiveHit = false;
    for (let n = 1; n <= 2000; n++) {
      for (let arm = 0; arm < 2; arm++) {
        const x = normalDraw(rng);
        sums[arm] += x;
        squares[arm] += x * x;
      }
      if (n % 100 !== 0) continue;
      const summary = (arm: number) => ({ n, mean: sums[arm] / n, variance: (squares[arm] - (sums[arm] * sums[arm]) / n) / (n - 1) });
      const look = msprt(summary(0), summary(1), { tau2: 0.01, previousPValue: p, alpha });
      p = look.pValue;
      if (look.significant) msprtHit = true;
      const a = summary(0);
      const b = summary(1);
      const z = (b.mean - a.mean) / Math.sqrt(a.variance / n + b.variance / n);
      if (2 * (1 - referenceNormalCdf(Math.abs(z))) < alpha) naiveHit = true;
    }
    if (msprtHit) msprtFalse++;
    if (naiveHit) naiveFalse++;
  }
  // Largest count a Binomial(200, 0.05) exceeds with probability ≤ 1%: if the true rate were α, seeing more than
  // this would happen less than 1% of the time.
  let tail = 1;
  let bound = -1;
  let pmf = 0.95 ** runs;
  while (tail > 0.01) {
    tail -= pmf;
    bound++;
    pmf = (pmf * (runs - bound) * alpha) / ((bound + 1) * (1 - alpha));
  }
  console.log(`# A/A peeking: mSPRT ${msprtFalse}/${runs}, naive ${naiveFalse}/${runs}, bound ${bound}`);
  assert.ok(bound >= 15 && bound <= 20, `binomial bound ${bound}`);
  assert.ok(msprtFalse <= bound, `mSPRT false positives ${msprtFalse} > ${bound}`);
  assert.ok(naiveFalse > bound, `naive peeking false positives ${naiveFalse} should exceed ${bound}`);
});

test('mSPRT rejects bad input', () => {
  const ok = { n: 10, mean: 0, variance: 1 };
  assertInvalid(() => msprt({ n: 0, mean: 0, variance: 1 }, ok), 'a.n');
  assertInvalid(() => msprt(ok, { n: 5, mean: 0, variance: -2 }), 'b.variance');
  assertInvalid(() => msprt(ok, ok, { tau2: 0 }), 'tau2');
  assertInvalid(() => msprt(ok, ok, { alpha: 1 }), 'alpha');
  assertInvalid(() => msprt(ok, ok, { previousPValue: 0 }), 'previousPValue');
  assertInvalid(() => msprt(ok, ok, { previousCi: { low: 2, high: 1, level: 0.95 } }), 'previousCi');
  assertInvalid(() => msprtProportions({ successes: 5, total: 4 }, { successes: 1, total: 4 }), 'a.successes');
});
