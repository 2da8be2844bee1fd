import { Random } from '../../core/random.js';
import { partSizes, sortParts } from './part-sizes.js';

/**
 * Splits rows by class: each class's rows (`labels[i]`, any int32 code; nulls should get a code of their own) are
 * shuffled and cut by `fractions`, so each part holds each class within one row of its exact share. Classes are
 * visited in ascending code order with one seeded stream, so the result is deterministic given `seed`.
 * Returns row indices per part, ascending.
 */
export function stratifiedSplit(labels: Int32Array, fractions: readonly number[], seed: number): Int32Array[] {
  const byClass = rowsByCode(labels);
  const rng = new Random(seed);
  const out: number[][] = fractions.map(() => []);
  for (const rows of byClass) {
    rng.shuffle(rows);
    const sizes = partSizes(rows.length, fractions);
    let at = 0;
    for (let p = 0; p < sizes.length; p++) {
      for (let k = 0; k < sizes[p]; k++) out[p].push(rows[at + k]);
      at += sizes[p];
    }
  }
  return sortParts(out.map((p) => Int32Array.from(p)));
}

/** @internal Row indices grouped by code, groups in ascending code order, rows ascending within a group. */
export function rowsByCode(codes: Int32Array): Int32Array[] {
  const order = Int32Array.from({ length: codes.length }, (_, i) => i).sort((a, b) => codes[a] - codes[b] || a - b);
  const groups: Int32Array[] = [];
  let start = 0;
  for (let i = 1; i <= order.length; i++) {
    if (i === order.length || codes[order[i]] !== codes[order[start]]) {
      groups.push(order.slice(start, i));
      start = i;
    }
  }
  return groups;
}
