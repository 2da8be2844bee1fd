import type { Frame } from '../../../core/frame/frame.js';
import { isValid } from '../../../core/frame/validity.js';
import { columnOfType } from '../column-access.js';
import type { FreshnessExpectation } from '../expectation.js';
import { problemResult, tableResult, type EvaluationContext, type ExpectationResult } from '../expectation-result.js';

/**
 * freshness: the newest non-null timestamp must be no more than `maxAgeMs` before `context.now`. A timestamp in the
 * future counts as fresh. Observed: `{ latest, ageMs }` with `latest` as ISO-8601 UTC; a column with no timestamps fails.
 */
export function evaluateFreshness(expectation: FreshnessExpectation, frame: Frame, context: EvaluationContext): ExpectationResult {
  const column = columnOfType(frame, expectation.column, ['timestamp'] as const);
  if (typeof column === 'string') return problemResult(expectation, column, frame.length);
  const values = column.values;
  const validity = column.validity;
  let latest = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) if (isValid(validity, i) && values[i] > latest) latest = values[i];
  if (latest === Number.NEGATIVE_INFINITY) return tableResult(expectation, false, { latest: null, ageMs: null }, frame.length);
  const ageMs = context.now - latest;
  return tableResult(expectation, ageMs <= expectation.maxAgeMs, { latest: new Date(latest).toISOString(), ageMs }, frame.length);
}
