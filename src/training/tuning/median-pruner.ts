import type { Pruner } from './pruner.js';
import type { Direction, TrialRecord } from './trial-record.js';

/** MedianPruner settings; defaults are Optuna's. */
export interface MedianPrunerOptions {
  /** No pruning until this many trials have completed (default 5). */
  readonly nStartupTrials?: number;
  /** No pruning before this step (default 0). */
  readonly nWarmupSteps?: number;
  /** Check every this-many steps after the warm-up (default 1). */
  readonly intervalSteps?: number;
}

/**
 * Stops a trial whose best score so far is worse than the median of the completed trials' scores at the same step
 * (only completed trials that reported that step count).
 */
export class MedianPruner implements Pruner {
  readonly name = 'median';
  readonly #startup: number;
  readonly #warmup: number;
  readonly #interval: number;

  constructor(options: MedianPrunerOptions = {}) {
    this.#startup = options.nStartupTrials ?? 5;
    this.#warmup = options.nWarmupSteps ?? 0;
    this.#interval = options.intervalSteps ?? 1;
  }

  shouldPrune(trial: TrialRecord, step: number, others: readonly TrialRecord[], direction: Direction): boolean {
    const complete = others.filter((t) => t.state === 'complete' && t.number !== trial.number);
    if (complete.length < this.#startup || step < this.#warmup) return false;
    if ((step - this.#warmup) % this.#interval !== 0) return false;
    const atStep = complete.map((t) => t.intermediate.get(step)).filter((v): v is number => v !== undefined && !Number.isNaN(v));
    if (atStep.length === 0) return false;
    const own = [...trial.intermediate.entries()].filter(([s, v]) => s <= step && !Number.isNaN(v)).map(([, v]) => v);
    if (own.length === 0) return true;
    const best = direction === 'maximize' ? Math.max(...own) : Math.min(...own);
    const med = median(atStep);
    return direction === 'maximize' ? best < med : best > med;
  }
}

/** The median, interpolating between the two middle values of an even count. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = (s.length - 1) / 2;
  return (s[Math.floor(mid)] + s[Math.ceil(mid)]) / 2;
}
