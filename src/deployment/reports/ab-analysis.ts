import { msprt, msprtProportions, sampleRatioMismatch, sampleSizeMeans, sampleSizeProportions, summarize, twoProportionZTest, welchTTest, type Interval } from '../statistics/index.js';
import type { Deployment } from '../deployment.js';
import type { JoinedAssignment } from '../store/deployment-store.js';
import type { AbStrategy } from '../strategies/ab-strategy.js';
import { strategyDescriptor } from '../strategies/deployment-strategy.js';
import { isReward } from '../routing/bandit-posteriors.js';
import { isAssigned, unitKey } from './arm-summary.js';

/** The primary metric of one arm, per unit. */
export interface ArmMetric {
  readonly arm: string;
  readonly units: number;
  /** proportion: units with the outcome; mean: null. */
  readonly conversions: number | null;
  /** proportion: conversions / units; mean: the mean per-unit value. */
  readonly estimate: number;
  /** mean: the sample variance of per-unit values (n − 1); proportion: null. */
  readonly variance: number | null;
}

/** One challenger arm against the control (arm A). */
export interface ArmComparison {
  readonly control: string;
  readonly treatment: string;
  /** treatment − control (rate points for proportions). */
  readonly difference: number;
  readonly relativeLift: number | null;
  /** The fixed-horizon test: two-proportion z (pooled) or Welch's t. */
  readonly test: { readonly kind: 'z' | 'welch'; readonly statistic: number; readonly df: number | null; readonly pValue: number; readonly ci: Interval; readonly significant: boolean };
  /** The always-valid (peeking-safe) mSPRT result. */
  readonly sequential: { readonly pValue: number; readonly ci: Interval; readonly significant: boolean; readonly likelihoodRatio: number };
  /** Units per arm for the configured (or observed) minimum detectable effect, or null when there is no effect to size for. */
  readonly sampleSize: { readonly mde: number; readonly perArm: number; readonly moreUnitsPerArm: number } | null;
}

/** The A/B analysis of a deployment. */
export interface AbAnalysis {
  readonly metric: AbStrategy['metric'];
  readonly alpha: number;
  readonly arms: readonly ArmMetric[];
  readonly comparisons: readonly ArmComparison[];
  /** Sample-ratio mismatch: observed units per arm against the configured weights (χ², alpha 0.001). */
  readonly srm: { readonly chiSquare: number; readonly df: number; readonly pValue: number; readonly mismatch: boolean } | null;
}

/**
 * Analyses an A/B deployment per unit (the unit id, else the request id): a unit converts (`proportion`) when any of
 * its requests has the metric outcome with a value > 0 or none; its value (`mean`) is the sum of its requests'
 * outcome values, 0 for requests with none. Each treatment arm is compared with arm A by the fixed-horizon test and
 * by mSPRT; units that reached more than one arm (a changed split) count in each they reached.
 */
export function analyseAb(deployment: Deployment & { strategy: AbStrategy }, rows: readonly JoinedAssignment[]): AbAnalysis {
  const spec = deployment.strategy;
  const perArm = new Map<string, Map<string, number>>(deployment.arms.map((a) => [a.name, new Map()]));
  for (const row of rows) {
    if (!isAssigned(row)) continue;
    const units = perArm.get(row.arm);
    if (units === undefined) continue;
    const key = unitKey(row);
    const value = spec.metric.kind === 'proportion' ? (isReward(row) ? 1 : 0) : typeof row.outcome?.value === 'number' ? row.outcome.value : 0;
    const before = units.get(key) ?? 0;
    units.set(key, spec.metric.kind === 'proportion' ? Math.max(before, value) : before + value);
  }
  const arms: ArmMetric[] = deployment.arms.map((a) => {
    const values = [...perArm.get(a.name)!.values()];
    if (spec.metric.kind === 'proportion') {
      const conversions = values.reduce((s, v) => s + v, 0);
      return { arm: a.name, units: values.length, conversions, estimate: values.length === 0 ? 0 : conversions / values.length, variance: null };
    }
    const summary = values.length === 0 ? { n: 0, mean: 0, variance: 0 } : summarize(values);
    return { arm: a.name, units: values.length, conversions: null, estimate: summary.mean, variance: values.length < 2 ? null : summary.variance };
  });
  const control = arms[0];
  const comparisons = arms.slice(1).flatMap((treatment) => {
    const c = compare(spec, control, treatment);
    return c === null ? [] : [c];
  });
  const weights = strategyDescriptor(spec).weights(spec, 0, deployment.arms.length)!;
  const observed = arms.map((a) => a.units);
  const srm = observed.reduce((a, b) => a + b, 0) >= arms.length ? sampleRatioMismatch(observed, weights) : null;
  return { metric: spec.metric, alpha: spec.alpha, arms, comparisons, srm };
}

function compare(spec: AbStrategy, a: ArmMetric, b: ArmMetric): ArmComparison | null {
  const alpha = spec.alpha;
  if (spec.metric.kind === 'proportion') {
    if (a.units === 0 || b.units === 0) return null;
    const sa = { successes: a.conversions!, total: a.units };
    const sb = { successes: b.conversions!, total: b.units };
    const z = twoProportionZTest(sa, sb, { alpha });
    const seq = msprtProportions(sa, sb, { ...(spec.tau2 === null ? {} : { tau2: spec.tau2 }), alpha });
    const mde = spec.mde ?? Math.abs(z.difference);
    const baseline = Math.min(Math.max(a.estimate, 1e-6), 1 - 1e-6);
    const size = mde > 0 && baseline + mde < 1 ? sampleSizeProportions({ baselineRate: baseline, minimumDetectableEffect: mde, alpha, power: spec.power }) : null;
    return {
      control: a.arm,
      treatment: b.arm,
      difference: z.difference,
      relativeLift: z.relativeLift,
      test: { kind: 'z', statistic: z.z, df: null, pValue: z.pValue, ci: z.ci, significant: z.significant },
      sequential: { pValue: seq.pValue, ci: seq.ci, significant: seq.significant, likelihoodRatio: seq.likelihoodRatio },
      sampleSize: size === null ? null : { mde, perArm: size.perArmA, moreUnitsPerArm: Math.max(0, size.perArmA - Math.min(a.units, b.units)) },
    };
  }
  if (a.units < 2 || b.units < 2 || a.variance === null || b.variance === null) return null;
  const ma = { n: a.units, mean: a.estimate, variance: a.variance };
  const mb = { n: b.units, mean: b.estimate, variance: b.variance };
  const t = welchTTest(ma, mb, { alpha });
  const seq = msprt(ma, mb, { ...(spec.tau2 === null ? {} : { tau2: spec.tau2 }), alpha });
  const sd = Math.sqrt((a.variance + b.variance) / 2);
  const mde = spec.mde ?? Math.abs(t.difference);
  const size = mde > 0 && sd > 0 ? sampleSizeMeans({ standardDeviation: sd, minimumDetectableEffect: mde, alpha, power: spec.power }) : null;
  return {
    control: a.arm,
    treatment: b.arm,
    difference: t.difference,
    relativeLift: a.estimate === 0 ? null : t.difference / a.estimate,
    test: { kind: 'welch', statistic: t.t, df: t.df, pValue: t.pValue, ci: t.ci, significant: t.significant },
    sequential: { pValue: seq.pValue, ci: seq.ci, significant: seq.significant, likelihoodRatio: seq.likelihoodRatio },
    sampleSize: size === null ? null : { mde, perArm: size.perArmA, moreUnitsPerArm: Math.max(0, size.perArmA - Math.min(a.units, b.units)) },
  };
}
