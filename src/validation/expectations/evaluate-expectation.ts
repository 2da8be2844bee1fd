import type { Frame } from '../../core/frame/frame.js';
import type { Expectation, ExpectationKind } from './expectation.js';
import type { EvaluationContext, ExpectationResult } from './expectation-result.js';
import { evaluateBetween } from './kinds/between.js';
import { evaluateColumnExists } from './kinds/column-exists.js';
import { evaluateDistribution } from './kinds/distribution.js';
import { evaluateFreshness } from './kinds/freshness.js';
import { evaluateInSet } from './kinds/in-set.js';
import { evaluateNotNull } from './kinds/not-null.js';
import { evaluateRegex } from './kinds/regex.js';
import { evaluateRowCount } from './kinds/row-count.js';
import { evaluateStringLength } from './kinds/string-length.js';
import { evaluateUnique } from './kinds/unique.js';

type Evaluator<K extends ExpectationKind> = (expectation: Extract<Expectation, { kind: K }>, frame: Frame, context: EvaluationContext) => ExpectationResult;

/** One pure evaluator per kind; the mapped type makes a missing kind a compile error. */
const EVALUATORS: { readonly [K in ExpectationKind]: Evaluator<K> } = {
  column_exists: evaluateColumnExists,
  not_null: evaluateNotNull,
  between: evaluateBetween,
  in_set: evaluateInSet,
  unique: evaluateUnique,
  regex: evaluateRegex,
  string_length: evaluateStringLength,
  row_count: evaluateRowCount,
  freshness: evaluateFreshness,
  distribution: evaluateDistribution,
};

/**
 * Evaluates one expectation on a frame. Pure: reads the frame, allocates only its result and per-column scratch
 * arrays. A missing column or a column of the wrong type gives `success: false` with `problem` set, never a throw.
 */
export function evaluateExpectation(expectation: Expectation, frame: Frame, context: EvaluationContext): ExpectationResult {
  const evaluate = EVALUATORS[expectation.kind] as Evaluator<ExpectationKind>;
  return evaluate(expectation as never, frame, context);
}
