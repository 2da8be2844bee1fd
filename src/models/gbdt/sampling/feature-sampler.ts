import { Random } from '../../../core/random.js';
import type { NodeFeatureSampler } from '../tree/tree-learner.js';

/**
 * Feature sampling: feature_fraction picks round(fraction·m) of the m usable features per tree, and
 * feature_fraction_bynode picks a share of those per node, both seeded by feature_fraction_seed (at least one
 * feature each time).
 */
export class FeatureSampler implements NodeFeatureSampler {
  readonly #used: Int32Array;
  readonly #treeMask: Uint8Array;
  readonly #treeChosen: Int32Array;
  readonly #pool: Int32Array;
  readonly #byTree: number;
  readonly #byNode: number;
  readonly #rng: Random;
  #treeCount: number;

  /** @param used the usable (non-trivial) feature indices; @param numFeatures all features */
  constructor(used: Int32Array, numFeatures: number, byTree: number, byNode: number, seed: number) {
    this.#used = used;
    this.#treeMask = new Uint8Array(numFeatures);
    this.#treeChosen = Int32Array.from(used);
    this.#pool = new Int32Array(used.length);
    this.#byTree = byTree;
    this.#byNode = byNode;
    this.#rng = new Random(seed);
    this.#treeCount = used.length;
  }

  /** True when nodes sample features (feature_fraction_bynode < 1). */
  get samplesNodes(): boolean {
    return this.#byNode < 1;
  }

  /** The features the next tree may use (1 = usable), or null for all of them. */
  sampleTree(): Uint8Array | null {
    if (this.#byTree >= 1) return null;
    const k = countFor(this.#used.length, this.#byTree);
    this.#pool.set(this.#used);
    this.#draw(this.#pool, this.#used.length, k);
    this.#treeMask.fill(0);
    for (let i = 0; i < k; i++) this.#treeMask[this.#pool[i]] = 1;
    this.#treeChosen.set(this.#pool.subarray(0, k));
    this.#treeCount = k;
    return this.#treeMask;
  }

  sampleNode(mask: Uint8Array): void {
    const n = this.#treeCount;
    const k = countFor(n, this.#byNode);
    this.#pool.set(this.#treeChosen.subarray(0, n));
    this.#draw(this.#pool, n, k);
    mask.fill(0);
    for (let i = 0; i < k; i++) mask[this.#pool[i]] = 1;
  }

  /** Moves a uniform random k-subset of values[0 .. n) to the front (partial Fisher–Yates). */
  #draw(values: Int32Array, n: number, k: number): void {
    for (let i = 0; i < k; i++) {
      const j = i + this.#rng.nextInt(n - i);
      const t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }
}

function countFor(total: number, fraction: number): number {
  return Math.max(Math.min(1, total), Math.round(total * fraction));
}
