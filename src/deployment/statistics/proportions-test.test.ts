import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chiSquareSurvival } from '../../core/stats/index.js';
import { twoProportionZTest } from './proportions-test.js';
import { assertInvalid, close, referenceNormalCdf } from './statistics-test-support.js';

test('two-proportion z-test on a hand-worked example', () => {
  // Worked by hand: A 100/1000 = 0.10, B 130/1000 = 0.13. Pooled p̄ = 230/2000 = 0.115,
  // SE₀ = √(0.115·0.885·(2/1000)) = √0.00020355, z = 0.03 / SE₀ = 2.10274; p = 2(1 − Φ(2.10274)) = 0.03549.
  // Unpooled SE = √(0.09/1000 + 0.1131/1000) = √0.0002031; 95% CI 0.03 ± 1.959964·SE = [0.002068, 0.057932].
  const r = twoProportionZTest({ successes: 100, total: 1000 }, { successes: 130, total: 1000 });
  const z = 0.03 / Math.sqrt(0.115 * 0.885 * 0.002);
  close(r.z, z, 1e-12, 'z');
  close(r.z, 2.10274, 1e-5, 'z (4 decimals by hand)');
  close(r.pValue, 2 * (1 - referenceNormalCdf(z)), 2e-7, 'p (independent normal CDF)');
  close(r.pValue, 0.03549, 1e-5, 'p by hand');
  close(r.ci.low, 0.03 - 1.959964 * Math.sqrt(0.0002031), 1e-6, 'CI low');
  close(r.ci.high, 0.03 + 1.959964 * Math.sqrt(0.0002031), 1e-6, 'CI high');
  assert.equal(r.ci.level, 0.95);
  close(r.rateA, 0.1, 1e-15, 'rateA');
  close(r.rateB, 0.13, 1e-15, 'rateB');
  close(r.relativeLift ?? Number.NaN, 0.3, 1e-12, 'lift');
  assert.equal(r.significant, true);
  // At alpha = 0.01 the same data are not significant and the interval widens (z_{0.995} = 2.575829).
  const strict = twoProportionZTest({ successes: 100, total: 1000 }, { successes: 130, total: 1000 }, { alpha: 0.01 });
  assert.equal(strict.significant, false);
  close(strict.ci.high - strict.ci.low, 2 * 2.575829 * Math.sqrt(0.0002031), 1e-6, '99% CI width');
});

test('z² equals the Pearson chi-square of the 2×2 table (no continuity correction)', () => {
  const cases: [number, number, number, number][] = [[45, 500, 62, 480], [3, 40, 9, 35], [900, 1000, 870, 1000]];
  for (const [sa, na, sb, nb] of cases) {
    const r = twoProportionZTest({ successes: sa, total: na }, { successes: sb, total: nb });
    const n = na + nb;
    const cells = [[sa, na - sa], [sb, nb - sb]];
    const colTotals = [sa + sb, n - sa - sb];
    let chi = 0;
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        const e = ((i === 0 ? na : nb) * colTotals[j]) / n;
        chi += (cells[i][j] - e) ** 2 / e;
      }
    }
    close(r.z * r.z, chi, 1e-9, `z² vs χ² for ${sa}/${na} vs ${sb}/${nb}`);
    close(r.pValue, chiSquareSurvival(chi, 1), 1e-12, 'p from χ²(1)');
    assert.equal(Math.sign(r.z), Math.sign(sb / nb - sa / na));
  }
});

test('degenerate and zero-baseline cases', () => {
  const none = twoProportionZTest({ successes: 0, total: 50 }, { successes: 0, total: 70 });
  assert.equal(none.z, 0);
  assert.equal(none.pValue, 1);
  assert.equal(none.relativeLift, null);
  assert.equal(none.significant, false);
  const fromZero = twoProportionZTest({ successes: 0, total: 100 }, { successes: 10, total: 100 });
  assert.equal(fromZero.relativeLift, null);
  assert.ok(fromZero.pValue < 0.01);
});

test('two-proportion z-test rejects bad input', () => {
  const ok = { successes: 1, total: 10 };
  assertInvalid(() => twoProportionZTest({ successes: -1, total: 10 }, ok), 'a.successes');
  assertInvalid(() => twoProportionZTest(ok, { successes: 11, total: 10 }), 'b.successes');
  assertInvalid(() => twoProportionZTest(ok, { successes: 0, total: 0 }), 'b.total');
  assertInvalid(() => twoProportionZTest({ successes: 1, total: 2.5 }, ok), 'a.total');
  assertInvalid(() => twoProportionZTest(ok, ok, { alpha: 0 }), 'alpha');
  assertInvalid(() => twoProportionZTest(ok, ok, { alpha: 1.2 }), 'alpha');
});
