/** The task an evaluation runs under. Ranking is any scorer evaluated per query group. */
export type EvalTask = 'binary' | 'multiclass' | 'regression' | 'ranking';

/**
 * Labels and model outputs of the rows a metric reads. The caller owns the buffers; metrics never write to them.
 *
 * - binary: `y` is 0/1, `p` the probability of the positive class (one per row);
 * - multiclass: `y` the class index, `p` class-major probabilities (class c of row i at `c·n + i`), `k` classes;
 * - regression: `y` and `p` are the target and the prediction;
 * - ranking: `y` the relevance (≥ 0), `p` the score, and `query` the query code of each row, with each query's rows
 *   contiguous.
 */
export interface MetricSample {
  readonly y: Float64Array;
  readonly p: Float64Array;
  /** Outputs per row: the class count for multiclass, 1 otherwise. */
  readonly k: number;
  /** Binary decision threshold: ŷ = 1 when p ≥ threshold. */
  readonly threshold: number;
  readonly query: Int32Array | null;
  /**
   * True when `p` is ascending (k = 1). The bootstrap sorts a sample once and keeps every resample in that order, so
   * AUC and average precision sweep instead of sorting each resample.
   */
  readonly sorted?: boolean;
}

/** The rows `rows` of a sample (repeats allowed), as a new sample. `query` gives the gathered rows' query codes. */
export function gatherSample(sample: MetricSample, rows: Int32Array, query: Int32Array | null = null): MetricSample {
  const m = rows.length;
  const n = sample.y.length;
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) y[i] = sample.y[rows[i]];
  let p: Float64Array;
  if (sample.k === 1) {
    p = new Float64Array(m);
    for (let i = 0; i < m; i++) p[i] = sample.p[rows[i]];
  } else {
    p = new Float64Array(m * sample.k);
    for (let c = 0; c < sample.k; c++) for (let i = 0; i < m; i++) p[c * m + i] = sample.p[c * n + rows[i]];
  }
  let q = query;
  if (q === null && sample.query !== null) {
    q = new Int32Array(m);
    for (let i = 0; i < m; i++) q[i] = sample.query[rows[i]];
  }
  return { y, p, k: sample.k, threshold: sample.threshold, query: q };
}
