import type { Random } from '../../core/random.js';
import { paramScale } from './param-scale.js';
import { MultivariateParzen, type JointDimension, type JointPoint } from './multivariate-parzen.js';
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
  /** Weight of the prior kernel (default 1). */
  readonly priorWeight?: number;
  /** Clip kernel bandwidths below range / min(100, 1 + kernels) (default true). */
  readonly magicClip?: boolean;
  /** Let the range ends widen the outermost kernels (default false, as Optuna). */
  readonly considerEndpoints?: boolean;
  /**
   * Model the params that are active in every trial jointly, with one product kernel per trial (multivariate TPE),
   * so values that did well together are proposed together; conditional params stay univariate (default true; Optuna's
   * default is false, see docs/tuning.md for why Loom's differs).
   */
  readonly multivariate?: boolean;
  /**
   * Count running trials among the bad ones ("constant liar"), so trials sampled while others run move away from
   * the points already being tried (default true; Optuna's default is false).
   */
  readonly constantLiar?: boolean;
}

/** Optuna's default_gamma: the best 10 % of trials, at most 25. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/**
 * The Tree-structured Parzen Estimator (Bergstra et al. 2011) as Optuna implements it. After the startup trials, it
 * ranks finished trials (complete ones by score, then pruned ones by how far they got), calls the best γ(n) "good",
 * fits a Parzen estimator l(x) to the good trials and g(x) to the rest (running trials too, under the constant
 * liar), draws candidates from l(x) and keeps the one maximising l(x)/g(x). Multivariate (the default) fits one joint
 * estimator over the params active in every trial; the others, and all params when univariate, get one estimator
 * each, fitted only on the trials where the param was active.
 */
export class TpeSampler implements Sampler {
  readonly name = 'tpe';
  readonly #startup: number;
  readonly #candidates: number;
  readonly #gamma: (n: number) => number;
  readonly #parzen: ParzenSettings;
  readonly #multivariate: boolean;
  readonly #liar: boolean;

  constructor(readonly seed: number, readonly direction: Direction, options: TpeOptions = {}) {
    this.#startup = options.nStartupTrials ?? 10;
    this.#candidates = options.nEiCandidates ?? 24;
    this.#gamma = options.gamma ?? defaultGamma;
    this.#parzen = { priorWeight: options.priorWeight ?? 1, magicClip: options.magicClip ?? true, considerEndpoints: options.considerEndpoints ?? false };
    this.#multivariate = options.multivariate ?? true;
    this.#liar = options.constantLiar ?? true;
  }

  sample(space: SearchSpace, number: number, history: readonly TrialRecord[]): TrialParams {
    const rng = trialRandom(this.seed, number, 2);
    const ranked = this.#rank(history);
    if (ranked.length < this.#startup) return drawActive(space, (p) => uniformDraw(p.distribution, rng));
    const running = this.#liar ? history.filter((t) => t.state === 'running' && t.number !== number) : [];
    const nBelow = Math.min(ranked.length, this.#gamma(ranked.length + running.length));
    const below = ranked.slice(0, nBelow).sort((a, b) => a.number - b.number);
    const above = [...ranked.slice(nBelow), ...running].sort((a, b) => a.number - b.number);
    const joint = this.#multivariate ? space.params.filter((p) => p.conditions.length === 0) : [];
    const preset = joint.length > 1 ? this.#drawJoint(joint, below, above, rng) : {};
    return drawActive(space, (p) => (p.name in preset ? preset[p.name] : this.#draw(p, below, above, rng)));
  }

  /** One joint draw of `params` (all active in every trial) from the multivariate l(x)/g(x). */
  #drawJoint(params: readonly SearchParam[], below: readonly TrialRecord[], above: readonly TrialRecord[], rng: Random): TrialParams {
    const codecs = params.map((p) => jointCodec(p));
    const pointsOf = (trials: readonly TrialRecord[]): JointPoint[] =>
      trials.map((t) => params.map((p, j) => (p.name in t.params ? codecs[j].encode(t.params[p.name]) : NaN))).filter((x) => x.every(Number.isFinite));
    const dims = codecs.map((c) => c.dim);
    const good = pointsOf(below);
    const bad = pointsOf(above);
    const l = new MultivariateParzen(good, observationWeights(good.length), dims, this.#parzen);
    const g = new MultivariateParzen(bad, observationWeights(bad.length), dims, this.#parzen);
    const candidates = l.sample(rng, this.#candidates).map((x) => x.map((v, j) => codecs[j].decode(v)));
    const score = (values: TrialValue[]): number => {
      const x = values.map((v, j) => codecs[j].encode(v));
      const cells = values.map((v, j) => codecs[j].cell(v));
      return l.logPdf(x, cells) - g.logPdf(x, cells);
    };
    const best = candidates[argMax(candidates, score)];
    return Object.fromEntries(params.map((p, j) => [p.name, best[j]]));
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

interface JointCodec {
  readonly dim: JointDimension;
  /** Param value → internal value (choice index for categoricals); NaN when out of the distribution. */
  readonly encode: (v: TrialValue) => number;
  readonly decode: (x: number) => TrialValue;
  readonly cell: (v: TrialValue) => readonly [number, number] | null;
}

function jointCodec(p: SearchParam): JointCodec {
  const d = p.distribution;
  if (d.kind === 'categorical') {
    return { dim: { kind: 'categorical', size: d.choices.length }, encode: (v) => (d.choices.includes(v) ? d.choices.indexOf(v) : NaN), decode: (x) => d.choices[x], cell: () => null };
  }
  const s = paramScale(d);
  return {
    dim: { kind: 'numeric', low: s.low, high: s.high },
    encode: (v) => (typeof v === 'number' ? s.encode(v) : NaN),
    decode: s.decode,
    cell: (v) => (s.cell === null ? null : s.cell(v as number)),
  };
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
