import { CHI_SQUARE_TEST } from './chi-square-test.js';
import type { DriftTest, DriftValueType } from './drift-test.js';
import { JENSEN_SHANNON_TEST } from './jensen-shannon-test.js';
import { KS_TEST } from './ks-test.js';
import { WASSERSTEIN_TEST } from './wasserstein-test.js';

/**
 * Every drift test Loom knows, by registry name. Validation expectations and monitors pick tests from here by name;
 * a new test is one file plus one line below.
 */
export const DRIFT_TESTS: ReadonlyMap<string, DriftTest> = new Map<string, DriftTest>([
  [KS_TEST.descriptor.name, KS_TEST],
  [CHI_SQUARE_TEST.descriptor.name, CHI_SQUARE_TEST],
  [WASSERSTEIN_TEST.descriptor.name, WASSERSTEIN_TEST],
  [JENSEN_SHANNON_TEST.descriptor.name, JENSEN_SHANNON_TEST],
]);

/** Reference sizes above this pick distance tests instead of p-value tests (Evidently's switch point). */
export const LARGE_REFERENCE_ROWS = 1000;

/** The registered test named `name`, or undefined. Callers turn undefined into their own coded error listing DRIFT_TESTS' keys. */
export function findDriftTest(name: string): DriftTest | undefined {
  return DRIFT_TESTS.get(name);
}

/**
 * The default test for a value type: KS for numeric columns and chi-square for categorical ones, each at p < 0.05.
 * Used when an expectation names no test.
 */
export function defaultDriftTest(type: DriftValueType): DriftTest {
  return type === 'numeric' ? KS_TEST : CHI_SQUARE_TEST;
}

/**
 * The test Evidently picks for a column of `type` given the reference's row count: up to LARGE_REFERENCE_ROWS rows,
 * KS (numeric) or chi-square (categorical) at p < 0.05; above it, normed Wasserstein (numeric) or Jensen–Shannon
 * (categorical) at distance ≥ 0.1, because on large samples p-value tests flag differences too small to matter
 * (and flag a large reference against its own 2000-value profile sample about 5% of the time per column).
 */
export function driftTestForReference(type: DriftValueType, referenceRows: number): DriftTest {
  if (referenceRows <= LARGE_REFERENCE_ROWS) return defaultDriftTest(type);
  return type === 'numeric' ? WASSERSTEIN_TEST : JENSEN_SHANNON_TEST;
}
