import type { EvalLog } from './boosting/eval-log.js';
import { createObjective } from './objective/create-objective.js';
import type { Objective } from './objective/objective.js';
import type { GbdtParams } from './params/gbdt-param-table.js';
import { compileTrees, type CompiledTrees } from './predict/compiled-trees.js';
import type { Tree } from './tree/tree.js';

/**
 * A model feature: its name, whether it is categorical, for Frame categories the dictionary its codes index, and what
 * binning learned about it (what LightGBM's model files record as `feature_infos`).
 */
export interface GbdtFeature {
  readonly name: string;
  readonly categorical: boolean;
  readonly dictionary: readonly string[] | null;
  /** True when the feature could not be split (constant, or too few rows on every side); no tree uses it. */
  readonly trivial: boolean;
  /** Smallest and largest value (category code) seen when binning; NaN when none. */
  readonly minValue: number;
  readonly maxValue: number;
  /** Categorical: the category code of each bin, bin 0 (missing and rare categories) being -1. Null for numerical. */
  readonly binCategories: readonly number[] | null;
}

/** What a GbdtModel is made of. */
export interface GbdtModelParts {
  readonly trees: readonly Tree[];
  readonly numOutputs: number;
  readonly params: GbdtParams;
  readonly features: readonly GbdtFeature[];
  readonly labelClasses: readonly string[] | null;
  readonly bestIteration: number;
  readonly evalLog: EvalLog;
}

/**
 * A trained gradient-boosted tree ensemble. `trees[i * numOutputs + k]` is iteration i's tree for output k (class k
 * for multiclass); the initial score is folded into the first iteration's trees, as in LightGBM's model files, so the
 * raw score of a row is just the sum of its leaves. Predict with predictBatch / predictRow (src/models/gbdt/predict).
 */
export class GbdtModel {
  readonly trees: readonly Tree[];
  /** Outputs per row (num_class for multiclass, else 1); also trees per iteration. */
  readonly numOutputs: number;
  readonly params: GbdtParams;
  readonly features: readonly GbdtFeature[];
  /** Class names when the label was a category column (class k = labelClasses[k]). */
  readonly labelClasses: readonly string[] | null;
  /** 1-based iteration the model ends at (the early-stopping best, or the last iteration trained). */
  readonly bestIteration: number;
  readonly evalLog: EvalLog;
  readonly #objective: Objective;
  #compiled: CompiledTrees | null = null;

  constructor(parts: GbdtModelParts) {
    this.trees = parts.trees;
    this.numOutputs = parts.numOutputs;
    this.params = parts.params;
    this.features = parts.features;
    this.labelClasses = parts.labelClasses;
    this.bestIteration = parts.bestIteration;
    this.evalLog = parts.evalLog;
    this.#objective = createObjective(parts.params);
  }

  /** Boosting iterations held (trees / numOutputs). */
  get numIterations(): number {
    return this.trees.length / this.numOutputs;
  }

  /** The trees flattened for prediction, built on first use. */
  get compiled(): CompiledTrees {
    this.#compiled ??= compileTrees(this.trees, this.numOutputs, this.features.length);
    return this.#compiled;
  }

  /** Converts one row's raw scores to outputs in place of `out` (see Objective.convertOutput). */
  convertOutput(raw: Float64Array, rawOffset: number, out: Float64Array, outOffset: number): void {
    this.#objective.convertOutput(raw, rawOffset, 1, out, outOffset, 1);
  }
}
