import type { LogicalType } from '../../core/frame/column.js';
import { parseExpectation } from './expectation-schema.js';

/** A JSON value, as stored in suites and results. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** `error` failures fail the suite (and reject a request at serving); `warn` failures are reported only. */
export type Severity = 'error' | 'warn';

/** Fields every expectation has. */
interface ExpectationBase {
  /** Defaults to `error`. */
  readonly severity: Severity;
  /** Free-form notes kept with the expectation (who added it, why). Never read by the engine. */
  readonly meta?: { readonly [key: string]: JsonValue };
}

/** The column is present and, when `type` is given, has that logical type. */
export interface ColumnExistsExpectation extends ExpectationBase {
  readonly kind: 'column_exists';
  readonly column: string;
  readonly type?: LogicalType;
}

/** At least the fraction `mostly` (default 1) of all rows is non-null. */
export interface NotNullExpectation extends ExpectationBase {
  readonly kind: 'not_null';
  readonly column: string;
  readonly mostly?: number;
}

/**
 * Non-null values of a numeric or timestamp column (timestamps as epoch ms, UTC) lie in [min, max]; either bound may
 * be absent, and `strictMin`/`strictMax` make a bound exclusive. NaN is never in range.
 */
export interface BetweenExpectation extends ExpectationBase {
  readonly kind: 'between';
  readonly column: string;
  readonly min?: number;
  readonly max?: number;
  readonly strictMin?: boolean;
  readonly strictMax?: boolean;
  readonly mostly?: number;
}

/**
 * Non-null values are members of `values`. Category and string columns match values as strings, numeric columns
 * match numbers, bool columns match `true`/`false` (or the strings "true"/"false").
 */
export interface InSetExpectation extends ExpectationBase {
  readonly kind: 'in_set';
  readonly column: string;
  readonly values: readonly (string | number | boolean)[];
  readonly mostly?: number;
}

/** No non-null value appears twice. Every row holding a repeated value is a failure. */
export interface UniqueExpectation extends ExpectationBase {
  readonly kind: 'unique';
  readonly column: string;
}

/** Non-null values of a string or category column match `pattern` (JavaScript RegExp syntax, unanchored). */
export interface RegexExpectation extends ExpectationBase {
  readonly kind: 'regex';
  readonly column: string;
  readonly pattern: string;
  /** RegExp flags among `i`, `m`, `s`, `u`. */
  readonly flags?: string;
  readonly mostly?: number;
}

/** Non-null string or category values have a length (UTF-16 code units) in [min, max]. */
export interface StringLengthExpectation extends ExpectationBase {
  readonly kind: 'string_length';
  readonly column: string;
  readonly min?: number;
  readonly max?: number;
  readonly mostly?: number;
}

/** The table has between `min` and `max` rows, inclusive. */
export interface RowCountExpectation extends ExpectationBase {
  readonly kind: 'row_count';
  readonly min?: number;
  readonly max?: number;
}

/** The newest value of a timestamp column is at most `maxAgeMs` older than the evaluation's `now`. */
export interface FreshnessExpectation extends ExpectationBase {
  readonly kind: 'freshness';
  readonly column: string;
  readonly maxAgeMs: number;
}

/**
 * The reference a distribution is compared against. Numeric: a sample of reference values (sorted or not).
 * Categorical: reference counts per value, plus the count of values outside that list.
 */
export type DistributionReference =
  | { readonly type: 'numeric'; readonly sample: readonly number[] }
  | {
      readonly type: 'categorical';
      readonly counts: readonly { readonly value: string; readonly count: number }[];
      readonly otherCount: number;
    };

/**
 * The column's distribution has not drifted from `reference` by the named drift test (default: `ks` for numeric
 * references, `chi_square` for categorical ones) at `threshold` (default: the test's own, 0.05 for both).
 */
export interface DistributionExpectation extends ExpectationBase {
  readonly kind: 'distribution';
  readonly column: string;
  readonly reference: DistributionReference;
  readonly test?: string;
  readonly threshold?: number;
}

/** One expectation. Discriminate on `kind`. Objects are frozen. */
export type Expectation =
  | ColumnExistsExpectation
  | NotNullExpectation
  | BetweenExpectation
  | InSetExpectation
  | UniqueExpectation
  | RegexExpectation
  | StringLengthExpectation
  | RowCountExpectation
  | FreshnessExpectation
  | DistributionExpectation;

/** The expectation kinds. */
export type ExpectationKind = Expectation['kind'];

/** An expectation as written by a user: like Expectation, but `severity` may be left out. */
export type ExpectationInput = Expectation extends infer E
  ? E extends Expectation
    ? Omit<E, 'severity'> & { readonly severity?: Severity }
    : never
  : never;

/** All kinds, in docs order. */
export const EXPECTATION_KINDS: readonly ExpectationKind[] = Object.freeze([
  'column_exists',
  'not_null',
  'between',
  'in_set',
  'unique',
  'regex',
  'string_length',
  'row_count',
  'freshness',
  'distribution',
]);

/** The column an expectation is about, or null for table-level kinds (row_count). */
export function expectationColumn(expectation: Expectation): string | null {
  return expectation.kind === 'row_count' ? null : expectation.column;
}

/**
 * Companion of the Expectation union.
 *
 * @example
 * const e = Expectation.create({ kind: 'between', column: 'age', min: 17, max: 90 });
 * e.severity; // 'error'
 * Expectation.is(e); // true
 */
export const Expectation = Object.freeze({
  /** True when `value` is a valid expectation (full check, as `parse` does). */
  is(value: unknown): value is Expectation {
    try {
      parseExpectation(value);
      return true;
    } catch {
      return false;
    }
  },
  /**
   * Validates `input`, fills defaults (`severity: 'error'`) and returns a deep-frozen expectation.
   * @throws LOOM_ERR_VALIDATION_SUITE_INVALID naming the bad field
   */
  create(input: ExpectationInput): Expectation {
    return parseExpectation(input);
  },
  /** Like `create`, for untrusted JSON; `path` prefixes the field named in errors (e.g. `expectations.3`). */
  parse(json: unknown, path = ''): Expectation {
    return parseExpectation(json, path);
  },
});
