import { resolveModelParams } from '../linear/params/resolve-model-params.js';
import { checkFeatureMatrix } from '../preprocess/model-input/check-feature-matrix.js';
import type { FeatureMatrix } from '../preprocess/model-input/feature-matrix.js';
import type { ModelFitOptions } from '../preprocess/model-input/model-fit-options.js';
import { readRegressionTarget } from '../preprocess/model-input/regression-target.js';
import { readSampleWeights } from '../preprocess/model-input/sample-weights.js';
import type { TargetInput } from '../preprocess/model-input/target-input.js';
import { deepFreeze } from '../preprocess/pipeline/deep-freeze.js';
import { MEAN_REGRESSOR_PARAMS, type MeanRegressorParams } from './baseline-params.js';
import { BASELINE_FORMAT_VERSION, type MeanRegressorState } from './baseline-state.js';
import { weightedMedian } from './weighted-median.js';

/**
 * Fits the mean (or median) regressor: it ignores the features and predicts the weighted mean of the training target
 * (`strategy: 'mean'`) or its weighted median (`'median'`, see weightedMedian). X is still checked like any learner's
 * input.
 *
 * @throws LOOM_ERR_MODEL_PARAM_UNKNOWN, LOOM_ERR_MODEL_PARAM_INVALID, LOOM_ERR_MODEL_DATA_EMPTY,
 *   LOOM_ERR_MODEL_INPUT_INVALID, LOOM_ERR_MODEL_FEATURE_INVALID, LOOM_ERR_MODEL_TARGET_INVALID
 * @example
 * fitMeanRegressor(X, [1, 2, 3, 10]).value;                                      // 4
 * fitMeanRegressor(X, [1, 2, 3, 10], { params: { strategy: 'median' } }).value;  // 2.5
 */
export function fitMeanRegressor(X: FeatureMatrix, y: TargetInput, options: ModelFitOptions = {}): MeanRegressorState {
  const params = resolveModelParams<MeanRegressorParams>(MEAN_REGRESSOR_PARAMS, options.params ?? {}, 'mean regressor');
  checkFeatureMatrix(X);
  const weights = readSampleWeights(options.sampleWeight, X.rows);
  const target = readRegressionTarget(y, X.rows);
  let total = 0;
  let sum = 0;
  for (let i = 0; i < X.rows; i++) {
    total += weights[i];
    sum += weights[i] * target.values[i];
  }
  const value = params.strategy === 'mean' ? sum / total : weightedMedian(target.values, weights);
  return deepFreeze({
    kind: 'mean_regressor',
    version: BASELINE_FORMAT_VERSION,
    target: target.field,
    features: [...X.names],
    outputs: 1,
    value,
    params,
    training: { rows: X.rows, weightSum: total },
  });
}
