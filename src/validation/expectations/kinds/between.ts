import type { Frame } from '../../../core/frame/frame.js';
import { columnOfType, failuresAt, NUMERIC_TYPES } from '../column-access.js';
import type { BetweenExpectation } from '../expectation.js';
import { FailureTally, mostlyResult, problemResult, type ExpectationResult } from '../expectation-result.js';

/**
 * between: non-null values of an int, float or timestamp column must lie within the bounds; NaN fails.
 * Observed: `{ min, max }` of the non-null, non-NaN values (null when there are none).
 */
export function evaluateBetween(expectation: BetweenExpectation, frame: Frame): ExpectationResult {
  const column = columnOfType(frame, expectation.column, NUMERIC_TYPES);
  if (typeof column === 'string') return problemResult(expectation, column, frame.length);
  const values = column.values;
  const validity = column.validity;
  // An exclusive bound is the inclusive bound on the next representable double, so the loop has one comparison form.
  const lo = expectation.min === undefined ? Number.NEGATIVE_INFINITY : expectation.strictMin ? nextUp(expectation.min) : expectation.min;
  const hi = expectation.max === undefined ? Number.POSITIVE_INFINITY : expectation.strictMax ? nextDown(expectation.max) : expectation.max;
  const tally = new FailureTally();
  let nonNull = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    if (validity !== null && (validity[i >> 3] & (1 << (i & 7))) === 0) continue;
    nonNull++;
    const x = values[i];
    if (x < min) min = x;
    if (x > max) max = x;
    if (!(x >= lo && x <= hi)) tally.add(i);
  }
  const seen = min <= max;
  return mostlyResult(expectation, {
    observed: { min: seen ? min : null, max: seen ? max : null },
    elementCount: frame.length,
    considered: nonNull,
    unexpected: tally.count,
    mostly: expectation.mostly,
    failures: failuresAt(column, tally.kept()),
  });
}

const SCRATCH = new Float64Array(1);
const BITS = new BigInt64Array(SCRATCH.buffer);

function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  SCRATCH[0] = x;
  BITS[0] += x > 0 ? 1n : -1n;
  return SCRATCH[0];
}

function nextDown(x: number): number {
  return -nextUp(-x);
}
