import type { EvalMetric } from './eval-metric.js';
import type { MetricSample } from './metric-sample.js';

/** Query runs of a ranking sample: [start, end) row ranges of equal, contiguous query codes. */
export function queryRuns(query: Int32Array): Array<readonly [number, number]> {
  const runs: Array<readonly [number, number]> = [];
  let start = 0;
  for (let i = 1; i <= query.length; i++) {
    if (i === query.length || query[i] !== query[start]) {
      runs.push([start, i]);
      start = i;
    }
  }
  return runs;
}

/** Row indices [start, end) ordered by score, descending; ties keep row order (a stable sort). */
function ranked(p: Float64Array, start: number, end: number): number[] {
  const rows: number[] = [];
  for (let i = start; i < end; i++) rows.push(i);
  return rows.sort((a, b) => p[b] - p[a] || a - b);
}

/** DCG@k with exponential gain 2^rel − 1 and discount log2(rank + 1), rank from 1 (LightGBM's default gains). */
function dcg(relevances: readonly number[], k: number): number {
  let sum = 0;
  for (let r = 0; r < Math.min(k, relevances.length); r++) sum += (2 ** relevances[r] - 1) / Math.log2(r + 2);
  return sum;
}

/** NDCG@k of each query; a query without relevant rows scores 1, as in LightGBM. */
export function ndcgAt(s: MetricSample, k: number): number {
  return meanOverQueries(s, (start, end) => {
    const order = ranked(s.p, start, end).map((i) => s.y[i]);
    const ideal = [...order].sort((a, b) => b - a);
    const best = dcg(ideal, k);
    return best === 0 ? 1 : dcg(order, k) / best;
  });
}

/**
 * MAP@k: per query, Σ_{r ≤ k, row r relevant} precision@r / min(k, relevant rows); relevant means relevance > 0. A query
 * without relevant rows scores 1, as in LightGBM.
 */
export function mapAt(s: MetricSample, k: number): number {
  return meanOverQueries(s, (start, end) => {
    const order = ranked(s.p, start, end);
    let relevant = 0;
    for (let i = start; i < end; i++) if (s.y[i] > 0) relevant++;
    if (relevant === 0) return 1;
    let hits = 0;
    let sum = 0;
    for (let r = 0; r < Math.min(k, order.length); r++) {
      if (s.y[order[r]] > 0) sum += ++hits / (r + 1);
    }
    return sum / Math.min(k, relevant);
  });
}

/** Recall@k: per query, relevant rows in the top k over all relevant rows; queries without relevant rows are left out. */
export function recallAt(s: MetricSample, k: number): number {
  return meanOverQueries(s, (start, end) => {
    let relevant = 0;
    for (let i = start; i < end; i++) if (s.y[i] > 0) relevant++;
    if (relevant === 0) return Number.NaN;
    const order = ranked(s.p, start, end);
    let hits = 0;
    for (let r = 0; r < Math.min(k, order.length); r++) if (s.y[order[r]] > 0) hits++;
    return hits / relevant;
  });
}

function meanOverQueries(s: MetricSample, perQuery: (start: number, end: number) => number): number {
  if (s.query === null || s.y.length === 0) return Number.NaN;
  let sum = 0;
  let count = 0;
  for (const [start, end] of queryRuns(s.query)) {
    const v = perQuery(start, end);
    if (Number.isNaN(v)) continue;
    sum += v;
    count++;
  }
  return count === 0 ? Number.NaN : sum / count;
}

/** The ranking metrics at cut-off `k`: `ndcg@k`, `map@k`, `recall@k`, each the mean over queries. */
export function rankingMetrics(k: number): readonly EvalMetric[] {
  return [
    { name: `ndcg@${k}`, tasks: ['ranking'], higherIsBetter: true, description: `normalized DCG of the top ${k} (gain 2^rel − 1)`, compute: (s) => ndcgAt(s, k) },
    { name: `map@${k}`, tasks: ['ranking'], higherIsBetter: true, description: `mean average precision of the top ${k} (relevant: rel > 0)`, compute: (s) => mapAt(s, k) },
    { name: `recall@${k}`, tasks: ['ranking'], higherIsBetter: true, description: `share of a query's relevant rows found in its top ${k}`, compute: (s) => recallAt(s, k) },
  ];
}
