import { Random } from '../../core/random.js';
import { partSizes, sortParts } from './part-sizes.js';

/**
 * Splits rows 0..n-1 at random into parts sized by `fractions` (see partSizes). Returns one Int32Array of row
 * indices per part, ascending. Deterministic given `seed`.
 */
export function randomSplit(n: number, fractions: readonly number[], seed: number): Int32Array[] {
  const order = new Random(seed).shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const sizes = partSizes(n, fractions);
  const parts: Int32Array[] = [];
  let at = 0;
  for (const size of sizes) {
    parts.push(order.slice(at, at + size));
    at += size;
  }
  return sortParts(parts);
}
