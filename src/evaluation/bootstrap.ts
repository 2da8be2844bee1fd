import { LoomError } from '../core/errors/index.js';
import { Random } from '../core/random.js';
import type { BootstrapInfo, MetricEstimate, MetricTable } from './evaluation-report.js';
import type { EvalMetric } from './metrics/eval-metric.js';
import { gatherSample, type MetricSample } from './metrics/metric-sample.js';
import { queryRuns } from './metrics/ranking-metrics.js';

/** Default number of bootstrap resamples. */
export const DEFAULT_RESAMPLES = 1000;
/** Default interval level. */
export const DEFAULT_LEVEL = 0.95;

/** How to bootstrap: resample count, seed and interval level. */
export interface BootstrapOptions {
  readonly resamples: number;
  readonly seed: number;
  readonly level: number;
}

/** One bootstrap draw: the drawn rows and, for query resampling, their new query codes (one per drawn query). */
export interface Draw {
  readonly rows: Int32Array;
  readonly query: Int32Array | null;
}

/** Draws a resample of the same shape as the data. */
export type Resampler = (rng: Random) => Draw;

/** Validates bootstrap options. @throws LOOM_ERR_EVAL_INVALID_OPTION */
export function checkBootstrapOptions(o: BootstrapOptions): BootstrapOptions {
  if (!Number.isInteger(o.resamples) || o.resamples < 1 || o.resamples > 100_000) throw invalid('bootstrap', `${o.resamples} resamples; use an integer from 1 to 100000`);
  if (!(o.level > 0 && o.level < 1)) throw invalid('level', `${o.level}; use a level in (0, 1), e.g. 0.95`);
  if (!Number.isInteger(o.seed) || o.seed < 0) throw invalid('seed', `${o.seed}; use an integer ≥ 0`);
  return o;
}

/**
 * Resamples each stratum with replacement to its own size, so every resample keeps the strata counts (for
 * classification, the class counts: AUC stays defined in every resample). `strata` are disjoint row lists.
 */
export function stratifiedResampler(strata: readonly Int32Array[]): Resampler {
  const total = strata.reduce((a, s) => a + s.length, 0);
  return (rng) => {
    const rows = new Int32Array(total);
    let at = 0;
    for (const stratum of strata) for (let i = 0; i < stratum.length; i++) rows[at++] = stratum[rng.nextInt(stratum.length)];
    return { rows, query: null };
  };
}

/** Resamples whole queries with replacement (rows of a query stay together); each drawn query gets a fresh code. */
export function queryResampler(query: Int32Array): Resampler {
  const runs = queryRuns(query);
  return (rng) => {
    const picks = Int32Array.from({ length: runs.length }, () => rng.nextInt(runs.length));
    let size = 0;
    for (const q of picks) size += runs[q][1] - runs[q][0];
    const rows = new Int32Array(size);
    const codes = new Int32Array(size);
    let at = 0;
    picks.forEach((q, draw) => {
      for (let i = runs[q][0]; i < runs[q][1]; i++) (rows[at] = i, (codes[at++] = draw));
    });
    return { rows, query: codes };
  };
}

/** The resampler a task uses: by class for classification, by query for ranking, by row for regression. */
export function resamplerFor(sample: MetricSample, task: 'binary' | 'multiclass' | 'regression' | 'ranking'): { resampler: Resampler; kind: BootstrapInfo['resampling'] } {
  if (task === 'ranking' && sample.query !== null) return { resampler: queryResampler(sample.query), kind: 'groups' };
  if (task === 'regression') return { resampler: stratifiedResampler([Int32Array.from({ length: sample.y.length }, (_, i) => i)]), kind: 'rows' };
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < sample.y.length; i++) {
    const list = byClass.get(sample.y[i]);
    if (list) list.push(i);
    else byClass.set(sample.y[i], [i]);
  }
  const strata = [...byClass.keys()].sort((a, b) => a - b).map((c) => Int32Array.from(byClass.get(c)!));
  return { resampler: stratifiedResampler(strata), kind: 'stratified' };
}

/**
 * The `q`-quantile of finite values with linear interpolation between order statistics (NumPy's default), or NaN
 * when there are none. Sorts `values` in place.
 */
export function quantile(values: Float64Array, q: number): number {
  if (values.length === 0) return Number.NaN;
  values.sort();
  const h = (values.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(values.length - 1, lo + 1);
  return values[lo] + (h - lo) * (values[hi] - values[lo]);
}

/**
 * Percentile-bootstrap intervals of several statistics at once: draws `resamples` resamples with a Random seeded by
 * `seed` (so the same data and seed give the same bounds), evaluates `statistics` on each, and takes the
 * (1 − level)/2 and (1 + level)/2 quantiles of the finite values. An interval is null when fewer than half the
 * resamples gave a finite value, or the data has fewer than two rows.
 */
export function bootstrapIntervals(rowsInData: number, resampler: Resampler, statistics: (draw: Draw) => readonly number[], count: number, options: BootstrapOptions): Array<readonly [number, number] | null> {
  if (rowsInData < 2) return new Array(count).fill(null);
  const rng = new Random(options.seed);
  const values = Array.from({ length: count }, () => new Float64Array(options.resamples));
  const finite = new Int32Array(count);
  for (let b = 0; b < options.resamples; b++) {
    const stats = statistics(resampler(rng));
    for (let m = 0; m < count; m++) if (Number.isFinite(stats[m])) values[m][finite[m]++] = stats[m];
  }
  const alpha = (1 - options.level) / 2;
  return values.map((v, m) => {
    if (finite[m] * 2 < options.resamples) return null;
    const kept = v.subarray(0, finite[m]);
    return [quantile(kept, alpha), quantile(kept, 1 - alpha)] as const;
  });
}

/**
 * Point estimates and bootstrap intervals of `metrics` on `sample`. A metric undefined on the sample (NaN) is left
 * out of the table, so a reader never sees an invented value.
 */
export function estimateMetrics(sample: MetricSample, metrics: readonly EvalMetric[], resampler: Resampler, options: BootstrapOptions): MetricTable {
  const points = metrics.map((m) => m.compute(sample));
  const keep = metrics.map((_, i) => i).filter((i) => Number.isFinite(points[i]));
  const live = keep.map((i) => metrics[i]);
  const view = sample.k === 1 && sample.query === null ? sortedView(sample) : null;
  const intervals = bootstrapIntervals(sample.y.length, resampler, (draw) => {
    const s = view === null ? gatherSample(sample, draw.rows, draw.query) : view.resample(draw.rows);
    return live.map((m) => m.compute(s));
  }, live.length, options);
  const table: Record<string, MetricEstimate> = {};
  live.forEach((m, i) => {
    table[m.name] = { value: points[keep[i]], ci: intervals[i], level: options.level };
  });
  return table;
}

/**
 * The sample sorted by score once, and a way to turn a resample (row indices of the original sample) into a sample
 * in that same ascending order, by counting draws per row: O(n) per resample instead of a sort.
 */
function sortedView(sample: MetricSample): { resample(rows: Int32Array): MetricSample } {
  const n = sample.y.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => sample.p[a] - sample.p[b] || a - b);
  const rank = new Int32Array(n);
  for (let r = 0; r < n; r++) rank[order[r]] = r;
  const y = Float64Array.from(order, (i) => sample.y[i]);
  const p = Float64Array.from(order, (i) => sample.p[i]);
  const counts = new Int32Array(n);
  return {
    resample(rows) {
      counts.fill(0);
      for (let j = 0; j < rows.length; j++) counts[rank[rows[j]]]++;
      const ry = new Float64Array(rows.length);
      const rp = new Float64Array(rows.length);
      for (let r = 0, at = 0; r < n; r++) {
        for (let c = counts[r]; c > 0; c--) (ry[at] = y[r], (rp[at++] = p[r]));
      }
      return { y: ry, p: rp, k: 1, threshold: sample.threshold, query: null, sorted: true };
    },
  };
}

function invalid(field: string, problem: string): LoomError {
  return new LoomError('EVAL_INVALID_OPTION', { field, problem }, { details: { field } });
}
