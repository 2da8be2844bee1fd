import { LoomError } from '../../../core/errors/index.js';
import type { Frame } from '../../../core/frame/frame.js';
import { featureValue, type FeatureMatrix } from '../data/feature-matrix.js';
import type { GbdtMatrix } from '../data/gbdt-matrix.js';
import type { GbdtModel } from '../gbdt-model.js';
import { normalizeRows } from './compiled-trees.js';
import { predictionMatrix } from './prediction-input.js';
import { BLOCK_ROWS, scoringBlock } from './scoring-block.js';

/** Options of batch and single-row prediction. */
export interface PredictOptions {
  /** Return raw scores (log-odds, unnormalised class scores) instead of probabilities or means. */
  readonly rawScore?: boolean;
  /** Use only the first this many iterations (default: all the model holds). */
  readonly numIterations?: number;
}

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
  const n = matrix.numRows;
  const result = out ?? new Float64Array(n * model.numOutputs);
  checkOut(model, result, n);
  return scoreInBlocks(model, n, result, options, (values, stride, start, rows) => {
    for (let f = 0; f < matrix.columns.length; f++) {
      const column = matrix.columns[f];
      for (let r = 0; r < rows; r++) values[r * stride + f] = featureValue(column, start + r);
    }
  });
}

/** @internal Throws LOOM_ERR_GBDT_PREDICT_INPUT_INVALID unless `out` holds n rows × numOutputs entries. */
export function checkOut(model: GbdtModel, out: Float64Array, n: number): void {
  const k = model.numOutputs;
  if (out.length !== n * k) {
    throw new LoomError('GBDT_PREDICT_INPUT_INVALID', { field: 'out', problem: `it has ${out.length} entries; ${n} rows × ${k} outputs need ${n * k}` }, { details: { field: 'out' } });
  }
}

/**
 * @internal Scores `numRows` rows into `out`, BLOCK_ROWS at a time: `fill` writes rows start … start + rows − 1 of
 * the input into the block's `values` (row r's feature f at r · stride + f), then every tree is walked over the block.
 */
export function scoreInBlocks(model: GbdtModel, numRows: number, out: Float64Array, options: PredictOptions, fill: (values: Float64Array, stride: number, start: number, rows: number) => void): Float64Array {
  const k = model.numOutputs;
  const compiled = model.compiled;
  const endTree = Math.min(compiled.numTrees, (options.numIterations ?? model.numIterations) * k);
  const { values, raw, addTrees } = scoringBlock(compiled);
  const stride = compiled.numColumns;
  for (let start = 0; start < numRows; start += BLOCK_ROWS) {
    const rows = Math.min(BLOCK_ROWS, numRows - start);
    fill(values, stride, start, rows);
    normalizeRows(compiled, values, rows);
    raw.fill(0, 0, rows * k);
    addTrees(0, endTree, rows);
    if (options.rawScore === true) out.set(raw.subarray(0, rows * k), start * k);
    else for (let r = 0; r < rows; r++) model.convertOutput(raw, r * k, out, (start + r) * k);
  }
  return out;
}
