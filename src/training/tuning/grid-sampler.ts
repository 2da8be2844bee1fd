import { canonicalJson } from '../../core/hashing.js';
import { Random } from '../../core/random.js';
import { gridValues } from './param-scale.js';
import { SearchSpace, type TrialParams, type TrialValue } from './search-space.js';
import type { Sampler } from './sampler.js';
import type { TrialRecord } from './trial-record.js';

/** Every point of a grid: the product of each param's grid values, where a conditional param only joins when active. */
export function enumerateGrid(space: SearchSpace): TrialParams[] {
  let points: Record<string, TrialValue>[] = [{}];
  for (const p of space.params) {
    const values = gridValues(p.distribution);
    points = points.flatMap((pt) => (SearchSpace.isActive(p, pt) ? values.map((v) => ({ ...pt, [p.name]: v })) : [pt]));
  }
  return points;
}

/**
 * Walks the whole grid once, in an order shuffled by the seed (so a study cut short still spreads over the space).
 * Each trial takes the first point no running, finished or failed trial holds, so parallel and resumed trials never
 * repeat a point and an interrupted trial's point is tried again; when every point is taken it stops.
 */
export class GridSampler implements Sampler {
  readonly name = 'grid';
  #order: { readonly points: TrialParams[]; readonly perm: Int32Array } | null = null;

  constructor(readonly seed: number) {}

  /** How many points the grid of `space` has. */
  size(space: SearchSpace): number {
    return this.#points(space).points.length;
  }

  sample(space: SearchSpace, _number: number, history: readonly TrialRecord[]): TrialParams | null {
    const { points, perm } = this.#points(space);
    const used = new Set(history.filter((t) => t.state !== 'interrupted').map((t) => canonicalJson(t.params)));
    for (const i of perm) if (!used.has(canonicalJson(points[i]))) return points[i];
    return null;
  }

  #points(space: SearchSpace): { readonly points: TrialParams[]; readonly perm: Int32Array } {
    if (this.#order === null) {
      const points = enumerateGrid(space);
      this.#order = { points, perm: new Random(this.seed).shuffle(Int32Array.from(points, (_, i) => i)) };
    }
    return this.#order;
  }
}
