import type { FeatureMatrix } from '../preprocess/model-input/feature-matrix.js';
import type { TargetInput } from '../preprocess/model-input/target-input.js';
import { fitLinearModel, type LinearFitOptions } from './fit/fit-linear-model.js';
import type { LogisticRegressionState } from './linear-model-state.js';
import { withObjective } from './with-objective.js';

/**
 * Fits binary logistic regression (objective `binary`): P(classes[1] | x) = σ(b + w·x). The target must have exactly
 * two classes; `classes` lists them in label order. See fitLinearModel for parameters and errors.
 *
 * @example
 * const model = fitLogisticRegression(X, frame.column('income'), { params: { alpha: 1e-4 } });
 * const p = predictLinear(model, X); // P(classes[1]) per row
 */
export function fitLogisticRegression(X: FeatureMatrix, y: TargetInput, options: LinearFitOptions = {}): LogisticRegressionState {
  return fitLinearModel(X, y, withObjective(options, 'binary')) as LogisticRegressionState;
}
