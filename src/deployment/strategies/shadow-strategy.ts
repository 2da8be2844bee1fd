import { z } from 'zod';
import type { StrategyDescriptor } from './strategy-descriptor.js';

/**
 * Shadow: `primary` answers every request; a `sample` fraction of requests is also scored by `shadow`, after the
 * response and off the request path, and the two answers are compared (agreement of the decision at `threshold`,
 * and the score delta). The shadow never delays or fails a response.
 */
export interface ShadowStrategy {
  readonly kind: 'shadow';
  readonly sample: number;
  /** Scores at or above it count as the positive decision when comparing (default 0.5). */
  readonly threshold: number;
}

/** @internal */
export const SHADOW: StrategyDescriptor<ShadowStrategy> = {
  kind: 'shadow',
  zod: z.strictObject({ kind: z.literal('shadow'), sample: z.number().gt(0).max(1).default(1), threshold: z.number().default(0.5) }),
  arms: { min: 2, max: 2 },
  armNames: () => ['primary', 'shadow'],
  steps: () => 1,
  weights: () => [1, 0],
};
