import type { FeatureMatrix } from '../../preprocess/model-input/feature-matrix.js';
import { checkFeatureMatrix } from '../../preprocess/model-input/check-feature-matrix.js';
import { encodeClassTarget } from '../../preprocess/model-input/class-target.js';
import { readRegressionTarget } from '../../preprocess/model-input/regression-target.js';
import { readSampleWeights } from '../../preprocess/model-input/sample-weights.js';
import type { ModelFitOptions } from '../../preprocess/model-input/model-fit-options.js';
import type { ClassLabel, TargetInput } from '../../preprocess/model-input/target-input.js';
import { LoomError } from '../../../core/errors/index.js';
import { deepFreeze } from '../../preprocess/pipeline/deep-freeze.js';
import { LINEAR_FORMAT_VERSION, type LinearModelState } from '../linear-model-state.js';
import { LogisticLoss } from '../loss/logistic-loss.js';
import type { LinearLoss } from '../loss/loss.js';
import { SoftmaxLoss } from '../loss/softmax-loss.js';
import { SquaredLoss } from '../loss/squared-loss.js';
import { resolveLinearParams } from '../params/resolve-linear-params.js';
import { computeScores, parameterCount, penaltyValue } from './linear-scores.js';
import { solveCoordinateDescent } from './solve-coordinate-descent.js';
import { solveLbfgs } from './solve-lbfgs.js';
import { standardizedDesign } from './standardized-design.js';

/** Options of the linear fit functions: `params` by LINEAR_PARAMS name or alias, and `sampleWeight`. */
export type LinearFitOptions = ModelFitOptions;

/**
 * Fits a linear model chosen by the `objective` parameter: linear regression (`regression`), logistic regression
 * (`binary`) or softmax regression (`multiclass`), with an elastic-net penalty on standardized coefficients, solved by
 * L-BFGS or coordinate descent (see LINEAR_PARAMS). X must be finite (impute first); y is a Frame column or an array
 * (see TargetInput). Returns a JSON-safe, frozen state; predict with predictLinear or predictLinearRow.
 *
 * @throws LOOM_ERR_MODEL_PARAM_UNKNOWN, LOOM_ERR_MODEL_PARAM_INVALID, LOOM_ERR_MODEL_DATA_EMPTY,
 *   LOOM_ERR_MODEL_INPUT_INVALID, LOOM_ERR_MODEL_FEATURE_INVALID, LOOM_ERR_MODEL_TARGET_INVALID
 * @example
 * const X = FeatureMatrix.fromRows([[1], [2], [3], [4]], ['x']);
 * const model = fitLinearModel(X, [3, 5, 7, 9], { params: { objective: 'regression', alpha: 0 } });
 * model.coef; // ≈ [2], model.intercept ≈ [1]
 */
export function fitLinearModel(X: FeatureMatrix, y: TargetInput, options: LinearFitOptions = {}): LinearModelState {
  const params = resolveLinearParams(options.params ?? {});
  checkFeatureMatrix(X);
  const weights = readSampleWeights(options.sampleWeight, X.rows);
  const design = standardizedDesign(X, weights, params.fit_intercept, params.standardize);
  let loss: LinearLoss;
  let classes: readonly ClassLabel[] | null = null;
  let field: string;
  if (params.objective === 'regression') {
    const target = readRegressionTarget(y, X.rows);
    field = target.field;
    loss = new SquaredLoss(target.values, design.weight);
  } else {
    const target = encodeClassTarget(y, X.rows, params.objective === 'binary' ? 'binary classification' : 'multiclass classification');
    field = target.field;
    classes = target.classes;
    if (params.objective === 'binary') {
      if (classes.length > 2) {
        throw new LoomError('MODEL_TARGET_INVALID', { field, task: 'binary classification', problem: `it has ${classes.length} classes; use objective "multiclass" (softmax regression)` }, { details: { field } });
      }
      loss = new LogisticLoss(Float64Array.from(target.codes), design.weight);
    } else {
      loss = new SoftmaxLoss(target.codes, design.weight, classes.length);
    }
  }
  const K = loss.outputs;
  const p = X.cols;
  const theta = new Float64Array(parameterCount(p, K));
  if (params.fit_intercept) loss.initialIntercepts(theta.subarray(K * p));
  const solver = params.solver === 'auto' ? (params.alpha > 0 && params.l1_ratio > 0 ? 'cd' : 'lbfgs') : params.solver;
  const report = solver === 'cd' ? solveCoordinateDescent(design, loss, theta, params) : solveLbfgs(design, loss, theta, params);
  if (K > 1 && params.fit_intercept) centerIntercepts(theta.subarray(K * p));
  const eta = new Float64Array(X.rows * K);
  computeScores(design, theta, K, eta);
  const objective = loss.value(eta) + penaltyValue(theta, K * p, params.alpha, params.l1_ratio);
  const coef = new Array<number>(K * p);
  const intercept = new Array<number>(K);
  for (let k = 0; k < K; k++) {
    let b = theta[K * p + k];
    for (let j = 0; j < p; j++) {
      coef[k * p + j] = theta[k * p + j] / design.scale[j];
      b -= coef[k * p + j] * design.center[j];
    }
    intercept[k] = b;
  }
  let weightSum = 0;
  for (let i = 0; i < X.rows; i++) weightSum += weights[i];
  const kind = params.objective === 'regression' ? 'linear_regression' : params.objective === 'binary' ? 'logistic_regression' : 'softmax_regression';
  return deepFreeze({
    kind,
    version: LINEAR_FORMAT_VERSION,
    target: field,
    features: [...X.names],
    outputs: K,
    classes: classes === null ? null : [...classes],
    coef,
    intercept,
    standardized: {
      center: Array.from(design.center),
      scale: Array.from(design.scale),
      coef: Array.from(theta.subarray(0, K * p)),
      intercept: Array.from(theta.subarray(K * p)),
    },
    params,
    training: { solver, iterations: report.iterations, converged: report.converged, objective, rows: X.rows, weightSum },
  }) as LinearModelState;
}

/** Softmax scores are unchanged by a common shift; centring the intercepts makes the stored solution unique. */
function centerIntercepts(b: Float64Array): void {
  let mean = 0;
  for (let k = 0; k < b.length; k++) mean += b[k] / b.length;
  for (let k = 0; k < b.length; k++) b[k] -= mean;
}
