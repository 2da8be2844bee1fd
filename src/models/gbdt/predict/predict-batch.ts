import { LoomError } from '../../../core/errors/index.js';
import type { Frame } from '../../../core/frame/frame.js';
import { featureValue, type FeatureMatrix } from '../data/feature-matrix.js';
import type { GbdtMatrix } from '../data/gbdt-matrix.js';
import type { GbdtModel } from '../gbdt-model.js';
import { addTreeToBlock } from './compiled-trees.js';
import { predictionMatrix } from './prediction-input.js';

/** Options of batch and single-row prediction. */
export interface PredictOptions {
  /** Return raw scores (log-odds, unnormalised class scores) instead of probabilities or means. */
  readonly rawScore?: boolean;
  /** Use only the first this many iterations (default: all the model holds). */
  readonly numIterations?: number;
}

/** Rows copied to a row-major block at a time; each tree is then walked over the whole block. */
const BLOCK_ROWS = 512;

/**
 * Predicts every row of `data` into `out` (caller-owned, numRows × numOutputs entries, row-major: row i's output k
 * at i·numOutputs + k; a new array when omitted) and returns it. Probabilities for binary/multiclass, means for
 * regression (exp for poisson), or raw scores with `rawScore`.
 *
 * @throws LOOM_ERR_GBDT_PREDICT_INPUT_INVALID for input that lacks features or has the wrong types or shape, or an
 *   `out` of the wrong length.
 * @example
 * const probabilities = predictBatch(model, testFrame);
 */
export function predictBatch(model: GbdtModel, data: Frame | GbdtMatrix, out?: Float64Array, options: PredictOptions = {}): Float64Array {
  return predictMatrix(model, predictionMatrix(model, data), out, options);
}

/** predictBatch on an already aligned FeatureMatrix. */
export function predictMatrix(model: GbdtModel, matrix: FeatureMatrix, out?: Float64Array, options: PredictOptions = {}): Float64Array {
  const k = model.numOutputs;
  const n = matrix.numRows;
  const result = out ?? new Float64Array(n * k);
  if (result.length !== n * k) {
    throw new LoomError('GBDT_PREDICT_INPUT_INVALID', { field: 'out', problem: `it has ${result.length} entries; ${n} rows × ${k} outputs need ${n * k}` }, { details: { field: 'out' } });
  }
  const compiled = model.compiled;
  const endTree = Math.min(compiled.numTrees, (options.numIterations ?? model.numIterations) * k);
  const numFeatures = matrix.columns.length;
  const block = new Float64Array(BLOCK_ROWS * numFeatures);
  const raw = new Float64Array(BLOCK_ROWS * k);
  for (let start = 0; start < n; start += BLOCK_ROWS) {
    const rows = Math.min(BLOCK_ROWS, n - start);
    for (let f = 0; f < numFeatures; f++) {
      const column = matrix.columns[f];
      for (let r = 0; r < rows; r++) block[r * numFeatures + f] = featureValue(column, start + r);
    }
    raw.fill(0);
    for (let t = 0; t < endTree; t++) addTreeToBlock(compiled, t, block, rows, numFeatures, raw);
    if (options.rawScore === true) result.set(raw.subarray(0, rows * k), start * k);
    else for (let r = 0; r < rows; r++) model.convertOutput(raw, r * k, result, (start + r) * k);
  }
  return result;
}
