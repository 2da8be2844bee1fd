import type { Column } from '../../../core/frame/column.js';
import type { Frame } from '../../../core/frame/frame.js';
import { isValid } from '../../../core/frame/validity.js';
import type { DriftInput } from '../../../monitoring/drift/drift-test.js';
import { defaultDriftTest, findDriftTest } from '../../../monitoring/drift/drift-tests.js';
import { findColumn } from '../column-access.js';
import type { DistributionExpectation, DistributionReference, JsonValue } from '../expectation.js';
import { problemResult, tableResult, type ExpectationResult } from '../expectation-result.js';

/** Values outside the reference's list that `observed.unseenValues` names at most. */
const MAX_UNSEEN = 10;

/**
 * distribution: runs the drift test (default `ks` for numeric references, `chi_square` for categorical ones) of the
 * column's non-null values against the reference, and succeeds when it reports no drift.
 *
 * Numeric: the current values (non-null, NaN dropped) are copied and sorted once; int, float and timestamp columns
 * qualify. Categorical: current rows are counted into the reference's buckets, plus one "other" bucket that holds
 * the reference's `otherCount` and every current value outside its list; category, string and bool columns qualify
 * (bools as "true"/"false").
 *
 * Observed: `{ test, statistic, pValue, threshold, method, referenceSize, currentSize }`, and for categorical
 * references `unseenValues` (current values outside the reference list, at most 10). `statistic` is null when it is
 * infinite (a value the reference never had, with no "other" mass to absorb it).
 */
export function evaluateDistribution(expectation: DistributionExpectation, frame: Frame): ExpectationResult {
  const column = findColumn(frame, expectation.column);
  if (column === null) return problemResult(expectation, `column "${expectation.column}" is missing`, frame.length);
  const reference = expectation.reference;
  const test = (expectation.test === undefined ? undefined : findDriftTest(expectation.test)) ?? defaultDriftTest(reference.type);
  const threshold = expectation.threshold ?? test.descriptor.defaultThreshold;
  let input: DriftInput;
  let unseen: string[] | null = null;
  if (reference.type === 'numeric') {
    if (column.type !== 'int' && column.type !== 'float' && column.type !== 'timestamp') {
      return problemResult(expectation, `column "${column.name}" is ${column.type}; a numeric reference needs int, float or timestamp`, frame.length);
    }
    input = { type: 'numeric', reference: Float64Array.from(reference.sample).sort(), current: currentNumeric(column.values, column.validity) };
  } else {
    if (column.type !== 'category' && column.type !== 'string' && column.type !== 'bool') {
      return problemResult(expectation, `column "${column.name}" is ${column.type}; a categorical reference needs category, string or bool`, frame.length);
    }
    const counted = countIntoBuckets(column, reference);
    input = { type: 'categorical', reference: counted.reference, current: counted.current };
    unseen = counted.unseen;
  }
  const outcome = test.run(input, threshold);
  const observed: { [key: string]: JsonValue } = {
    test: outcome.test,
    statistic: Number.isFinite(outcome.statistic) ? outcome.statistic : null,
    pValue: outcome.pValue,
    threshold: outcome.threshold,
    method: outcome.method,
    referenceSize: input.type === 'numeric' ? input.reference.length : sum(input.reference),
    currentSize: input.type === 'numeric' ? input.current.length : sum(input.current),
  };
  if (unseen !== null) observed.unseenValues = unseen;
  return tableResult(expectation, !outcome.drifted, observed, frame.length);
}

function currentNumeric(values: ArrayLike<number>, validity: Uint8Array | null): Float64Array {
  const out = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (isValid(validity, i) && x === x) out[n++] = x;
  }
  return out.subarray(0, n).sort();
}

type CategoricalReference = Extract<DistributionReference, { type: 'categorical' }>;
type CategoricalColumn = Extract<Column, { type: 'category' | 'string' | 'bool' }>;

/** Counts rows per reference bucket; the last bucket is "other". Category columns map each code to a bucket once. */
function countIntoBuckets(column: CategoricalColumn, reference: CategoricalReference): { reference: Float64Array; current: Float64Array; unseen: string[] } {
  const k = reference.counts.length;
  const bucketOf = new Map<string, number>();
  const referenceCounts = new Float64Array(k + 1);
  for (let b = 0; b < k; b++) {
    bucketOf.set(reference.counts[b].value, b);
    referenceCounts[b] = reference.counts[b].count;
  }
  referenceCounts[k] = reference.otherCount;
  const current = new Float64Array(k + 1);
  const unseen = new Set<string>();
  const validity = column.validity;
  const bucket = (value: string): number => {
    const b = bucketOf.get(value);
    if (b !== undefined) return b;
    if (unseen.size < MAX_UNSEEN) unseen.add(value);
    return k;
  };
  if (column.type === 'category') {
    const codeBucket = new Int32Array(column.dictionary.length).fill(-1);
    const codes = column.codes;
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i];
      if (code < 0 || !isValid(validity, i)) continue;
      if (codeBucket[code] < 0) codeBucket[code] = bucket(column.dictionary[code]);
      current[codeBucket[code]]++;
    }
  } else if (column.type === 'bool') {
    const trueBucket = bucketOf.get('true') ?? -1;
    const falseBucket = bucketOf.get('false') ?? -1;
    const values = column.values;
    for (let i = 0; i < values.length; i++) {
      if (!isValid(validity, i)) continue;
      const b = values[i] === 1 ? trueBucket : falseBucket;
      current[b < 0 ? bucket(values[i] === 1 ? 'true' : 'false') : b]++;
    }
  } else {
    const values = column.values;
    for (let i = 0; i < values.length; i++) if (isValid(validity, i)) current[bucket(values[i])]++;
  }
  return { reference: referenceCounts, current, unseen: [...unseen] };
}

function sum(values: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}
