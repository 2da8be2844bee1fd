import type { FeatureMatrix } from '../preprocess/model-input/feature-matrix.js';
import type { TargetInput } from '../preprocess/model-input/target-input.js';
import { fitLinearModel, type LinearFitOptions } from './fit/fit-linear-model.js';
import type { LinearRegressionState } from './linear-model-state.js';
import { withObjective } from './with-objective.js';

/**
 * Fits linear regression (objective `regression`, squared loss) with an elastic-net penalty: alpha 0 is ordinary
 * least squares, l1_ratio 0 ridge, 1 lasso. The target must be numeric. See fitLinearModel for parameters and errors.
 *
 * @example
 * const model = fitLinearRegression(X, [3, 5, 7, 9], { params: { alpha: 0 } });
 * const predictions = predictLinear(model, X);
 */
export function fitLinearRegression(X: FeatureMatrix, y: TargetInput, options: LinearFitOptions = {}): LinearRegressionState {
  return fitLinearModel(X, y, withObjective(options, 'regression')) as LinearRegressionState;
}
