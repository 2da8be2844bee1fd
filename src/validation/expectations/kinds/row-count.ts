import type { Frame } from '../../../core/frame/frame.js';
import type { RowCountExpectation } from '../expectation.js';
import { tableResult, type ExpectationResult } from '../expectation-result.js';

/** row_count: observed is the number of rows; success when it lies in [min, max] (absent bounds are open). */
export function evaluateRowCount(expectation: RowCountExpectation, frame: Frame): ExpectationResult {
  const rows = frame.length;
  const success = rows >= (expectation.min ?? 0) && rows <= (expectation.max ?? Number.POSITIVE_INFINITY);
  return tableResult(expectation, success, rows, rows);
}
