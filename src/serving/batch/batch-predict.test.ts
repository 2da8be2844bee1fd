import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import type { Progress } from '../../cli/progress.js';
import { openDuckDb } from '../../data/duckdb/duckdb-session.js';
import { ingestDataset } from '../../data/ingest/ingest-dataset.js';
import { stageTableFile } from '../../data/ingest/read-table-file.js';
import { ModelRegistry } from '../../registry/index.js';
import { Workspace } from '../../storage/workspace.js';
import { predictToFile, trainModel } from '../../training/index.js';
import { readManifest } from './batch-manifest.js';
import { batchPredict, removeOrphanedStaging } from './batch-predict.js';

// batchPredict on a CSV and a Parquet input (nulls, categories, an unseen category), in chunks that read the input
// per row range: the output must equal, exactly, the input as ingest stages it (the previous whole-file staging) next
// to predictToFile's scores; a run crashed mid-way and resumed must write the same file; a bad chunk is a coded error.

const home = mkdtempSync(join(tmpdir(), 'loom-batch-predict-'));
const ws = Workspace.open({ overrides: { home } });
const DATASETS = join(import.meta.dirname, '../../../../shared/datasets');
const csv = join(home, 'adult.csv');
const parquet = join(home, 'adult.parquet');
let modelDir = '';
let header = '';
let rows: string[] = [];

before(async () => {
  [header, ...rows] = gunzipSync(readFileSync(join(DATASETS, 'adult-test.csv.gz'))).toString('utf8').trimEnd().split('\n');
  rows = rows.slice(0, 2000);
  rows[17] = rows[17].replace(/,[^,]*,([^,]*)$/, ',Atlantis,$1');
  rows[1999] = rows[1999].replace(/^([0-9]+),([^,]*),/, '$1,,');
  writeFileSync(csv, `${[header, ...rows].join('\n')}\n`);
  await query(`COPY (SELECT * REPLACE (CAST("hours-per-week" AS FLOAT) AS "hours-per-week") FROM read_csv('${csv}', nullstr = ['?', ''])) TO '${parquet}' (FORMAT parquet, ROW_GROUP_SIZE 256)`);
  await ingestDataset(ws, { path: join(DATASETS, 'adult-train.csv.gz'), name: 'adult-train', tags: 'income=target' });
  const trained = await trainModel(ws, { data: 'adult-train', target: 'income', params: { num_iterations: 5 }, seed: 1, out: join(home, 'models/adult') });
  modelDir = trained.modelDir;
  const registry = await ModelRegistry.open(ws);
  await registry.register({ dir: modelDir, name: 'adult' });
  await registry.setAlias('adult', 'champion', 1);
});
after(async () => {
  await ws.close();
  rmSync(home, { recursive: true, force: true });
});

/** Runs one query in a fresh session; rows as JSON-safe objects (bigints as text). */
async function query(sql: string, stage?: string): Promise<Record<string, unknown>[]> {
  const session = await openDuckDb({ tempDirectory: join(home, 'tmp', 'test') });
  try {
    if (stage !== undefined) await stageTableFile(session.connection, stage);
    return (await session.connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    session.close();
  }
}

/** The expected output: ingest's staging of the input with rowid as `row`, and predictToFile's score. */
async function expectedOutput(input: string): Promise<Record<string, unknown>[]> {
  const reference = join(home, 'reference.parquet');
  await predictToFile(ws, { modelDir, input, output: reference });
  return query(`SELECT rowid AS "row", t.*, r."p_>50K" FROM loom_norm t JOIN read_parquet('${reference}') r ON r."row" = t.rowid ORDER BY rowid`, input);
}

for (const [kind, input] of [['CSV', csv], ['Parquet', parquet]] as const) {
  test(`a ${kind} input: every output value equals ingest's staging plus predictToFile's score`, async () => {
    const output = join(home, `out-${kind}.parquet`);
    const result = await batchPredict(ws, { model: 'adult@champion', input, output, chunkRows: 300 });
    assert.deepEqual([result.inputRows, result.written, result.rejected, result.chunks], [2000, 2000, 0, 7]);
    const actual = await query(`SELECT * FROM read_parquet('${output}')`);
    const expected = await expectedOutput(input);
    assert.equal(actual.length, 2000);
    assert.deepEqual(actual, expected);
    assert.equal(actual[17]['native-country'], 'Atlantis', 'an unseen category is scored, not refused');
    assert.equal(actual[1999].workclass, null);
  });
}

test('a run crashed after 3 of 7 chunks and resumed writes the same file as a clean run', async () => {
  const output = join(home, 'resumed.parquet');
  const crashing: Progress = {
    start() {},
    update(done) {
      if (done === 3) throw new Error('simulated crash');
    },
    stop() {},
  };
  await assert.rejects(batchPredict(ws, { model: 'adult@champion', input: csv, output, chunkRows: 300 }, crashing), /simulated crash/);
  assert.equal(existsSync(output), false);
  assert.equal(readManifest(`${output}.parts`)?.chunks.length, 3);
  const resumed = await batchPredict(ws, { model: 'adult@champion', input: csv, output, chunkRows: 300, resume: true });
  assert.deepEqual([resumed.resumedChunks, resumed.written, resumed.chunks], [3, 2000, 7]);
  const clean = join(home, 'clean.parquet');
  await batchPredict(ws, { model: 'adult@champion', input: csv, output: clean, chunkRows: 300 });
  assert.deepEqual(await query(`SELECT * FROM read_parquet('${output}')`), await query(`SELECT * FROM read_parquet('${clean}')`));
});

test('a bad row in a later chunk is LOOM_ERR_PREDICT_INVALID_ROW naming the input row and field', async () => {
  const bad = join(home, 'bad.csv');
  const edited = [...rows];
  edited[1234] = edited[1234].replace(/^[0-9]+,/, 'abc,');
  writeFileSync(bad, `${[header, ...edited].join('\n')}\n`);
  await assert.rejects(batchPredict(ws, { model: 'adult@champion', input: bad, output: join(home, 'bad.parquet'), chunkRows: 300 }), (err: { code: string; details: unknown }) => {
    assert.equal(err.code, 'LOOM_ERR_PREDICT_INVALID_ROW');
    assert.deepEqual(err.details, { field: 'age', row: 1234 });
    return true;
  });
});

test('a staged input copy left by a killed run is removed by the next run; a live run\'s copy is kept', () => {
  const dir = join(home, 'staging-dir');
  mkdirSync(dir, { recursive: true });
  const uuid = '0b7c6f1e-2f4a-4c55-9d3e-6a1f0c2b9e71';
  // 4194304 is above Linux's largest pid, so no process has it.
  const dead = `batch-input-4194305-${uuid}.parquet`;
  const deadTmp = `batch-input-4194305-${uuid}.parquet.tmp`;
  const live = `batch-input-${process.pid}-${uuid}.parquet`;
  const other = 'duckdb_temp_block-0.block';
  for (const name of [dead, deadTmp, live, other]) writeFileSync(join(dir, name), 'x');
  assert.deepEqual(removeOrphanedStaging(dir).sort(), [dead, deadTmp].sort());
  assert.deepEqual(readdirSync(dir).sort(), [live, other].sort());
  assert.deepEqual(removeOrphanedStaging(join(home, 'no-such-dir')), []);
});
