import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnSchema, Schema } from '../../core/schema/index.js';
import { queryRow } from '../duckdb/query-rows.js';
import { sqlIdent } from '../duckdb/sql-text.js';
import {
  PROFILE_EXACT_QUANTILE_ROWS,
  PROFILE_HISTOGRAM_BINS,
  PROFILE_QUANTILES,
  PROFILE_SAMPLE_SIZE,
  PROFILE_TOP_K,
  type CategoricalStats,
  type ColumnProfile,
  type NumericStats,
  type Profile,
} from './profile.js';

/** Seed of the reservoir sample, fixed so that the same data always gives the same profile. */
export const PROFILE_SAMPLE_SEED = 42;

/**
 * Profiles a relation entirely in DuckDB, in five statements whatever the column count: (0) the row count; (1) counts,
 * distincts, moments, quantiles (`quantile_cont`, up to PROFILE_EXACT_QUANTILE_ROWS rows; above that from the sample), zero/NaN/∞ counts and string lengths; (2) equal-width histograms between the
 * observed min and max; (3) seeded reservoir samples of numeric and timestamp columns, single-threaded so the
 * sample does not depend on scheduling; (4) top-K value counts of category, string and bool columns.
 * Numeric stats cover finite values only; timestamps are profiled as epoch ms (UTC).
 *
 * @param relationSql a table name (quoted) or table function, e.g. `read_parquet('…')`.
 * @param schema the relation's schema; its column order and tags are copied into the profile.
 */
export async function profileTable(connection: DuckDBConnection, relationSql: string, schema: Schema): Promise<Profile> {
  const columns = schema.columns;
  const numericIdx = columns.map((c, i) => (isNumeric(c) ? i : -1)).filter((i) => i >= 0);
  const categoricalIdx = columns.map((c, i) => (isCategorical(c) ? i : -1)).filter((i) => i >= 0);

  const { n } = await queryRow(connection, `SELECT count(*) AS n FROM ${relationSql}`);
  const exactQuantiles = Number(n) <= PROFILE_EXACT_QUANTILE_ROWS;
  // Non-finite values become NULL in a projection first: aggregates then need no FILTER clauses, which made this
  // statement several times slower on wide tables.
  const projection: string[] = [];
  const first: string[] = ['count(*) AS "rows"'];
  columns.forEach((c, i) => {
    const id = sqlIdent(c.name);
    projection.push(`${id} AS r${i}`);
    first.push(`count(r${i}) AS n${i}`, `count(DISTINCT r${i}) AS d${i}`);
    if (isNumeric(c)) {
      projection.push(`${finiteExpr(c)} AS v${i}`);
      const v = `v${i}`;
      first.push(
        `count(${v}) AS f${i}`,
        `min(${v}) AS min${i}`,
        `max(${v}) AS max${i}`,
        `avg(${v}) AS mean${i}`,
        `stddev_samp(${v}) AS std${i}`,
        exactQuantiles ? `quantile_cont(${v}, [${PROFILE_QUANTILES.join(', ')}]) AS q${i}` : `NULL AS q${i}`,
        `count_if(${v} = 0) AS z${i}`,
        c.type === 'float' ? `count_if(isnan(r${i})) AS nan${i}` : `0 AS nan${i}`,
        c.type === 'float' ? `count_if(isinf(r${i})) AS inf${i}` : `0 AS inf${i}`,
      );
    }
    if (c.type === 'category' || c.type === 'string') first.push(`min(${utf16Length(`r${i}`)}) AS minl${i}`, `max(${utf16Length(`r${i}`)}) AS maxl${i}`);
  });
  const a = await queryRow(connection, `SELECT ${first.join(', ')} FROM (SELECT ${projection.join(', ')} FROM ${relationSql})`);
  const rows = Number(a.rows);

  const withValues = numericIdx.filter((i) => Number(a[`f${i}`]) > 0);
  const hist = withValues.length === 0 ? {} : await queryRow(connection, `SELECT ${withValues.map((i) => histogramSql(columns[i], i, Number(a[`min${i}`]), Number(a[`max${i}`]))).join(', ')} FROM ${relationSql}`);

  const tail: string[] = [];
  for (const i of withValues) {
    const v = finiteExpr(columns[i]);
    tail.push(`(SELECT list(x ORDER BY x) FROM (SELECT ${v} AS x FROM ${relationSql} WHERE ${v} IS NOT NULL) USING SAMPLE reservoir(${PROFILE_SAMPLE_SIZE} ROWS) REPEATABLE (${PROFILE_SAMPLE_SEED})) AS s${i}`);
  }
  for (const i of categoricalIdx) {
    const id = sqlIdent(columns[i].name);
    tail.push(
      `(SELECT list({'value': v, 'count': n} ORDER BY n DESC, v) FROM (SELECT CAST(${id} AS VARCHAR) AS v, count(*) AS n FROM ${relationSql} WHERE ${id} IS NOT NULL GROUP BY 1 ORDER BY n DESC, v LIMIT ${PROFILE_TOP_K})) AS t${i}`,
    );
  }
  const b = tail.length === 0 ? {} : await singleThreaded(connection, () => queryRow(connection, `SELECT ${tail.join(', ')}`));

  const profiles: ColumnProfile[] = columns.map((c, i) => {
    const count = Number(a[`n${i}`]);
    const base = { name: c.name, type: c.type, tags: [...c.tags], count, nulls: rows - count, distinct: Number(a[`d${i}`]) };
    if (withValues.includes(i)) return { ...base, numeric: numericStats(a, hist, b, i) };
    if (categoricalIdx.includes(i)) return { ...base, categorical: categoricalStats(a, b, i, count, c) };
    return base;
  });
  return { rows, columns: profiles };
}

function isNumeric(c: ColumnSchema): boolean {
  return c.type === 'float' || c.type === 'int' || c.type === 'timestamp';
}

function isCategorical(c: ColumnSchema): boolean {
  return c.type === 'category' || c.type === 'string' || c.type === 'bool';
}

/** The column as DOUBLE with NaN and ±∞ turned into NULL (only float columns can hold them). */
function finiteExpr(c: ColumnSchema): string {
  const v = numericExpr(c);
  return c.type === 'float' ? `CASE WHEN isfinite(${v}) THEN ${v} END` : v;
}

function numericExpr(c: ColumnSchema): string {
  const id = sqlIdent(c.name);
  return c.type === 'timestamp' ? `CAST(epoch_ms(${id}) AS DOUBLE)` : `CAST(${id} AS DOUBLE)`;
}

/** JS string length (UTF-16 code units): code points plus one per astral character. */
function utf16Length(id: string): string {
  return `(length(${id}) + CASE WHEN strlen(${id}) = length(${id}) THEN 0 ELSE len(regexp_extract_all(${id}, '[\\x{10000}-\\x{10FFFF}]')) END)`;
}

function histogramSql(c: ColumnSchema, i: number, min: number, max: number): string {
  const v = finiteExpr(c);
  const width = (max - min) / PROFILE_HISTOGRAM_BINS;
  // NULL (missing or non-finite) bins are skipped by histogram(); the CASE is needed because LEAST ignores NULLs.
  const bin = `CASE WHEN ${v} IS NOT NULL THEN ${width > 0 ? `LEAST(CAST(floor((${v} - ${min}) / ${width}) AS INTEGER), ${PROFILE_HISTOGRAM_BINS - 1})` : '0'} END`;
  return `histogram(${bin}) AS h${i}`;
}

function numericStats(a: Record<string, unknown>, hist: Record<string, unknown>, b: Record<string, unknown>, i: number): NumericStats {
  const min = Number(a[`min${i}`]);
  const max = Number(a[`max${i}`]);
  const width = (max - min) / PROFILE_HISTOGRAM_BINS;
  const edges = Array.from({ length: PROFILE_HISTOGRAM_BINS + 1 }, (_, k) => (k === PROFILE_HISTOGRAM_BINS ? max : min + k * width));
  const counts = new Array<number>(PROFILE_HISTOGRAM_BINS).fill(0);
  const sample = ((b[`s${i}`] as number[] | null) ?? []).map(Number);
  for (const { key, value } of (hist[`h${i}`] as { key: number; value: number }[] | null) ?? []) counts[Number(key)] = Number(value);
  return {
    min,
    max,
    mean: Number(a[`mean${i}`]),
    std: a[`std${i}`] === null ? 0 : Number(a[`std${i}`]),
    quantiles: a[`q${i}`] === null ? sampleQuantiles(sample, min, max) : (a[`q${i}`] as number[]).map(Number),
    quantileSource: a[`q${i}`] === null ? 'sample' : 'all',
    histogram: { edges, counts },
    sample,
    zeros: Number(a[`z${i}`]),
    nans: Number(a[`nan${i}`]),
    infinities: Number(a[`inf${i}`]),
  };
}

/** Type-7 quantiles of a sorted sample, with the exact min and max at the ends. */
function sampleQuantiles(sorted: readonly number[], min: number, max: number): number[] {
  return PROFILE_QUANTILES.map((p) => {
    if (p === 0) return min;
    if (p === 1) return max;
    const h = (sorted.length - 1) * p;
    const lo = Math.floor(h);
    return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
  });
}

function categoricalStats(a: Record<string, unknown>, b: Record<string, unknown>, i: number, count: number, c: ColumnSchema): CategoricalStats {
  const top = ((b[`t${i}`] as { value: string; count: number }[] | null) ?? []).map((t) => ({ value: String(t.value), count: Number(t.count) }));
  const inTop = top.reduce((s, t) => s + t.count, 0);
  const lengths = c.type === 'bool' || count === 0 ? {} : { minLength: Number(a[`minl${i}`]), maxLength: Number(a[`maxl${i}`]) };
  return { top, otherCount: count - inTop, ...lengths };
}

async function singleThreaded<T>(connection: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  const { t } = await queryRow(connection, "SELECT current_setting('threads') AS t");
  await connection.run('SET threads = 1');
  try {
    return await work();
  } finally {
    await connection.run(`SET threads = ${Number(t)}`);
  }
}
