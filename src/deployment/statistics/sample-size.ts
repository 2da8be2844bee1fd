import { normalQuantile } from '../../evaluation/gates/normal-quantile.js';
import { invalidStatisticsInput, requireFinite, requireOpenUnit, requirePositive } from './statistics-input.js';
import { studentTQuantile } from './student-t.js';

/** Units needed per arm (rounded up) for a two-arm test. */
export interface SampleSizeResult {
  readonly perArmA: number;
  readonly perArmB: number;
  readonly total: number;
  /** nA before rounding up, for reports and comparison with published tables. */
  readonly exactPerArmA: number;
}

/** Options shared by both sample-size functions. */
interface PowerOptions {
  /** Two-sided significance level, default 0.05. */
  readonly alpha?: number;
  /** 1 − β, default 0.8. */
  readonly power?: number;
  /** nB / nA, default 1. */
  readonly ratio?: number;
}

function powerInputs(options: PowerOptions): { alpha: number; power: number; ratio: number } {
  return {
    alpha: requireOpenUnit(options.alpha, 0.05, 'alpha'),
    power: requireOpenUnit(options.power, 0.8, 'power'),
    ratio: options.ratio === undefined ? 1 : requirePositive(options.ratio, 'ratio'),
  };
}

function result(exactA: number, ratio: number): SampleSizeResult {
  // Round off floating-point dust (76.0000000001) before ceil so an exact integer answer is not bumped by one.
  const perArmA = Math.ceil(exactA - 1e-9);
  const perArmB = Math.ceil(exactA * ratio - 1e-9);
  return { perArmA, perArmB, total: perArmA + perArmB, exactPerArmA: exactA };
}

/**
 * Units per arm to detect an absolute change `minimumDetectableEffect` in a conversion rate from `baselineRate`, with a
 * two-sided z-test (normal approximation, as R's `power.prop.test` with strict = FALSE). With p1 = baseline,
 * p2 = p1 + δ, k = nB/nA and p̄ = (p1 + k·p2)/(1 + k):
 *
 *   nA = (z_{1−α/2}·√(p̄q̄(1 + 1/k)) + z_{1−β}·√(p1q1 + p2q2/k))² / δ²,  nB = k·nA,
 *
 * which for k = 1 is (z_{1−α/2}√(2p̄q̄) + z_{1−β}√(p1q1 + p2q2))² / δ².
 *
 * @throws LoomError LOOM_ERR_DEPLOY_INVALID_STATISTICS_INPUT when the baseline is not in (0, 1), the effect is 0 or
 *   moves the rate out of (0, 1), or alpha, power or ratio are out of range.
 * @example
 * sampleSizeProportions({ baselineRate: 0.5, minimumDetectableEffect: 0.25, power: 0.9 }); // perArmA: 77
 */
export function sampleSizeProportions(options: { baselineRate: number; minimumDetectableEffect: number } & PowerOptions): SampleSizeResult {
  if (options === null || typeof options !== 'object') throw invalidStatisticsInput('options', 'expected { baselineRate, minimumDetectableEffect }');
  if (options.baselineRate === undefined) throw invalidStatisticsInput('baselineRate', 'is required');
  const p1 = requireOpenUnit(options.baselineRate, Number.NaN, 'baselineRate');
  const delta = requireFinite(options.minimumDetectableEffect, 'minimumDetectableEffect');
  const p2 = p1 + delta;
  if (delta === 0 || !(p2 > 0 && p2 < 1)) {
    throw invalidStatisticsInput('minimumDetectableEffect', `must be non-zero and keep baselineRate + effect inside (0, 1), got ${delta}`);
  }
  const { alpha, power, ratio } = powerInputs(options);
  const pBar = (p1 + ratio * p2) / (1 + ratio);
  const zAlpha = normalQuantile(1 - alpha / 2);
  const zBeta = normalQuantile(power);
  const root = zAlpha * Math.sqrt(pBar * (1 - pBar) * (1 + 1 / ratio)) + zBeta * Math.sqrt(p1 * (1 - p1) + (p2 * (1 - p2)) / ratio);
  return result((root * root) / (delta * delta), ratio);
}

/**
 * Units per arm to detect a change `minimumDetectableEffect` in a mean with standard deviation `standardDeviation`
 * (both arms), with a two-sided t-test. Solves the t-based formula
 *
 *   nA = (t_{1−α/2, ν} + t_{1−β, ν})² · σ²(1 + 1/k) / δ²,  ν = nA + nB − 2 = nA(1 + k) − 2,
 *
 * by fixed-point iteration from the normal-approximation answer (z in place of t). This is the usual small-sample
 * correction and lands within a few hundredths of a unit of R's `power.t.test` (noncentral t), e.g. 22.05 against
 * 22.02 for δ = σ = 1, power 0.9.
 *
 * @throws LoomError LOOM_ERR_DEPLOY_INVALID_STATISTICS_INPUT for a non-positive standard deviation, a zero effect, or
 *   alpha, power or ratio out of range.
 * @example
 * sampleSizeMeans({ standardDeviation: 1, minimumDetectableEffect: 1, power: 0.9 }); // perArmA: 23
 */
export function sampleSizeMeans(options: { standardDeviation: number; minimumDetectableEffect: number } & PowerOptions): SampleSizeResult {
  if (options === null || typeof options !== 'object') throw invalidStatisticsInput('options', 'expected { standardDeviation, minimumDetectableEffect }');
  const sigma = requirePositive(options.standardDeviation, 'standardDeviation');
  const delta = requireFinite(options.minimumDetectableEffect, 'minimumDetectableEffect');
  if (delta === 0) throw invalidStatisticsInput('minimumDetectableEffect', 'must be non-zero');
  const { alpha, power, ratio } = powerInputs(options);
  const scale = (sigma * sigma * (1 + 1 / ratio)) / (delta * delta);
  const zSum = normalQuantile(1 - alpha / 2) + normalQuantile(power);
  let n = zSum * zSum * scale;
  for (let i = 0; i < 100; i++) {
    // A t-test needs ν ≥ 1; below that the normal answer is the best available bound.
    const df = Math.max(1, n * (1 + ratio) - 2);
    const tSum = studentTQuantile(1 - alpha / 2, df) + studentTQuantile(power, df);
    const next = tSum * tSum * scale;
    if (Math.abs(next - n) < 1e-10) {
      n = next;
      break;
    }
    n = next;
  }
  return result(n, ratio);
}
