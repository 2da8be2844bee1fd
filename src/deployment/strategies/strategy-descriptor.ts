import type { z } from 'zod';

/**
 * What the deployment machinery needs to know about one strategy kind: its spec schema, how many versions (arms) it
 * takes and what they are called, and how traffic splits across them at a step. One descriptor per strategy file,
 * registered in DEPLOYMENT_STRATEGIES.
 * @internal
 */
export interface StrategyDescriptor<S extends { readonly kind: string }> {
  readonly kind: S['kind'];
  readonly zod: z.ZodType<S>;
  /** Fewest and most versions the strategy takes, the stable (current champion) one first. */
  readonly arms: { readonly min: number; readonly max: number };
  /** Arm names for `count` versions, stable first. */
  armNames(spec: S, count: number): string[];
  /** Number of traffic steps (canary: its percentages; others 1). */
  steps(spec: S): number;
  /**
   * The share of user traffic each arm answers at `step` (fractions summing to 1), or null when the arm is chosen
   * per request by another rule (bandit posteriors, interleaving, which answers from both).
   */
  weights(spec: S, step: number, count: number): number[] | null;
  /** Checks that need the arm count (weights per arm), as [field, problem], or null. */
  check?(spec: S, count: number): readonly [string, string] | null;
}
