import type { Evaluation } from './eval-log.js';

/**
 * Early stopping as LightGBM does it: for each (validation set, metric) pair, remember the best value and its
 * iteration; an improvement must beat the best by more than `minDelta`. Training stops when some pair has not
 * improved for `rounds` iterations, and the model keeps the trees up to that pair's best iteration.
 */
export class EarlyStopping {
  readonly #rounds: number;
  readonly #minDelta: number;
  readonly #firstMetricOnly: boolean;
  readonly #best = new Map<string, { value: number; iteration: number }>();

  constructor(rounds: number, minDelta: number, firstMetricOnly: boolean) {
    this.#rounds = rounds;
    this.#minDelta = minDelta;
    this.#firstMetricOnly = firstMetricOnly;
  }

  /**
   * Takes the evaluations of 1-based `iteration` (training-set entries are ignored); returns the best iteration to
   * stop at, or 0 to continue. `higherIsBetter` tells each metric's direction.
   */
  update(iteration: number, evaluations: readonly Evaluation[], higherIsBetter: (metric: string) => boolean): number {
    let firstMetric: string | null = null;
    for (const e of evaluations) {
      if (e.dataset === 'training') continue;
      firstMetric ??= e.metric;
      if (this.#firstMetricOnly && e.metric !== firstMetric) continue;
      const key = `${e.dataset}\u0000${e.metric}`;
      const best = this.#best.get(key);
      const improved = best === undefined || (higherIsBetter(e.metric) ? e.value > best.value + this.#minDelta : e.value < best.value - this.#minDelta);
      if (improved) this.#best.set(key, { value: e.value, iteration });
      else if (iteration - best!.iteration >= this.#rounds) return best!.iteration;
    }
    return 0;
  }
}
