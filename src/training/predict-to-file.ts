import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { LoomError } from '../core/errors/index.js';
import type { Frame } from '../core/frame/frame.js';
import { isValid } from '../core/frame/validity.js';
import type { Progress } from '../cli/progress.js';
import { openDuckDb } from '../data/duckdb/duckdb-session.js';
import { sqlIdent, sqlString } from '../data/duckdb/sql-text.js';
import { loadFrame } from '../data/duckdb/load-frame.js';
import { stageTableFile } from '../data/ingest/read-table-file.js';
import { resolveVersion } from '../data/versions/resolve-version.js';
import type { Schema } from '../core/schema/index.js';
import type { Workspace } from '../storage/workspace.js';
import { loadModel } from './load-model.js';

/** Rows scored per batch; the progress bar advances per batch. */
export const PREDICT_BATCH_ROWS = 65_536;

/** What predictToFile reads and writes. `input` is a file path, or a dataset reference when no such file exists. */
export interface PredictToFileRequest {
  readonly modelDir: string;
  readonly input: string;
  /** `.parquet` or `.csv`. */
  readonly output: string;
  /** Also write each feature's contribution to the raw score (`shap_<output>:<feature>` columns); gbdt models only. */
  readonly explain?: boolean;
  /** Rows read into memory and scored at a time (default PREDICT_BATCH_ROWS). */
  readonly batchRows?: number;
}

/** What predictToFile wrote. */
export interface PredictToFileResult {
  readonly output: string;
  readonly rows: number;
  readonly columns: readonly string[];
  readonly modelId: string;
}

/**
 * Scores every row of a file (CSV, Parquet, JSONL, read and normalized as ingest does) or a dataset version with a
 * saved model, and writes one row per input row, in input order: the row number, the input's columns tagged `id`,
 * one column per model output and, with `explain`, the contribution columns. The input is staged in DuckDB (which
 * spills to disk) and read into memory PREDICT_BATCH_ROWS rows at a time, so inputs larger than memory work.
 *
 * @throws the errors of loadModel, readTableFile and resolveVersion; LOOM_ERR_TRAINING_INPUT_MISMATCH;
 *   LOOM_ERR_TRAINING_INVALID_OPTION for an output that is not .csv or .parquet.
 * @example
 * await predictToFile(ws, { modelDir: 'models/churn', input: 'customers.csv', output: 'scores.parquet' });
 */
export async function predictToFile(ws: Workspace, request: PredictToFileRequest, progress?: Progress): Promise<PredictToFileResult> {
  const output = resolve(request.output);
  const format = extname(output).toLowerCase();
  if (format !== '.csv' && format !== '.parquet') {
    throw new LoomError('TRAINING_INVALID_OPTION', { field: 'output', problem: `"${request.output}" must end in .csv or .parquet` }, { details: { field: 'output' } });
  }
  const model = await loadModel(request.modelDir);
  const session = await openDuckDb({ tempDirectory: join(ws.config.home, 'tmp', 'duckdb') });
  try {
    const { connection } = session;
    const source = await openInput(ws, connection, request.input);
    const ids = source.schema.columns.filter((c) => c.tags.includes('id') && (c.type === 'int' || c.type === 'string' || c.type === 'category')).map((c) => c.name);
    let explainNames: string[] = [];
    if (request.explain) {
      const probe = model.explain(await loadFrame(connection, source.batch(0, Math.min(1, source.rows)), source.schema));
      if (probe === null) {
        throw new LoomError('TRAINING_INVALID_OPTION', { field: 'explain', problem: `the ${model.artifact.manifest.flavor} flavor cannot explain its predictions; use a gbdt model` }, { details: { field: 'explain' } });
      }
      explainNames = probe.names.map((n) => `shap_${n}`);
    }
    const scoreNames = [...model.outputNames, ...explainNames];
    const columns = [`"row" BIGINT`, ...ids.map((n) => `${sqlIdent(n)} VARCHAR`), ...scoreNames.map((n) => `${sqlIdent(n)} DOUBLE`)];
    await connection.run(`CREATE TEMP TABLE loom_scores (${columns.join(', ')})`);
    const appender = await connection.createAppender('loom_scores');
    const batchRows = request.batchRows ?? PREDICT_BATCH_ROWS;
    if (!Number.isInteger(batchRows) || batchRows < 1) throw new LoomError('TRAINING_INVALID_OPTION', { field: 'batchRows', problem: 'use an integer ≥ 1' }, { details: { field: 'batchRows' } });
    progress?.start(Math.max(1, Math.ceil(source.rows / batchRows)), 'predict');
    try {
      for (let start = 0, batch = 1; start < source.rows; start += batchRows, batch++) {
        const frame = await loadFrame(connection, source.batch(start, Math.min(source.rows, start + batchRows)), source.schema);
        const scores = model.predict(frame);
        const contributions = request.explain ? model.explain(frame)!.values : null;
        appendBatch(appender, start, frame, ids, scores, model.outputs, contributions, explainNames.length);
        progress?.update(batch);
      }
    } finally {
      progress?.stop();
    }
    appender.flushSync();
    appender.closeSync();
    mkdirSync(dirname(output), { recursive: true });
    const options = format === '.parquet' ? 'FORMAT parquet, COMPRESSION zstd' : 'FORMAT csv, HEADER true';
    await connection.run(`COPY (SELECT * FROM loom_scores ORDER BY "row") TO ${sqlString(output)} (${options})`);
    return { output, rows: source.rows, columns: ['row', ...ids, ...scoreNames], modelId: model.artifact.id };
  } finally {
    session.close();
  }
}

/** An input staged in DuckDB: its schema, row count, and the SQL of rows [start, end) in input order. */
interface StagedInput {
  readonly schema: Schema;
  readonly rows: number;
  batch(start: number, end: number): string;
}

/** A file (normalized as ingest does, into a DuckDB temp table) or, when no such file exists, a dataset version. */
async function openInput(ws: Workspace, connection: DuckDBConnection, input: string): Promise<StagedInput> {
  if (existsSync(resolve(input))) {
    const { table, schema, rows } = await stageTableFile(connection, input, { tempDirectory: join(ws.config.home, 'tmp', 'duckdb') });
    return { schema, rows, batch: (start, end) => `(SELECT * FROM ${sqlIdent(table)} WHERE rowid >= ${start} AND rowid < ${end} ORDER BY rowid)` };
  }
  const version = await resolveVersion(ws, input);
  const path = sqlString(await (await ws.artifacts()).localPath(version.blobHash));
  return {
    schema: version.schema,
    rows: version.rows,
    batch: (start, end) =>
      `(SELECT * EXCLUDE (file_row_number) FROM read_parquet(${path}, file_row_number = true) WHERE file_row_number >= ${start} AND file_row_number < ${end} ORDER BY file_row_number)`,
  };
}

function appendBatch(
  appender: DuckDBAppender,
  start: number,
  frame: Frame,
  idNames: readonly string[],
  scores: Float64Array,
  k: number,
  contributions: Float64Array | null,
  width: number,
): void {
  const ids = idNames.map((n) => frame.column(n));
  for (let i = 0; i < frame.length; i++) {
    appender.appendBigInt(BigInt(start + i));
    for (const column of ids) {
      if (!isValid(column.validity, i)) appender.appendNull();
      else if (column.type === 'category') appender.appendVarchar(column.dictionary[column.codes[i]]);
      else if (column.type === 'string') appender.appendVarchar(column.values[i]);
      else appender.appendVarchar(String(column.values[i]));
    }
    for (let c = 0; c < k; c++) appender.appendDouble(scores[i * k + c]);
    for (let c = 0; c < width; c++) appender.appendDouble(contributions![i * width + c]);
    appender.endRow();
  }
}
