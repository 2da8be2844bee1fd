/** A two-sided confidence interval `[low, high]` at confidence `level` (e.g. 0.95). */
export interface Interval {
  readonly low: number;
  readonly high: number;
  readonly level: number;
}
