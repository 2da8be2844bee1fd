import type { Direction, TrialRecord } from './trial-record.js';

/**
 * Decides, after a trial reports its score at `step`, whether to stop it. `trial.intermediate` already holds that
 * score; `others` are the study's other trials in any state. Pure: the same inputs give the same answer, so a resumed
 * study (which reads the scores back from the store) decides as the first process would have.
 */
export interface Pruner {
  readonly name: 'median' | 'asha' | 'none';
  shouldPrune(trial: TrialRecord, step: number, others: readonly TrialRecord[], direction: Direction): boolean;
}

/** Never prunes. */
export const NO_PRUNER: Pruner = { name: 'none', shouldPrune: () => false };
