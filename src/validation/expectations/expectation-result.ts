import type { Expectation, JsonValue } from './expectation.js';

/** Most failing rows a result lists. */
export const MAX_FAILURES = 20;

/** One failing row: its 0-based row number in the validated frame, and its value (timestamps as ISO-8601, NaN as "NaN"). */
export interface ExpectationFailure {
  readonly row: number;
  readonly value: JsonValue;
}

/**
 * The outcome of one expectation on one frame.
 * - `observed`: what was measured, per kind (docs/validation.md lists each).
 * - `elementCount`: the number of rows in the frame, nulls included, as Great Expectations reports it.
 * - `unexpectedCount`: failing rows; `unexpectedPercent` is that share, in percent, of the non-null rows (of all rows
 *   for not_null). Expectations on the whole table (column_exists, row_count, freshness, distribution) report 0.
 * - `failures`: the first MAX_FAILURES failing rows, in row order.
 * - `problem`: why the expectation could not be evaluated (missing column, wrong type); then `success` is false.
 */
export interface ExpectationResult {
  readonly expectation: Expectation;
  readonly success: boolean;
  readonly observed: JsonValue;
  readonly elementCount: number;
  readonly unexpectedCount: number;
  readonly unexpectedPercent: number;
  readonly failures: readonly ExpectationFailure[];
  readonly problem?: string;
}

/** Options shared by every evaluation. */
export interface EvaluationContext {
  /** The instant freshness is measured against, in epoch ms (UTC). */
  readonly now: number;
}

/**
 * Counts failing rows and keeps the row numbers of the first MAX_FAILURES, in a preallocated Int32Array, so a scan
 * allocates nothing per row. Values are read back from the column only for the kept rows.
 * @internal
 */
export class FailureTally {
  readonly rows = new Int32Array(MAX_FAILURES);
  count = 0;

  add(row: number): void {
    if (this.count < MAX_FAILURES) this.rows[this.count] = row;
    this.count++;
  }

  /** Kept row numbers, in the order added. */
  kept(): Int32Array {
    return this.rows.subarray(0, Math.min(this.count, MAX_FAILURES));
  }
}

/**
 * Result of a row-wise expectation with Great Expectations' `mostly` rule: success when the share of considered rows
 * that pass is at least `mostly` (default 1). With no considered rows the expectation holds vacuously.
 * @internal
 */
export function mostlyResult(
  expectation: Expectation,
  args: {
    readonly observed: JsonValue;
    readonly elementCount: number;
    readonly considered: number;
    readonly unexpected: number;
    readonly mostly: number | undefined;
    readonly failures: readonly ExpectationFailure[];
  },
): ExpectationResult {
  const { considered, unexpected } = args;
  const passingShare = considered === 0 ? 1 : (considered - unexpected) / considered;
  return {
    expectation,
    success: passingShare >= (args.mostly ?? 1),
    observed: args.observed,
    elementCount: args.elementCount,
    unexpectedCount: unexpected,
    unexpectedPercent: considered === 0 ? 0 : (100 * unexpected) / considered,
    failures: args.failures,
  };
}

/** A result for a table-level expectation (no failing rows). @internal */
export function tableResult(expectation: Expectation, success: boolean, observed: JsonValue, elementCount: number): ExpectationResult {
  return { expectation, success, observed, elementCount, unexpectedCount: 0, unexpectedPercent: 0, failures: [] };
}

/** A result for an expectation that could not be evaluated on this frame. @internal */
export function problemResult(expectation: Expectation, problem: string, elementCount: number): ExpectationResult {
  return { expectation, success: false, observed: null, elementCount, unexpectedCount: 0, unexpectedPercent: 0, failures: [], problem };
}
