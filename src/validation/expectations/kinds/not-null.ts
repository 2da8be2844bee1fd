import type { Frame } from '../../../core/frame/frame.js';
import { failuresAt, findColumn } from '../column-access.js';
import type { NotNullExpectation } from '../expectation.js';
import { FailureTally, mostlyResult, problemResult, type ExpectationResult } from '../expectation-result.js';

/** not_null: every row is considered; a null row is a failure. Observed: the non-null share of rows, in [0, 1]. */
export function evaluateNotNull(expectation: NotNullExpectation, frame: Frame): ExpectationResult {
  const column = findColumn(frame, expectation.column);
  if (column === null) return problemResult(expectation, `column "${expectation.column}" is missing`, frame.length);
  const rows = frame.length;
  const tally = new FailureTally();
  const validity = column.validity;
  if (validity !== null) {
    for (let i = 0; i < rows; i++) if ((validity[i >> 3] & (1 << (i & 7))) === 0) tally.add(i);
  }
  return mostlyResult(expectation, {
    observed: rows === 0 ? 1 : (rows - tally.count) / rows,
    elementCount: rows,
    considered: rows,
    unexpected: tally.count,
    mostly: expectation.mostly,
    failures: failuresAt(column, tally.kept()),
  });
}
