import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logGamma } from '../../core/stats/index.js';
import { Random } from '../../core/random.js';
import { epsilonGreedyChoose, thompsonChoose } from './bandit-policies.js';
import { assertInvalid, close } from './statistics-test-support.js';

/**
 * P(X_B > X_A) for X_A ~ Beta(aA, bA), X_B ~ Beta(aB, bB) by plain numerical integration, independent of the
 * incomplete beta: F_B is accumulated with the midpoint rule on a fine grid, then Σ f_A(x)(1 − F_B(x))·h.
 */
function integrateBBeatsA(aA: number, bA: number, aB: number, bB: number, cells = 200_000): number {
  const h = 1 / cells;
  const logDensity = (x: number, a: number, b: number) =>
    logGamma(a + b) - logGamma(a) - logGamma(b) + (a - 1) * Math.log(x) + (b - 1) * Math.log(1 - x);
  let cdfB = 0;
  let total = 0;
  for (let i = 0; i < cells; i++) {
    const x = (i + 0.5) * h;
    const fB = Math.exp(logDensity(x, aB, bB));
    // F_B at the cell midpoint: everything to the left plus half of this cell.
    const cdfMid = cdfB + (fB * h) / 2;
    total += Math.exp(logDensity(x, aA, bA)) * (1 - cdfMid) * h;
    cdfB += fB * h;
  }
  return total;
}

test('Thompson propensities for two arms equal the exact P(X_B > X_A)', () => {
  const cases: [number, number, number, number][] = [[12, 88, 20, 80], [0, 0, 0, 0], [3, 1, 1, 3], [150, 850, 170, 830], [0, 10, 2, 8]];
  for (const [sA, fA, sB, fB] of cases) {
    const { propensities, arm } = thompsonChoose([{ successes: sA, failures: fA }, { successes: sB, failures: fB }], new Random(sA + sB));
    const exact = integrateBBeatsA(1 + sA, 1 + fA, 1 + sB, 1 + fB);
    close(propensities[1], exact, 2e-7, `P(B > A) for ${sA}/${fA} vs ${sB}/${fB}`);
    close(propensities[0] + propensities[1], 1, 1e-15, 'sum to 1');
    assert.ok(arm === 0 || arm === 1);
  }
  // Identical evidence: exactly ½ by symmetry.
  const even = thompsonChoose([{ successes: 5, failures: 5 }, { successes: 5, failures: 5 }], new Random(1)).propensities;
  close(even[1], 0.5, 1e-9, 'symmetric arms');
});

test('Thompson sampling serves arms in proportion to their propensity', () => {
  const arms = [{ successes: 12, failures: 88 }, { successes: 20, failures: 80 }];
  const rng = new Random(77);
  let chosenB = 0;
  const rounds = 2000;
  let pB = 0;
  for (let i = 0; i < rounds; i++) {
    const choice = thompsonChoose(arms, rng);
    pB = choice.propensities[1];
    if (choice.arm === 1) chosenB++;
  }
  // Binomial standard error √(p(1−p)/n) ≈ 0.0055; 4 standard errors.
  close(chosenB / rounds, pB, 4 * Math.sqrt((pB * (1 - pB)) / rounds), 'served share');
});

test('Thompson propensities for many arms are Monte-Carlo shares that sum to 1', () => {
  const arms = [{ successes: 12, failures: 88 }, { successes: 20, failures: 80 }, { successes: 15, failures: 85 }, { successes: 0, failures: 0 }];
  const r = thompsonChoose(arms, new Random(5), { draws: 20_000 });
  close(r.propensities.reduce((s, p) => s + p, 0), 1, 1e-12, 'sum');
  assert.ok(r.propensities[r.arm] > 0, 'the served arm has a positive propensity');
  for (const p of r.propensities) assert.ok(Number.isInteger(p * 20_000), 'a share of the draws');
  // Same seed, same answer.
  assert.deepEqual(thompsonChoose(arms, new Random(5), { draws: 20_000 }), r);
  // With a third arm that cannot win, the Monte-Carlo share of arm 1 must match the exact two-arm probability.
  const two = thompsonChoose([{ successes: 12, failures: 88 }, { successes: 20, failures: 80 }, { successes: 0, failures: 5000 }], new Random(8), { draws: 20_000 });
  const exact = integrateBBeatsA(13, 89, 21, 81);
  close(two.propensities[1], exact, 4 * Math.sqrt((exact * (1 - exact)) / 20_000), 'MC share vs exact');
  assert.equal(two.propensities[2], 0);
  assert.deepEqual(thompsonChoose([{ successes: 3, failures: 4 }], new Random(1)), { arm: 0, propensities: [1] });
});

test('ε-greedy propensities are exact', () => {
  const r = epsilonGreedyChoose([0.1, 0.12, 0.09], 0.1, new Random(3));
  close(r.propensities[1], 1 - 0.1 + 0.1 / 3, 1e-15, 'best arm 1 − ε + ε/k');
  close(r.propensities[0], 0.1 / 3, 1e-15, 'other arm ε/k');
  close(r.propensities[2], 0.1 / 3, 1e-15, 'other arm ε/k');
  // A tie shares the greedy mass.
  const tie = epsilonGreedyChoose([0.5, 0.2, 0.5, 0.1], 0.2, new Random(3));
  assert.deepEqual(tie.propensities.map((p) => Number(p.toFixed(12))), [0.45, 0.05, 0.45, 0.05]);
  // Served frequencies follow the propensities.
  const rng = new Random(11);
  const counts = [0, 0, 0];
  const rounds = 30_000;
  for (let i = 0; i < rounds; i++) counts[epsilonGreedyChoose([0.1, 0.12, 0.09], 0.3, rng).arm]++;
  close(counts[1] / rounds, 0.7 + 0.1, 4 * Math.sqrt((0.8 * 0.2) / rounds), 'best arm served share');
  assert.deepEqual(epsilonGreedyChoose([1, 2], 0, new Random(1)), { arm: 1, propensities: [0, 1] });
});

test('bandit policies reject bad input', () => {
  const rng = new Random(1);
  assertInvalid(() => thompsonChoose([], rng), 'arms');
  assertInvalid(() => thompsonChoose([{ successes: -1, failures: 0 }], rng), 'arms[0].successes');
  assertInvalid(() => thompsonChoose([{ successes: 1, failures: Number.NaN }], rng), 'arms[0].failures');
  assertInvalid(() => thompsonChoose([{ successes: 1, failures: 1 }, { successes: 1, failures: 1 }, { successes: 1, failures: 1 }], rng, { draws: 0 }), 'draws');
  assertInvalid(() => epsilonGreedyChoose([], 0.1, rng), 'means');
  assertInvalid(() => epsilonGreedyChoose([0.1, 0.2], 1.5, rng), 'epsilon');
  assertInvalid(() => epsilonGreedyChoose([0.1, Number.NaN], 0.1, rng), 'means[1]');
});
