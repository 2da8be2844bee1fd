import { z } from 'zod';
import type { StrategyDescriptor } from './strategy-descriptor.js';

/** One version answers everything. */
export interface SingleStrategy {
  readonly kind: 'single';
}

/** @internal */
export const SINGLE: StrategyDescriptor<SingleStrategy> = {
  kind: 'single',
  zod: z.strictObject({ kind: z.literal('single') }),
  arms: { min: 1, max: 1 },
  armNames: () => ['primary'],
  steps: () => 1,
  weights: () => [1],
};
