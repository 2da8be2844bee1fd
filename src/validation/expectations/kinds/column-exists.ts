import type { Frame } from '../../../core/frame/frame.js';
import { findColumn } from '../column-access.js';
import type { ColumnExistsExpectation } from '../expectation.js';
import { tableResult, type ExpectationResult } from '../expectation-result.js';

/** column_exists: observed is the column's logical type, or null when it is missing. */
export function evaluateColumnExists(expectation: ColumnExistsExpectation, frame: Frame): ExpectationResult {
  const column = findColumn(frame, expectation.column);
  const success = column !== null && (expectation.type === undefined || column.type === expectation.type);
  return tableResult(expectation, success, column?.type ?? null, frame.length);
}
