import type { Random } from '../../core/random.js';
import { paramScale } from './param-scale.js';
import { CategoricalParzen, NumericParzen, observationWeights, type ParzenSettings } from './parzen-estimator.js';
import { drawActive, trialRandom, uniformDraw, type Sampler } from './sampler.js';
import type { SearchParam, SearchSpace, TrialParams, TrialValue } from './search-space.js';
import type { Direction, TrialRecord } from './trial-record.js';

/** TPE settings; the defaults are Optuna's TPESampler defaults. */
export interface TpeOptions {
  /** Random trials before TPE starts (default 10). */
  readonly nStartupTrials?: number;
  /** Candidates drawn from l(x) per param, of which the one with the largest l(x)/g(x) wins (default 24). */
  readonly nEiCandidates?: number;
  /** How many of n ranked trials are "good" (default min(⌈0.1·n⌉, 25)). */
  readonly gamma?: (n: number) => number;
  readonly priorWeight?: number;
  readonly magicClip?: boolean;
}

/** Optuna's default_gamma: the best 10 % of trials, at most 25. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/**
 * The Tree-structured Parzen Estimator (Bergstra et al. 2011), univariate as in Optuna. After the startup trials, it
 * ranks finished trials (complete ones by score, then pruned ones by how far they got), calls the best γ(n) "good",
 * fits one Parzen estimator l(x) to the good trials' values of each param and one g(x) to the rest, draws candidates
 * from l(x) and keeps the one maximising l(x)/g(x). A conditional param is fitted only on the trials where it was active.
 */
export class TpeSampler implements Sampler {
  readonly name = 'tpe';
  readonly #startup: number;
  readonly #candidates: number;
  readonly #gamma: (n: number) => number;
  readonly #parzen: ParzenSettings;

  constructor(readonly seed: number, readonly direction: Direction, options: TpeOptions = {}) {
    this.#startup = options.nStartupTrials ?? 10;
    this.#candidates = options.nEiCandidates ?? 24;
    this.#gamma = options.gamma ?? defaultGamma;
    this.#parzen = { priorWeight: options.priorWeight ?? 1, magicClip: options.magicClip ?? true };
  }

  sample(space: SearchSpace, number: number, history: readonly TrialRecord[]): TrialParams {
    const rng = trialRandom(this.seed, number, 2);
    const ranked = this.#rank(history);
    if (ranked.length < this.#startup) return drawActive(space, (p) => uniformDraw(p.distribution, rng));
    const nBelow = this.#gamma(ranked.length);
    const below = ranked.slice(0, nBelow).sort((a, b) => a.number - b.number);
    const above = ranked.slice(nBelow).sort((a, b) => a.number - b.number);
    return drawActive(space, (p) => this.#draw(p, below, above, rng));
  }

  /** Finished trials, best first: complete by score, then pruned by last step reached (then by last score). */
  #rank(history: readonly TrialRecord[]): TrialRecord[] {
    const sign = this.direction === 'maximize' ? -1 : 1;
    const loss = (t: TrialRecord): number => (t.value === null || Number.isNaN(t.value) ? Infinity : sign * t.value);
    const complete = history.filter((t) => t.state === 'complete').sort((a, b) => loss(a) - loss(b) || a.number - b.number);
    const lastStep = (t: TrialRecord): number => Math.max(0, ...t.intermediate.keys());
    const pruned = history.filter((t) => t.state === 'pruned').sort((a, b) => lastStep(b) - lastStep(a) || loss(a) - loss(b) || a.number - b.number);
    return [...complete, ...pruned];
  }

  #draw(p: SearchParam, below: readonly TrialRecord[], above: readonly TrialRecord[], rng: Random): TrialValue {
    const d = p.distribution;
    const valuesOf = (trials: readonly TrialRecord[]): TrialValue[] => trials.filter((t) => p.name in t.params).map((t) => t.params[p.name]);
    const good = valuesOf(below);
    const bad = valuesOf(above);
    if (d.kind === 'categorical') {
      const index = (v: TrialValue): number => d.choices.indexOf(v);
      const gi = good.map(index).filter((i) => i >= 0);
      const bi = bad.map(index).filter((i) => i >= 0);
      const l = new CategoricalParzen(gi, observationWeights(gi.length), d.choices.length, this.#parzen);
      const g = new CategoricalParzen(bi, observationWeights(bi.length), d.choices.length, this.#parzen);
      const candidates = l.sample(rng, this.#candidates);
      return d.choices[candidates[argMax(candidates, (c) => l.logPmf(c) - g.logPmf(c))]];
    }
    const s = paramScale(d);
    const inRange = (v: TrialValue): v is number => typeof v === 'number' && Number.isFinite(s.encode(v));
    const gx = good.filter(inRange).map(s.encode);
    const bx = bad.filter(inRange).map(s.encode);
    const l = new NumericParzen(gx, observationWeights(gx.length), s.low, s.high, this.#parzen);
    const g = new NumericParzen(bx, observationWeights(bx.length), s.low, s.high, this.#parzen);
    const candidates = l.sample(rng, this.#candidates).map(s.decode);
    const score = (v: number): number => {
      const cell = s.cell === null ? null : s.cell(v);
      const x = s.encode(v);
      return l.logPdf(x, cell) - g.logPdf(x, cell);
    };
    return candidates[argMax(candidates, score)];
  }
}

function argMax<T>(items: readonly T[], score: (item: T) => number): number {
  let best = 0;
  let bestScore = -Infinity;
  items.forEach((item, i) => {
    const v = score(item);
    if (v > bestScore) {
      bestScore = v;
      best = i;
    }
  });
  return best;
}
