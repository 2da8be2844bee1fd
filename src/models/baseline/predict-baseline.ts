import { LoomError } from '../../core/errors/index.js';
import type { FeatureMatrix } from '../preprocess/model-input/feature-matrix.js';
import type { BaselineState } from './baseline-state.js';

/**
 * Batch prediction into `out` (caller-owned; allocated when not given) and returned, in the layout of the linear
 * models: the mean regressor writes `rows` values; the prior classifier writes `rows` probabilities of classes[1] for
 * two classes, else `rows × K` probabilities row-major. X is only checked for its column count.
 *
 * @throws LOOM_ERR_MODEL_INPUT_INVALID (field `X`: wrong column count; field `out`: too short)
 * @example
 * const p = predictBaseline(baseline, testX);
 */
export function predictBaseline(state: BaselineState, X: FeatureMatrix, out?: Float64Array): Float64Array {
  if (X.cols !== state.features.length) {
    throw new LoomError('MODEL_INPUT_INVALID', { field: 'X', problem: `it has ${X.cols} columns, and the model was fitted on ${state.features.length}` }, { details: { field: 'X' } });
  }
  const K = state.outputs;
  const result = out ?? new Float64Array(X.rows * K);
  if (result.length < X.rows * K) {
    throw new LoomError('MODEL_INPUT_INVALID', { field: 'out', problem: `it holds ${result.length} values, and ${X.rows} rows × ${K} outputs need ${X.rows * K}` }, { details: { field: 'out' } });
  }
  for (let i = 0; i < X.rows; i++) writeBaselineRow(state, result, i * K);
  return result;
}

/** Writes one row's outputs at out[offset …]. */
export function writeBaselineRow(state: BaselineState, out: Float64Array, offset: number): void {
  if (state.kind === 'mean_regressor') {
    out[offset] = state.value;
  } else if (state.outputs === 1) {
    out[offset] = state.probabilities[1];
  } else {
    for (let k = 0; k < state.outputs; k++) out[offset + k] = state.probabilities[k];
  }
}
