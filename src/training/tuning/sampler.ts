import { Random } from '../../core/random.js';
import { paramScale } from './param-scale.js';
import { SearchSpace, type BaseDistribution, type TrialParams, type TrialValue } from './search-space.js';
import type { TrialRecord } from './trial-record.js';

/**
 * Proposes a trial's params. `history` is every trial of the study so far (any state). A sampler is deterministic:
 * the same seed, trial number and history give the same params.
 */
export interface Sampler {
  readonly name: 'random' | 'grid' | 'tpe';
  /** Params for trial `number`, or null when the sampler has nothing left to propose (a finished grid). */
  sample(space: SearchSpace, number: number, history: readonly TrialRecord[]): TrialParams | null;
}

/** The RNG of one trial: independent of which trials ran before it, so parallel and resumed studies draw alike. */
export function trialRandom(seed: number, number: number, salt: number): Random {
  return new Random(((seed >>> 0) * 2654435761 + number * 40503 + salt * 97) % 4294967296);
}

/** A uniform draw from one distribution. */
export function uniformDraw(d: BaseDistribution, rng: Random): TrialValue {
  if (d.kind === 'categorical') return d.choices[rng.nextInt(d.choices.length)];
  const s = paramScale(d);
  return s.decode(s.low + (s.high - s.low) * rng.nextFloat());
}

/** Walks the space in parent-first order, asking `draw` for each active param. */
export function drawActive(space: SearchSpace, draw: (param: SearchSpace['params'][number]) => TrialValue): TrialParams {
  const out: Record<string, TrialValue> = {};
  for (const p of space.params) if (SearchSpace.isActive(p, out)) out[p.name] = draw(p);
  return out;
}

/** Independent uniform draws for every active param (Bergstra & Bengio 2012's random search). */
export class RandomSampler implements Sampler {
  readonly name = 'random';
  constructor(readonly seed: number) {}

  sample(space: SearchSpace, number: number): TrialParams {
    const rng = trialRandom(this.seed, number, 1);
    return drawActive(space, (p) => uniformDraw(p.distribution, rng));
  }
}
