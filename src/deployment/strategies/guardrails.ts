import { z } from 'zod';

/**
 * Guardrails a canary or A/B deployment is held to, per challenger arm, from what serving observes. Each has a
 * budget: the error-rate guardrail tolerates `budget` failed challenger requests outright (and judges the rate once
 * `min_samples` requests arrived); latency and drift guardrails are judged only once `min_samples` observations
 * exist, so a handful of cold-start requests never trigger a rollback.
 */
export interface Guardrails {
  /** Breach when the arm's failed requests exceed `budget`, or when its error rate exceeds `max` after `min_samples` requests. */
  readonly error_rate?: { readonly max: number; readonly budget: number; readonly min_samples: number };
  /** Breach when the arm's p99 latency (ms, whole request) exceeds `max_ms` after `min_samples` requests. */
  readonly latency_p99?: { readonly max_ms: number; readonly min_samples: number };
  /**
   * Breach when the population stability index of the arm's scores against the stable arm's scores (ten bins at
   * the stable scores' deciles) exceeds `max`, after `min_samples` scores on each side.
   */
  readonly prediction_drift?: { readonly metric: 'psi'; readonly max: number; readonly min_samples: number };
}

/** The guardrails a canary gets when its spec names none. */
export const DEFAULT_GUARDRAILS: Guardrails = Object.freeze({
  error_rate: Object.freeze({ max: 0.05, budget: 5, min_samples: 50 }),
});

/** @internal */
export const guardrailsZod = z.strictObject({
  error_rate: z
    .strictObject({
      max: z.number().min(0).max(1),
      budget: z.number().int().min(0).max(1_000_000).default(5),
      min_samples: z.number().int().min(1).max(10_000_000).default(50),
    })
    .optional(),
  latency_p99: z.strictObject({ max_ms: z.number().positive().max(3_600_000), min_samples: z.number().int().min(1).max(10_000_000).default(100) }).optional(),
  prediction_drift: z.strictObject({ metric: z.literal('psi').default('psi'), max: z.number().positive().max(100), min_samples: z.number().int().min(10).max(10_000_000).default(200) }).optional(),
});
