import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Progress } from '../../cli/progress.js';
import { LoomError } from '../../core/errors/index.js';
import { loadFrame } from '../../data/duckdb/load-frame.js';
import { openDuckDb } from '../../data/duckdb/duckdb-session.js';
import { sqlIdent, sqlString } from '../../data/duckdb/sql-text.js';
import { ModelRegistry } from '../../registry/index.js';
import type { Workspace } from '../../storage/workspace.js';
import { loadModel, type LoadedModel } from '../../training/index.js';
import { buildInputFrame } from '../input-columns.js';
import { checkResumable, readManifest, writeManifest, type BatchChunk, type BatchManifest, BATCH_MANIFEST_FORMAT } from './batch-manifest.js';
import { openBatchInput, ROW_COLUMN, type BatchInput } from './batch-input.js';
import { checkChunk } from './chunk-columns.js';
import { DEFAULT_CHUNK_ROWS } from '../serving-defaults.js';

export { DEFAULT_CHUNK_ROWS };

/**
 * DuckDB's memory limit in a batch prediction. No query of a batch run holds the input: the input is streamed
 * (CSV → raw Parquet copy, aggregates for normalization and schema, one chunk's rows at a time, part files
 * concatenated by a streaming COPY), so this bounds DuckDB's buffers whatever the input size; anything larger spills
 * to the workspace's `tmp/duckdb`.
 */
export const BATCH_DUCKDB_MEMORY = '256MB';

/** DuckDB worker threads in a batch prediction: the machine's 2 cores, shared with the JS thread that predicts. */
export const BATCH_DUCKDB_THREADS = 2;

/** What batchPredict scores and where it writes. */
export interface BatchPredictRequest {
  /** A registry reference (`churn@champion`, `churn@3`, `churn`) or a model directory. */
  readonly model: string;
  /** A CSV/Parquet/JSONL file, or a dataset `name[@version]` when no such file exists. */
  readonly input: string;
  /** `.parquet` or `.csv`. Part files and the resume manifest go in `<output>.parts/` until the run completes. */
  readonly output: string;
  /** Rows read, checked and predicted at a time (default DEFAULT_CHUNK_ROWS). */
  readonly chunkRows?: number;
  /** Input columns copied to the output before the predictions (default: all of them). */
  readonly keep?: readonly string[];
  /** Write rows that fail the signature check to `<output stem>.rejects.<ext>` and predict the rest (default: fail). */
  readonly skipInvalid?: boolean;
  /** Continue an interrupted run from its last completed chunk (default: start over). */
  readonly resume?: boolean;
}

/** What batchPredict wrote. */
export interface BatchPredictResult {
  readonly output: string;
  readonly model: { readonly name: string; readonly version: string; readonly hash: string };
  readonly inputRows: number;
  readonly written: number;
  readonly rejected: number;
  /** The rejects file, or null when no row was rejected. */
  readonly rejects: string | null;
  readonly chunks: number;
  /** Chunks taken over from an interrupted run. */
  readonly resumedChunks: number;
  /** Output columns: `row`, the kept input columns, one per model output. */
  readonly columns: readonly string[];
}

/**
 * Scores a file or dataset with a registered model (or a model directory), chunk by chunk, with memory flat in the
 * input size: the input is read per chunk from a Parquet file (the input, its one-pass raw copy, or the dataset's
 * blob; see openBatchInput), only one chunk of `chunkRows` rows is in JS at a time, and DuckDB runs under
 * BATCH_DUCKDB_MEMORY with BATCH_DUCKDB_THREADS threads. Each chunk is checked against the model's input signature
 * like a serving request (a bad row is LOOM_ERR_PREDICT_INVALID_ROW naming the input row and field, or with
 * `skipInvalid` goes to the rejects file), predicted, and written to a part file; a manifest records each completed
 * chunk with the model hash and the input fingerprint, so after a crash `resume` continues from the last completed
 * chunk. The output has one row per predicted input row, in input order: `row` (0-based input row), the kept
 * columns, then the model outputs; it is written by one streaming COPY of the part files.
 *
 * @throws LOOM_ERR_PREDICT_INVALID_OPTION, LOOM_ERR_PREDICT_INVALID_ROW, LOOM_ERR_PREDICT_RESUME_MISMATCH,
 *   LOOM_ERR_PREDICT_MANIFEST_CORRUPT, and the registry, model-loading and input-reading codes
 * @example
 * const result = await batchPredict(ws, { model: 'churn@champion', input: 'customers.parquet', output: 'scores.parquet', resume: true });
 */
export async function batchPredict(ws: Workspace, request: BatchPredictRequest, progress?: Progress): Promise<BatchPredictResult> {
  const output = resolve(request.output);
  const format = extname(output).toLowerCase();
  if (format !== '.csv' && format !== '.parquet') throw invalidOption('output', `"${request.output}" must end in .csv or .parquet`);
  const chunkRows = request.chunkRows ?? DEFAULT_CHUNK_ROWS;
  if (!Number.isSafeInteger(chunkRows) || chunkRows < 1 || chunkRows > 10_000_000) throw invalidOption('chunk-rows', `${chunkRows} is not a whole number from 1 to 10000000`);
  const { model, identity } = await openModel(ws, request.model);
  const sideDir = `${output}.parts`;
  const rejectsPath = join(dirname(output), `${basename(output, extname(output))}.rejects${format}`);
  const tempDirectory = join(ws.config.home, 'tmp', 'duckdb');
  const session = await openDuckDb({ tempDirectory, memoryLimit: BATCH_DUCKDB_MEMORY, threads: BATCH_DUCKDB_THREADS });
  removeOrphanedStaging(tempDirectory);
  const staging = join(tempDirectory, `batch-input-${process.pid}-${randomUUID()}.parquet`);
  try {
    const { connection } = session;
    const input = await openBatchInput(ws, connection, request.input, staging);
    const keep = keptColumns(input, request.keep, model);
    const plan: Omit<BatchManifest, 'chunks'> = {
      format: BATCH_MANIFEST_FORMAT,
      model: identity,
      input: { source: input.source, fingerprint: input.fingerprint, rows: input.rows },
      chunkRows,
      keep,
      skipInvalid: request.skipInvalid ?? false,
    };
    const previous = request.resume ? readManifest(sideDir) : null;
    if (previous !== null) checkResumable(output, previous, plan);
    else {
      rmSync(sideDir, { recursive: true, force: true });
      mkdirSync(sideDir, { recursive: true });
    }
    const chunks: BatchChunk[] = [...(previous?.chunks ?? [])];
    const resumedChunks = chunks.length;
    // An empty input still gets one (empty) chunk, so the output file exists with its columns.
    const total = Math.max(1, Math.ceil(input.rows / chunkRows));
    const outputs = model.outputNames.map((n) => sqlIdent(n));
    await connection.run(`CREATE TEMP TABLE loom_chunk_scores ("row" BIGINT, ${outputs.map((n) => `${n} DOUBLE`).join(', ')})`);
    await connection.run(`CREATE TEMP TABLE loom_chunk_rejects ("row" BIGINT, "error" VARCHAR)`);
    progress?.start(total, 'predict');
    progress?.update(resumedChunks);
    try {
      for (let index = chunks.length; index < total; index++) {
        chunks.push(await predictChunk(connection, input, model, plan, sideDir, index));
        writeManifest(sideDir, { ...plan, chunks });
        progress?.update(index + 1);
      }
    } finally {
      progress?.stop();
    }
    const written = chunks.reduce((s, c) => s + c.written, 0);
    const rejected = chunks.reduce((s, c) => s + c.rejected, 0);
    mkdirSync(dirname(output), { recursive: true });
    const copyOptions = format === '.parquet' ? 'FORMAT parquet, COMPRESSION zstd' : 'FORMAT csv, HEADER true';
    const parts = (files: string[]) => `read_parquet([${files.map((f) => sqlString(join(sideDir, f))).join(', ')}])`;
    // Part files hold ascending rows and are listed in chunk order; the session preserves insertion order, so the
    // concatenation is already in input order without a sort (which would hold the whole output in DuckDB's memory).
    await connection.run(`COPY (SELECT * FROM ${parts(chunks.map((c) => c.part))}) TO ${sqlString(`${output}.tmp`)} (${copyOptions})`);
    renameSync(`${output}.tmp`, output);
    const rejectFiles = chunks.flatMap((c) => (c.rejects === null ? [] : [c.rejects]));
    rmSync(rejectsPath, { force: true });
    if (rejectFiles.length > 0) await connection.run(`COPY (SELECT * FROM ${parts(rejectFiles)}) TO ${sqlString(rejectsPath)} (${copyOptions})`);
    rmSync(sideDir, { recursive: true, force: true });
    return {
      output,
      model: { name: identity.name, version: identity.version, hash: identity.hash },
      inputRows: input.rows,
      written,
      rejected,
      rejects: rejectFiles.length > 0 ? rejectsPath : null,
      chunks: total,
      resumedChunks,
      columns: ['row', ...keep, ...model.outputNames],
    };
  } finally {
    session.close();
    rmSync(staging, { force: true });
  }
}

/** Reads, checks, predicts and writes chunk `index`; the part files are complete (renamed into place) on return. */
async function predictChunk(connection: DuckDBConnection, input: BatchInput, model: LoadedModel, plan: Omit<BatchManifest, 'chunks'>, sideDir: string, index: number): Promise<BatchChunk> {
  const start = index * plan.chunkRows;
  const end = Math.min(input.rows, start + plan.chunkRows);
  const relation = input.relation(start, end);
  const manifest = model.artifact.manifest;
  const signature = manifest.inputSignature;
  const present = new Set(input.schema.columns.map((c) => c.name));
  const frame = await loadFrame(connection, `${relation} ORDER BY ${ROW_COLUMN}`, input.schema, signature.columns.map((c) => c.name).filter((n) => present.has(n)));
  const rows = end - start;
  const checked = checkChunk(frame, signature, manifest.flavor);
  const bad = new Map<number, string[]>();
  for (const e of checked.errors) {
    const list = bad.get(e.index) ?? [];
    list.push(`field "${e.field}" ${e.problem}`);
    bad.set(e.index, list);
  }
  if (bad.size > 0 && !plan.skipInvalid) {
    const first = checked.errors[0];
    throw new LoomError('PREDICT_INVALID_ROW', { row: start + first.index, field: first.field, problem: first.problem }, { details: { field: first.field, row: start + first.index } });
  }
  const keepRows = bad.size === 0 ? null : Array.from({ length: rows }, (_, i) => i).filter((i) => !bad.has(i));
  const n = keepRows === null ? rows : keepRows.length;
  const scores = n === 0 ? new Float64Array(0) : model.predict(buildInputFrame(signature, checked.columns, rows, keepRows));

  await connection.run('DELETE FROM loom_chunk_scores');
  await connection.run('DELETE FROM loom_chunk_rejects');
  const appender = await connection.createAppender('loom_chunk_scores');
  appendScores(appender, start, keepRows, n, scores, model.outputs);
  if (bad.size > 0) {
    const rejects = await connection.createAppender('loom_chunk_rejects');
    for (const [i, problems] of bad) {
      rejects.appendBigInt(BigInt(start + i));
      rejects.appendVarchar(problems.join('; '));
      rejects.endRow();
    }
    rejects.flushSync();
    rejects.closeSync();
  }
  const kept = plan.keep.map((c) => `t.${sqlIdent(c)}`);
  const outputs = model.outputNames.map((c) => `s.${sqlIdent(c)}`);
  const part = `part-${String(index).padStart(6, '0')}.parquet`;
  await copyPart(connection, `SELECT s."row", ${[...kept, ...outputs].join(', ')} FROM ${relation} t JOIN loom_chunk_scores s ON t.${ROW_COLUMN} = s."row" ORDER BY s."row"`, join(sideDir, part));
  let rejectsPart: string | null = null;
  if (bad.size > 0) {
    rejectsPart = `rejects-${String(index).padStart(6, '0')}.parquet`;
    const all = input.schema.columns.map((c) => `t.${sqlIdent(c.name)}`);
    await copyPart(connection, `SELECT r."row", r."error", ${all.join(', ')} FROM ${relation} t JOIN loom_chunk_rejects r ON t.${ROW_COLUMN} = r."row" ORDER BY r."row"`, join(sideDir, rejectsPart));
  }
  return { index, start, end, written: n, rejected: bad.size, part, rejects: rejectsPart };
}

/** Writes a query to a Parquet part file via a temporary name, so a listed part is always complete. */
async function copyPart(connection: DuckDBConnection, query: string, path: string): Promise<void> {
  await connection.run(`COPY (${query}) TO ${sqlString(`${path}.tmp`)} (FORMAT parquet, COMPRESSION zstd)`);
  renameSync(`${path}.tmp`, path);
}

function appendScores(appender: DuckDBAppender, start: number, keepRows: readonly number[] | null, n: number, scores: Float64Array, k: number): void {
  for (let r = 0; r < n; r++) {
    appender.appendBigInt(BigInt(start + (keepRows === null ? r : keepRows[r])));
    for (let j = 0; j < k; j++) appender.appendDouble(scores[r * k + j]);
    appender.endRow();
  }
  appender.flushSync();
  appender.closeSync();
}

/** A registry reference, or an existing model directory, loaded (every file hash verified). */
async function openModel(ws: Workspace, ref: string): Promise<{ model: LoadedModel; identity: BatchManifest['model'] }> {
  const dir = resolve(ref);
  if (existsSync(dir) && statSync(dir).isDirectory()) {
    const model = await loadModel(dir);
    return { model, identity: { ref, name: basename(dir), version: 'directory', hash: model.artifact.id } };
  }
  const resolved = await (await ModelRegistry.open(ws)).resolve(ref);
  const model = await loadModel(resolved.dir);
  return { model, identity: { ref, name: resolved.name, version: String(resolved.version), hash: resolved.modelHash } };
}

/** The kept input columns, checked: each exists, and none collides with `row` or an output name. */
function keptColumns(input: BatchInput, keep: readonly string[] | undefined, model: LoadedModel): string[] {
  const names = input.schema.columns.map((c) => c.name);
  const kept = keep === undefined ? names : [...keep];
  for (const name of kept) {
    if (!names.includes(name)) throw invalidOption('keep', `the input has no column "${name}" (it has ${names.join(', ')})`);
    if (name === 'row' || model.outputNames.includes(name)) throw invalidOption('keep', `the input column "${name}" has the name of an output column; leave it out with --keep`);
  }
  if (new Set(kept).size !== kept.length) throw invalidOption('keep', 'a column is named twice');
  return kept;
}

function invalidOption(field: string, problem: string): LoomError {
  return new LoomError('PREDICT_INVALID_OPTION', { field, problem }, { details: { field } });
}

/** A staged input copy: `batch-input-<pid>-<uuid>.parquet` (or its `.tmp` while being written). */
const STAGING_FILE = /^batch-input-([0-9]+)-[0-9a-f-]{36}\.parquet(?:\.tmp)?$/;

/**
 * Deletes staged input copies left in `directory` by batch runs whose process is gone (killed before its cleanup
 * ran). A file whose process is alive, or whose pid was reused, is left alone.
 */
export function removeOrphanedStaging(directory: string): string[] {
  if (!existsSync(directory)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(directory)) {
    const match = STAGING_FILE.exec(name);
    if (match === null || processAlive(Number(match[1]))) continue;
    rmSync(join(directory, name), { force: true });
    removed.push(name);
  }
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

