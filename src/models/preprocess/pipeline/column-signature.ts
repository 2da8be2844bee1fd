import { LoomError } from '../../../core/errors/index.js';
import type { LogicalType } from '../../../core/frame/column.js';
import type { Frame } from '../../../core/frame/frame.js';

/** A column a pipeline reads or writes: its name and logical type at fit time. */
export interface ColumnSignature {
  readonly name: string;
  readonly type: LogicalType;
}

/** Types that stand in for each other at transform time: numbers for numbers, strings for categories. */
const FAMILY: Readonly<Record<LogicalType, string>> = {
  float: 'numeric',
  int: 'numeric',
  bool: 'numeric',
  category: 'categorical',
  string: 'categorical',
  timestamp: 'timestamp',
  embedding: 'embedding',
};

/**
 * Checks that `frame` has every signature column with a compatible type: float, int and bool stand in for each other,
 * as do category and string (categories are matched by value). Extra columns are allowed.
 *
 * @throws LOOM_ERR_PREPROCESS_COLUMN_MISSING, LOOM_ERR_PREPROCESS_COLUMN_TYPE (details.field = the column)
 */
export function checkSignature(frame: Frame, signature: readonly ColumnSignature[]): void {
  for (const { name, type } of signature) {
    if (!frame.has(name)) throw new LoomError('PREPROCESS_COLUMN_MISSING', { field: name, type }, { details: { field: name, expected: type } });
    const actual = frame.column(name).type;
    if (FAMILY[actual] !== FAMILY[type]) {
      const expected = `a ${type} column`;
      throw new LoomError('PREPROCESS_COLUMN_TYPE', { field: name, actual: `a ${actual} column`, expected, context: 'the pipeline was fitted on it with that type' }, { details: { field: name, actual, expected: type } });
    }
  }
}
