import { z } from 'zod';
import type { StrategyDescriptor } from './strategy-descriptor.js';

/**
 * Multi-armed bandit over versions: each request goes to the arm Thompson sampling (Beta(1+s, 1+f) posteriors)
 * or ε-greedy picks, where a success is a joined `reward` outcome with value > 0 (or no value) and a failure is an
 * assignment older than `reward_window_ms` without one. Posteriors refresh from the store every `refresh_ms`. Every
 * assignment logs the probability its arm had of being chosen (the propensity), for off-policy estimates.
 */
export interface BanditStrategy {
  readonly kind: 'bandit';
  readonly algorithm: 'thompson' | 'epsilon-greedy';
  readonly epsilon: number;
  readonly reward: string;
  /** How long after a request a missing reward counts as a failure, ms (default 0: at once). */
  readonly reward_window_ms: number;
  readonly refresh_ms: number;
  readonly seed: number;
}

/** @internal */
export const BANDIT: StrategyDescriptor<BanditStrategy> = {
  kind: 'bandit',
  zod: z.strictObject({
    kind: z.literal('bandit'),
    algorithm: z.enum(['thompson', 'epsilon-greedy']).default('thompson'),
    epsilon: z.number().min(0).max(1).default(0.1),
    reward: z.string().min(1).max(128).default('conversion'),
    reward_window_ms: z.number().int().min(0).max(30 * 86_400_000).default(0),
    refresh_ms: z.number().int().min(10).max(86_400_000).default(5000),
    seed: z.number().int().default(1),
  }) as unknown as z.ZodType<BanditStrategy>,
  arms: { min: 2, max: 32 },
  armNames: (_spec, count) => Array.from({ length: count }, (_, i) => `arm${i}`),
  steps: () => 1,
  weights: () => null,
};
