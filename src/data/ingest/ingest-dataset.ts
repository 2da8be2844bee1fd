import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LoomError } from '../../core/errors/index.js';
import type { ColumnTag } from '../../core/frame/column.js';
import type { Workspace } from '../../storage/workspace.js';
import type { Progress } from '../../cli/progress.js';
import { openDuckDb } from '../duckdb/duckdb-session.js';
import { commitVersion, type CommitRequest } from '../versions/commit-version.js';
import type { DatasetVersion } from '../versions/dataset-version.js';
import { checkTagMap, parseTagOption, type ColumnTagMap } from './column-tags.js';
import { detectFormat } from './file-format.js';
import { appendToPrevious, previousForAppend } from './append-rows.js';
import { normalizeTable } from './normalize-table.js';
import { readSource } from './read-source.js';

/** Dataset names: letters, digits, `-`, `_`, `.`; 1–128 characters, starting with a letter or digit. */
export const DATASET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Options of ingestDataset. */
export interface IngestOptions {
  /** The file to read, resolved from `cwd` (default process.cwd()). */
  readonly path: string;
  readonly name: string;
  /** csv | parquet | jsonl | json; detected from the extension when omitted. */
  readonly format?: string;
  /** Column to parse as a timestamp and tag `timestamp`. */
  readonly timestamp?: string;
  /** Column tags, as a map or as `--tag` text (`col=pii,col2=target`). */
  readonly tags?: ColumnTagMap | string;
  /** Make a new version holding the latest version's rows followed by this file's rows. */
  readonly append?: boolean;
  readonly description?: string;
  readonly cwd?: string;
  /** Environment for LOOM_PII_KEY (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @internal Replaces the profiler (tests use it to fail mid-ingest). */
  readonly profile?: CommitRequest['profile'];
}

/** What ingestDataset returns. `version` is the version id; `created` is false when identical content existed. */
export interface IngestResult {
  readonly dataset: string;
  readonly version: string;
  readonly rows: number;
  readonly columns: number;
  readonly created: boolean;
  readonly details: DatasetVersion;
}

/**
 * Ingests a CSV (also `.csv.gz`), Parquet, JSON Lines or JSON file as a new immutable version of dataset `name`.
 * Everything runs in DuckDB: a strict read (a ragged CSV row is an error naming its line), normalization (see
 * normalizeTable: trimming, `?`/empty as NULL, timestamp parsing, the target's trailing dot, PII pseudonymization),
 * schema inference, a deterministic Parquet blob, a profile, then one metadata transaction. The version id is the
 * hash of schema and blob, so re-ingesting identical content returns the same version with `created: false`.
 *
 * @throws LOOM_ERR_DATA_INVALID_NAME, LOOM_ERR_DATA_INVALID_TAG, LOOM_ERR_DATA_FILE_NOT_FOUND,
 *   LOOM_ERR_DATA_UNKNOWN_FORMAT, LOOM_ERR_DATA_PARSE_FAILED, LOOM_ERR_DATA_EMPTY, LOOM_ERR_DATA_TIMESTAMP_INVALID,
 *   LOOM_ERR_DATA_PII_KEY_MISSING, LOOM_ERR_FRAME_COLUMN_NOT_FOUND, LOOM_ERR_SCHEMA_MISMATCH (append)
 * @example
 * const { version, rows } = await ingestDataset(ws, { path: 'adult.csv.gz', name: 'adult', tags: 'income=target' });
 */
export async function ingestDataset(ws: Workspace, options: IngestOptions, progress?: Progress): Promise<IngestResult> {
  if (!DATASET_NAME.test(options.name)) throw new LoomError('DATA_INVALID_NAME', { name: options.name }, { details: { field: 'name' } });
  const givenTags = typeof options.tags === 'string' ? parseTagOption(options.tags) : checkTagMap(options.tags ?? {});
  const cwd = options.cwd ?? process.cwd();
  const path = resolve(cwd, options.path);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new LoomError('DATA_FILE_NOT_FOUND', { path: options.path, cwd }, { details: { field: 'path' } });
  }
  const format = detectFormat(path, options.format);
  progress?.start(6, `ingest ${options.name}`);
  const session = await openDuckDb({ tempDirectory: join(ws.config.home, 'tmp', 'duckdb') });
  try {
    const previous = options.append ? await previousForAppend(ws, options.name) : null;
    const tags = mergeTags(previous?.tags ?? {}, givenTags);
    const timestamp = options.timestamp ?? previous?.timestampColumn;
    const { options: readOptions } = await readSource(session.connection, 'loom_src', path, format);
    progress?.update(1);
    const normalized = await normalizeTable(session.connection, 'loom_src', 'loom_norm', { format, tags, timestamp, env: options.env ?? process.env });
    const table = previous ? await appendToPrevious(ws, session, previous, 'loom_norm', 'loom_all') : 'loom_norm';
    progress?.update(2);
    const { sha256, bytes } = await hashFile(path);
    const { version, created } = await commitVersion(ws, session, {
      dataset: options.name,
      table,
      tags: normalized.tags,
      parentId: previous?.version.id ?? null,
      description: options.description,
      profile: options.profile,
      source: {
        kind: 'file',
        path,
        format,
        bytes,
        sourceSha256: sha256,
        options: { ...readOptions, ...(timestamp ? { timestamp } : {}), tags: normalized.tags },
        transforms: normalized.transforms,
        ...(previous ? { appendedTo: previous.version.id } : {}),
      },
      onStep: (done) => progress?.update(2 + done),
    });
    return { dataset: options.name, version: version.id, rows: version.rows, columns: version.schema.columns.length, created, details: version };
  } finally {
    session.close();
    progress?.stop();
  }
}

function mergeTags(a: ColumnTagMap, b: ColumnTagMap): Record<string, ColumnTag[]> {
  const out = new Map<string, ColumnTag[]>();
  for (const source of [a, b]) for (const [column, tags] of Object.entries(source)) out.set(column, [...new Set([...(out.get(column) ?? []), ...tags])]);
  return Object.fromEntries(out);
}

async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
