import type { GbdtParams } from '../params/gbdt-param-table.js';
import type { LeafRegularization } from './leaf-output.js';

/** The params that decide which splits are allowed and what they gain, read once per training run. */
export interface SplitRules extends LeafRegularization {
  readonly minDataInLeaf: number;
  readonly minSumHessianInLeaf: number;
  readonly minGainToSplit: number;
  /** True when monotone constraints are given, so outputs are clamped and directions checked. */
  readonly constrained: boolean;
  readonly catL2: number;
  readonly catSmooth: number;
  readonly maxCatThreshold: number;
  readonly maxCatToOnehot: number;
  readonly minDataPerGroup: number;
  /** Regularisation of sorted categorical splits: lambda_l2 + cat_l2. */
  readonly categorical: LeafRegularization;
}

/** SplitRules from resolved params. */
export function splitRulesFrom(p: GbdtParams): SplitRules {
  return {
    l1: p.lambda_l1,
    l2: p.lambda_l2,
    maxDeltaStep: p.max_delta_step,
    minDataInLeaf: p.min_data_in_leaf,
    minSumHessianInLeaf: p.min_sum_hessian_in_leaf,
    minGainToSplit: p.min_gain_to_split,
    constrained: p.monotone_constraints.some((c) => c !== 0),
    catL2: p.cat_l2,
    catSmooth: p.cat_smooth,
    maxCatThreshold: p.max_cat_threshold,
    maxCatToOnehot: p.max_cat_to_onehot,
    minDataPerGroup: p.min_data_per_group,
    categorical: { l1: p.lambda_l1, l2: p.lambda_l2 + p.cat_l2, maxDeltaStep: p.max_delta_step },
  };
}
