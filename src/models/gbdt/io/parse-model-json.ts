import { modelFormatError } from './model-format-error.js';

/**
 * Parses the JSON value of one model line (the `loom:` section, `pandas_categorical:`).
 *
 * @throws LOOM_ERR_GBDT_MODEL_FORMAT_INVALID naming `line` and `field` for text that is not JSON.
 *
 * @internal
 */
export function parseModelJson(text: string, line: number, field: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw modelFormatError(line, field, `the value is not valid JSON (${(cause as Error).message})`);
  }
}
