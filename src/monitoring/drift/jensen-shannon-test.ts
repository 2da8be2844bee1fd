import type { DriftInput, DriftTest, DriftTestDescriptor, DriftTestResult } from './drift-test.js';

/**
 * Jensen–Shannon distance on categorical counts; drift when the distance ≥ 0.1. Evidently's default for categorical
 * columns when the reference has more than 1000 rows.
 */
export const JENSEN_SHANNON_TEST_DESCRIPTOR: DriftTestDescriptor = Object.freeze({
  name: 'jensen_shannon',
  kind: 'distance',
  allowedTypes: Object.freeze(['categorical'] as const),
  defaultThreshold: 0.1,
  description: 'Jensen–Shannon distance (natural log) between reference and current category shares; drift when ≥ threshold.',
});

/** Share given to a category one side never saw, so the logarithms stay finite (Evidently fills zeros the same way). */
const EMPTY_SHARE = 0.0001;

/**
 * Jensen–Shannon distance √((KL(p‖m) + KL(q‖m)) / 2), m = (p + q)/2, natural logarithms, between the category shares
 * of `reference` and `current` counts (aligned by index). Categories empty on both sides are dropped; a share of 0 on
 * one side becomes 0.0001 before both sides are renormalized. Range [0, √ln 2]. 0 when either side is empty.
 */
export function jensenShannonDistance(reference: Float64Array, current: Float64Array): number {
  const k = reference.length;
  let refTotal = 0;
  let curTotal = 0;
  for (let b = 0; b < k; b++) {
    refTotal += reference[b];
    curTotal += current[b] ?? 0;
  }
  if (refTotal === 0 || curTotal === 0) return 0;
  const p = new Float64Array(k);
  const q = new Float64Array(k);
  let pSum = 0;
  let qSum = 0;
  for (let b = 0; b < k; b++) {
    if (reference[b] === 0 && (current[b] ?? 0) === 0) continue;
    p[b] = reference[b] === 0 ? EMPTY_SHARE : reference[b] / refTotal;
    q[b] = (current[b] ?? 0) === 0 ? EMPTY_SHARE : current[b] / curTotal;
    pSum += p[b];
    qSum += q[b];
  }
  let divergence = 0;
  for (let b = 0; b < k; b++) {
    if (p[b] === 0) continue;
    const pb = p[b] / pSum;
    const qb = q[b] / qSum;
    const mb = (pb + qb) / 2;
    divergence += 0.5 * (pb * Math.log(pb / mb) + qb * Math.log(qb / mb));
  }
  return Math.sqrt(Math.max(0, divergence));
}

/** Jensen–Shannon drift test on aligned category counts: drift when the distance ≥ threshold. */
export function jensenShannonTest(reference: Float64Array, current: Float64Array, threshold = JENSEN_SHANNON_TEST_DESCRIPTOR.defaultThreshold): DriftTestResult {
  const distance = jensenShannonDistance(reference, current);
  return { test: JENSEN_SHANNON_TEST_DESCRIPTOR.name, statistic: distance, pValue: null, method: 'distance', threshold, drifted: distance >= threshold };
}

/** The registry entry for jensenShannonTest. */
export const JENSEN_SHANNON_TEST: DriftTest = Object.freeze({
  descriptor: JENSEN_SHANNON_TEST_DESCRIPTOR,
  run: (input: DriftInput, threshold: number) => jensenShannonTest(input.reference, input.current, threshold),
});
