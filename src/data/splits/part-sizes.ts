/**
 * Row counts of each part when `n` rows are cut by `fractions`: floor(n·f) each, then the rows still needed to reach
 * round(n·Σf) (n when Σf = 1) go one each to the largest remainders, ties to the earlier part. The counts differ from
 * n·f by less than one row.
 */
export function partSizes(n: number, fractions: readonly number[]): Int32Array {
  const sizes = new Int32Array(fractions.length);
  const sum = fractions.reduce((a, b) => a + b, 0);
  const total = Math.abs(sum - 1) < 1e-9 ? n : Math.round(n * sum);
  let assigned = 0;
  const remainders: number[] = [];
  for (let i = 0; i < fractions.length; i++) {
    const exact = n * fractions[i];
    sizes[i] = Math.floor(exact + 1e-9);
    remainders.push(exact - sizes[i]);
    assigned += sizes[i];
  }
  const order = remainders.map((r, i) => i).sort((a, b) => remainders[b] - remainders[a] || a - b);
  for (let k = 0; assigned < total && k < order.length; k++, assigned++) sizes[order[k]]++;
  return sizes;
}

/** Sorts each part's row indices ascending in place (parts keep the dataset's row order) and returns them. */
export function sortParts(parts: Int32Array[]): Int32Array[] {
  for (const p of parts) p.sort();
  return parts;
}
