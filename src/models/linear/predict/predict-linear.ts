import { LoomError } from '../../../core/errors/index.js';
import { nonFiniteFeature } from '../../preprocess/model-input/check-feature-matrix.js';
import type { FeatureMatrix } from '../../preprocess/model-input/feature-matrix.js';
import type { LinearModelState } from '../linear-model-state.js';
import { sigmoid } from '../loss/logistic-loss.js';

/**
 * Batch prediction into `out` (caller-owned; allocated when not given) and returned:
 * - linear regression: `rows` predictions;
 * - logistic regression: `rows` probabilities of `classes[1]`;
 * - softmax regression: `rows × K` class probabilities, row-major (`out[i·K + k]` = P(classes[k]) for row i).
 *
 * X's columns must be the model's features, in order (names are compared). Allocation-free apart from a copy of the
 * coefficients per call.
 *
 * @throws LOOM_ERR_MODEL_INPUT_INVALID (field `X`: wrong columns; field `out`: too short),
 *   LOOM_ERR_MODEL_FEATURE_INVALID (a NaN or infinite feature value; details.field and details.row)
 * @example
 * const probabilities = predictLinear(model, testX);
 */
export function predictLinear(state: LinearModelState, X: FeatureMatrix, out?: Float64Array): Float64Array {
  checkColumns(state, X);
  const { rows, cols: p, values } = X;
  const K = state.outputs;
  const result = out ?? new Float64Array(rows * K);
  if (result.length < rows * K) {
    throw new LoomError('MODEL_INPUT_INVALID', { field: 'out', problem: `it holds ${result.length} values, and ${rows} rows × ${K} outputs need ${rows * K}` }, { details: { field: 'out' } });
  }
  const coef = Float64Array.from(state.coef);
  const intercept = Float64Array.from(state.intercept);
  for (let i = 0; i < rows; i++) {
    const row = i * p;
    for (let k = 0; k < K; k++) {
      let eta = intercept[k];
      const base = k * p;
      for (let j = 0; j < p; j++) eta += coef[base + j] * values[row + j];
      if (!Number.isFinite(eta)) throw badRow(state, values, row, i);
      result[i * K + k] = eta;
    }
    finishRow(state.kind, result, i * K, K);
  }
  return result;
}

/** Turns the scores at out[offset … offset+K) into predictions in place: identity, sigmoid or softmax. */
export function finishRow(kind: LinearModelState['kind'], out: Float64Array, offset: number, K: number): void {
  if (kind === 'linear_regression') return;
  if (kind === 'logistic_regression') {
    out[offset] = sigmoid(out[offset]);
    return;
  }
  let max = -Infinity;
  for (let k = 0; k < K; k++) if (out[offset + k] > max) max = out[offset + k];
  let sum = 0;
  for (let k = 0; k < K; k++) {
    out[offset + k] = Math.exp(out[offset + k] - max);
    sum += out[offset + k];
  }
  for (let k = 0; k < K; k++) out[offset + k] /= sum;
}

/** The error for a row whose score is not finite: the first non-finite feature, or the row itself. */
export function badRow(state: LinearModelState, values: ArrayLike<number>, offset: number, row: number): LoomError {
  for (let j = 0; j < state.features.length; j++) {
    if (!Number.isFinite(values[offset + j])) return nonFiniteFeature(state.features[j], row, values[offset + j]);
  }
  return new LoomError('MODEL_INPUT_INVALID', { field: 'X', problem: `row ${row} gives a non-finite score; its feature values are too large for this model` }, { details: { field: 'X', row } });
}

function checkColumns(state: LinearModelState, X: FeatureMatrix): void {
  const features = state.features;
  if (X.cols !== features.length || X.values.length < X.rows * X.cols) {
    throw new LoomError('MODEL_INPUT_INVALID', { field: 'X', problem: `it has ${X.cols} columns, and the model needs its ${features.length} features: ${features.join(', ')}` }, { details: { field: 'X' } });
  }
  for (let j = 0; j < features.length; j++) {
    if (X.names[j] !== features[j]) {
      throw new LoomError('MODEL_INPUT_INVALID', { field: 'X', problem: `column ${j} is "${X.names[j]}" but the model expects "${features[j]}" there; pass the features in training order` }, { details: { field: 'X', column: j } });
    }
  }
}
