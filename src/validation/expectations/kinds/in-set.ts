import type { Column } from '../../../core/frame/column.js';
import type { Frame } from '../../../core/frame/frame.js';
import { isValid } from '../../../core/frame/validity.js';
import { failuresAt, findColumn } from '../column-access.js';
import type { InSetExpectation, JsonValue } from '../expectation.js';
import { FailureTally, mostlyResult, problemResult, type ExpectationResult } from '../expectation-result.js';

/** Distinct unexpected values the observed field lists at most. */
const MAX_UNEXPECTED_VALUES = 10;

/**
 * in_set: non-null values must be members of the set. Category columns decide once per dictionary entry, so the scan
 * is one byte lookup per row. Observed: `{ unexpectedValues }`, the first 10 distinct values outside the set.
 */
export function evaluateInSet(expectation: InSetExpectation, frame: Frame): ExpectationResult {
  const column = findColumn(frame, expectation.column);
  if (column === null) return problemResult(expectation, `column "${expectation.column}" is missing`, frame.length);
  if (column.type === 'embedding') return problemResult(expectation, `column "${column.name}" is embedding; in_set needs scalar values`, frame.length);
  const strings = new Set(expectation.values.map(String));
  const numbers = new Set(expectation.values.filter((v): v is number => typeof v === 'number'));
  const tally = new FailureTally();
  const unexpected = new Set<string | number | boolean>();
  const validity = column.validity;
  let nonNull = 0;
  const miss = (i: number, value: string | number | boolean) => {
    tally.add(i);
    if (unexpected.size < MAX_UNEXPECTED_VALUES) unexpected.add(value);
  };
  switch (column.type) {
    case 'category': {
      const accept = new Uint8Array(column.dictionary.length);
      for (let k = 0; k < accept.length; k++) accept[k] = strings.has(column.dictionary[k]) ? 1 : 0;
      const codes = column.codes;
      for (let i = 0; i < codes.length; i++) {
        const code = codes[i];
        if (code < 0 || !isValid(validity, i)) continue;
        nonNull++;
        if (accept[code] === 0) miss(i, column.dictionary[code]);
      }
      break;
    }
    case 'string': {
      const values = column.values;
      for (let i = 0; i < values.length; i++) {
        if (!isValid(validity, i)) continue;
        nonNull++;
        if (!strings.has(values[i])) miss(i, values[i]);
      }
      break;
    }
    case 'bool': {
      const acceptTrue = strings.has('true');
      const acceptFalse = strings.has('false');
      const values = column.values;
      for (let i = 0; i < values.length; i++) {
        if (!isValid(validity, i)) continue;
        nonNull++;
        if (values[i] === 1 ? !acceptTrue : !acceptFalse) miss(i, values[i] === 1);
      }
      break;
    }
    default: {
      const values = column.values;
      for (let i = 0; i < values.length; i++) {
        if (!isValid(validity, i)) continue;
        nonNull++;
        if (!numbers.has(values[i])) miss(i, values[i]);
      }
    }
  }
  return mostlyResult(expectation, {
    observed: { unexpectedValues: [...unexpected].map((v) => displayValue(column, v)) },
    elementCount: frame.length,
    considered: nonNull,
    unexpected: tally.count,
    mostly: expectation.mostly,
    failures: failuresAt(column, tally.kept()),
  });
}

function displayValue(column: Column, value: string | number | boolean): JsonValue {
  if (typeof value !== 'number') return value;
  if (column.type === 'timestamp') return Number.isFinite(value) ? new Date(value).toISOString() : String(value);
  return Number.isFinite(value) ? value : String(value);
}
