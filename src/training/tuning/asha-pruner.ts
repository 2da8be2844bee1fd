import type { Pruner } from './pruner.js';
import type { Direction, TrialRecord } from './trial-record.js';

/** Asynchronous successive halving settings; defaults are Optuna's SuccessiveHalvingPruner defaults. */
export interface AshaPrunerOptions {
  /**
   * Steps of the first rung. `auto` (default): the last step of the first completed trial ÷ 100, at least 1; no
   * pruning happens before a trial has completed.
   */
  readonly minResource?: number | 'auto';
  /** η: a rung keeps the best 1/η of the trials that reached it (default 4). */
  readonly reductionFactor?: number;
  /** s: rung k sits at step minResource · η^(s + k) (default 0). */
  readonly minEarlyStoppingRate?: number;
}

/**
 * ASHA (Li et al. 2018): rungs at steps r·η^(s+k). When a trial reaches a rung, its score there is ranked among the
 * scores of every trial that reached that rung (running ones too, which is what makes it asynchronous); it goes on only
 * if it is within the top ⌊n/η⌋ (the best, while fewer than η trials have reached the rung).
 */
export class AshaPruner implements Pruner {
  readonly name = 'asha';
  readonly #minResource: number | 'auto';
  readonly #eta: number;
  readonly #rate: number;

  constructor(options: AshaPrunerOptions = {}) {
    this.#minResource = options.minResource ?? 'auto';
    this.#eta = options.reductionFactor ?? 4;
    this.#rate = options.minEarlyStoppingRate ?? 0;
  }

  shouldPrune(trial: TrialRecord, step: number, others: readonly TrialRecord[], direction: Direction): boolean {
    const r = this.#resolveMinResource(others);
    if (r === null) return false;
    for (let k = 0; ; k++) {
      const rungStep = r * this.#eta ** (this.#rate + k);
      if (step < rungStep) return false;
      // A rung decides once: at the first step the trial reported at or past it. Later steps only look at later rungs.
      if (firstStepAt(trial, rungStep) !== step) continue;
      const own = trial.intermediate.get(step)!;
      if (Number.isNaN(own)) return true;
      const competing = [own];
      for (const t of others) {
        if (t.number === trial.number) continue;
        const v = rungValue(t, rungStep, Infinity);
        if (v !== undefined && !Number.isNaN(v)) competing.push(v);
      }
      const keep = Math.max(1, Math.floor(competing.length / this.#eta));
      competing.sort((a, b) => (direction === 'maximize' ? b - a : a - b));
      const threshold = competing[keep - 1];
      if (direction === 'maximize' ? own < threshold : own > threshold) return true;
    }
  }

  #resolveMinResource(others: readonly TrialRecord[]): number | null {
    if (this.#minResource !== 'auto') return this.#minResource;
    const first = others.filter((t) => t.state === 'complete' && t.intermediate.size > 0).sort((a, b) => a.number - b.number)[0];
    if (first === undefined) return null;
    return Math.max(1, Math.floor(Math.max(...first.intermediate.keys()) / 100));
  }
}

function firstStepAt(t: TrialRecord, rungStep: number): number {
  let at = Infinity;
  for (const s of t.intermediate.keys()) if (s >= rungStep && s < at) at = s;
  return at;
}

/** A trial's score at a rung: at the first step ≥ rungStep it reported, if that step is ≤ `upTo`. */
function rungValue(t: TrialRecord, rungStep: number, upTo: number): number | undefined {
  const at = firstStepAt(t, rungStep);
  return at <= upTo ? t.intermediate.get(at) : undefined;
}
