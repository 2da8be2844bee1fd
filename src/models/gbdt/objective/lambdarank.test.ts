import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveGbdtParams } from '../params/resolve-params.js';
import { createObjective } from './create-objective.js';
import type { Objective } from './objective.js';

function lambdarank(params: Record<string, unknown>, label: number[], sizes: number[], weight: number[] | null = null): Objective {
  const o = createObjective(resolveGbdtParams({ objective: 'lambdarank', ...params }));
  const bounds = Int32Array.from(sizes.reduce((b, s) => [...b, b.at(-1)! + s], [0]));
  o.init(Float64Array.from(label), weight === null ? null : Float64Array.from(weight), 'rel', bounds);
  return o;
}

function gradients(o: Objective, score: number[]): { g: Float64Array; h: Float64Array } {
  const g = new Float64Array(score.length);
  const h = new Float64Array(score.length);
  o.gradients(Float64Array.from(score), g, h);
  return { g, h };
}

/** |a − e| <= rel·|e| element-wise; rel covers LightGBM's 32-bit float accumulation (2^-24 per operation). */
function close(actual: ArrayLike<number>, expected: readonly number[], rel = 4e-7): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) <= rel * Math.abs(expected[i]), `[${i}] ${actual[i]} vs ${expected[i]}`);
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as { code: string }).code;
  }
  return 'no error';
}

// One query, labels [2, 0, 1], default gains 2^y − 1 = [3, 0, 1], discounts 1/log2(2 + rank) = [1, 1/log2 3, 1/2].
// Best DCG (labels 2, 1, 0 in order) M = 3 + 1/log2 3 = 3.6309297535714578.
const M = 3 + 1 / Math.log2(3);
const DISC = [1, 1 / Math.log2(3), 0.5];

test('lambdarank, one query of 3 documents at equal scores: hand-computed gradients and hessians (norm on)', () => {
  // All scores 0: ranks follow row order, ρ = 1/(1 + e^0) = 0.5 exactly, and no division by 0.01 + |Δs| (the
  // query's scores are all equal). Pairs (higher label first): (row0, row1) ΔNDCG = 3·(d0 − d1)/M,
  // (row0, row2) 2·(d0 − d2)/M, (row2, row1) 1·(d1 − d2)/M. Each pair adds λ = −ρ·ΔNDCG to the higher row, −λ to
  // the lower, and ρ(1 − ρ)·ΔNDCG to both hessians; then everything is scaled by log2(1 + Σ|2λ|)/Σ|2λ|.
  const d1 = (3 * (DISC[0] - DISC[1])) / M; // 0.3049386285142399
  const d2 = (2 * (DISC[0] - DISC[2])) / M; // 0.27541155237618664
  const d3 = (1 * (DISC[1] - DISC[2])) / M; // 0.036059566683346686
  const sum = d1 + d2 + d3;
  const f = Math.log2(1 + sum) / sum; // 1.1239162900883006
  const { g, h } = gradients(lambdarank({}, [2, 0, 1], [3]), [0, 0, 0]);
  close(g, [(-d1 / 2 - d2 / 2) * f, (d1 / 2 + d3 / 2) * f, (d2 / 2 - d3 / 2) * f]);
  close(h, [((d1 + d2) / 4) * f, ((d1 + d3) / 4) * f, ((d2 + d3) / 4) * f]);
  close(g, [-0.3261325111292212, 0.19162671323663885, 0.13450579789258235]);
  close(h, [0.1630662555646106, 0.09581335661831943, 0.08751686615076053]);
  // Gradients are 32-bit floats, as in LightGBM.
  for (const v of [...g, ...h]) assert.equal(Math.fround(v), v);
});

test('lambdarank with scores: ranks by score, ΔNDCG / (0.01 + |Δs|), and LightGBM\'s tabulated sigmoid', () => {
  // Scores [0.5, 1, −0.2] rank rows 1, 0, 2. With sigmoid 2, ρ(Δs) = 1/(1 + exp(2·Δs)) is read from LightGBM's
  // table: 2^20 bins over [−12.5, 12.5), taking the value at the left edge of Δs's bin.
  const sigmoid = 2;
  const min = -50 / sigmoid / 2;
  const factor = 2 ** 20 / (2 * -min);
  const rho = (ds: number): number => 1 / (1 + Math.exp((Math.trunc((ds - min) * factor) / factor + min) * sigmoid));
  const s = [0.5, 1, -0.2];
  const rank = [1, 0, 2];
  // Pairs (high, low) by label: (0, 1), (0, 2), (2, 1).
  const pairs: [number, number, number][] = [[0, 1, 3 - 0], [0, 2, 3 - 1], [2, 1, 1 - 0]];
  const g = [0, 0, 0];
  const h = [0, 0, 0];
  let sum = 0;
  for (const [hi, lo, gap] of pairs) {
    const ds = s[hi] - s[lo];
    const delta = (gap * Math.abs(DISC[rank[hi]] - DISC[rank[lo]])) / M / (Math.fround(0.01) + Math.abs(ds));
    const r = rho(ds);
    const lambda = -sigmoid * r * delta;
    g[hi] += lambda;
    g[lo] -= lambda;
    h[hi] += sigmoid * sigmoid * r * (1 - r) * delta;
    h[lo] += sigmoid * sigmoid * r * (1 - r) * delta;
    sum -= 2 * lambda;
  }
  const f = Math.log2(1 + sum) / sum;
  const out = gradients(lambdarank({ sigmoid }, [2, 0, 1], [3]), s);
  close(out.g, g.map((v) => v * f), 1e-6);
  close(out.h, h.map((v) => v * f), 1e-6);
  // The table differs from the exact sigmoid by less than one bin's change (here about 2.4e-5 of ρ).
  assert.ok(Math.abs(rho(-0.5) - 1 / (1 + Math.exp(-1))) < 3e-5);
});

test('lambdarank_norm=false, truncation, weights, label_gain and several queries', () => {
  // norm off: no scaling, ΔNDCG not divided. Truncation 1: only pairs with rank 0 in them count, and the best DCG is
  // cut at 1 position (M = 3 for labels [2, 0, 1]).
  const { g, h } = gradients(lambdarank({ lambdarank_norm: false, lambdarank_truncation_level: 1 }, [2, 0, 1], [3]), [0, 0, 0]);
  const d1 = (3 * (1 - DISC[1])) / 3;
  const d2 = (2 * (1 - DISC[2])) / 3;
  close(g, [-(d1 + d2) / 2, d1 / 2, d2 / 2]);
  close(h, [(d1 + d2) / 4, d1 / 4, d2 / 4]);
  // Weights multiply a row's gradient and hessian; each query is computed on its own.
  const one = gradients(lambdarank({}, [1, 0], [2]), [0, 0]);
  const two = gradients(lambdarank({}, [1, 0, 0, 1], [2, 2], [2, 3, 1, 1]), [0, 0, 0, 0]);
  close(two.g, [one.g[0] * 2, one.g[1] * 3, one.g[1], one.g[0]]);
  close(two.h, [one.h[0] * 2, one.h[1] * 3, one.h[1], one.h[0]]);
  // label_gain: gains [0, 5] for labels 0/1 give the same ΔNDCG as [0, 1] (it is normalised by the best DCG).
  close(gradients(lambdarank({ label_gain: '0,5' }, [1, 0], [2]), [0, 0]).g, Array.from(one.g));
  // A query whose labels are all equal has nothing to learn.
  assert.deepEqual(Array.from(gradients(lambdarank({}, [1, 1, 1], [3]), [0.3, 0.1, 0.2]).g), [0, 0, 0]);
});

test('lambdarank starts from score 0, outputs the raw score and reports ndcg by default', () => {
  const o = lambdarank({ boost_from_average: true }, [4, 0, 1], [3]);
  assert.equal(o.boostFromScore(0), 0);
  assert.equal(o.defaultMetric, 'ndcg');
  const out = new Float64Array(1);
  o.convertOutput(Float64Array.from([-1.25]), 0, 1, out, 0, 1);
  assert.equal(out[0], -1.25);
});

test('lambdarank without query groups → GBDT_GROUP_MISSING', () => {
  const o = createObjective(resolveGbdtParams({ objective: 'lambdarank' }));
  assert.equal(code(() => o.init(Float64Array.from([1, 0]), null, 'rel')), 'LOOM_ERR_GBDT_GROUP_MISSING');
});

test('lambdarank: a negative label → GBDT_LABEL_INVALID', () => {
  assert.equal(code(() => lambdarank({}, [1, -1], [2])), 'LOOM_ERR_GBDT_LABEL_INVALID');
});

test('lambdarank: a non-integer label → GBDT_LABEL_INVALID', () => {
  assert.equal(code(() => lambdarank({}, [1, 0.5], [2])), 'LOOM_ERR_GBDT_LABEL_INVALID');
});

test('lambdarank: a label beyond label_gain → GBDT_LABEL_INVALID (31 default gains; 3 given)', () => {
  assert.equal(code(() => lambdarank({}, [31, 0], [2])), 'LOOM_ERR_GBDT_LABEL_INVALID');
  assert.equal(code(() => lambdarank({}, [30, 0], [2])), 'no error');
  assert.equal(code(() => lambdarank({ label_gain: [0, 1, 3] }, [3, 0], [2])), 'LOOM_ERR_GBDT_LABEL_INVALID');
});
