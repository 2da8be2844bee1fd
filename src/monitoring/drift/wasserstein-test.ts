import type { DriftInput, DriftTest, DriftTestDescriptor, DriftTestResult } from './drift-test.js';

/**
 * Normed Wasserstein distance on numeric columns; drift when the distance ≥ 0.1. Evidently's default for numeric
 * columns when the reference has more than 1000 rows, where KS flags negligible differences.
 */
export const WASSERSTEIN_TEST_DESCRIPTOR: DriftTestDescriptor = Object.freeze({
  name: 'wasserstein',
  kind: 'distance',
  allowedTypes: Object.freeze(['numeric'] as const),
  defaultThreshold: 0.1,
  description: 'Wasserstein-1 distance divided by the reference standard deviation; drift when ≥ threshold.',
});

/**
 * The Wasserstein-1 (earth mover's) distance between two **ascending-sorted** samples, ∫ |F_ref(x) − F_cur(x)| dx,
 * by one merge pass over both. 0 when either sample is empty.
 */
export function wassersteinDistance(reference: Float64Array, current: Float64Array): number {
  const n = reference.length;
  const m = current.length;
  if (n === 0 || m === 0) return 0;
  let i = 0;
  let j = 0;
  let total = 0;
  let x = Math.min(reference[0], current[0]);
  while (i < n || j < m) {
    const next = j >= m || (i < n && reference[i] <= current[j]) ? reference[i] : current[j];
    total += Math.abs(i / n - j / m) * (next - x);
    x = next;
    while (i < n && reference[i] === x) i++;
    while (j < m && current[j] === x) j++;
  }
  return total;
}

/**
 * Normed Wasserstein drift test: W1(reference, current) / max(σ_ref, 0.001), σ_ref the population standard deviation
 * of the reference (Evidently's normalization), so the distance reads in reference standard deviations.
 * Drift when the distance ≥ threshold. Both inputs sorted ascending, no NaN.
 */
export function wassersteinTest(reference: Float64Array, current: Float64Array, threshold = WASSERSTEIN_TEST_DESCRIPTOR.defaultThreshold): DriftTestResult {
  let mean = 0;
  for (let i = 0; i < reference.length; i++) mean += reference[i];
  mean /= Math.max(1, reference.length);
  let squares = 0;
  for (let i = 0; i < reference.length; i++) squares += (reference[i] - mean) * (reference[i] - mean);
  const std = Math.sqrt(squares / Math.max(1, reference.length));
  const distance = wassersteinDistance(reference, current) / Math.max(std, 0.001);
  return { test: WASSERSTEIN_TEST_DESCRIPTOR.name, statistic: distance, pValue: null, method: 'distance', threshold, drifted: distance >= threshold };
}

/** The registry entry for wassersteinTest. */
export const WASSERSTEIN_TEST: DriftTest = Object.freeze({
  descriptor: WASSERSTEIN_TEST_DESCRIPTOR,
  run: (input: DriftInput, threshold: number) => wassersteinTest(input.reference, input.current, threshold),
});
