import { LoomError } from '../../core/errors/index.js';

/**
 * Argument checks shared by the experiment-statistics functions. Each throws
 * LOOM_ERR_DEPLOY_INVALID_STATISTICS_INPUT naming the field, so a caller (or an API client) sees which value to fix.
 * @internal
 */
export function invalidStatisticsInput(field: string, problem: string): LoomError {
  return new LoomError('DEPLOY_INVALID_STATISTICS_INPUT', { field, problem }, { details: { field, problem } });
}

/** A finite number. @internal */
export function requireFinite(value: number, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidStatisticsInput(field, `expected a finite number, got ${String(value)}`);
  return value;
}

/** A non-negative integer count. @internal */
export function requireCount(value: number, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw invalidStatisticsInput(field, `expected a non-negative integer count, got ${String(value)}`);
  }
  return value;
}

/** A count of successes out of a total with at least one trial. @internal */
export function requireProportion(arm: { successes: number; total: number }, field: string): { successes: number; total: number } {
  if (arm === null || typeof arm !== 'object') throw invalidStatisticsInput(field, 'expected { successes, total }');
  const total = requireCount(arm.total, `${field}.total`);
  const successes = requireCount(arm.successes, `${field}.successes`);
  if (total === 0) throw invalidStatisticsInput(`${field}.total`, 'needs at least one trial');
  if (successes > total) throw invalidStatisticsInput(`${field}.successes`, `${successes} successes exceed the total of ${total}`);
  return { successes, total };
}

/** A significance level (or other probability) strictly inside (0, 1); `undefined` gives the default. @internal */
export function requireOpenUnit(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0 && value < 1)) throw invalidStatisticsInput(field, `expected a number strictly between 0 and 1, got ${String(value)}`);
  return value;
}

/** A number in the closed interval [0, 1]. @internal */
export function requireClosedUnit(value: number, field: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw invalidStatisticsInput(field, `expected a number in [0, 1], got ${String(value)}`);
  return value;
}

/** A strictly positive finite number. @internal */
export function requirePositive(value: number, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0)) throw invalidStatisticsInput(field, `expected a positive finite number, got ${String(value)}`);
  return value;
}
