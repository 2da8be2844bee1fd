import { existsSync, mkdirSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { LoomError } from '../core/errors/index.js';
import type { Frame } from '../core/frame/frame.js';
import { isValid } from '../core/frame/validity.js';
import type { Progress } from '../cli/progress.js';
import { openDuckDb } from '../data/duckdb/duckdb-session.js';
import { sqlIdent, sqlString } from '../data/duckdb/sql-text.js';
import { readTableFile } from '../data/ingest/read-table-file.js';
import { loadDatasetFrame } from '../data/versions/load-dataset-frame.js';
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
 * saved model, in batches, and writes one row per input row, in input order: the row number, the input's columns
 * tagged `id`, and one column per model output.
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
  const frame = await readInput(ws, request.input);
  const k = model.outputs;
  const scores = new Float64Array(frame.length * k);
  let explained: { names: string[]; values: Float64Array } | null = null;
  if (request.explain) {
    const probe = model.explain(frame.slice(0, Math.min(1, frame.length)));
    if (probe === null) {
      throw new LoomError('TRAINING_INVALID_OPTION', { field: 'explain', problem: `the ${model.artifact.manifest.flavor} flavor cannot explain its predictions; use a gbdt model` }, { details: { field: 'explain' } });
    }
    explained = { names: probe.names.map((n) => `shap_${n}`), values: new Float64Array(frame.length * probe.names.length) };
  }
  progress?.start(Math.max(1, Math.ceil(frame.length / PREDICT_BATCH_ROWS)), 'predict');
  try {
    for (let start = 0, batch = 0; start < frame.length; start += PREDICT_BATCH_ROWS, batch++) {
      const end = Math.min(frame.length, start + PREDICT_BATCH_ROWS);
      const rows = frame.slice(start, end);
      scores.set(model.predict(rows), start * k);
      if (explained !== null) explained.values.set(model.explain(rows)!.values, start * explained.names.length);
      progress?.update(batch + 1);
    }
  } finally {
    progress?.stop();
  }
  const ids = frame.columns.filter((c) => c.tags.includes('id') && (c.type === 'int' || c.type === 'string' || c.type === 'category'));
  const outputNames = [...model.outputNames, ...(explained?.names ?? [])];
  const names = ['row', ...ids.map((c) => c.name), ...outputNames];
  await writeScores(ws, output, format, frame, ids.map((c) => c.name), model.outputNames, scores, explained);
  return { output, rows: frame.length, columns: names, modelId: model.artifact.id };
}

async function readInput(ws: Workspace, input: string): Promise<Frame> {
  if (existsSync(resolve(input))) return readTableFile(input);
  return (await loadDatasetFrame(ws, input)).frame;
}

async function writeScores(
  ws: Workspace,
  output: string,
  format: string,
  frame: Frame,
  idNames: readonly string[],
  outputNames: readonly string[],
  scores: Float64Array,
  explained: { readonly names: readonly string[]; readonly values: Float64Array } | null,
): Promise<void> {
  mkdirSync(dirname(output), { recursive: true });
  const session = await openDuckDb({ tempDirectory: join(ws.config.home ?? tmpdir(), 'tmp', 'duckdb') });
  try {
    const { connection } = session;
    const extra = explained?.names ?? [];
    const columns = [`"row" BIGINT`, ...idNames.map((n) => `${sqlIdent(n)} VARCHAR`), ...[...outputNames, ...extra].map((n) => `${sqlIdent(n)} DOUBLE`)];
    await connection.run(`CREATE TEMP TABLE loom_scores (${columns.join(', ')})`);
    const appender = await connection.createAppender('loom_scores');
    const ids = idNames.map((n) => frame.column(n));
    const k = outputNames.length;
    for (let i = 0; i < frame.length; i++) {
      appender.appendBigInt(BigInt(i));
      for (const column of ids) {
        if (!isValid(column.validity, i)) appender.appendNull();
        else if (column.type === 'category') appender.appendVarchar(column.dictionary[column.codes[i]]);
        else if (column.type === 'string') appender.appendVarchar(column.values[i]);
        else appender.appendVarchar(String(column.values[i]));
      }
      for (let c = 0; c < k; c++) appender.appendDouble(scores[i * k + c]);
      for (let c = 0; c < extra.length; c++) appender.appendDouble(explained!.values[i * extra.length + c]);
      appender.endRow();
    }
    appender.flushSync();
    appender.closeSync();
    const options = format === '.parquet' ? 'FORMAT parquet, COMPRESSION zstd' : 'FORMAT csv, HEADER true';
    await connection.run(`COPY (SELECT * FROM loom_scores ORDER BY "row") TO ${sqlString(output)} (${options})`);
  } finally {
    session.close();
  }
}
