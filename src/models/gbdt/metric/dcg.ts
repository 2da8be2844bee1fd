import { MAX_QUERY_ROWS } from '../data/query-groups.js';

/** LightGBM's default label_gain: 2^i − 1 for labels i = 0..30. */
export const DEFAULT_LABEL_GAIN: readonly number[] = Object.freeze(Array.from({ length: 31 }, (_, i) => 2 ** i - 1));

/** Position discounts 1 / log2(2 + i) for 0-based positions i < MAX_QUERY_ROWS, as LightGBM tabulates them. */
export const DISCOUNT: Float64Array = (() => {
  const out = new Float64Array(MAX_QUERY_ROWS);
  for (let i = 0; i < out.length; i++) out[i] = 1 / Math.log2(2 + i);
  return out;
})();

/** The label gains in use: the param, or DEFAULT_LABEL_GAIN when it is empty. */
export function labelGains(labelGain: readonly number[]): Float64Array {
  return Float64Array.from(labelGain.length === 0 ? DEFAULT_LABEL_GAIN : labelGain);
}

/**
 * The best possible DCG at each of the ascending positions `ks` of one query (rows `start .. end` of `label`): the
 * labels placed in descending order of label value. Positions beyond the query's size count its whole length.
 * Written to `out[0 .. ks.length)`. Labels must be valid gain indices (checkRankingLabels).
 */
export function maxDcgAt(ks: ArrayLike<number>, label: Float64Array, start: number, end: number, gains: Float64Array, counts: Int32Array, out: Float64Array): void {
  counts.fill(0, 0, gains.length);
  for (let i = start; i < end; i++) counts[Math.trunc(label[i])]++;
  const n = end - start;
  let top = gains.length - 1;
  let dcg = 0;
  let done = 0;
  for (let j = 0; j < ks.length; j++) {
    const k = Math.min(ks[j], n);
    // Walks down from the highest label; once label 0 is reached it keeps adding gain[0], as LightGBM does.
    for (; done < k; done++) {
      while (top > 0 && counts[top] <= 0) top--;
      dcg += DISCOUNT[done] * gains[top];
      counts[top]--;
    }
    out[j] = dcg;
  }
}

/** LightGBM's kEpsilon (a float 1e-15): a label further than this from an integer is not a relevance grade. */
const EPSILON = Math.fround(1e-15);

/**
 * The reason `label[i]` cannot be a relevance grade for `numGains` gains, or null when it can: it must be a
 * non-negative integer below the number of label gains (LightGBM's CheckLabel).
 */
export function rankingLabelProblem(y: number, numGains: number): string | null {
  if (!Number.isFinite(y)) return `${y} is not a finite number`;
  if (Math.abs(y - Math.trunc(y)) > EPSILON) return `${y} is not an integer; ranking labels are relevance grades 0, 1, 2, … (set label_gain to give grades other gains)`;
  if (y < 0) return `${y} is negative; ranking labels are relevance grades 0, 1, 2, …`;
  if (Math.trunc(y) >= numGains) return `${y} is not below the ${numGains} entries of label_gain; give label_gain one gain per grade`;
  return null;
}
