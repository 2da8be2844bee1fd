import { z } from 'zod';
import { parseDefinition } from './definition-error.js';

/** Rows from a Loom dataset: `name` (its newest version at retrieval time) or `name@version` (pinned). */
export interface DatasetSource {
  readonly kind: 'dataset';
  readonly dataset: string;
}

/** Rows from a Parquet, CSV or JSON Lines file. A relative path is resolved from the config file's folder. */
export interface FileSource {
  readonly kind: 'file';
  readonly path: string;
  readonly format?: 'parquet' | 'csv' | 'jsonl';
}

/** Rows from a DuckDB SQL query (it may read files with read_parquet/read_csv). */
export interface SqlSource {
  readonly kind: 'sql';
  readonly query: string;
}

/**
 * Rows from an event-log stream: each event's JSON object is a row, plus `_offset` (its position) and `_logged_at`
 * (when the log stored it, UTC), which makes a natural created timestamp for late events.
 */
export interface StreamSource {
  readonly kind: 'stream';
  readonly stream: string;
}

/** Where a feature view's rows come from. */
export type FeatureSource = DatasetSource | FileSource | SqlSource | StreamSource;

/** @internal */
export const featureSourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('dataset'), dataset: z.string().min(1) }),
  z.strictObject({ kind: z.literal('file'), path: z.string().min(1), format: z.enum(['parquet', 'csv', 'jsonl']).optional() }),
  z.strictObject({ kind: z.literal('sql'), query: z.string().min(1) }),
  z.strictObject({ kind: z.literal('stream'), stream: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, 'stream names are 1–128 of [A-Za-z0-9_.-]') }),
]);

/**
 * A dataset version as a source. @example datasetSource('transactions') or datasetSource('transactions@3f2a9c')
 */
export function datasetSource(dataset: string): DatasetSource {
  return Object.freeze(parseDefinition(featureSourceSchema, { kind: 'dataset', dataset }, 'dataset source') as DatasetSource);
}

/** A file as a source; the format comes from the extension unless given. @example fileSource('data/orders.parquet') */
export function fileSource(path: string, format?: FileSource['format']): FileSource {
  return Object.freeze(parseDefinition(featureSourceSchema, { kind: 'file', path, ...(format ? { format } : {}) }, 'file source') as FileSource);
}

/** A DuckDB query as a source. @example sqlSource("SELECT * FROM read_parquet('orders/*.parquet')") */
export function sqlSource(query: string): SqlSource {
  return Object.freeze(parseDefinition(featureSourceSchema, { kind: 'sql', query }, 'sql source') as SqlSource);
}

/** An event-log stream as a source. @example streamSource('orders') */
export function streamSource(stream: string): StreamSource {
  return Object.freeze(parseDefinition(featureSourceSchema, { kind: 'stream', stream }, 'stream source') as StreamSource);
}
