import type { MetricEstimate } from '../evaluation-report.js';
import type { GateConfidence } from './gate-rule.js';
import { normalQuantile } from './normal-quantile.js';

// Values a gate computes with: a figure from a report and the interval it may lie in. @internal

/** A value and the interval it may lie in; lo = hi = value for exact numbers and point estimates. */
export interface Interval {
  readonly value: number;
  readonly lo: number;
  readonly hi: number;
}

/** A figure the rule needs but the report cannot give; fails the rule (or the check) with `reason`. */
export class Unavailable extends Error {}

/**
 * A report estimate as an interval at the rule's confidence: a point without a confidence clause; its bootstrap
 * interval, rescaled to the rule's level with normal quantiles, with one. @throws Unavailable without an interval.
 */
export function estimateInterval(estimate: MetricEstimate, label: string, confidence: GateConfidence | null): Interval {
  const { value } = finite(estimate.value, label);
  if (confidence === null) return point(value);
  if (estimate.ci === null) throw new Unavailable(`${label} has no confidence interval in the report (too few rows to bootstrap), and the rule asks for one`);
  let [lo, hi] = estimate.ci;
  if (Math.abs(estimate.level - confidence.level) > 1e-12) {
    // Rescale each side's distance from the estimate by the ratio of two-sided normal quantiles.
    const ratio = normalQuantile((1 + confidence.level) / 2) / normalQuantile((1 + estimate.level) / 2);
    lo = value - (value - lo) * ratio;
    hi = value + (hi - value) * ratio;
  }
  return { value, lo: Math.min(lo, value), hi: Math.max(hi, value) };
}

/**
 * Rounds a difference within floating-point noise of zero to zero, so `0.75 - 0.72 > 0.03` is false as written on
 * paper (in binary it is 2.7e-17 above).
 */
export function snap(difference: number, scale: number): number {
  return Math.abs(difference) <= 1e-12 * scale ? 0 : difference;
}

/** A point, or Unavailable for NaN/±Infinity. */
export function finite(value: number, label: string): Interval {
  if (!Number.isFinite(value)) throw new Unavailable(`${label} is not a finite number (${value}); the metric is undefined on this data`);
  return point(value);
}

/** An exact value. */
export function point(value: number): Interval {
  return { value, lo: value, hi: value };
}

/** Six significant digits, for messages. */
export function fmt(x: number): string {
  return String(round(x));
}

/** Rounds to six significant digits. */
export function round(x: number): number {
  return Number(x.toPrecision(6));
}
