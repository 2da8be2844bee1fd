import { z } from 'zod';
import { LoomError } from '../../core/errors/index.js';
import { hashJson } from '../../core/hashing.js';
import { Expectation, type ExpectationInput, type JsonValue } from '../expectations/expectation.js';
import { firstIssue } from '../../core/zod-issue.js';

/** Where a generated suite came from. */
export interface SuiteOrigin {
  readonly dataset: string;
  readonly version: string;
}

/** Suite metadata: its origin when generated from a profile, plus any JSON notes a user adds. */
export interface SuiteMeta {
  readonly generatedFrom?: SuiteOrigin;
  readonly [key: string]: JsonValue | SuiteOrigin | undefined;
}

/** A named, ordered list of expectations. Editable as JSON; frozen once parsed. */
export interface Suite {
  readonly name: string;
  readonly expectations: readonly Expectation[];
  readonly meta: SuiteMeta;
}

/** A suite as written by a user: expectations may leave out defaults, and meta may be absent. */
export interface SuiteInput {
  readonly name: string;
  readonly expectations: readonly ExpectationInput[];
  readonly meta?: SuiteMeta;
}

/** Suite names: 1–128 letters, digits, `-`, `_` or `.`, starting with a letter or digit. */
export const SUITE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const SUITE_ZOD = z.strictObject({
  name: z.string().regex(SUITE_NAME_PATTERN, 'use 1–128 letters, digits, "-", "_" or ".", starting with a letter or digit'),
  expectations: z.array(z.unknown()),
  meta: z
    .looseObject({ generatedFrom: z.strictObject({ dataset: z.string().min(1), version: z.string().min(1) }).optional() })
    .optional(),
});

/**
 * Companion of Suite.
 *
 * @example
 * const suite = Suite.create({ name: 'adult', expectations: [{ kind: 'row_count', min: 1 }] });
 * Suite.hash(suite); // SHA-256 of its canonical JSON
 */
export const Suite = Object.freeze({
  /** Validates a suite from untrusted JSON. @throws LOOM_ERR_VALIDATION_SUITE_INVALID naming the path, e.g. `expectations.3.mostly` */
  parse(json: unknown): Suite {
    const parsed = SUITE_ZOD.safeParse(json);
    if (!parsed.success) {
      const { field, problem } = firstIssue(parsed.error, 'suite');
      throw new LoomError('VALIDATION_SUITE_INVALID', { field, problem }, { details: { field } });
    }
    const expectations = parsed.data.expectations.map((e, i) => Expectation.parse(e, `expectations.${i}`));
    const meta = JSON.parse(JSON.stringify(parsed.data.meta ?? {})) as SuiteMeta;
    return Object.freeze({ name: parsed.data.name, expectations: Object.freeze(expectations), meta: deepFreeze(meta) });
  },
  /** Validates and freezes a suite built in code; same checks as `parse`. */
  create(input: SuiteInput): Suite {
    return Suite.parse(input);
  },
  /** True when `value` is a valid suite. */
  is(value: unknown): value is Suite {
    try {
      Suite.parse(value);
      return true;
    } catch {
      return false;
    }
  },
  /** SHA-256 hex of the suite's canonical JSON: equal suites have equal hashes whatever their key order. */
  hash(suite: Suite): string {
    return hashJson(suite);
  },
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}
