import { invalid } from './split-spec.js';
import { partSizes, sortParts } from './part-sizes.js';

/**
 * Splits rows by time. With `fractions`, rows sorted by (timestamp, row index) are cut by partSizes; with `cutoffs`
 * (epoch ms, ascending), part k holds rows with cutoffs[k-1] ≤ t < cutoffs[k] (cutoffs.length + 1 parts). Either way
 * every timestamp in a part is ≤ every timestamp in a later part. Returns row indices per part, ascending.
 *
 * @param timestamps epoch ms per row. @param validity null rows are refused: a row without a time has no part.
 * @throws LOOM_ERR_DATA_INVALID_SPLIT when a timestamp is null
 */
export function timeSplit(
  timestamps: Float64Array,
  by: { readonly fractions?: readonly number[]; readonly cutoffs?: readonly number[] },
  validity: Uint8Array | null = null,
): Int32Array[] {
  const n = timestamps.length;
  if (validity !== null) {
    for (let i = 0; i < n; i++) if ((validity[i >> 3] & (1 << (i & 7))) === 0) throw invalid('column', `row ${i} has no timestamp; fill or drop null times first`);
  }
  if (by.cutoffs) {
    const cutoffs = by.cutoffs;
    const out: number[][] = Array.from({ length: cutoffs.length + 1 }, () => []);
    for (let i = 0; i < n; i++) {
      const t = timestamps[i];
      let p = 0;
      while (p < cutoffs.length && t >= cutoffs[p]) p++;
      out[p].push(i);
    }
    return out.map((p) => Int32Array.from(p));
  }
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => timestamps[a] - timestamps[b] || a - b);
  const sizes = partSizes(n, by.fractions ?? []);
  const parts: Int32Array[] = [];
  let at = 0;
  for (const size of sizes) {
    parts.push(order.slice(at, at + size));
    at += size;
  }
  return sortParts(parts);
}
