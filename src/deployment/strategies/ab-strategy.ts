import { z } from 'zod';
import { guardrailsZod, type Guardrails } from './guardrails.js';
import type { StrategyDescriptor } from './strategy-descriptor.js';

/**
 * A/B test: units (users, customers…) are split across arms A, B, … by a sticky hash of the deployment id and the
 * unit id, in proportion to `weights`. The primary metric is the outcome named `metric.outcome` joined on request id:
 * `proportion` counts a unit as converted when it has that outcome with a value > 0 (or no value), `mean` averages
 * its values. The report gives the fixed-horizon test (z or Welch), the always-valid mSPRT p-value (mixing variance
 * `tau2`), a sample-ratio-mismatch check, and the sample size for `mde`.
 */
export interface AbStrategy {
  readonly kind: 'ab';
  /**
   * Where the unit id comes from: `unit_id` (default) reads the predict body's `unit_id` or the `x-loom-unit-id`
   * header; any other name reads that field of the request's first record (e.g. `customer_id`). Requests without
   * one are split by request id.
   */
  readonly unit_field: string;
  /** Relative traffic per arm, one per version (default equal). */
  readonly weights: readonly number[] | null;
  readonly metric: { readonly outcome: string; readonly kind: 'proportion' | 'mean' };
  readonly alpha: number;
  readonly power: number;
  /**
   * mSPRT mixing variance τ² on the difference, in squared metric units (≈ the square of the effect you expect), or
   * null for the statistics module's default: 1% of the average per-unit variance (a tenth of a standard deviation).
   */
  readonly tau2: number | null;
  /** Minimum detectable effect (absolute: rate points or value units) for the sample-size estimate, or null. */
  readonly mde: number | null;
  readonly guardrails: Guardrails;
}

/** @internal */
export const AB: StrategyDescriptor<AbStrategy> = {
  kind: 'ab',
  zod: z.strictObject({
    kind: z.literal('ab'),
    unit_field: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/, 'a field name').default('unit_id'),
    weights: z.array(z.number().positive().max(1e6)).min(2).max(16).nullable().default(null),
    metric: z.strictObject({ outcome: z.string().min(1).max(128), kind: z.enum(['proportion', 'mean']).default('proportion') }).default({ outcome: 'conversion', kind: 'proportion' }),
    alpha: z.number().gt(0).max(0.5).default(0.05),
    power: z.number().gt(0.5).lt(1).default(0.8),
    tau2: z.number().positive().max(1e12).nullable().default(null),
    mde: z.number().positive().nullable().default(null),
    guardrails: guardrailsZod.default({}),
  }) as unknown as z.ZodType<AbStrategy>,
  arms: { min: 2, max: 16 },
  armNames: (_spec, count) => Array.from({ length: count }, (_, i) => String.fromCharCode(65 + i)),
  steps: () => 1,
  weights: (spec, _step, count) => {
    const w = spec.weights ?? new Array<number>(count).fill(1);
    const total = w.reduce((a, b) => a + b, 0);
    return w.map((x) => x / total);
  },
  check: (spec, count) => (spec.weights !== null && spec.weights.length !== count ? ['weights', `it has ${spec.weights.length} weights for ${count} arms; give one per version`] : null),
};
