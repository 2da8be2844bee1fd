import type { DuckDBConnection } from '@duckdb/node-api';
import { LoomError } from '../../core/errors/index.js';
import { queryRow } from '../../data/duckdb/query-rows.js';
import { sqlIdent } from '../../data/duckdb/sql-text.js';

/** Text that ends in a zone designator: `Z` or an offset such as `+02:00`, `-0500`, `+01`. */
const ZONED_TEXT = String.raw`(Z|z|[+-]\d{2}(:?\d{2})?)$`;

/**
 * @internal The SQL expression that reads `column` of `relation` as a UTC TIMESTAMPTZ, after checking it: a
 * TIMESTAMP WITH TIME ZONE is used as is; ISO-8601 text must carry `Z` or an offset on every row (one scan);
 * a zone-less TIMESTAMP is accepted only when `naiveIsUtc` (Loom dataset versions store UTC that way). Anything
 * else is refused.
 *
 * @param owner names the data in errors, e.g. `the entity rows` or `view "orders"`.
 * @throws LOOM_ERR_FEATURES_TIMESTAMP_TYPE, LOOM_ERR_FEATURES_NAIVE_TIMESTAMP
 */
export async function utcTimestampExpr(
  connection: DuckDBConnection,
  relation: string,
  column: string,
  type: string,
  owner: string,
  naiveIsUtc: boolean,
  qualifier = '',
): Promise<string> {
  const id = `${qualifier}${sqlIdent(column)}`;
  if (type === 'TIMESTAMP WITH TIME ZONE') return id;
  if (/^TIMESTAMP(_S|_MS|_NS)?$/.test(type)) {
    if (naiveIsUtc) return `CAST(${id} AS TIMESTAMPTZ)`;
    const { example } = await queryRow(connection, `SELECT strftime(${sqlIdent(column)}, '%Y-%m-%d %H:%M:%S') AS example FROM ${relation} WHERE ${sqlIdent(column)} IS NOT NULL LIMIT 1`);
    throw new LoomError('FEATURES_NAIVE_TIMESTAMP', { column, source: owner, example: String(example ?? '') }, { details: { field: column, type } });
  }
  if (type === 'VARCHAR') {
    const c = sqlIdent(column);
    const { naive, bad } = await queryRow(
      connection,
      `SELECT first(${c}) FILTER (WHERE ${c} IS NOT NULL AND NOT regexp_matches(trim(${c}), '${ZONED_TEXT}')) AS naive,
              first(${c}) FILTER (WHERE ${c} IS NOT NULL AND TRY_CAST(trim(${c}) AS TIMESTAMPTZ) IS NULL) AS bad
       FROM ${relation}`,
    );
    if (naive !== null && naive !== undefined) {
      if (bad !== null && bad !== undefined && bad === naive) throw new LoomError('FEATURES_TIMESTAMP_TYPE', { column, source: owner, type: `text that is not a time (e.g. "${String(bad)}")` }, { details: { field: column, type } });
      throw new LoomError('FEATURES_NAIVE_TIMESTAMP', { column, source: owner, example: String(naive) }, { details: { field: column, type } });
    }
    if (bad !== null && bad !== undefined) throw new LoomError('FEATURES_TIMESTAMP_TYPE', { column, source: owner, type: `text that is not a time (e.g. "${String(bad)}")` }, { details: { field: column, type } });
    return `CAST(trim(${id}) AS TIMESTAMPTZ)`;
  }
  throw new LoomError('FEATURES_TIMESTAMP_TYPE', { column, source: owner, type }, { details: { field: column, type } });
}
