import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../core/random.js';
import { sampleBeta } from './beta-sampling.js';
import { assertInvalid, close } from './statistics-test-support.js';

test('Beta sampler matches the mean and variance over many seeded draws', () => {
  // Beta(a, b): mean a/(a+b), variance ab/((a+b)²(a+b+1)). With 40 000 draws the standard error of the sample mean is
  // √(var/40 000) and of the sample variance var·√(2/40 000) for normal-like kurtosis; tolerances are 4 standard
  // errors, doubled for the variance because skewed Betas (0.3, 2) have heavier fourth moments.
  const draws = 40_000;
  for (const [a, b] of [[1, 1], [2, 5], [0.5, 0.5], [0.3, 2], [30, 170], [500, 9500]] as const) {
    const rng = new Random(a * 1000 + b);
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < draws; i++) {
      const x = sampleBeta(a, b, rng);
      assert.ok(x >= 0 && x <= 1, `draw ${x} in [0, 1]`);
      sum += x;
      squares += x * x;
    }
    const mean = a / (a + b);
    const variance = (a * b) / ((a + b) ** 2 * (a + b + 1));
    const sampleMean = sum / draws;
    const sampleVariance = (squares - draws * sampleMean * sampleMean) / (draws - 1);
    close(sampleMean, mean, 4 * Math.sqrt(variance / draws), `mean of Beta(${a}, ${b})`);
    close(sampleVariance, variance, 4 * variance * Math.sqrt(2 / draws) * 2, `variance of Beta(${a}, ${b})`);
  }
});

test('Beta sampler is deterministic under a seed', () => {
  const rngA = new Random(9);
  const rngB = new Random(9);
  for (let i = 0; i < 5; i++) assert.equal(sampleBeta(3, 4, rngA), sampleBeta(3, 4, rngB));
  assert.notEqual(sampleBeta(3, 4, new Random(9)), sampleBeta(3, 4, new Random(10)));
});

test('Beta sampler rejects bad parameters', () => {
  const rng = new Random(1);
  assertInvalid(() => sampleBeta(0, 1, rng), 'alpha');
  assertInvalid(() => sampleBeta(1, -2, rng), 'beta');
  assertInvalid(() => sampleBeta(Number.NaN, 1, rng), 'alpha');
});
