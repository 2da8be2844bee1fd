export { evaluateExpectation } from './expectations/evaluate-expectation.js';
export { EXPECTATION_KINDS, Expectation, expectationColumn } from './expectations/expectation.js';
export type {
  BetweenExpectation,
  ColumnExistsExpectation,
  DistributionExpectation,
  DistributionReference,
  ExpectationInput,
  ExpectationKind,
  FreshnessExpectation,
  InSetExpectation,
  JsonValue,
  NotNullExpectation,
  RegexExpectation,
  RowCountExpectation,
  Severity,
  StringLengthExpectation,
  UniqueExpectation,
} from './expectations/expectation.js';
export { describeExpected, describeObserved } from './expectations/describe-result.js';
export { MAX_FAILURES } from './expectations/expectation-result.js';
export type { EvaluationContext, ExpectationFailure, ExpectationResult } from './expectations/expectation-result.js';
export { generateSuite } from './suites/generate-suite.js';
export type { GenerateSuiteOptions } from './suites/generate-suite.js';
export { runSuite } from './suites/run-suite.js';
export type { RunSuiteOptions, SuiteResult, SuiteStatistics } from './suites/run-suite.js';
export { SUITE_NAME_PATTERN, Suite } from './suites/suite.js';
export type { SuiteInput, SuiteMeta, SuiteOrigin } from './suites/suite.js';
export { listSuiteResults, listSuites, loadSuite, saveSuite, saveSuiteResult } from './suites/suite-store.js';
export type { StoredSuite, SuiteRunRecord, SuiteSummary } from './suites/suite-store.js';
