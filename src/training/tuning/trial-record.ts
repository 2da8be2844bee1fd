import type { TrialParams } from './search-space.js';

/** Where a trial is: running, finished (`complete` or `pruned`), `failed`, or `interrupted` (its process died). */
export type TrialState = 'running' | 'complete' | 'pruned' | 'failed' | 'interrupted';

/** Whether a study maximizes or minimizes its metric. */
export type Direction = 'maximize' | 'minimize';

/** A trial as samplers and pruners see it. `intermediate` maps a step (boosting iteration, 1-based) to its score. */
export interface TrialRecord {
  readonly number: number;
  readonly state: TrialState;
  readonly params: TrialParams;
  /** The final score of a complete trial; the last intermediate score of a pruned one; null otherwise. */
  readonly value: number | null;
  readonly intermediate: ReadonlyMap<number, number>;
}

/** `a` is strictly better than `b` in `direction`. */
export function isBetter(a: number, b: number, direction: Direction): boolean {
  return direction === 'maximize' ? a > b : a < b;
}
