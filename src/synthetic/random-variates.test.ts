import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../core/random.js';
import { cumulativeWeights, exponential, logNormal, normal, pickWeighted, poisson } from './random-variates.js';
import { streamRandom } from './stream-random.js';

const N = 100_000;

function moments(draw: () => number): { mean: number; variance: number } {
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < N; i++) {
    const x = draw();
    sum += x;
    sq += x * x;
  }
  const mean = sum / N;
  return { mean, variance: sq / N - mean * mean };
}

// Tolerances are about 5 standard errors of the estimate at N = 100,000, so a correct sampler fails < 1e-6 of the time.
test('normal(3, 2): mean 3 ± 0.03, variance 4 ± 0.1', () => {
  const rng = new Random(1);
  const m = moments(() => normal(rng, 3, 2));
  assert.ok(Math.abs(m.mean - 3) < 0.03, String(m.mean));
  assert.ok(Math.abs(m.variance - 4) < 0.1, String(m.variance));
});

test('exponential(7): mean 7 ± 0.12; logNormal(0, 0.5): median 1 ± 0.02', () => {
  const rng = new Random(2);
  assert.ok(Math.abs(moments(() => exponential(rng, 7)).mean - 7) < 0.12);
  const xs = Float64Array.from({ length: N }, () => logNormal(rng, 0, 0.5)).sort();
  assert.ok(Math.abs(xs[N / 2] - 1) < 0.02, String(xs[N / 2]));
});

test('poisson: mean = variance = λ for a small λ (Knuth) and a large one (normal approximation)', () => {
  for (const [seed, lambda, tolerance] of [[3, 0.8, 0.03], [4, 12, 0.12], [5, 60, 0.6]] as const) {
    const rng = new Random(seed);
    const m = moments(() => poisson(rng, lambda));
    assert.ok(Math.abs(m.mean - lambda) < tolerance, `λ=${lambda} mean ${m.mean}`);
    assert.ok(Math.abs(m.variance - lambda) < tolerance * 4, `λ=${lambda} variance ${m.variance}`);
  }
  assert.equal(poisson(new Random(6), 0), 0);
  assert.equal(poisson(new Random(6), -1), 0);
});

test('cumulativeWeights normalizes and ends at exactly 1; pickWeighted follows the weights, never picks weight 0', () => {
  assert.deepEqual([...cumulativeWeights([1, 1, 2])], [0.25, 0.5, 1]);
  const cumulative = cumulativeWeights([0.3, 0, 0.7]);
  const rng = new Random(7);
  const counts = [0, 0, 0];
  for (let i = 0; i < N; i++) counts[pickWeighted(rng, cumulative)]++;
  assert.equal(counts[1], 0);
  assert.ok(Math.abs(counts[0] / N - 0.3) < 0.008, String(counts[0] / N));
});

test('streams: the same seed and name repeat; another name or seed gives another stream', () => {
  const first = (r: Random) => [r.nextUint32(), r.nextUint32(), r.nextUint32()];
  assert.deepEqual(first(streamRandom(42, 'customers')), first(streamRandom(42, 'customers')));
  assert.notDeepEqual(first(streamRandom(42, 'customers')), first(streamRandom(42, 'labels')));
  assert.notDeepEqual(first(streamRandom(42, 'customers')), first(streamRandom(43, 'customers')));
});
