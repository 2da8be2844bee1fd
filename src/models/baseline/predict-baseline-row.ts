import { LoomError } from '../../core/errors/index.js';
import type { BaselineState } from './baseline-state.js';
import { writeBaselineRow } from './predict-baseline.js';

/**
 * The single-row serving path: writes one row's outputs at out[offset …] (same layout as predictBaseline) and
 * returns `out`. The row's values are not read, only its length is checked. Allocates nothing.
 *
 * @throws LOOM_ERR_MODEL_INPUT_INVALID (wrong row length, `out` too short)
 */
export function predictBaselineRow(state: BaselineState, row: ArrayLike<number>, out: Float64Array, offset = 0): Float64Array {
  if (row.length !== state.features.length) {
    throw new LoomError('MODEL_INPUT_INVALID', { field: 'row', problem: `it has ${row.length} values, and the model was fitted on ${state.features.length} features` }, { details: { field: 'row' } });
  }
  if (out.length < offset + state.outputs) {
    throw new LoomError('MODEL_INPUT_INVALID', { field: 'out', problem: `it needs room for ${state.outputs} values from offset ${offset}` }, { details: { field: 'out' } });
  }
  writeBaselineRow(state, out, offset);
  return out;
}
