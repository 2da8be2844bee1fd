import { z } from 'zod';
import { LoomError } from '../../core/errors/index.js';
import { LOGICAL_TYPES, type LogicalType } from '../../core/frame/column.js';
import { DRIFT_TESTS, defaultDriftTest, findDriftTest } from '../../monitoring/drift/drift-tests.js';
import type { Expectation } from './expectation.js';
import { firstIssue } from '../../core/zod-issue.js';

const column = z.string().min(1);
const mostly = z.number().min(0).max(1).optional();
const bound = z.number().refine(Number.isFinite, 'must be a finite number').optional();
const count = z.number().int().min(0).optional();
const base = {
  severity: z.enum(['error', 'warn']).default('error'),
  meta: z.record(z.string(), z.json()).optional(),
};

const EXPECTATION_ZOD = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('column_exists'), column, type: z.enum(LOGICAL_TYPES as [LogicalType, ...LogicalType[]]).optional(), ...base }),
  z.strictObject({ kind: z.literal('not_null'), column, mostly, ...base }),
  z.strictObject({
    kind: z.literal('between'),
    column,
    min: bound,
    max: bound,
    strictMin: z.boolean().optional(),
    strictMax: z.boolean().optional(),
    mostly,
    ...base,
  }),
  z.strictObject({ kind: z.literal('in_set'), column, values: z.array(z.union([z.string(), z.number(), z.boolean()])), mostly, ...base }),
  z.strictObject({ kind: z.literal('unique'), column, ...base }),
  z.strictObject({ kind: z.literal('regex'), column, pattern: z.string(), flags: z.string().regex(/^[imsu]*$/, 'use only the flags i, m, s, u').optional(), mostly, ...base }),
  z.strictObject({ kind: z.literal('string_length'), column, min: count, max: count, mostly, ...base }),
  z.strictObject({ kind: z.literal('row_count'), min: count, max: count, ...base }),
  z.strictObject({ kind: z.literal('freshness'), column, maxAgeMs: z.number().positive(), ...base }),
  z.strictObject({
    kind: z.literal('distribution'),
    column,
    reference: z.discriminatedUnion('type', [
      z.strictObject({ type: z.literal('numeric'), sample: z.array(z.number().refine(Number.isFinite, 'must be a finite number')).min(1) }),
      z.strictObject({
        type: z.literal('categorical'),
        counts: z.array(z.strictObject({ value: z.string(), count: z.number().int().min(0) })).min(1),
        otherCount: z.number().int().min(0),
      }),
    ]),
    test: z.string().optional(),
    threshold: z.number().gt(0).optional(),
    ...base,
  }),
]);

/**
 * Validates one expectation and returns it deep-frozen with defaults filled in. Beyond the per-field checks:
 * min ≤ max, a regex that compiles, and a distribution test that exists and accepts the reference type.
 * @throws LOOM_ERR_VALIDATION_SUITE_INVALID with `details.field` the dotted path of the first problem
 */
export function parseExpectation(json: unknown, path = ''): Expectation {
  const parsed = EXPECTATION_ZOD.safeParse(json);
  if (!parsed.success) {
    const { field, problem } = firstIssue(parsed.error, '');
    throw invalid(join(path, field), problem);
  }
  const e = parsed.data;
  if ('min' in e && 'max' in e && e.min !== undefined && e.max !== undefined && e.min > e.max) {
    throw invalid(join(path, 'min'), `min (${e.min}) is greater than max (${e.max})`);
  }
  if (e.kind === 'regex') {
    try {
      new RegExp(e.pattern, e.flags);
    } catch (err) {
      throw invalid(join(path, 'pattern'), `the pattern does not compile (${(err as Error).message})`);
    }
  }
  if (e.kind === 'distribution') {
    const test = e.test === undefined ? defaultDriftTest(e.reference.type) : findDriftTest(e.test);
    if (test === undefined) throw invalid(join(path, 'test'), `unknown drift test "${e.test}"; known tests: ${[...DRIFT_TESTS.keys()].join(', ')}`);
    if (!test.descriptor.allowedTypes.includes(e.reference.type)) {
      throw invalid(join(path, 'test'), `drift test "${e.test}" does not accept ${e.reference.type} references`);
    }
    if (test.descriptor.kind === 'p_value' && e.threshold !== undefined && e.threshold >= 1) {
      throw invalid(join(path, 'threshold'), 'a p-value threshold must be below 1');
    }
  }
  return deepFreeze(dropUndefined(e)) as Expectation;
}

function invalid(field: string, problem: string): LoomError {
  return new LoomError('VALIDATION_SUITE_INVALID', { field, problem }, { details: { field } });
}

function join(prefix: string, rest: string): string {
  if (prefix === '') return rest || 'expectation';
  return rest === '' ? prefix : `${prefix}.${rest}`;
}

/** zod keeps optional keys that were present as `undefined`; dropping them keeps stored JSON and hashes canonical. */
function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}
