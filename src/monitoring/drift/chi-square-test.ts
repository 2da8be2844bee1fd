import { chiSquareSurvival } from '../../core/stats/chi-square-distribution.js';
import type { DriftInput, DriftTest, DriftTestDescriptor, DriftTestResult } from './drift-test.js';

/** Pearson's chi-square goodness-of-fit test on categorical counts; drift when p < 0.05 (Evidently's default). */
export const CHI_SQUARE_TEST_DESCRIPTOR: DriftTestDescriptor = Object.freeze({
  name: 'chi_square',
  kind: 'p_value',
  allowedTypes: Object.freeze(['categorical'] as const),
  defaultThreshold: 0.05,
  description: 'Pearson chi-square test of current category counts against reference proportions; drift when p < threshold.',
});

/**
 * Pearson chi-square goodness-of-fit of `current` counts against the proportions of `reference` counts, the arrays
 * aligned by category. Expected counts are reference counts scaled to the current total, as Evidently does.
 * Categories with zero expected and zero observed count are dropped; df = (categories kept) − 1. A category seen
 * now but absent from the reference makes χ² infinite and p = 0: a new category is drift.
 * With fewer than two categories kept, or an empty side, the test has nothing to compare and returns p = 1.
 */
export function chiSquareTest(
  reference: Float64Array,
  current: Float64Array,
  threshold = CHI_SQUARE_TEST_DESCRIPTOR.defaultThreshold,
): DriftTestResult {
  let referenceTotal = 0;
  let currentTotal = 0;
  for (let k = 0; k < reference.length; k++) referenceTotal += reference[k];
  for (let k = 0; k < current.length; k++) currentTotal += current[k];
  let statistic = 0;
  let kept = 0;
  if (referenceTotal > 0 && currentTotal > 0) {
    const scale = currentTotal / referenceTotal;
    for (let k = 0; k < reference.length; k++) {
      const expected = reference[k] * scale;
      const observed = current[k] ?? 0;
      if (expected === 0 && observed === 0) continue;
      kept++;
      statistic += expected === 0 ? Number.POSITIVE_INFINITY : ((observed - expected) * (observed - expected)) / expected;
    }
  }
  const pValue = kept < 2 ? 1 : chiSquareSurvival(statistic, kept - 1);
  return {
    test: CHI_SQUARE_TEST_DESCRIPTOR.name,
    statistic: kept < 2 ? 0 : statistic,
    pValue,
    method: 'asymptotic',
    threshold,
    drifted: pValue < threshold,
  };
}

/** The registry entry for chiSquareTest. */
export const CHI_SQUARE_TEST: DriftTest = Object.freeze({
  descriptor: CHI_SQUARE_TEST_DESCRIPTOR,
  run: (input: DriftInput, threshold: number) => chiSquareTest(input.reference, input.current, threshold),
});
