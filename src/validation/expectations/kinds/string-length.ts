import type { Frame } from '../../../core/frame/frame.js';
import { isValid } from '../../../core/frame/validity.js';
import { columnOfType, failuresAt, TEXT_TYPES } from '../column-access.js';
import type { StringLengthExpectation } from '../expectation.js';
import { FailureTally, mostlyResult, problemResult, type ExpectationResult } from '../expectation-result.js';

/**
 * string_length: non-null values of a string or category column must have a length (UTF-16 code units) in
 * [min, max]. Observed: `{ min, max }` lengths seen (null when there are no values).
 */
export function evaluateStringLength(expectation: StringLengthExpectation, frame: Frame): ExpectationResult {
  const column = columnOfType(frame, expectation.column, TEXT_TYPES);
  if (typeof column === 'string') return problemResult(expectation, column, frame.length);
  const lo = expectation.min ?? 0;
  const hi = expectation.max ?? Number.POSITIVE_INFINITY;
  const validity = column.validity;
  const tally = new FailureTally();
  let nonNull = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = -1;
  const rows = frame.length;
  // Category columns measure each dictionary entry once; a null row has code −1 and is skipped.
  const lengths = column.type === 'category' ? Int32Array.from(column.dictionary, (v) => v.length) : null;
  const codes = column.type === 'category' ? column.codes : null;
  const strings = column.type === 'string' ? column.values : null;
  for (let i = 0; i < rows; i++) {
    if (!isValid(validity, i)) continue;
    const length = codes !== null && lengths !== null ? (codes[i] < 0 ? -1 : lengths[codes[i]]) : (strings as readonly string[])[i].length;
    if (length < 0) continue;
    nonNull++;
    if (length < min) min = length;
    if (length > max) max = length;
    if (length < lo || length > hi) tally.add(i);
  }
  return mostlyResult(expectation, {
    observed: { min: max < 0 ? null : min, max: max < 0 ? null : max },
    elementCount: rows,
    considered: nonNull,
    unexpected: tally.count,
    mostly: expectation.mostly,
    failures: failuresAt(column, tally.kept()),
  });
}
