import { LoomError } from '../../../core/errors/index.js';
import type { Column, LogicalType } from '../../../core/frame/column.js';
import type { Frame } from '../../../core/frame/frame.js';

/** Whether a step is being fitted (a missing column is a mistake in the step) or applied (a mistake in the input). */
export type StepPhase = 'fit' | 'transform';

/**
 * The column a step reads.
 * @throws LOOM_ERR_PREPROCESS_COLUMN_UNKNOWN at fit, LOOM_ERR_PREPROCESS_COLUMN_MISSING at transform
 *   (details.field = the column name)
 */
export function stepColumn(frame: Frame, name: string, label: string, phase: StepPhase): Column {
  if (frame.has(name)) return frame.column(name);
  if (phase === 'fit') {
    throw new LoomError('PREPROCESS_COLUMN_UNKNOWN', { step: label, field: name, available: frame.names.join(', ') }, { details: { field: name } });
  }
  throw new LoomError('PREPROCESS_COLUMN_MISSING', { field: name, type: `read by ${label}` }, { details: { field: name } });
}

/**
 * Checks that `column` has one of the `allowed` logical types.
 * @throws LOOM_ERR_PREPROCESS_COLUMN_TYPE (details.field = the column name)
 */
export function requireType(column: Column, allowed: readonly LogicalType[], label: string): void {
  if (!allowed.includes(column.type)) throw columnTypeError(column.name, column.type, `a ${allowed.join(' or ')} column`, label);
}

/** The PREPROCESS_COLUMN_TYPE error for `field`. */
export function columnTypeError(field: string, actual: string, expected: string, context: string): LoomError {
  return new LoomError('PREPROCESS_COLUMN_TYPE', { field, actual: `a ${actual} column`, expected, context }, { details: { field, actual, expected } });
}
