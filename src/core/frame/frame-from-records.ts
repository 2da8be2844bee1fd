import { LoomError } from '../errors/index.js';
import { inferLogicalType } from '../schema/infer-schema.js';
import type { ColumnSchema, Schema } from '../schema/schema.js';
import type { Column } from './column.js';
import {
  boolColumn,
  categoryColumn,
  embeddingColumn,
  floatColumn,
  intColumn,
  stringColumn,
  timestampColumn,
} from './column-builders.js';
import { Frame } from './frame.js';

/**
 * Builds a frame from row objects. With a schema, columns follow it exactly: a missing key is null, a key the schema
 * lacks is ignored, a value of the wrong type is LOOM_ERR_FRAME_TYPE_MISMATCH naming the column and row, and a
 * category outside `categories` is an error too. Without a schema, types are inferred per column
 * (see inferLogicalType) over the union of keys in first-seen order.
 */
export function frameFromRecords(records: readonly Record<string, unknown>[], schema?: Schema): Frame {
  const specs: ColumnSchema[] = schema ? [...schema.columns] : inferSpecs(records);
  const columns: Column[] = specs.map((spec) => buildColumn(spec, records.map((r) => r[spec.name])));
  return new Frame(columns, records.length);
}

function inferSpecs(records: readonly Record<string, unknown>[]): ColumnSchema[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    for (const key of Object.keys(record)) {
      if (!seen.has(key)) {
        seen.add(key);
        names.push(key);
      }
    }
  }
  return names.map((name) => {
    const values = records.map((r) => r[name]);
    const type = inferLogicalType(values);
    const first = values.find((v) => v !== null && v !== undefined) as ArrayLike<number> | undefined;
    return { name, type, nullable: true, tags: [], ...(type === 'embedding' && first ? { dim: first.length } : {}) };
  });
}

function buildColumn(spec: ColumnSchema, values: unknown[]): Column {
  const check = (ok: (v: unknown) => boolean, expected: string) => {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v !== null && v !== undefined && !ok(v)) {
        throw new LoomError('FRAME_TYPE_MISMATCH', { column: spec.name, actual: `${typeof v} ${JSON.stringify(v)}`.slice(0, 60), expected }, { details: { field: spec.name, row: i } });
      }
    }
  };
  switch (spec.type) {
    case 'float':
      check((v) => typeof v === 'number', 'a number');
      return floatColumn(spec.name, values as number[], spec.tags);
    case 'int':
      check((v) => typeof v === 'number' && Number.isInteger(v), 'an integer');
      return intColumn(spec.name, values as number[], spec.tags);
    case 'bool':
      check((v) => typeof v === 'boolean', 'a boolean');
      return boolColumn(spec.name, values as boolean[], spec.tags);
    case 'category':
      check((v) => typeof v === 'string', 'a string');
      return categoryColumn(spec.name, values as string[], spec.tags, spec.categories);
    case 'string':
      check((v) => typeof v === 'string', 'a string');
      return stringColumn(spec.name, values as string[], spec.tags);
    case 'timestamp':
      check((v) => typeof v === 'number' || typeof v === 'string' || v instanceof Date, 'a timestamp');
      return timestampColumn(spec.name, values as (number | string | Date)[], spec.tags);
    case 'embedding':
      check((v) => Array.isArray(v) || ArrayBuffer.isView(v), 'an array of numbers');
      return embeddingColumn(spec.name, spec.dim ?? 0, values as number[][], spec.tags);
  }
}
