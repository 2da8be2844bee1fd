import type { z } from 'zod';
import { LoomError } from '../../core/errors/index.js';
import { firstIssue } from '../../core/zod-issue.js';

/** @internal Parses `input` with `schema`, or throws LOOM_ERR_FEATURES_INVALID_DEFINITION naming the object and field. */
export function parseDefinition<S extends z.ZodType>(schema: S, input: unknown, object: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const { field, problem } = firstIssue(parsed.error, 'definition');
  throw invalidDefinition(object, field, problem);
}

/** @internal The coded error for a definition field. */
export function invalidDefinition(object: string, field: string, problem: string): LoomError {
  return new LoomError('FEATURES_INVALID_DEFINITION', { object, field, problem }, { details: { field, object } });
}

/** @internal Names: letters, digits and `_`, starting with a letter, so they are safe as columns and in refs. */
export const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;
/** @internal What a bad name is told. */
export const NAME_RULE = 'use 1–128 letters, digits or "_", starting with a letter';
