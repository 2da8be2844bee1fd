/**
 * Exact two-sided p-value of the two-sample Kolmogorov–Smirnov statistic, P(D ≥ d) under the null hypothesis that
 * both samples come from the same continuous distribution, for sample sizes `n` and `m`.
 *
 * The statistic is passed scaled to an integer, `scaledD = D · n · m = max |i·m − j·n|` over the merged ECDF steps,
 * so the boundary test is exact. Every ordering of the merged samples is a monotone lattice path from (0,0) to
 * (n,m), all C(n+m, n) equally likely; the p-value is the share of paths that touch |i·m − j·n| ≥ scaledD.
 * The recursion carries that share normalized by C(i+j, i), so it never overflows:
 * v(i,j) = (i·v(i−1,j) + j·v(i,j−1)) / (i+j), and v = 1 on the boundary. Cost O(n·m) time, O(m) memory.
 * Ties in the data make the test conservative, as with every exact KS implementation that ignores them.
 */
export function ksTwoSampleExactPValue(n: number, m: number, scaledD: number): number {
  if (!(n > 0 && m > 0 && Number.isInteger(n) && Number.isInteger(m))) return Number.NaN;
  if (scaledD <= 0) return 1;
  const row = new Float64Array(m + 1);
  // i = 0: v(0, j) is 1 once j·n reaches the boundary, and stays 1 along the edge.
  for (let j = 0; j <= m; j++) row[j] = j > 0 && (row[j - 1] === 1 || j * n >= scaledD) ? 1 : 0;
  for (let i = 1; i <= n; i++) {
    row[0] = row[0] === 1 || i * m >= scaledD ? 1 : 0;
    const im = i * m;
    for (let j = 1; j <= m; j++) {
      const gap = im - j * n;
      row[j] = (gap >= scaledD || -gap >= scaledD) ? 1 : (i * row[j] + j * row[j - 1]) / (i + j);
    }
  }
  return Math.min(1, row[m]);
}
