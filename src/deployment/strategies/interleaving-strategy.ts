import { z } from 'zod';
import type { StrategyDescriptor } from './strategy-descriptor.js';

/**
 * Team-draft interleaving of two rankers: a predict request's records are the candidates; both rankers score them,
 * each ranks by descending score, and the response lists the interleaved order with the team of each position.
 * Feedback `{outcome: click, value: [clicked positions]}` credits the team with more clicks on that impression.
 */
export interface InterleavingStrategy {
  readonly kind: 'interleaving';
  readonly click: string;
  /** Longest interleaved list (default: all candidates). */
  readonly length: number | null;
  /** Which output ranks when the model has several (default the first). */
  readonly output: string | null;
  readonly seed: number;
}

/** @internal */
export const INTERLEAVING: StrategyDescriptor<InterleavingStrategy> = {
  kind: 'interleaving',
  zod: z.strictObject({
    kind: z.literal('interleaving'),
    click: z.string().min(1).max(128).default('click'),
    length: z.number().int().min(1).max(100_000).nullable().default(null),
    output: z.string().min(1).nullable().default(null),
    seed: z.number().int().default(1),
  }) as unknown as z.ZodType<InterleavingStrategy>,
  arms: { min: 2, max: 2 },
  armNames: () => ['A', 'B'],
  steps: () => 1,
  weights: () => null,
};
