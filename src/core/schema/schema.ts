import { z } from 'zod';
import { LoomError } from '../errors/index.js';
import { COLUMN_TAGS, LOGICAL_TYPES, type ColumnTag, type LogicalType } from '../frame/column.js';
import type { Frame } from '../frame/frame.js';
import { firstIssue } from '../zod-issue.js';

/** One column of a schema. `categories` is set for category columns (the dictionary in code order), `dim` for embeddings. */
export interface ColumnSchema {
  readonly name: string;
  readonly type: LogicalType;
  readonly nullable: boolean;
  readonly tags: readonly ColumnTag[];
  readonly categories?: readonly string[];
  readonly dim?: number;
}

/** A serializable table schema: ordered columns with types, nullability and tags. Frozen into dataset versions and models. */
export interface Schema {
  readonly columns: readonly ColumnSchema[];
}

const columnSchemaZod = z.strictObject({
  name: z.string().min(1),
  type: z.enum(LOGICAL_TYPES as [LogicalType, ...LogicalType[]]),
  nullable: z.boolean(),
  tags: z.array(z.enum(COLUMN_TAGS as [ColumnTag, ...ColumnTag[]])),
  categories: z.array(z.string()).optional(),
  dim: z.number().int().positive().optional(),
});

const schemaZod = z.strictObject({ columns: z.array(columnSchemaZod) });

/** Validates and freezes a schema read from JSON. @throws LOOM_ERR_SCHEMA_INVALID naming the path */
export function parseSchema(json: unknown): Schema {
  const parsed = schemaZod.safeParse(json);
  if (!parsed.success) {
    const { field, problem } = firstIssue(parsed.error, 'schema');
    throw new LoomError('SCHEMA_INVALID', { field, problem }, { details: { field } });
  }
  const names = new Set<string>();
  for (const column of parsed.data.columns) {
    if (names.has(column.name)) {
      throw new LoomError('SCHEMA_INVALID', { field: column.name, problem: 'the column name appears twice' }, { details: { field: column.name } });
    }
    names.add(column.name);
    if (column.type === 'embedding' && column.dim === undefined) {
      throw new LoomError('SCHEMA_INVALID', { field: `${column.name}.dim`, problem: 'embedding columns need dim' }, { details: { field: column.name } });
    }
  }
  return deepFreeze(parsed.data);
}

/** The schema of a frame. Nullability is observed: a column is nullable when it has a null. */
export function schemaOf(frame: Frame): Schema {
  return deepFreeze({
    columns: frame.columns.map((c): ColumnSchema => ({
      name: c.name,
      type: c.type,
      nullable: c.validity !== null && hasNull(c.validity, c.length),
      tags: [...c.tags],
      ...(c.type === 'category' ? { categories: [...c.dictionary] } : {}),
      ...(c.type === 'embedding' ? { dim: c.dim } : {}),
    })),
  });
}

/** A difference between an expected and an actual schema. */
export interface SchemaDifference {
  readonly column: string;
  readonly problem: 'missing' | 'unexpected' | 'type' | 'nullability';
  readonly expected: string;
  readonly actual: string;
}

/**
 * Compares `actual` with `expected` by column name: missing and unexpected columns, type changes, and nulls in a
 * column that `expected` declares not nullable. Category dictionaries and tags may differ.
 */
export function compareSchemas(expected: Schema, actual: Schema): SchemaDifference[] {
  const diffs: SchemaDifference[] = [];
  const actualByName = new Map(actual.columns.map((c) => [c.name, c]));
  const expectedNames = new Set(expected.columns.map((c) => c.name));
  for (const want of expected.columns) {
    const got = actualByName.get(want.name);
    if (got === undefined) diffs.push({ column: want.name, problem: 'missing', expected: want.type, actual: 'absent' });
    else if (got.type !== want.type) diffs.push({ column: want.name, problem: 'type', expected: want.type, actual: got.type });
    else if (got.nullable && !want.nullable) diffs.push({ column: want.name, problem: 'nullability', expected: 'no nulls', actual: 'nulls' });
  }
  for (const got of actual.columns) {
    if (!expectedNames.has(got.name)) diffs.push({ column: got.name, problem: 'unexpected', expected: 'absent', actual: got.type });
  }
  return diffs;
}

/** Throws LOOM_ERR_SCHEMA_MISMATCH for the first difference, if any. */
export function assertSchemaMatches(expected: Schema, actual: Schema, hint = ''): void {
  const [first] = compareSchemas(expected, actual);
  if (first) {
    throw new LoomError('SCHEMA_MISMATCH', { column: first.column, expected: first.expected, actual: first.actual, hint }, { details: { field: first.column, problem: first.problem } });
  }
}

function hasNull(validity: Uint8Array, length: number): boolean {
  for (let i = 0; i < length; i++) if ((validity[i >> 3] & (1 << (i & 7))) === 0) return true;
  return false;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}
