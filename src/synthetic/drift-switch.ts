import type { ChurnWorldConfig } from './churn-world-config.js';

/** The two regimes of the world. Index 0 is the reference regime, 1 the drifted one. */
export const REGIMES = ['reference', 'drifted'] as const;

/** A regime name. */
export type Regime = (typeof REGIMES)[number];

/**
 * The drift switch of a world: from `at` (epoch ms, UTC) on, customers are observed under the drifted regime. The
 * feature distributions drift when `covariate` is set, and the true churn function when `concept` is set. A disabled
 * switch has `at` = +Infinity, so every customer stays in the reference regime.
 */
export interface DriftSwitch {
  readonly at: number;
  readonly covariate: boolean;
  readonly concept: boolean;
}

/** Companion of DriftSwitch. */
export const DriftSwitch = Object.freeze({
  /** The switch a resolved config describes. */
  fromConfig(config: ChurnWorldConfig): DriftSwitch {
    const { enabled, at, covariate, concept } = config.drift;
    return Object.freeze({ at: enabled ? Date.parse(at) : Number.POSITIVE_INFINITY, covariate: enabled && covariate, concept: enabled && concept });
  },
  /** 1 when a customer observed at `t` (epoch ms) falls in the drifted period, else 0. */
  period(sw: DriftSwitch, t: number): 0 | 1 {
    return t >= sw.at ? 1 : 0;
  },
  /** Index into REGIMES of the feature distributions that apply at `t`. */
  featureRegime(sw: DriftSwitch, t: number): 0 | 1 {
    return sw.covariate && t >= sw.at ? 1 : 0;
  },
  /** Index into REGIMES of the churn function that applies at `t`. */
  conceptRegime(sw: DriftSwitch, t: number): 0 | 1 {
    return sw.concept && t >= sw.at ? 1 : 0;
  },
});
