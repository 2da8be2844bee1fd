import type { GbdtModel } from './gbdt-model.js';

/** `split`: how many times a feature is split on; `gain`: the total gain of those splits. */
export type ImportanceType = 'split' | 'gain';

/**
 * Feature importance over the first `iterations` iterations (default: all), one value per model feature in order,
 * as LightGBM's feature_importance computes it.
 */
export function featureImportance(model: GbdtModel, type: ImportanceType = 'split', iterations = model.numIterations): Float64Array {
  const out = new Float64Array(model.features.length);
  const end = Math.min(model.trees.length, iterations * model.numOutputs);
  for (let t = 0; t < end; t++) {
    const tree = model.trees[t];
    for (let n = 0; n < tree.numLeaves - 1; n++) {
      if (type === 'split') out[tree.splitFeature[n]] += 1;
      else if (tree.splitGain[n] > 0) out[tree.splitFeature[n]] += tree.splitGain[n];
    }
  }
  return out;
}
