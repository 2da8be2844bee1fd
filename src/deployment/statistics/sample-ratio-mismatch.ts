import { chiSquareSurvival } from '../../core/stats/index.js';
import { invalidStatisticsInput, requireCount, requireOpenUnit } from './statistics-input.js';

/** The result of sampleRatioMismatch. */
export interface SampleRatioMismatchResult {
  readonly chiSquare: number;
  /** Arms with a positive weight, minus one. */
  readonly df: number;
  readonly pValue: number;
  /** pValue < alpha: the assignment is not following the configured split, so the experiment's results are suspect. */
  readonly mismatch: boolean;
}

/**
 * Sample-ratio-mismatch check: Pearson's chi-square goodness of fit of the units observed per arm to the configured
 * traffic weights (normalised to sum to 1), χ² = Σ (o − e)²/e with e = N·w/Σw, on (arms with weight > 0) − 1 degrees
 * of freedom. The default alpha is 0.001, the strict level SRM alarms conventionally use because they run on every
 * report. An arm with weight 0 is left out when it observed nothing; any unit observed on it is a mismatch
 * (χ² = ∞, p = 0). No units at all give χ² = 0, p = 1.
 *
 * @throws LoomError LOOM_ERR_DEPLOY_INVALID_STATISTICS_INPUT for arrays of different lengths, fewer than two arms with a
 *   positive weight, negative or fractional counts, negative or non-finite weights, or alpha outside (0, 1).
 * @example
 * sampleRatioMismatch([50_000, 51_000], [1, 1]); // { chiSquare: 9.90…, df: 1, pValue: 0.00165…, mismatch: false }
 */
export function sampleRatioMismatch(observed: readonly number[], weights: readonly number[], options: { alpha?: number } = {}): SampleRatioMismatchResult {
  if (!Array.isArray(observed)) throw invalidStatisticsInput('observed', 'expected an array of counts');
  if (!Array.isArray(weights)) throw invalidStatisticsInput('weights', 'expected an array of weights');
  if (observed.length !== weights.length) {
    throw invalidStatisticsInput('weights', `has ${weights.length} entries but observed has ${observed.length}; give one weight per arm`);
  }
  const alpha = requireOpenUnit(options.alpha, 0.001, 'alpha');
  let weightSum = 0;
  let total = 0;
  let arms = 0;
  for (let i = 0; i < observed.length; i++) {
    requireCount(observed[i], `observed[${i}]`);
    const w = weights[i];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw invalidStatisticsInput(`weights[${i}]`, `expected a non-negative finite weight, got ${String(w)}`);
    weightSum += w;
    total += observed[i];
    if (w > 0) arms++;
  }
  if (arms < 2) throw invalidStatisticsInput('weights', `needs at least two arms with a positive weight, got ${arms}`);
  const df = arms - 1;
  let chiSquare = 0;
  for (let i = 0; i < observed.length; i++) {
    if (weights[i] === 0) {
      if (observed[i] > 0) chiSquare = Number.POSITIVE_INFINITY;
      continue;
    }
    const expected = (total * weights[i]) / weightSum;
    if (expected > 0) chiSquare += ((observed[i] - expected) ** 2) / expected;
  }
  const pValue = chiSquare === Number.POSITIVE_INFINITY ? 0 : chiSquareSurvival(chiSquare, df);
  return { chiSquare, df, pValue, mismatch: pValue < alpha };
}
