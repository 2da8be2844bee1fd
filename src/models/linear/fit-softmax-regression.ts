import type { FeatureMatrix } from '../preprocess/model-input/feature-matrix.js';
import type { TargetInput } from '../preprocess/model-input/target-input.js';
import { fitLinearModel, type LinearFitOptions } from './fit/fit-linear-model.js';
import type { SoftmaxRegressionState } from './linear-model-state.js';
import { withObjective } from './with-objective.js';

/**
 * Fits softmax (multinomial logistic) regression (objective `multiclass`): one score per class, probabilities by
 * softmax. Intercepts are centred to sum to 0. See fitLinearModel for parameters and errors.
 *
 * @example
 * const model = fitSoftmaxRegression(X, ['a', 'b', 'c', 'a'], { params: { alpha: 0.01 } });
 * const probabilities = predictLinear(model, X); // rows × 3, row-major
 */
export function fitSoftmaxRegression(X: FeatureMatrix, y: TargetInput, options: LinearFitOptions = {}): SoftmaxRegressionState {
  return fitLinearModel(X, y, withObjective(options, 'multiclass')) as SoftmaxRegressionState;
}
