import { LoomError } from '../../../core/errors/index.js';
import type { LinearModelState } from '../linear-model-state.js';
import { badRow, finishRow } from './predict-linear.js';

/**
 * The single-row serving path: predicts one row of features (in the model's feature order) into
 * out[offset … offset + outputs) and returns `out`. Same outputs as predictLinear for that row; allocates nothing.
 *
 * @throws LOOM_ERR_MODEL_INPUT_INVALID (wrong row length, `out` too short), LOOM_ERR_MODEL_FEATURE_INVALID (a
 *   non-finite feature value)
 * @example
 * const out = new Float64Array(1);
 * predictLinearRow(model, [39, 13, 40], out)[0]; // P(classes[1]) for one applicant
 */
export function predictLinearRow(state: LinearModelState, row: ArrayLike<number>, out: Float64Array, offset = 0): Float64Array {
  const p = state.features.length;
  const K = state.outputs;
  if (row.length !== p) {
    throw new LoomError('MODEL_INPUT_INVALID', { field: 'row', problem: `it has ${row.length} values, and the model needs its ${p} features: ${state.features.join(', ')}` }, { details: { field: 'row' } });
  }
  if (out.length < offset + K) {
    throw new LoomError('MODEL_INPUT_INVALID', { field: 'out', problem: `it needs room for ${K} values from offset ${offset}` }, { details: { field: 'out' } });
  }
  const { coef, intercept } = state;
  for (let k = 0; k < K; k++) {
    let eta = intercept[k];
    for (let j = 0; j < p; j++) eta += coef[k * p + j] * row[j];
    if (!Number.isFinite(eta)) throw badRow(state, row, 0, 0);
    out[offset + k] = eta;
  }
  finishRow(state.kind, out, offset, K);
  return out;
}
