import { LoomError } from '../../../core/errors/index.js';
import { DISCOUNT, labelGains, maxDcgAt, rankingLabelProblem } from './dcg.js';
import type { Metric } from './metric.js';

/**
 * Shared parts of the per-query metrics: query weights (the mean row weight of each query, in 32-bit floats as
 * LightGBM keeps them), and the rows of a query ranked by score (descending; ties keep row order, as LightGBM's stable
 * sort does). The result is the query-weighted mean of the per-query values.
 */
abstract class QueryMetricBase implements Metric {
  abstract readonly name: Metric['name'];
  readonly higherIsBetter = true;
  protected readonly k: number;
  #order: number[] = [];

  constructor(k: number) {
    this.k = k;
  }

  evaluate(pred: Float64Array, label: Float64Array, weight: Float64Array | null, queries?: Int32Array | null): number {
    if (queries === undefined || queries === null) {
      throw new LoomError('GBDT_GROUP_MISSING', { what: `The ${this.name} metric`, dataset: 'evaluated' }, { details: { field: 'group_column' } });
    }
    let sum = 0;
    let sumWeights = 0;
    for (let q = 0; q + 1 < queries.length; q++) {
      const start = queries[q];
      const end = queries[q + 1];
      const w = weight === null ? 1 : queryWeight(weight, start, end);
      sum += this.query(pred, label, start, end, w);
      sumWeights += w;
    }
    return sum / sumWeights;
  }

  /** The query's weighted contribution to the sum. */
  protected abstract query(pred: Float64Array, label: Float64Array, start: number, end: number, weight: number): number;

  /** Rows start .. end by descending score, ties in row order; valid until the next call. */
  protected ranked(pred: Float64Array, start: number, end: number): number[] {
    const order = this.#order;
    order.length = end - start;
    for (let i = start; i < end; i++) order[i - start] = i;
    return order.sort((a, b) => (pred[b] > pred[a] ? 1 : pred[b] < pred[a] ? -1 : a - b));
  }
}

/** LightGBM's query weight: the mean of the query's row weights, summed and divided in 32-bit floats. */
function queryWeight(weight: Float64Array, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum = Math.fround(sum + Math.fround(weight[i]));
  return Math.fround(sum / (end - start));
}

/**
 * NDCG@k as LightGBM computes it: DCG@k = Σ_{r<k} gain[label at rank r] / log2(2 + r) over the rows ranked by score,
 * divided by the best DCG@k of the query's labels; k beyond a query's size means the whole query. A query whose
 * best DCG at the smallest eval_at position is 0 (all labels 0) counts as NDCG 1. Weighted: each query counts its
 * query weight, except that such all-zero queries add 1 unweighted (LightGBM's arithmetic, kept for equal numbers).
 * Reported as `ndcg@k`.
 */
export class NdcgMetric extends QueryMetricBase {
  readonly name: `ndcg@${number}`;
  readonly #gains: Float64Array;
  readonly #firstK: number;
  readonly #counts: Int32Array;
  readonly #best = new Float64Array(2);

  /** `firstK` is the smallest eval_at position, whose best DCG decides whether a query is all zero. */
  constructor(k: number, firstK: number, labelGain: readonly number[]) {
    super(k);
    this.name = `ndcg@${k}`;
    this.#gains = labelGains(labelGain);
    this.#firstK = firstK;
    this.#counts = new Int32Array(this.#gains.length);
  }

  /** @throws LOOM_ERR_GBDT_LABEL_INVALID when a label is not a relevance grade for label_gain. */
  checkLabels(label: Float64Array, labelName: string, dataset: string): void {
    for (let i = 0; i < label.length; i++) {
      const problem = rankingLabelProblem(label[i], this.#gains.length);
      if (problem !== null) throw new LoomError('GBDT_LABEL_INVALID', { field: labelName, objective: 'ndcg metric', problem: `row ${i} of ${dataset} is ${problem}` }, { details: { field: labelName } });
    }
  }

  protected query(pred: Float64Array, label: Float64Array, start: number, end: number, weight: number): number {
    const gains = this.#gains;
    maxDcgAt([this.#firstK, Math.max(this.#firstK, this.k)], label, start, end, gains, this.#counts, this.#best);
    if (this.#best[0] <= 0) return 1;
    const order = this.ranked(pred, start, end);
    const k = Math.min(this.k, end - start);
    let dcg = 0;
    for (let r = 0; r < k; r++) dcg += gains[Math.trunc(label[order[r]])] * DISCOUNT[r];
    return dcg * (1 / this.#best[1]) * weight;
  }
}

/**
 * MAP@k as LightGBM computes it: over the rows ranked by score, AP@k = Σ_{r<k, relevant} (hits so far)/(r + 1)
 * divided by min(relevant rows in the query, k), a row being relevant when its label > 0.5. A query without relevant
 * rows counts as 1. Reported as `map@k`.
 */
export class MapMetric extends QueryMetricBase {
  readonly name: `map@${number}`;

  constructor(k: number) {
    super(k);
    this.name = `map@${k}`;
  }

  protected query(pred: Float64Array, label: Float64Array, start: number, end: number, weight: number): number {
    let relevant = 0;
    for (let i = start; i < end; i++) if (label[i] > 0.5) relevant++;
    const k = Math.min(this.k, end - start);
    if (relevant === 0) return weight;
    const order = this.ranked(pred, start, end);
    let hits = 0;
    let sum = 0;
    for (let r = 0; r < k; r++) {
      if (label[order[r]] > 0.5) {
        hits++;
        sum += hits / (r + 1);
      }
    }
    return (sum / Math.min(relevant, k)) * weight;
  }
}
