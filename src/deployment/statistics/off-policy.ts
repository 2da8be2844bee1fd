import { invalidStatisticsInput } from './statistics-input.js';

/** One logged decision: the probability the logging policy gave the served action, its reward, and the target's. */
export interface LoggedDecision {
  /** Probability the logging policy chose the served action, in (0, 1]. */
  readonly propensity: number;
  /** Observed reward (finite). */
  readonly reward: number;
  /** Probability the evaluated (target) policy would choose the same action in the same context, in [0, 1]. */
  readonly targetProbability: number;
}

/** Off-policy estimates of the target policy's mean reward. */
export interface OffPolicyEstimate {
  /** Inverse propensity scoring: (1/n) Σ wᵢ rᵢ with wᵢ = targetProbabilityᵢ / propensityᵢ (unbiased, high variance). */
  readonly ips: number;
  /** Self-normalised IPS: Σ wᵢ rᵢ / Σ wᵢ (slightly biased, lower variance); NaN when every wᵢ is 0. */
  readonly snips: number;
  readonly n: number;
  /** Kish effective sample size (Σw)² / Σw²: how many logs the estimate is effectively built from. */
  readonly effectiveSampleSize: number;
}

/**
 * IPS and SNIPS estimates of the mean reward a target policy would earn, from decisions logged under another policy
 * (e.g. a bandit's assignments with their propensities). When the target never agrees with the logged actions
 * (all weights 0) the data say nothing about it: ips is 0 by its formula, snips is NaN and effectiveSampleSize 0.
 *
 * @throws LoomError LOOM_ERR_DEPLOY_INVALID_STATISTICS_INPUT for no logs, a propensity outside (0, 1], a target
 *   probability outside [0, 1], or a non-finite reward (the field names the log's index).
 * @example
 * ipsEstimate([{ propensity: 0.5, reward: 1, targetProbability: 1 }, { propensity: 0.5, reward: 0, targetProbability: 0 }]);
 * // { ips: 1, snips: 1, n: 2, effectiveSampleSize: 1 }
 */
export function ipsEstimate(logs: readonly LoggedDecision[]): OffPolicyEstimate {
  if (!Array.isArray(logs) || logs.length === 0) throw invalidStatisticsInput('logs', 'needs at least one logged decision');
  let weighted = 0;
  let weightSum = 0;
  let weightSquares = 0;
  for (let i = 0; i < logs.length; i++) {
    const { propensity, reward, targetProbability } = logs[i] ?? ({} as LoggedDecision);
    if (typeof propensity !== 'number' || !(propensity > 0 && propensity <= 1)) throw invalidStatisticsInput(`logs[${i}].propensity`, `expected a probability in (0, 1], got ${String(propensity)}`);
    if (typeof targetProbability !== 'number' || !(targetProbability >= 0 && targetProbability <= 1)) {
      throw invalidStatisticsInput(`logs[${i}].targetProbability`, `expected a probability in [0, 1], got ${String(targetProbability)}`);
    }
    if (typeof reward !== 'number' || !Number.isFinite(reward)) throw invalidStatisticsInput(`logs[${i}].reward`, `expected a finite number, got ${String(reward)}`);
    const w = targetProbability / propensity;
    weighted += w * reward;
    weightSum += w;
    weightSquares += w * w;
  }
  const n = logs.length;
  return {
    ips: weighted / n,
    snips: weightSum > 0 ? weighted / weightSum : Number.NaN,
    n,
    effectiveSampleSize: weightSquares > 0 ? (weightSum * weightSum) / weightSquares : 0,
  };
}
