import { z } from 'zod';
import type { StrategyDescriptor } from './strategy-descriptor.js';

/**
 * Blue-green: `blue` (the live version) answers everything while `green` (the new one) is loaded and warmed beside
 * it; promotion switches all traffic to green at once, and rollback switches it back.
 */
export interface BlueGreenStrategy {
  readonly kind: 'blue-green';
}

/** @internal */
export const BLUE_GREEN: StrategyDescriptor<BlueGreenStrategy> = {
  kind: 'blue-green',
  zod: z.strictObject({ kind: z.literal('blue-green') }),
  arms: { min: 2, max: 2 },
  armNames: () => ['blue', 'green'],
  steps: () => 1,
  weights: () => [1, 0],
};
