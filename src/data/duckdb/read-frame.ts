import duckdb from '@duckdb/node-bindings';
import type { DuckDBConnection, DuckDBMaterializedResult } from '@duckdb/node-api';
import { LoomError } from '../../core/errors/index.js';
import type { Column } from '../../core/frame/column.js';
import { Frame } from '../../core/frame/frame.js';
import { copyValidity, type VectorSink } from './vector-sink.js';
import {
  BoolSink,
  DateSink,
  DecimalSink,
  EnumSink,
  FixedListSink,
  FloatSink,
  Int64Sink,
  IntSink,
  ListSink,
  StringSink,
  TimestampSink,
} from './vector-sinks.js';

const T = duckdb.Type;

/**
 * Runs `sql` and returns the result as a Frame, copying each DuckDB vector straight into typed arrays (no JS value
 * per cell for numbers, booleans, timestamps and enums). Type mapping:
 *
 * | DuckDB | Loom |
 * |---|---|
 * | DOUBLE, FLOAT, DECIMAL | float (Float64Array) |
 * | TINYINT, SMALLINT, INTEGER, UTINYINT, USMALLINT | int (Int32Array) |
 * | BIGINT, UINTEGER, UBIGINT, HUGEINT | int: Int32Array when every value fits, else Float64Array (exact to 2^53) |
 * | BOOLEAN | bool |
 * | ENUM | category (codes are the enum indices, dictionary the enum members) |
 * | VARCHAR | string |
 * | TIMESTAMP[_S/_MS/_NS/TZ], DATE | timestamp (epoch ms, UTC; sub-millisecond digits truncated toward −∞) |
 * | LIST or ARRAY of numbers, all of one length | embedding (Float32Array) |
 *
 * To get a category column from text, cast it to an ENUM in the SQL (`loadFrameSql` does this from a schema).
 * Columns come back untagged; the caller owns every returned buffer.
 *
 * @throws LOOM_ERR_DATA_UNSUPPORTED_TYPE for any other type (TIME, INTERVAL, UUID, BLOB, STRUCT, MAP…), and
 *   LOOM_ERR_FRAME_TYPE_MISMATCH for a list column whose rows differ in length.
 */
export async function readFrame(connection: DuckDBConnection, sql: string): Promise<Frame> {
  const result = await connection.run(sql);
  return frameFromResult(result);
}

/** Converts an already materialized result; see readFrame. */
export function frameFromResult(result: DuckDBMaterializedResult): Frame {
  const rows = result.rowCount;
  const columnCount = result.columnCount;
  const sinks: VectorSink[] = [];
  for (let c = 0; c < columnCount; c++) sinks.push(sinkFor(result.columnName(c), result.columnLogicalType(c).logical_type, rows));
  const chunkCount = result.chunkCount;
  let offset = 0;
  for (let k = 0; k < chunkCount; k++) {
    const chunk = result.getChunk(k).chunk;
    const size = duckdb.data_chunk_get_size(chunk);
    if (size === 0) continue;
    for (let c = 0; c < columnCount; c++) {
      const vector = duckdb.data_chunk_get_vector(chunk, c);
      const sink = sinks[c];
      const validityWords = duckdb.vector_get_validity(vector, Math.ceil(size / 64) * 8);
      // No mask means every row of this chunk is valid, which a fresh bitmap already says.
      if (validityWords) sink.validity = copyValidity(validityWords, size, offset, rows, sink.validity);
      sink.read(vector, size, offset);
    }
    offset += size;
  }
  const columns: Column[] = sinks.map((s) => s.finish());
  return new Frame(columns, rows);
}

function sinkFor(name: string, type: duckdb.LogicalType, rows: number): VectorSink {
  const id = duckdb.get_type_id(type);
  switch (id) {
    case T.DOUBLE:
      return new FloatSink(name, rows, 8);
    case T.FLOAT:
      return new FloatSink(name, rows, 4);
    case T.DECIMAL:
      return new DecimalSink(name, rows, duckdb.decimal_internal_type(type), duckdb.decimal_scale(type));
    case T.TINYINT:
    case T.SMALLINT:
    case T.INTEGER:
    case T.UTINYINT:
    case T.USMALLINT:
      return new IntSink(name, rows, id);
    case T.BIGINT:
    case T.UBIGINT:
    case T.UINTEGER:
    case T.HUGEINT:
      return new Int64Sink(name, rows, id);
    case T.BOOLEAN:
      return new BoolSink(name, rows);
    case T.VARCHAR:
      return new StringSink(name, rows);
    case T.ENUM: {
      const size = duckdb.enum_dictionary_size(type);
      const dictionary: string[] = [];
      for (let i = 0; i < size; i++) dictionary.push(duckdb.enum_dictionary_value(type, i));
      return new EnumSink(name, rows, duckdb.enum_internal_type(type), dictionary);
    }
    case T.TIMESTAMP:
    case T.TIMESTAMP_TZ:
      return new TimestampSink(name, rows, 1e-3);
    case T.TIMESTAMP_MS:
      return new TimestampSink(name, rows, 1);
    case T.TIMESTAMP_S:
      return new TimestampSink(name, rows, 1e3);
    case T.TIMESTAMP_NS:
      return new TimestampSink(name, rows, 1e-6);
    case T.DATE:
      return new DateSink(name, rows);
    case T.LIST: {
      const child = duckdb.list_type_child_type(type);
      return new ListSink(name, rows, numericChild(name, child, 'LIST'));
    }
    case T.ARRAY: {
      const child = duckdb.array_type_child_type(type);
      return new FixedListSink(name, rows, numericChild(name, child, 'ARRAY'), duckdb.array_type_array_size(type));
    }
    default:
      throw new LoomError('DATA_UNSUPPORTED_TYPE', { column: name, type: T[id] ?? String(id) }, { details: { field: name } });
  }
}

function numericChild(name: string, child: duckdb.LogicalType, outer: string): 4 | 8 {
  const id = duckdb.get_type_id(child);
  if (id === T.DOUBLE) return 8;
  if (id === T.FLOAT) return 4;
  throw new LoomError('DATA_UNSUPPORTED_TYPE', { column: name, type: `${outer} of ${T[id]} (cast it to DOUBLE[])` }, { details: { field: name } });
}
