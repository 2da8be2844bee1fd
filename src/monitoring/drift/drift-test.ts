/** What a drift test compares: numeric values, or counts per category. */
export type DriftValueType = 'numeric' | 'categorical';

/**
 * Input to a drift test. Numeric: the reference and current values, each **sorted ascending**, without nulls or NaN.
 * Categorical: counts per category, aligned by index (the same category at the same position in both arrays).
 * The caller owns the arrays; tests only read them.
 */
export type DriftInput =
  | { readonly type: 'numeric'; readonly reference: Float64Array; readonly current: Float64Array }
  | { readonly type: 'categorical'; readonly reference: Float64Array; readonly current: Float64Array };

/** The outcome of one drift test on one column. */
export interface DriftTestResult {
  /** Registry name of the test, e.g. `ks`. */
  readonly test: string;
  /**
   * The test statistic (KS: D; chi-square: Pearson χ²; distances: the distance). `Infinity` when a current category
   * has no reference mass in a chi-square test.
   */
  readonly statistic: number;
  /** The p-value for p-value tests; null for distance tests. */
  readonly pValue: number | null;
  /** How the p-value was computed, e.g. `exact` or `asymptotic`. */
  readonly method: string;
  /** The threshold the decision used. */
  readonly threshold: number;
  /** True when the test flags drift: p-value below the threshold, or distance at or above it. */
  readonly drifted: boolean;
}

/**
 * A drift test's descriptor: its registry name, the value types it accepts, and the threshold it uses unless told
 * otherwise. A `p_value` test drifts when p < threshold; a `distance` test when the distance ≥ threshold.
 */
export interface DriftTestDescriptor {
  readonly name: string;
  readonly kind: 'p_value' | 'distance';
  readonly allowedTypes: readonly DriftValueType[];
  readonly defaultThreshold: number;
  /** One line for docs and `--help`. */
  readonly description: string;
}

/** A registered drift test: its descriptor and its pure calculation. */
export interface DriftTest {
  readonly descriptor: DriftTestDescriptor;
  /** Runs the test. `input.type` must be one of `descriptor.allowedTypes`. */
  readonly run: (input: DriftInput, threshold: number) => DriftTestResult;
}
