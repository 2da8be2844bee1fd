import { LoomError } from '../../../core/errors/index.js';

/**
 * Reads per-row sample weights: finite, >= 0, with a positive sum. Without weights every row weighs 1.
 * Returns a new array the caller owns.
 *
 * @throws LOOM_ERR_MODEL_INPUT_INVALID (details.field = `sampleWeight`, details.row for a bad value)
 */
export function readSampleWeights(weights: ArrayLike<number> | undefined, rows: number): Float64Array {
  const out = new Float64Array(rows);
  if (weights === undefined) return out.fill(1);
  if (weights.length !== rows) invalid(`it has ${weights.length} values but X has ${rows} rows`);
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const w = weights[i];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) invalid(`row ${i} is ${w}; weights must be finite numbers >= 0`, i);
    out[i] = w;
    sum += w;
  }
  if (!(sum > 0)) invalid('every weight is 0; at least one row must have a positive weight');
  return out;
}

function invalid(problem: string, row?: number): never {
  throw new LoomError('MODEL_INPUT_INVALID', { field: 'sampleWeight', problem }, { details: row === undefined ? { field: 'sampleWeight' } : { field: 'sampleWeight', row } });
}
