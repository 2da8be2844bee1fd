import type { Frame } from '../../core/frame/frame.js';
import { evaluateExpectation } from '../expectations/evaluate-expectation.js';
import type { ExpectationResult } from '../expectations/expectation-result.js';
import type { Suite } from './suite.js';

/** Counts over a suite run. `failed` counts error-severity failures, `warnings` warn-severity ones. */
export interface SuiteStatistics {
  readonly evaluated: number;
  readonly successful: number;
  readonly failed: number;
  readonly warnings: number;
}

/** The outcome of a suite on one frame: `success` is true when no `error`-severity expectation failed. */
export interface SuiteResult {
  readonly suite: string;
  readonly success: boolean;
  readonly statistics: SuiteStatistics;
  /** One result per expectation, in suite order. */
  readonly results: readonly ExpectationResult[];
}

/** Options for runSuite. */
export interface RunSuiteOptions {
  /** The instant freshness expectations measure against, epoch ms UTC. Defaults to `Date.now()`. */
  readonly now?: number;
}

/**
 * Evaluates every expectation of `suite` on `frame`, in order. Pure apart from reading the clock when `now` is
 * absent. Failures of `warn` expectations are counted in `warnings` and do not make `success` false.
 *
 * @example
 * const result = runSuite(suite, frame, { now: Date.parse('2024-01-01T00:00:00Z') });
 * if (!result.success) console.log(result.results.filter((r) => !r.success));
 */
export function runSuite(suite: Suite, frame: Frame, options: RunSuiteOptions = {}): SuiteResult {
  const context = { now: options.now ?? Date.now() };
  const results = suite.expectations.map((e) => evaluateExpectation(e, frame, context));
  let successful = 0;
  let failed = 0;
  let warnings = 0;
  for (const r of results) {
    if (r.success) successful++;
    else if (r.expectation.severity === 'warn') warnings++;
    else failed++;
  }
  return { suite: suite.name, success: failed === 0, statistics: { evaluated: results.length, successful, failed, warnings }, results };
}
