import assert from 'node:assert/strict';
import { isLoomError } from '../../core/errors/index.js';

/** Asserts |actual − expected| ≤ tolerance. @internal */
export function close(actual: number, expected: number, tolerance: number, label: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${label}: got ${actual}, expected ${expected} ± ${tolerance}`);
}

/** Asserts that `fn` throws LOOM_ERR_DEPLOY_INVALID_STATISTICS_INPUT naming `field`. @internal */
export function assertInvalid(fn: () => unknown, field: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(isLoomError(err, 'DEPLOY_INVALID_STATISTICS_INPUT'), `expected the statistics input error, got ${String(err)}`);
    assert.equal(err.statusCode, 400);
    assert.equal(err.details?.field, field);
    return true;
  });
}

/** Standard normal CDF by a separate route (Zelen–Severo 26.2.17, |error| < 7.5e−8), for cross-checks. @internal */
export function referenceNormalCdf(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const upper = (Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI)) * poly;
  return z >= 0 ? 1 - upper : upper;
}
