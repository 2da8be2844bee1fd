import { z } from 'zod';
import { DEFAULT_GUARDRAILS, guardrailsZod, type Guardrails } from './guardrails.js';
import type { StrategyDescriptor } from './strategy-descriptor.js';

/**
 * Canary: the `canary` arm answers `steps[i]` percent of units (sticky by unit id) and the `stable` arm the rest.
 * A step advances once the canary answered `min_requests` requests in it and `min_duration_ms` passed, with no
 * guardrail breached; a breach rolls everything back to stable. Reaching the last step (100) promotes the canary.
 * With `fallback` (default), a request the canary fails is answered by stable, so users see no error for it.
 */
export interface CanaryStrategy {
  readonly kind: 'canary';
  /** Ascending percentages in (0, 100], e.g. [5, 25, 50, 100]. */
  readonly steps: readonly number[];
  readonly min_requests: number;
  readonly min_duration_ms: number;
  readonly guardrails: Guardrails;
  readonly fallback: boolean;
  /** Advance steps automatically (default); false waits for `loom deploy promote`. */
  readonly auto_advance: boolean;
}

/** @internal */
export const CANARY: StrategyDescriptor<CanaryStrategy> = {
  kind: 'canary',
  zod: z.strictObject({
    kind: z.literal('canary'),
    steps: z
      .array(z.number().gt(0).max(100))
      .min(1)
      .max(20)
      .default([5, 25, 50, 100])
      .refine((s) => s.every((v, i) => i === 0 || v > s[i - 1]), { message: 'steps must be strictly ascending percentages, e.g. [5, 25, 50, 100]' }),
    min_requests: z.number().int().min(0).max(100_000_000).default(100),
    min_duration_ms: z.number().int().min(0).max(30 * 86_400_000).default(0),
    guardrails: guardrailsZod.default(DEFAULT_GUARDRAILS as z.output<typeof guardrailsZod>),
    fallback: z.boolean().default(true),
    auto_advance: z.boolean().default(true),
  }) as unknown as z.ZodType<CanaryStrategy>,
  arms: { min: 2, max: 2 },
  armNames: () => ['stable', 'canary'],
  steps: (spec) => spec.steps.length,
  weights: (spec, step) => {
    const p = spec.steps[Math.min(step, spec.steps.length - 1)] / 100;
    return [1 - p, p];
  },
};
