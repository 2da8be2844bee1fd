import type { Frame } from '../../../core/frame/frame.js';
import { isValid } from '../../../core/frame/validity.js';
import { columnOfType, failuresAt, TEXT_TYPES } from '../column-access.js';
import type { RegexExpectation } from '../expectation.js';
import { FailureTally, mostlyResult, problemResult, type ExpectationResult } from '../expectation-result.js';

/**
 * regex: non-null values of a string or category column must match the pattern (unanchored, like RegExp.test).
 * Category columns test each dictionary entry once. Observed: the share of non-null values that match, in [0, 1].
 */
export function evaluateRegex(expectation: RegexExpectation, frame: Frame): ExpectationResult {
  const column = columnOfType(frame, expectation.column, TEXT_TYPES);
  if (typeof column === 'string') return problemResult(expectation, column, frame.length);
  const pattern = new RegExp(expectation.pattern, expectation.flags);
  const validity = column.validity;
  const tally = new FailureTally();
  let nonNull = 0;
  if (column.type === 'category') {
    const matches = new Uint8Array(column.dictionary.length);
    for (let k = 0; k < matches.length; k++) matches[k] = pattern.test(column.dictionary[k]) ? 1 : 0;
    const codes = column.codes;
    for (let i = 0; i < codes.length; i++) {
      if (codes[i] < 0 || !isValid(validity, i)) continue;
      nonNull++;
      if (matches[codes[i]] === 0) tally.add(i);
    }
  } else {
    const values = column.values;
    for (let i = 0; i < values.length; i++) {
      if (!isValid(validity, i)) continue;
      nonNull++;
      if (!pattern.test(values[i])) tally.add(i);
    }
  }
  return mostlyResult(expectation, {
    observed: nonNull === 0 ? 1 : (nonNull - tally.count) / nonNull,
    elementCount: frame.length,
    considered: nonNull,
    unexpected: tally.count,
    mostly: expectation.mostly,
    failures: failuresAt(column, tally.kept()),
  });
}
