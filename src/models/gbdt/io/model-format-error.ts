import { LoomError } from '../../../core/errors/index.js';

/**
 * The error for malformed LightGBM model text: `line` is 1-based (0 when the problem is the text as a whole, such as
 * a missing section) and `field` names the header key, tree field or section at fault.
 *
 * @internal
 */
export function modelFormatError(line: number, field: string, problem: string): LoomError {
  return new LoomError('GBDT_MODEL_FORMAT_INVALID', { line, field, problem }, { details: { field, line } });
}

/** The error for a well-formed model that needs something Loom does not implement (`what`, e.g. `linear trees`). @internal */
export function unsupportedModelError(line: number, field: string, what: string, problem: string): LoomError {
  return new LoomError('GBDT_MODEL_UNSUPPORTED', { what, line, problem }, { details: { field, line } });
}
