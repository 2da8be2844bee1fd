import type { GbdtFoldResult } from './gbdt-objective.js';
import type { TrialOutcome } from './trial-executor.js';

/**
 * Keeps one cross-validated trial's folds in lockstep. Each fold `arrive`s with its score after an iteration and
 * waits; when every fold still training has arrived, the trial's `report` gets the mean across all folds (a fold that
 * stopped early, e.g. by early stopping, counts with its last score) and every waiting fold is released with the
 * verdict. The trial settles when every fold has finished: pruned with the last mean reported, or complete with the
 * mean of the folds' final scores. A fold error stops the other folds, and once they are done (so their workers are
 * free again) the trial rejects with the first error.
 * @internal
 */
export class FoldBarrier {
  readonly #last: number[];
  readonly #live: boolean[];
  readonly #results: GbdtFoldResult[] = [];
  readonly #waiting = new Set<number>();
  #step = 0;
  #stop = false;
  #settled = false;
  #lastMean = Number.NaN;
  #error: { readonly err: unknown } | null = null;

  constructor(
    readonly number: number,
    readonly folds: number,
    private readonly report: (step: number, value: number) => boolean,
    private readonly resolve: (outcome: TrialOutcome) => void,
    private readonly reject: (err: unknown) => void,
    /** Wakes a waiting fold's worker; `stop` tells it to stop training. */
    private readonly release: (fold: number, stop: boolean) => void,
  ) {
    this.#last = new Array<number>(folds).fill(Number.NaN);
    this.#live = new Array<boolean>(folds).fill(true);
  }

  /** Fold `fold` scored `value` after iteration `step` and waits for the verdict. */
  arrive(fold: number, step: number, value: number): void {
    this.#last[fold] = value;
    if (this.#stop) {
      this.release(fold, true);
      return;
    }
    this.#step = step;
    this.#waiting.add(fold);
    this.#decide();
  }

  /** Fold `fold` finished training (its worker is free again). */
  finish(fold: number, result: GbdtFoldResult): void {
    this.#live[fold] = false;
    this.#results.push(result);
    this.#waiting.delete(fold);
    this.#decide();
    this.#settle();
  }

  /** Fold `fold` failed, or its worker died (fold -1: the pruner threw): the other folds stop, the trial will reject. */
  fail(fold: number, err: unknown): void {
    if (fold >= 0) this.#live[fold] = false;
    this.#waiting.delete(fold);
    this.#stop = true;
    this.#error ??= { err };
    for (const f of this.#waiting) this.release(f, true);
    this.#waiting.clear();
    this.#settle();
  }

  #decide(): void {
    const live = this.#live.filter(Boolean).length;
    if (this.#stop || this.#waiting.size === 0 || this.#waiting.size < live) return;
    let sum = 0;
    for (const v of this.#last) sum += v;
    const mean = sum / this.folds;
    let stop: boolean;
    try {
      stop = this.report(this.#step, mean);
    } catch (err) {
      this.fail(-1, err);
      return;
    }
    this.#lastMean = mean;
    this.#stop = stop;
    for (const f of this.#waiting) this.release(f, stop);
    this.#waiting.clear();
  }

  #settle(): void {
    if (this.#settled || this.#live.some(Boolean)) return;
    this.#settled = true;
    if (this.#error !== null) {
      this.reject(this.#error.err);
      return;
    }
    const pruned = this.#stop || this.#results.some((r) => r.pruned);
    const value = pruned ? this.#lastMean : this.#results.reduce((a, r) => a + r.value, 0) / this.#results.length;
    this.resolve({ value, pruned });
  }
}
