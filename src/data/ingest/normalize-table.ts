import type { DuckDBConnection } from '@duckdb/node-api';
import { LoomError } from '../../core/errors/index.js';
import type { ColumnTag } from '../../core/frame/column.js';
import { describeRelation, queryRow } from '../duckdb/query-rows.js';
import { sqlIdent } from '../duckdb/sql-text.js';
import { tagsOf, type ColumnTagMap } from './column-tags.js';
import type { FileFormat } from './file-format.js';
import { hmacSql, piiKey } from './pii-hmac.js';

/** A change ingest made to the data, recorded in the version's source JSON so the stored rows can be explained. */
export interface IngestTransform {
  readonly column: string;
  readonly kind: 'trim-whitespace' | 'null-markers' | 'strip-trailing-dot' | 'parse-timestamp' | 'pseudonymize' | 'cast-to-string' | 'cast-to-int' | 'cast-to-float';
  readonly detail?: string;
}

/** What normalization needs besides the raw table. */
export interface NormalizeOptions {
  readonly format: FileFormat;
  readonly tags: ColumnTagMap;
  /** Column to parse as a timestamp and tag `timestamp`. */
  readonly timestamp?: string;
  /** Environment holding LOOM_PII_KEY. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The normalized table's column tags and the transforms applied. */
export interface NormalizeResult {
  readonly tags: Readonly<Record<string, readonly ColumnTag[]>>;
  readonly transforms: readonly IngestTransform[];
}

const NUMERIC_LIST = /^(DOUBLE|FLOAT|REAL|DECIMAL\(\d+,\d+\)|TINYINT|SMALLINT|INTEGER|BIGINT)\[(\d*)\]$/;
const KEEP = new Set(['BOOLEAN', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'DOUBLE', 'VARCHAR', 'TIMESTAMP']);

/**
 * Rewrites the raw table `source` into `target` with Loom's column conventions, entirely in DuckDB SQL:
 * - CSV text is trimmed and `?`/empty become NULL (also after trimming);
 * - the `timestamp` column is parsed (text, dates, epoch seconds or, when values exceed 1e11, epoch ms) and tagged;
 *   every other date/time column becomes a UTC TIMESTAMP;
 * - FLOAT/DECIMAL/HUGEINT/UBIGINT become DOUBLE, UINTEGER becomes BIGINT, numeric lists become DOUBLE[];
 * - a `target` text column whose every value ends in "." loses that dot (Adult test labels: `<=50K.`);
 * - `pii` columns are replaced by HMAC-SHA256 hex of their text, keyed by LOOM_PII_KEY;
 * - types with no Loom equivalent (STRUCT, MAP, UUID, TIME, INTERVAL, BLOB, ragged lists) become text.
 * `source` is dropped afterwards to free memory.
 *
 * @throws LOOM_ERR_FRAME_COLUMN_NOT_FOUND for a tag or timestamp naming a missing column,
 *   LOOM_ERR_DATA_TIMESTAMP_INVALID, LOOM_ERR_DATA_PII_KEY_MISSING
 */
export async function normalizeTable(connection: DuckDBConnection, source: string, target: string, options: NormalizeOptions): Promise<NormalizeResult> {
  const { select, tags, transforms } = await normalizedSelect(connection, source, options);
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(target)} AS ${select}`);
  if (source !== target) await connection.run(`DROP TABLE IF EXISTS ${sqlIdent(source)}`);
  return { tags, transforms };
}

/**
 * The SELECT over `source` that normalizeTable materializes, without running it: its probes (one aggregate pass)
 * see every row, and the statement can be applied to any row range of the same relation (batch prediction reads
 * its input per chunk this way, src/serving/batch/streamed-file.ts).
 *
 * @throws as normalizeTable
 */
export async function normalizedSelect(connection: DuckDBConnection, source: string, options: NormalizeOptions): Promise<NormalizeResult & { readonly select: string }> {
  const columns = await describeRelation(connection, sqlIdent(source));
  const names = columns.map((c) => c.name);
  const tags: Record<string, ColumnTag[]> = Object.fromEntries(names.map((n) => [n, [...tagsOf(options.tags, n)]]));
  for (const column of [...Object.keys(options.tags), ...(options.timestamp ? [options.timestamp] : [])]) {
    if (!names.includes(column)) {
      throw new LoomError('FRAME_COLUMN_NOT_FOUND', { column, available: names.join(', ') }, { details: { field: column } });
    }
  }
  if (options.timestamp && !tags[options.timestamp].includes('timestamp')) tags[options.timestamp].push('timestamp');
  const transforms: IngestTransform[] = [];
  const probes = await probeColumns(connection, source, columns, options);
  const exprs: string[] = [];
  for (const { name, type } of columns) {
    const id = sqlIdent(name);
    let expr = id;
    let outType = type;
    if (type === 'VARCHAR' && options.format === 'csv') {
      expr = `NULLIF(NULLIF(trim(${id}), ''), '?')`;
      if (probes[probeKey(columns, name, 'trim')]) transforms.push({ column: name, kind: 'trim-whitespace' });
      // Padding (" 2.5 ") makes DuckDB's sniffer read a numeric column as text; once trimmed it is a number again.
      const numeric = probes[probeKey(columns, name, 'int')] ? 'BIGINT' : probes[probeKey(columns, name, 'num')] ? 'DOUBLE' : null;
      if (numeric !== null && !tagsOf(options.tags, name).includes('pii') && name !== options.timestamp) {
        expr = `CAST(${expr} AS ${numeric})`;
        outType = numeric;
        transforms.push({ column: name, kind: numeric === 'BIGINT' ? 'cast-to-int' : 'cast-to-float' });
      }
    }
    if (name === options.timestamp) {
      expr = await timestampExpr(connection, source, name, expr, type, probes[probeKey(columns, name, 'ms')]);
      outType = 'TIMESTAMP';
      transforms.push({ column: name, kind: 'parse-timestamp', detail: type });
    } else if (/^(DATE|TIMESTAMP.*)$/.test(type)) {
      expr = `CAST(${expr} AS TIMESTAMP)`;
      outType = 'TIMESTAMP';
    } else if (/^(FLOAT|REAL|DECIMAL.*|HUGEINT|UBIGINT|UHUGEINT)$/.test(type)) {
      expr = `CAST(${expr} AS DOUBLE)`;
      outType = 'DOUBLE';
    } else if (/^(UINTEGER|USMALLINT|UTINYINT)$/.test(type)) {
      expr = `CAST(${expr} AS BIGINT)`;
      outType = 'BIGINT';
    } else if (NUMERIC_LIST.test(type)) {
      const fixed = NUMERIC_LIST.exec(type)![2];
      if (fixed !== '' || probes[probeKey(columns, name, 'even')]) {
        expr = `CAST(${expr} AS DOUBLE[])`;
        outType = 'DOUBLE[]';
      } else {
        expr = `CAST(${expr} AS VARCHAR)`;
        outType = 'VARCHAR';
        transforms.push({ column: name, kind: 'cast-to-string', detail: `${type} with rows of different lengths` });
      }
    } else if (!KEEP.has(type)) {
      expr = `CAST(${expr} AS VARCHAR)`;
      outType = 'VARCHAR';
      transforms.push({ column: name, kind: 'cast-to-string', detail: type });
    }
    if (tags[name].includes('target') && outType === 'VARCHAR' && probes[probeKey(columns, name, 'dot')]) {
      expr = `left(${expr}, length(${expr}) - 1)`;
      transforms.push({ column: name, kind: 'strip-trailing-dot' });
    }
    if (tags[name].includes('pii')) {
      expr = hmacSql(piiKey(options.env, name), `CAST(${expr} AS VARCHAR)`);
      transforms.push({ column: name, kind: 'pseudonymize', detail: 'hmac-sha256' });
    }
    exprs.push(`${expr} AS ${id}`);
  }
  if (options.format === 'csv') {
    const nulled = columns.filter((c) => c.type === 'VARCHAR' && probes[probeKey(columns, c.name, 'null')]).map((c) => c.name);
    for (const column of nulled) transforms.push({ column, kind: 'null-markers', detail: "'?' and '' after trimming" });
  }
  return { select: `SELECT ${exprs.join(', ')} FROM ${sqlIdent(source)}`, tags, transforms: sortTransforms(transforms, names) };
}

/** One aggregate pass answering every yes/no question normalization has about the raw columns. */
async function probeColumns(
  connection: DuckDBConnection,
  source: string,
  columns: readonly { name: string; type: string }[],
  options: NormalizeOptions,
): Promise<Record<string, unknown>> {
  const parts: string[] = [];
  for (const { name, type } of columns) {
    const id = sqlIdent(name);
    const tagged = tagsOf(options.tags, name);
    if (type === 'VARCHAR' && options.format === 'csv') {
      parts.push(`coalesce(bool_or(${id} <> trim(${id})), false) AS ${(probeKey(columns, name, 'trim'))}`);
      parts.push(`coalesce(bool_or(trim(${id}) IN ('', '?')), false) AS ${(probeKey(columns, name, 'null'))}`);
      const v = `NULLIF(NULLIF(trim(${id}), ''), '?')`;
      parts.push(`coalesce(bool_and(regexp_full_match(${v}, '[+-]?[0-9]+') AND TRY_CAST(${v} AS BIGINT) IS NOT NULL) FILTER (WHERE ${v} IS NOT NULL), false) AS ${probeKey(columns, name, 'int')}`);
      parts.push(`coalesce(bool_and(TRY_CAST(${v} AS DOUBLE) IS NOT NULL) FILTER (WHERE ${v} IS NOT NULL), false) AS ${probeKey(columns, name, 'num')}`);
    }
    if (tagged.includes('target') && type === 'VARCHAR') {
      const v = options.format === 'csv' ? `NULLIF(NULLIF(trim(${id}), ''), '?')` : id;
      parts.push(`coalesce(bool_and(ends_with(${v}, '.') AND length(${v}) > 1), false) AS ${(probeKey(columns, name, 'dot'))}`);
    }
    if (NUMERIC_LIST.test(type)) parts.push(`coalesce(min(len(${id})) = max(len(${id})), true) AS ${(probeKey(columns, name, 'even'))}`);
    if (name === options.timestamp && /^(TINYINT|SMALLINT|INTEGER|BIGINT|DOUBLE|FLOAT|UINTEGER|UBIGINT|HUGEINT|DECIMAL.*)$/.test(type)) {
      parts.push(`coalesce(max(abs(${id})) > 1e11, false) AS ${(probeKey(columns, name, 'ms'))}`);
    }
  }
  return parts.length === 0 ? {} : queryRow(connection, `SELECT ${parts.join(', ')} FROM ${sqlIdent(source)}`);
}

async function timestampExpr(
  connection: DuckDBConnection,
  source: string,
  name: string,
  expr: string,
  type: string,
  /** Probe answer for numeric columns: true when values look like epoch ms rather than seconds. */
  looksLikeMs: unknown,
): Promise<string> {
  if (/^(DATE|TIMESTAMP.*)$/.test(type)) return `CAST(${expr} AS TIMESTAMP)`;
  if (type === 'VARCHAR') {
    const parsed = `TRY_CAST(${expr} AS TIMESTAMP)`;
    const bad = await queryRow(connection, `SELECT ${expr} AS v FROM ${sqlIdent(source)} WHERE ${expr} IS NOT NULL AND ${parsed} IS NULL LIMIT 1`);
    if ('v' in bad) throw new LoomError('DATA_TIMESTAMP_INVALID', { column: name, value: String(bad.v).slice(0, 80) }, { details: { field: name } });
    return parsed;
  }
  if (looksLikeMs !== undefined) {
    return looksLikeMs ? `epoch_ms(CAST(${expr} AS BIGINT))` : `CAST(to_timestamp(CAST(${expr} AS DOUBLE)) AS TIMESTAMP)`;
  }
  throw new LoomError('DATA_TIMESTAMP_INVALID', { column: name, value: `a ${type} column` }, { details: { field: name } });
}

/** Column alias of a probe answer; by position, since column names may hold any character. */
function probeKey(columns: readonly { name: string }[], name: string, kind: string): string {
  return `p${columns.findIndex((c) => c.name === name)}_${kind}`;
}

function sortTransforms(transforms: IngestTransform[], names: readonly string[]): IngestTransform[] {
  const order = new Map(names.map((n, i) => [n, i]));
  return transforms.sort((a, b) => order.get(a.column)! - order.get(b.column)! || a.kind.localeCompare(b.kind));
}
