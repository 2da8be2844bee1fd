import { LoomError } from '../../../core/errors/index.js';
import type { Column } from '../../../core/frame/column.js';

/** A class label as it appears in the target: a category or string value, a number, or a boolean. */
export type ClassLabel = string | number | boolean;

/**
 * A learner's target: a Frame column (its name becomes the target's field name), a numeric array, or an array of
 * labels (`null` marks a missing label, which learners reject).
 */
export type TargetInput = Column | ArrayLike<number> | readonly (ClassLabel | null)[];

/** True when `y` is a Frame column rather than an array. */
export function isTargetColumn(y: TargetInput): y is Column {
  return typeof y === 'object' && y !== null && !Array.isArray(y) && !ArrayBuffer.isView(y) && typeof (y as Column).type === 'string' && typeof (y as Column).name === 'string';
}

/** The field name errors report for `y`: the column name, else `fallback`. */
export function targetField(y: TargetInput, fallback: string): string {
  return isTargetColumn(y) ? y.name : fallback;
}

/**
 * Checks that the target has `rows` entries.
 * @throws LOOM_ERR_MODEL_INPUT_INVALID (details.field = the target field)
 */
export function checkTargetLength(y: TargetInput, rows: number, field: string): void {
  if (y.length !== rows) {
    throw new LoomError('MODEL_INPUT_INVALID', { field, problem: `it has ${y.length} values but X has ${rows} rows` }, { details: { field } });
  }
}

/** Orders class labels: numbers ascending, strings by UTF-16 code units, false before true. All labels share a type. */
export function compareLabels(a: ClassLabel, b: ClassLabel): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}
