import type { DuckDBConnection } from '@duckdb/node-api';
import { LoomError } from '../../core/errors/index.js';
import { sqlIdent } from '../../data/duckdb/sql-text.js';
import { DUCKDB_TYPE, typeFits, type FeatureType } from '../definitions/feature-types.js';
import { computeOnDemand, type FeatureValue, type OnDemandView } from '../definitions/on-demand-view.js';
import type { StagedEntityRows } from './entity-rows.js';

/** @internal Name of the temp table holding on-demand view i's outputs by `__loom_row`. */
export function onDemandTable(i: number): string {
  return `loom_od_${i}`;
}

/**
 * @internal Computes an on-demand view for every row of `resultTable` with computeOnDemand (the function online serving
 * calls), streaming the rows chunk by chunk (DuckDB's vector size, 2048 rows) and appending the outputs to
 * `loom_od_<i>` (`__loom_row` plus one column per feature). `inputColumns` maps each input ref to its column in
 * `resultTable`. JS memory holds one chunk at a time.
 *
 * @throws LOOM_ERR_FEATURES_REQUEST_COLUMN_MISSING, LOOM_ERR_FEATURES_SOURCE_TYPE_MISMATCH, LOOM_ERR_FEATURES_ON_DEMAND_FAILED
 */
export async function computeOnDemandTable(
  connection: DuckDBConnection,
  view: OnDemandView,
  i: number,
  resultTable: string,
  entity: StagedEntityRows,
  inputColumns: ReadonlyMap<string, { column: string; type: FeatureType }>,
): Promise<void> {
  const readers: { name: string; expr: string; type: FeatureType }[] = [];
  for (const r of view.request) {
    const column = entity.columns.find((c) => c.name === r.name);
    if (column === undefined) {
      throw new LoomError('FEATURES_REQUEST_COLUMN_MISSING', { view: view.name, column: r.name, available: entity.columns.map((c) => c.name).join(', ') }, { details: { field: r.name } });
    }
    if (!typeFits(r.type, column.type, false)) {
      throw new LoomError('FEATURES_SOURCE_TYPE_MISMATCH', { owner: 'the entity rows', column: r.name, declared: r.type, actual: column.type }, { details: { field: r.name } });
    }
    readers.push({ name: r.name, expr: readable(sqlIdent(r.name), r.type), type: r.type });
  }
  for (const ref of view.inputs) {
    const input = inputColumns.get(ref)!;
    readers.push({ name: ref.split(':')[1], expr: readable(sqlIdent(input.column), input.type), type: input.type });
  }
  const table = onDemandTable(i);
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${table} (__loom_row BIGINT, ${view.features.map((f) => `${sqlIdent(f.name)} ${f.type === 'timestamp' ? 'VARCHAR' : DUCKDB_TYPE[f.type]}`).join(', ')})`);
  const appender = await connection.createAppender(table);
  const names = ['__loom_row', ...readers.map((_, j) => `c${j}`)];
  const result = await connection.stream(`SELECT __loom_row, ${readers.map((r, j) => `${r.expr} AS c${j}`).join(', ')} FROM ${resultTable}`);
  try {
    for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const columns = chunk.getColumnsObject(names);
      for (let r = 0; r < chunk.rowCount; r++) {
        const rowId = columns.__loom_row[r] as bigint;
        const input: Record<string, FeatureValue> = {};
        readers.forEach((reader, j) => {
          input[reader.name] = jsValue(columns[`c${j}`][r], reader.type);
        });
        const out = computeOnDemand(view, input, Number(rowId));
        appender.appendBigInt(rowId);
        for (const f of view.features) append(appender, out[f.name], f.type);
        appender.endRow();
      }
    }
  } finally {
    appender.closeSync();
  }
}

/** Reads numbers and timestamps as doubles (epoch ms for timestamps) so every value arrives as a JS number, never a bigint. */
function readable(column: string, type: FeatureType): string {
  if (type === 'int' || type === 'float') return `CAST(${column} AS DOUBLE)`;
  if (type === 'timestamp') return `CAST(epoch_ms(${column}) AS DOUBLE)`;
  return column;
}

function jsValue(value: unknown, type: FeatureType): FeatureValue {
  if (value === null || value === undefined) return null;
  if (type === 'timestamp') return new Date(value as number);
  return value as FeatureValue;
}

function append(appender: Awaited<ReturnType<DuckDBConnection['createAppender']>>, value: FeatureValue, type: FeatureType): void {
  if (value === null) return appender.appendNull();
  switch (type) {
    case 'float':
      return appender.appendDouble(value as number);
    case 'int':
      return appender.appendBigInt(BigInt(value as number));
    case 'bool':
      return appender.appendBoolean(value as boolean);
    case 'string':
      return appender.appendVarchar(value as string);
    case 'timestamp':
      return appender.appendVarchar((value as Date).toISOString());
  }
}
