import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openMetadataStore, type MetadataStore } from '../../storage/metadata/index.js';
import type { Assignment, Deployment } from '../deployment.js';
import { sampleSizeProportions, studentTCdf } from '../statistics/index.js';
import { DeploymentStore } from '../store/deployment-store.js';
import { DeploymentStrategy } from '../strategies/deployment-strategy.js';
import { experimentReport } from './experiment-report.js';
import { formatExperimentReport } from './format-report.js';

// Reports on stored assignments and outcomes, checked against closed forms computed here.

const dir = mkdtempSync(join(tmpdir(), 'loom-report-'));
let meta: MetadataStore;
let store: DeploymentStore;
const T0 = 1_764_115_200_000;

before(async () => {
  meta = await openMetadataStore(`sqlite://${join(dir, 'loom.db')}`);
  store = new DeploymentStore(meta.db);
});
after(async () => {
  await meta.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Standard normal survival P(Z > z) through erfc(|z|/√2), by Numerical Recipes' Chebyshev fit (fractional error < 1.2e-7). */
function normalSf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const y = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return z >= 0 ? y / 2 : 1 - y / 2;
}

const Z975 = 1.959963984540054;

/** A units × arms A/B world: `conv[arm]` of `units[arm]` units convert; the first `twice` units of A send two requests. */
async function abWorld(units: [number, number], conv: [number, number], twice = 0, spec: Record<string, unknown> = {}): Promise<Deployment> {
  const d = await store.create({ model: `m-${Math.random().toString(36).slice(2, 8)}`, strategy: DeploymentStrategy.create({ kind: 'ab', metric: { outcome: 'conversion' }, ...spec }), versions: [1, 2], actor: 't' });
  const rows: Assignment[] = [];
  const outcomes: { requestId: string; outcome: string; value: null; timestamp: number }[] = [];
  for (const [a, arm] of (['A', 'B'] as const).entries()) {
    for (let u = 0; u < units[a]; u++) {
      const unitId = `${arm}${u}`;
      const requests = arm === 'A' && u < twice ? 2 : 1;
      for (let r = 0; r < requests; r++) {
        const requestId = `${d.id}-${unitId}-${r}`;
        rows.push({ deploymentId: d.id, requestId, arm, version: a + 1, unitId, propensity: 0.5, score: 0.3, served: true, failed: false, latencyMs: 2 + (u % 10), details: null, createdAt: T0 + u });
        // A converting unit converts on its last request.
        if (u < conv[a] && r === requests - 1) outcomes.push({ requestId, outcome: 'conversion', value: null, timestamp: T0 + 5 * 86_400_000 });
      }
    }
  }
  await store.appendAssignments(rows);
  await store.recordOutcomes(outcomes);
  return d;
}

test('A/B proportions: per-unit rates, z-test and CI, mSPRT and SRM against closed forms; peeking-safe verdict', async () => {
  const d = await abWorld([1000, 1000], [100, 130], 50, { mde: 0.02 });
  const r = await experimentReport(store, d, T0);
  const ab = r.ab!;
  assert.deepEqual(ab.arms.map((a) => [a.arm, a.units, a.conversions]), [['A', 1000, 100], ['B', 1000, 130]]);
  assert.deepEqual(r.arms.map((a) => [a.units, a.requests]), [[1000, 1050], [1000, 1000]]);
  const c = ab.comparisons[0];
  const [pa, pb] = [0.1, 0.13];
  const pooled = 0.115;
  const z = (pb - pa) / Math.sqrt(pooled * (1 - pooled) * (2 / 1000));
  assert.ok(Math.abs(c.test.statistic - z) < 1e-9);
  assert.ok(Math.abs(c.test.pValue - 2 * normalSf(z)) < 1e-6, `${c.test.pValue} vs ${2 * normalSf(z)}`);
  const half = Z975 * Math.sqrt((pa * (1 - pa)) / 1000 + (pb * (1 - pb)) / 1000);
  assert.ok(Math.abs(c.test.ci.low - (0.03 - half)) < 1e-9 && Math.abs(c.test.ci.high - (0.03 + half)) < 1e-9);
  assert.equal(c.test.significant, true, 'the fixed-horizon test says p ≈ 0.035');
  // mSPRT: V = Σ p(1−p)/n, τ² = 0.01 · mean p(1−p), Λ = √(V/(V+τ²)) · exp(τ²θ²/(2V(V+τ²))).
  const V = (pa * (1 - pa) + pb * (1 - pb)) / 1000;
  const tau2 = (0.01 * (pa * (1 - pa) + pb * (1 - pb))) / 2;
  const lambda = Math.sqrt(V / (V + tau2)) * Math.exp((tau2 * 0.03 ** 2) / (2 * V * (V + tau2)));
  assert.ok(Math.abs(c.sequential.likelihoodRatio - lambda) < 1e-9);
  assert.ok(Math.abs(c.sequential.pValue - 1 / lambda) < 1e-9);
  assert.equal(c.sequential.significant, false, 'but the always-valid test is not convinced yet');
  assert.deepEqual([ab.srm!.chiSquare, ab.srm!.mismatch], [0, false]);
  const need = sampleSizeProportions({ baselineRate: 0.1, minimumDetectableEffect: 0.02, alpha: 0.05, power: 0.8 }).perArmA;
  // Closed form (k = 1): (z_{.975}√(2p̄q̄) + z_{.8}√(p1q1 + p2q2))² / δ², p̄ = 0.11.
  const closed = (Z975 * Math.sqrt(2 * 0.11 * 0.89) + 0.8416212335729143 * Math.sqrt(0.1 * 0.9 + 0.12 * 0.88)) ** 2 / 0.02 ** 2;
  assert.equal(need, Math.ceil(closed));
  assert.deepEqual(c.sampleSize, { mde: 0.02, perArm: need, moreUnitsPerArm: need - 1000 });
  assert.match(r.verdict, new RegExp(`^No significant difference yet \\(B − A = \\+3\\.00 pp, 95% CI .*; keep collecting: ~${need - 1000} more units per arm`));
  const text = formatExperimentReport(r);
  assert.match(text, /verdict: No significant difference yet/);
  assert.match(text, /B vs A: diff 0\.0300 {2}z = 2\.10/);
});

test('A/B proportions with enough units: significant on mSPRT, "safe to promote"', async () => {
  const d = await abWorld([5000, 5000], [500, 650]);
  const r = await experimentReport(store, d, T0);
  const c = r.ab!.comparisons[0];
  const V = (0.1 * 0.9 + 0.13 * 0.87) / 5000;
  const tau2 = (0.01 * (0.1 * 0.9 + 0.13 * 0.87)) / 2;
  const lambda = Math.sqrt(V / (V + tau2)) * Math.exp((tau2 * 0.03 ** 2) / (2 * V * (V + tau2)));
  assert.ok(Math.abs(c.sequential.pValue - 1 / lambda) < 1e-12 * Math.max(1, 1 / lambda));
  assert.ok(c.sequential.significant);
  // Always-valid CI: θ̂ ± √(2V(V+τ²)/τ² · (ln(1/α) + ½ ln((V+τ²)/V))).
  const half = Math.sqrt(((2 * V * (V + tau2)) / tau2) * (Math.log(1 / 0.05) + 0.5 * Math.log((V + tau2) / V)));
  assert.ok(Math.abs(c.sequential.ci.low - (0.03 - half)) < 1e-9);
  const pp = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(2)} pp`;
  assert.equal(r.verdict, `B is better by +3.00 pp (95% CI ${pp(0.03 - half)} to ${pp(0.03 + half)}; always-valid p = ${(1 / lambda).toExponential(2)}); safe to promote.`);
});

test('A/B sample-ratio mismatch overrides the verdict (χ² closed form)', async () => {
  const d = await abWorld([1000, 850], [100, 90]);
  const r = await experimentReport(store, d, T0);
  const chi2 = (1000 - 925) ** 2 / 925 + (850 - 925) ** 2 / 925;
  assert.ok(Math.abs(r.ab!.srm!.chiSquare - chi2) < 1e-9);
  // df 1: P(χ² > x) = 2·P(Z > √x).
  assert.ok(Math.abs(r.ab!.srm!.pValue - 2 * normalSf(Math.sqrt(chi2))) < 1e-7);
  assert.equal(r.ab!.srm!.mismatch, true);
  assert.match(r.verdict, /^Sample ratio mismatch \(χ² = 12\.2/);
});

test('A/B means: Welch t and Welch–Satterthwaite df in closed form', async () => {
  const d = await store.create({ model: 'revenue', strategy: DeploymentStrategy.create({ kind: 'ab', metric: { outcome: 'revenue', kind: 'mean' } }), versions: [1, 2], actor: 't' });
  const values = { A: [10, 12, 9, 11, 0, 14, 10, 8], B: [13, 15, 11, 16, 12, 0, 14, 17, 12, 15] };
  const rows: Assignment[] = [];
  const outcomes: { requestId: string; outcome: string; value: number; timestamp: number }[] = [];
  for (const arm of ['A', 'B'] as const) {
    values[arm].forEach((v, i) => {
      const requestId = `${arm}-${i}`;
      rows.push({ deploymentId: d.id, requestId, arm, version: arm === 'A' ? 1 : 2, unitId: requestId, propensity: 0.5, score: null, served: true, failed: false, latencyMs: null, details: null, createdAt: T0 });
      if (v !== 0) outcomes.push({ requestId, outcome: 'revenue', value: v, timestamp: T0 });
    });
  }
  await store.appendAssignments(rows);
  await store.recordOutcomes(outcomes);
  const r = await experimentReport(store, d, T0);
  const stat = (xs: number[]) => {
    const m = xs.reduce((s, x) => s + x, 0) / xs.length;
    return { n: xs.length, m, v: xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1) };
  };
  const [a, b] = [stat(values.A), stat(values.B)];
  const se2 = a.v / a.n + b.v / b.n;
  const t = (b.m - a.m) / Math.sqrt(se2);
  const df = se2 ** 2 / ((a.v / a.n) ** 2 / (a.n - 1) + (b.v / b.n) ** 2 / (b.n - 1));
  const c = r.ab!.comparisons[0];
  assert.equal(c.test.kind, 'welch');
  assert.ok(Math.abs(c.difference - (b.m - a.m)) < 1e-12);
  assert.ok(Math.abs(c.test.statistic - t) < 1e-9);
  assert.ok(Math.abs(c.test.df! - df) < 1e-9);
  assert.ok(Math.abs(c.test.pValue - 2 * (1 - studentTCdf(Math.abs(t), df))) < 1e-9);
  assert.deepEqual(r.ab!.arms.map((x) => [x.units, x.estimate]), [[8, a.m], [10, b.m]]);
});

test('interleaving credit and sign test; bandit IPS; outcome fit (Brier, log loss); canary rollback verdict', async () => {
  const il = await store.create({ model: 'ranker', strategy: DeploymentStrategy.create({ kind: 'interleaving' }), versions: [1, 2], actor: 't' });
  const teams = ['A', 'B', 'A', 'B'];
  const rows: Assignment[] = [];
  const clicks: { requestId: string; outcome: string; value: number[]; timestamp: number }[] = [];
  // 20 impressions clicked on a B position, 5 on an A position, 5 on one of each, 3 with no clicks.
  for (let i = 0; i < 33; i++) {
    const requestId = `il-${i}`;
    rows.push({ deploymentId: il.id, requestId, arm: 'A', version: 1, unitId: null, propensity: 1, score: 0.5, served: true, failed: false, latencyMs: 1, details: { items: [0, 1, 2, 3], teams }, createdAt: T0 + i });
    const value = i < 20 ? [1] : i < 25 ? [0] : i < 30 ? [0, 1] : null;
    if (value !== null) clicks.push({ requestId, outcome: 'click', value, timestamp: T0 });
  }
  await store.appendAssignments(rows);
  await store.recordOutcomes(clicks);
  const ri = (await experimentReport(store, il, T0)).interleaving!;
  assert.deepEqual([ri.impressions, ri.clicked, ri.winsA, ri.winsB, ri.ties], [33, 30, 5, 20, 5]);
  assert.ok(Math.abs(ri.delta - 15 / 30) < 1e-12);
  // Two-sided sign test: 2 · P(X ≤ 5), X ~ Binomial(25, 1/2).
  let tail = 0;
  let coef = 1;
  for (let k = 0; k <= 5; k++) {
    tail += coef;
    coef = (coef * (25 - k)) / (k + 1);
  }
  assert.ok(Math.abs(ri.pValue - (2 * tail) / 2 ** 25) < 1e-12);
  assert.equal(ri.preferred, 'B');

  const bandit = await store.create({ model: 'bandit', strategy: DeploymentStrategy.create({ kind: 'bandit', reward: 'conversion' }), versions: [1, 2], actor: 't' });
  const logs = [['arm0', 0.5, 1], ['arm0', 0.25, 0], ['arm1', 0.5, 1], ['arm1', 0.75, 1], ['arm1', 0.8, 0]] as const;
  await store.appendAssignments(logs.map(([arm, propensity], i) => ({ deploymentId: bandit.id, requestId: `b-${i}`, arm, version: arm === 'arm0' ? 1 : 2, unitId: null, propensity, score: null, served: true, failed: false, latencyMs: null, details: null, createdAt: T0 })));
  await store.recordOutcomes(logs.flatMap(([, , reward], i) => (reward === 1 ? [{ requestId: `b-${i}`, outcome: 'conversion', value: null, timestamp: T0 }] : [])));
  const rb = (await experimentReport(store, bandit, T0)).bandit!;
  // IPS of "always arm1": (1/0.5 + 1/0.75 + 0/0.8) / 5; SNIPS divides by Σ 1/p over arm1 rows instead of n.
  assert.ok(Math.abs(rb[1].ips! - (2 + 4 / 3) / 5) < 1e-12);
  assert.ok(Math.abs(rb[1].snips! - (2 + 4 / 3) / (2 + 4 / 3 + 1.25)) < 1e-12);
  assert.deepEqual([rb[1].pulls, rb[1].rewards, rb[1].posteriorMean], [3, 2, 3 / 5]);

  const canary = await store.create({ model: 'c', strategy: DeploymentStrategy.create({ kind: 'canary' }), versions: [1, 2], actor: 't' });
  const scored = [['stable', 0.2, 0], ['stable', 0.8, 1], ['canary', 0.6, 0], ['canary', 0.3, null]] as const;
  await store.appendAssignments(scored.map(([arm, score], i) => ({ deploymentId: canary.id, requestId: `c-${i}`, arm, version: arm === 'stable' ? 1 : 2, unitId: null, propensity: 0.5, score, served: true, failed: false, latencyMs: 1, details: null, createdAt: T0 })));
  await store.recordOutcomes(scored.flatMap(([, , y], i) => (y === null ? [] : [{ requestId: `c-${i}`, outcome: 'churned', value: y, timestamp: T0 }])));
  const fit = (await experimentReport(store, canary, T0, { outcome: 'churned' })).outcomes!;
  assert.deepEqual(fit.map((f) => [f.arm, f.labelled, f.positiveRate]), [['stable', 2, 0.5], ['canary', 1, 0]]);
  assert.ok(Math.abs(fit[0].brier! - (0.04 + 0.04) / 2) < 1e-12 && Math.abs(fit[1].brier! - 0.36) < 1e-12);
  assert.ok(Math.abs(fit[0].logLoss! - -(Math.log(0.8) + Math.log(0.8)) / 2) < 1e-12 && Math.abs(fit[1].logLoss! - -Math.log(0.4)) < 1e-12);
  await store.transition(canary.id, { action: 'rollback', actor: 'controller-x', state: 'rolled_back', finalArm: 'stable', reason: 'guardrail breach on canary: error_budget 6 > 5' });
  const rc = await experimentReport(store, (await store.get(canary.id))!, T0);
  assert.match(rc.verdict, /^Rolled back: all traffic goes to stable \(v1\) since .* \(guardrail breach on canary: error_budget 6 > 5, by controller-x\)\.$/);
});
