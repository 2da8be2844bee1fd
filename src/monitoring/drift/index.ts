export { CHI_SQUARE_TEST, CHI_SQUARE_TEST_DESCRIPTOR, chiSquareTest } from './chi-square-test.js';
export type { DriftInput, DriftTest, DriftTestDescriptor, DriftTestResult, DriftValueType } from './drift-test.js';
export { DRIFT_TESTS, LARGE_REFERENCE_ROWS, defaultDriftTest, driftTestForReference, findDriftTest } from './drift-tests.js';
export { JENSEN_SHANNON_TEST, JENSEN_SHANNON_TEST_DESCRIPTOR, jensenShannonDistance, jensenShannonTest } from './jensen-shannon-test.js';
export { WASSERSTEIN_TEST, WASSERSTEIN_TEST_DESCRIPTOR, wassersteinDistance, wassersteinTest } from './wasserstein-test.js';
export { KS_EXACT_MAX_SIZE, KS_TEST, KS_TEST_DESCRIPTOR, ksStatistic, ksTest } from './ks-test.js';
export type { KsStatistic } from './ks-test.js';
