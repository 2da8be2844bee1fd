import { Random } from '../../core/random.js';
import { partSizes, sortParts } from './part-sizes.js';
import { rowsByCode } from './stratified-split.js';

/**
 * Splits whole groups (`groups[i]` is row i's group code) into parts, so no group appears in two parts. Groups are
 * shuffled with `seed`, then taken in that order: a group goes to the part whose row range (partSizes of n) its
 * first row falls in. Part sizes therefore match the fractions up to one group's size. Groups starting beyond
 * round(n·Σf) are left out. Returns row indices per part, ascending.
 */
export function groupSplit(groups: Int32Array, fractions: readonly number[], seed: number): Int32Array[] {
  const byGroup = rowsByCode(groups);
  const order = new Random(seed).shuffle(Int32Array.from({ length: byGroup.length }, (_, i) => i));
  const sizes = partSizes(groups.length, fractions);
  const bounds: number[] = [];
  let cum = 0;
  for (const s of sizes) bounds.push((cum += s));
  const out: number[][] = fractions.map(() => []);
  let filled = 0;
  let part = 0;
  for (const g of order) {
    while (part < bounds.length && filled >= bounds[part]) part++;
    if (part >= bounds.length) break;
    for (const row of byGroup[g]) out[part].push(row);
    filled += byGroup[g].length;
  }
  return sortParts(out.map((p) => Int32Array.from(p)));
}
