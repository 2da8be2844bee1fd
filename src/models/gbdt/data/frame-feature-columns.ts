import { LoomError } from '../../../core/errors/index.js';
import type { Column } from '../../../core/frame/column.js';
import type { Frame } from '../../../core/frame/frame.js';
import type { FeatureColumn } from './feature-matrix.js';

/** Which error a bad column raises: training input or prediction input. */
export type FeatureErrorCode = 'GBDT_FEATURE_INVALID' | 'GBDT_PREDICT_INPUT_INVALID';

/** Feature columns read from a Frame, sharing its memory where the storage allows. */
export interface FrameFeatures {
  readonly columns: FeatureColumn[];
  /** Per column: true for `category` columns. */
  readonly isCategory: boolean[];
  /** Per column: the dictionary the codes index (after remapping), or null. */
  readonly dictionaries: (readonly string[] | null)[];
}

/**
 * Reads the named Frame columns as learner features. Numbers, booleans (0/1) and timestamps (epoch ms) are numeric;
 * `category` columns give their codes (null = -1, missing). When `dictionaries[f]` is given, a category column's codes
 * are re-expressed in that dictionary, matching by string, and categories it lacks become -1 (treated as missing,
 * which routes them as unseen categories: to the right of every categorical split).
 *
 * @throws LOOM_ERR_FRAME_COLUMN_NOT_FOUND for a missing name (training), or `code` for a missing name (prediction) or
 *   a column of a type the learner cannot use (string, embedding).
 */
export function frameFeatureColumns(frame: Frame, names: readonly string[], dictionaries: readonly (readonly string[] | null)[] | null, code: FeatureErrorCode): FrameFeatures {
  const out: FrameFeatures = { columns: [], isCategory: [], dictionaries: [] };
  names.forEach((name, f) => {
    if (!frame.has(name)) {
      if (code === 'GBDT_PREDICT_INPUT_INVALID') fail(code, name, 'the column is missing; pass every feature the model was trained on');
      frame.column(name);
    }
    const column = frame.column(name);
    const target = dictionaries === null ? null : dictionaries[f];
    out.columns.push(toFeatureColumn(column, target, code));
    out.isCategory.push(column.type === 'category');
    out.dictionaries.push(column.type === 'category' ? (target ?? column.dictionary) : null);
  });
  return out;
}

function toFeatureColumn(column: Column, target: readonly string[] | null, code: FeatureErrorCode): FeatureColumn {
  switch (column.type) {
    case 'float':
    case 'int':
    case 'bool':
    case 'timestamp':
      if (target !== null) fail(code, column.name, `it is ${column.type}, but the model was trained on it as a category; pass a category column`);
      return { values: column.values, validity: column.validity };
    case 'category':
      return { values: target === null ? column.codes : remapCodes(column.codes, column.dictionary, target), validity: null };
    default:
      return fail(code, column.name, `its type ${column.type} cannot be a feature; drop the column, or encode it as numbers or a category`);
  }
}

/** Codes of `dictionary` re-expressed as codes of `target` (matched by string; absent and null codes become -1). */
export function remapCodes(codes: Int32Array, dictionary: readonly string[], target: readonly string[]): Int32Array {
  if (dictionary.length === target.length && dictionary.every((v, i) => v === target[i])) return codes;
  const index = new Map(target.map((v, i) => [v, i]));
  const map = new Int32Array(dictionary.length);
  for (let i = 0; i < dictionary.length; i++) map[i] = index.get(dictionary[i]) ?? -1;
  const out = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = codes[i] < 0 ? -1 : map[codes[i]];
  return out;
}

function fail(code: FeatureErrorCode, field: string, problem: string): never {
  throw new LoomError(code, { field, problem }, { details: { field } });
}
