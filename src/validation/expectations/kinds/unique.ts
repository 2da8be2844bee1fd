import type { Frame } from '../../../core/frame/frame.js';
import { isValid } from '../../../core/frame/validity.js';
import { failuresAt, findColumn } from '../column-access.js';
import type { UniqueExpectation } from '../expectation.js';
import { FailureTally, mostlyResult, problemResult, type ExpectationResult } from '../expectation-result.js';

/**
 * unique: no non-null value may appear twice; every row holding a repeated value fails (so two equal values give two
 * failures). Two passes: count occurrences, then flag rows whose value has a count above 1. Category and bool columns
 * count in a typed array by code. Observed: the number of distinct non-null values.
 */
export function evaluateUnique(expectation: UniqueExpectation, frame: Frame): ExpectationResult {
  const column = findColumn(frame, expectation.column);
  if (column === null) return problemResult(expectation, `column "${expectation.column}" is missing`, frame.length);
  if (column.type === 'embedding') return problemResult(expectation, `column "${column.name}" is embedding; unique needs scalar values`, frame.length);
  const validity = column.validity;
  const rows = frame.length;
  const tally = new FailureTally();
  let nonNull = 0;
  let distinct = 0;
  if (column.type === 'category' || column.type === 'bool') {
    const codes = column.type === 'category' ? column.codes : column.values;
    const counts = new Int32Array(column.type === 'category' ? column.dictionary.length : 2);
    for (let i = 0; i < rows; i++) if (codes[i] >= 0 && isValid(validity, i)) counts[codes[i]]++;
    for (let k = 0; k < counts.length; k++) if (counts[k] > 0) distinct++;
    for (let i = 0; i < rows; i++) {
      if (codes[i] < 0 || !isValid(validity, i)) continue;
      nonNull++;
      if (counts[codes[i]] > 1) tally.add(i);
    }
  } else {
    const values: ArrayLike<string | number> = column.values;
    const counts = new Map<string | number, number>();
    for (let i = 0; i < rows; i++) if (isValid(validity, i)) counts.set(values[i], (counts.get(values[i]) ?? 0) + 1);
    distinct = counts.size;
    for (let i = 0; i < rows; i++) {
      if (!isValid(validity, i)) continue;
      nonNull++;
      if ((counts.get(values[i]) ?? 0) > 1) tally.add(i);
    }
  }
  return mostlyResult(expectation, {
    observed: distinct,
    elementCount: rows,
    considered: nonNull,
    unexpected: tally.count,
    mostly: undefined,
    failures: failuresAt(column, tally.kept()),
  });
}
