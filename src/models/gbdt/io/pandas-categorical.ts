import type { GbdtFeature } from '../gbdt-model.js';
import { modelFormatError } from './model-format-error.js';
import { parseModelJson } from './parse-model-json.js';

/** How the line starts; LightGBM's Python package reads it as the last line of the file. @internal */
export const PANDAS_CATEGORICAL_PREFIX = 'pandas_categorical:';

/**
 * The `pandas_categorical:` line as LightGBM's Python package writes it: a JSON list with the category list of each
 * feature that has a dictionary (a pandas `category` column, a Loom Frame `category` column), in feature order, or
 * `null` when none has one. With it, Python's `Booster(model_file=…)` maps pandas categories to the same codes.
 *
 * @internal
 */
export function formatPandasCategorical(features: readonly GbdtFeature[]): string {
  const lists = features.filter((f) => f.dictionary !== null).map((f) => f.dictionary);
  return PANDAS_CATEGORICAL_PREFIX + JSON.stringify(lists.length === 0 ? null : lists);
}

/**
 * Reads the JSON after the prefix: null, or one category list per pandas category column (values that are not
 * strings, such as integer categories, become their JSON text).
 *
 * @throws LOOM_ERR_GBDT_MODEL_FORMAT_INVALID naming `line`.
 *
 * @internal
 */
export function parsePandasCategorical(text: string, line: number): string[][] | null {
  const value = parseModelJson(text, line, 'pandas_categorical');
  if (value === null) return null;
  if (!Array.isArray(value) || !value.every((list) => Array.isArray(list))) throw modelFormatError(line, 'pandas_categorical', 'expected null or a list of category lists');
  return (value as unknown[][]).map((list) => list.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))));
}
