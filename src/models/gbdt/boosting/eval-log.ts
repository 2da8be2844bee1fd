/** One metric value on one dataset after one iteration. */
export interface Evaluation {
  /** `training`, or the validation set's name. */
  readonly dataset: string;
  readonly metric: string;
  readonly value: number;
}

/** What the training loop reports after each evaluated iteration (1-based `iteration`). */
export interface IterationEvent {
  readonly iteration: number;
  readonly totalIterations: number;
  readonly evaluations: readonly Evaluation[];
  /**
   * Seconds since the boosting loop started, this iteration's evaluation included: the training time as LightGBM's
   * CLI logs it ("… seconds elapsed, finished iteration N"), which leaves out reading and binning the data and setting
   * up the objective and the tree learner.
   */
  readonly seconds: number;
}

/**
 * Metric values over training: `iterations[j]` (1-based) is when `values[dataset][metric][j]` was measured. Only the
 * iterations that were evaluated appear (every metric_freq-th, or all under early stopping).
 */
export interface EvalLog {
  readonly iterations: number[];
  readonly values: Record<string, Record<string, number[]>>;
}

/** Appends one iteration's evaluations to `log`. */
export function recordEvaluations(log: EvalLog, iteration: number, evaluations: readonly Evaluation[]): void {
  if (evaluations.length === 0) return;
  log.iterations.push(iteration);
  for (const e of evaluations) {
    ownEntry(ownEntry(log.values, e.dataset, (): Record<string, number[]> => ({})), e.metric, (): number[] => []).push(e.value);
  }
}

/**
 * `record[key]`, made with `make` when `record` has no own `key`. Dataset names are the caller's, so a name such as
 * `constructor` or `__proto__` must give an entry of its own, not Object.prototype's member or the prototype.
 */
function ownEntry<T>(record: Record<string, T>, key: string, make: () => T): T {
  if (Object.hasOwn(record, key)) return record[key];
  const value = make();
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  return value;
}
