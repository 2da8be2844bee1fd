import { kolmogorovSurvival } from '../../core/stats/kolmogorov-distribution.js';
import { ksTwoSampleExactPValue } from '../../core/stats/ks-two-sample-exact.js';
import type { DriftInput, DriftTest, DriftTestDescriptor, DriftTestResult } from './drift-test.js';

/** Largest sample size for which the p-value is computed exactly (the same switch point as SciPy's `ks_2samp` auto mode). */
export const KS_EXACT_MAX_SIZE = 10_000;

/** The two-sample Kolmogorov–Smirnov test on numeric columns; drift when p < 0.05 (Evidently's default). */
export const KS_TEST_DESCRIPTOR: DriftTestDescriptor = Object.freeze({
  name: 'ks',
  kind: 'p_value',
  allowedTypes: Object.freeze(['numeric'] as const),
  defaultThreshold: 0.05,
  description: 'Two-sample Kolmogorov–Smirnov test on numeric values; drift when p < threshold.',
});

/** Result of ksStatistic: D, and D scaled to the integer max |i·m − j·n| so p-values can treat it exactly. */
export interface KsStatistic {
  readonly d: number;
  readonly scaledD: number;
}

/**
 * The two-sample KS statistic D = sup |F_ref(x) − F_cur(x)| of two **ascending-sorted** samples, found by one merge
 * pass. Tied values advance both ECDFs together before the gap is measured, so ties never inflate D.
 * Returns D = 0 when either sample is empty.
 */
export function ksStatistic(reference: Float64Array, current: Float64Array): KsStatistic {
  const n = reference.length;
  const m = current.length;
  if (n === 0 || m === 0) return { d: 0, scaledD: 0 };
  let i = 0;
  let j = 0;
  let scaled = 0;
  while (i < n && j < m) {
    const x = reference[i] <= current[j] ? reference[i] : current[j];
    while (i < n && reference[i] === x) i++;
    while (j < m && current[j] === x) j++;
    const gap = Math.abs(i * m - j * n);
    if (gap > scaled) scaled = gap;
  }
  return { d: scaled / (n * m), scaledD: scaled };
}

/**
 * Two-sided two-sample KS test of `reference` against `current` (both sorted ascending, no NaN). The p-value is exact
 * (lattice-path count) when both samples have at most KS_EXACT_MAX_SIZE values, otherwise asymptotic: the Kolmogorov
 * survival function at λ = (√nₑ + 0.12 + 0.11/√nₑ)·D with nₑ = n·m/(n+m) (Stephens' small-sample correction).
 * Drift when p < threshold. An empty sample gives p = 1 (no evidence of drift).
 */
export function ksTest(reference: Float64Array, current: Float64Array, threshold = KS_TEST_DESCRIPTOR.defaultThreshold): DriftTestResult {
  const n = reference.length;
  const m = current.length;
  const { d, scaledD } = ksStatistic(reference, current);
  let pValue = 1;
  let method = 'empty';
  if (n > 0 && m > 0) {
    if (Math.max(n, m) <= KS_EXACT_MAX_SIZE) {
      pValue = ksTwoSampleExactPValue(n, m, scaledD);
      method = 'exact';
    } else {
      const en = Math.sqrt((n * m) / (n + m));
      pValue = kolmogorovSurvival((en + 0.12 + 0.11 / en) * d);
      method = 'asymptotic';
    }
  }
  return { test: KS_TEST_DESCRIPTOR.name, statistic: d, pValue, method, threshold, drifted: pValue < threshold };
}

/** The registry entry for ksTest. */
export const KS_TEST: DriftTest = Object.freeze({
  descriptor: KS_TEST_DESCRIPTOR,
  run: (input: DriftInput, threshold: number) => ksTest(input.reference, input.current, threshold),
});
