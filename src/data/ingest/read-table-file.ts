import type { DuckDBConnection } from '@duckdb/node-api';
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LoomError } from '../../core/errors/index.js';
import type { Frame } from '../../core/frame/frame.js';
import type { Schema } from '../../core/schema/index.js';
import { openDuckDb } from '../duckdb/duckdb-session.js';
import { loadFrame } from '../duckdb/load-frame.js';
import { sqlIdent } from '../duckdb/sql-text.js';
import { checkTagMap, parseTagOption, type ColumnTagMap } from './column-tags.js';
import { detectFormat } from './file-format.js';
import { normalizeTable } from './normalize-table.js';
import { readSource } from './read-source.js';
import { inferTableSchema } from './table-schema.js';

/** Options of readTableFile; the same meaning as in ingestDataset. */
export interface ReadTableFileOptions {
  readonly format?: string;
  readonly tags?: ColumnTagMap | string;
  readonly timestamp?: string;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where DuckDB may spill (default: the OS temp directory). */
  readonly tempDirectory?: string;
}

/**
 * Reads a raw file into a Frame through exactly the normalization ingest applies (strict parsing, trimming, null
 * markers, timestamp parsing, the target's trailing dot, PII pseudonymization, category/string inference), without
 * storing anything. Validation runs suites on files through it, so a file and its ingested version look the same.
 *
 * @throws the same codes as ingestDataset's reading steps.
 */
export async function readTableFile(path: string, options: ReadTableFileOptions = {}): Promise<Frame> {
  const session = await openDuckDb({ tempDirectory: options.tempDirectory ?? join(tmpdir(), 'loom-duckdb') });
  try {
    const { table, schema } = await stageTableFile(session.connection, path, options);
    return await loadFrame(session.connection, sqlIdent(table), schema);
  } finally {
    session.close();
  }
}

/**
 * Reads and normalizes a raw file (as readTableFile does) into the DuckDB temp table `loom_norm` of `connection`, and
 * returns its name and schema, so a caller can read it in batches (`loadFrame` on a `rowid` range) instead of all at
 * once. The rows keep the file's order in `rowid` (0-based, dense).
 *
 * @throws the same codes as readTableFile.
 */
export async function stageTableFile(connection: DuckDBConnection, path: string, options: ReadTableFileOptions = {}): Promise<{ table: string; schema: Schema; rows: number }> {
  const cwd = options.cwd ?? process.cwd();
  const absolute = resolve(cwd, path);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) throw new LoomError('DATA_FILE_NOT_FOUND', { path, cwd }, { details: { field: 'path' } });
  const format = detectFormat(absolute, options.format);
  const tags = typeof options.tags === 'string' ? parseTagOption(options.tags) : checkTagMap(options.tags ?? {});
  const { rows } = await readSource(connection, 'loom_src', absolute, format);
  const normalized = await normalizeTable(connection, 'loom_src', 'loom_norm', { format, tags, timestamp: options.timestamp, env: options.env ?? process.env });
  return { table: 'loom_norm', schema: await inferTableSchema(connection, 'loom_norm', normalized.tags), rows };
}
