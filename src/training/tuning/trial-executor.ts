import type { TrialParams } from './search-space.js';

/** What running one trial gives back. */
export interface TrialOutcome {
  readonly value: number;
  readonly pruned: boolean;
}

/**
 * Runs trials. `report(step, value)` is called after each intermediate score and answers whether to prune; a run
 * rejects with the trial's error. `slots` trials may run at once.
 */
export interface TrialExecutor {
  readonly slots: number;
  run(number: number, params: TrialParams, report: (step: number, value: number) => boolean): Promise<TrialOutcome>;
  /**
   * Stops every running trial, for a study whose timeout passed. Optional: without it, trials stop only when `report`
   * answers true. An interrupted run() may reject; the study records the trial as interrupted either way.
   */
  interrupt?(): void;
  close(): Promise<void>;
}

/** Runs an objective function in this thread, one trial at a time (tests, and cheap objectives). */
export function inProcessExecutor(objective: (params: TrialParams, report: (step: number, value: number) => boolean) => TrialOutcome): TrialExecutor {
  return {
    slots: 1,
    run: async (_number, params, report) => objective(params, report),
    close: async () => {},
  };
}
