import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { NOOP_PROGRESS } from '../../src/cli/progress.js';
import { openDuckDb } from '../../src/data/duckdb/duckdb-session.js';
import { ingestDataset } from '../../src/data/ingest/ingest-dataset.js';
import { ModelRegistry } from '../../src/registry/index.js';
import { batchPredict, type BatchManifest } from '../../src/serving/batch/index.js';
import { Workspace } from '../../src/storage/workspace.js';
import { predictToFile, trainModel } from '../../src/training/index.js';
import { assertCodedFailure, DATASETS, loomCli, ROOT } from '../support/loom-cli.js';
import { loomInProcess } from '../support/loom-in-process.js';

// `loom predict <name>@<alias>` over files and datasets, chunked with a resume manifest. The centre piece kills the
// process with SIGKILL after at least one chunk is recorded, resumes, and compares the output with a clean run row
// for row; predictions are compared with predictToFile (the independent whole-file scorer) on every row.

const home = mkdtempSync(join(tmpdir(), 'loom-e2e-predict-'));
const ws = Workspace.open({ overrides: { home } });
const loom = loomCli(home);
/**
 * The same CLI in-process, for the resume refusals, repeats and coded-error checks (each spawn costs ~1 s of tsx
 * start-up); real processes stay for the clean run, the killed run and its resume, and the first bad row.
 */
const loomHere = loomInProcess(home);
const big = join(home, 'adult-x4.csv');
let bigRows = 0;
let modelDir: string;

before(async () => {
  // Four copies of UCI Adult's training file: 130,244 rows.
  const text = gunzipSync(readFileSync(join(DATASETS, 'adult-train.csv.gz'))).toString('utf8').trimEnd();
  const [header, ...lines] = text.split('\n');
  bigRows = lines.length * 4;
  writeFileSync(big, `${[header, ...lines, ...lines, ...lines, ...lines].join('\n')}\n`);
  await ingestDataset(ws, { path: join(DATASETS, 'adult-train.csv.gz'), name: 'adult-train', tags: 'income=target' });
  const first = await trainModel(ws, { data: 'adult-train', target: 'income', params: { num_iterations: 10 }, seed: 1, out: join(home, 'models/adult-1') });
  const second = await trainModel(ws, { data: 'adult-train', target: 'income', params: { num_iterations: 10, num_leaves: 7 }, seed: 1, out: join(home, 'models/adult-2') });
  modelDir = first.modelDir;
  const registry = await ModelRegistry.open(ws);
  await registry.register({ dir: first.modelDir, name: 'adult' });
  await registry.register({ dir: second.modelDir, name: 'adult' });
  await registry.setAlias('adult', 'champion', 1);
});
after(async () => {
  await ws.close();
  rmSync(home, { recursive: true, force: true });
});

/** Runs one DuckDB query in a fresh session and returns its rows as objects. */
async function query(sql: string): Promise<Record<string, unknown>[]> {
  const session = await openDuckDb({ tempDirectory: join(home, 'tmp', 'test-duckdb') });
  try {
    return (await session.connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    session.close();
  }
}

const q = (path: string) => `'${path.replaceAll("'", "''")}'`;

/** Asserts two Parquet outputs hold the same rows in the same order: same count, rows 0…n−1 in file order, no row differing. */
async function assertSameRows(a: string, b: string): Promise<void> {
  const [counts] = await query(`SELECT (SELECT count(*) FROM read_parquet(${q(a)})) AS a, (SELECT count(*) FROM read_parquet(${q(b)})) AS b`);
  assert.equal(counts.a, counts.b);
  for (const file of [a, b]) {
    const [order] = await query(`SELECT count(*) AS bad FROM (SELECT "row", file_row_number FROM read_parquet(${q(file)}, file_row_number = true)) WHERE "row" <> file_row_number`);
    assert.equal(order.bad, 0n, `${file} lists input rows in order`);
  }
  const [diff] = await query(`SELECT (SELECT count(*) FROM (SELECT * FROM read_parquet(${q(a)}) EXCEPT ALL SELECT * FROM read_parquet(${q(b)}))) AS ab, (SELECT count(*) FROM (SELECT * FROM read_parquet(${q(b)}) EXCEPT ALL SELECT * FROM read_parquet(${q(a)}))) AS ba`);
  assert.deepEqual([diff.ab, diff.ba], [0n, 0n]);
}

test('a clean run writes every row with all input columns, and its predictions equal predictToFile on every row', async () => {
  const run = await loom(['predict', 'adult@champion', '--input', big, '--output', 'clean.parquet', '--chunk-rows', '20000', '--json']);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const out = run.json();
  assert.deepEqual([out.input_rows, out.written, out.rejected, out.rejects, out.chunks, out.resumed_chunks], [bigRows, bigRows, 0, null, Math.ceil(bigRows / 20000), 0]);
  assert.deepEqual([out.model.name, out.model.version], ['adult', '1']);
  assert.deepEqual(out.columns, ['row', 'age', 'workclass', 'fnlwgt', 'education', 'education-num', 'marital-status', 'occupation', 'relationship', 'race', 'sex', 'capital-gain', 'capital-loss', 'hours-per-week', 'native-country', 'income', 'p_>50K']);
  assert.equal(existsSync(join(home, 'clean.parquet.parts')), false, 'the side directory is removed once complete');
  await predictToFile(ws, { modelDir, input: big, output: join(home, 'reference.parquet') });
  const [cmp] = await query(`SELECT count(*) AS n, count(*) FILTER (WHERE c."p_>50K" = r."p_>50K") AS equal FROM read_parquet(${q(join(home, 'clean.parquet'))}) c JOIN read_parquet(${q(join(home, 'reference.parquet'))}) r USING ("row")`);
  assert.deepEqual([cmp.n, cmp.equal], [BigInt(bigRows), BigInt(bigRows)]);
  const [first] = await query(`SELECT "row", age, workclass, income FROM read_parquet(${q(join(home, 'clean.parquet'))}) LIMIT 1`);
  assert.deepEqual(first, { row: 0n, age: 39n, workclass: 'State-gov', income: '<=50K' });
});

test('kill -9 after a completed chunk, then --resume: the output equals the clean run row for row', async () => {
  const output = join(home, 'resumed.parquet');
  const manifestFile = join(`${output}.parts`, 'manifest.json');
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx/esm'), join(ROOT, 'src/cli/main.ts'), 'predict', 'adult@champion', '--input', big, '--output', output, '--chunk-rows', '5000', '--json'], {
    cwd: home,
    env: { ...process.env, LOOM_HOME: home, LOOM_NO_PROGRESS: '1' },
    stdio: 'ignore',
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  let doneAtKill = 0;
  for (let finished = false; !finished; ) {
    await new Promise((r) => setTimeout(r, 10));
    if (child.exitCode !== null) break;
    try {
      doneAtKill = (JSON.parse(readFileSync(manifestFile, 'utf8')) as BatchManifest).chunks.length;
    } catch {
      continue; // not written yet (or mid-rename)
    }
    if (doneAtKill >= 1) {
      child.kill('SIGKILL');
      finished = true;
    }
  }
  assert.equal(await exited, 'SIGKILL', 'killed while running');
  const total = Math.ceil(bigRows / 5000);
  const atCrash = (JSON.parse(readFileSync(manifestFile, 'utf8')) as BatchManifest).chunks.length;
  assert.ok(atCrash >= doneAtKill && atCrash < total, `killed mid-way: ${atCrash} of ${total} chunks recorded`);
  assert.equal(existsSync(output), false, 'no final output after the crash');

  const resumed = await loom(['predict', 'adult@champion', '--input', big, '--output', output, '--chunk-rows', '5000', '--resume', '--json']);
  assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
  assert.deepEqual([resumed.json().resumed_chunks, resumed.json().written, resumed.json().chunks], [atCrash, bigRows, total]);
  await assertSameRows(output, join(home, 'clean.parquet'));
});

test('--resume refuses another model, a changed input or other options; a corrupt manifest is a coded error', async () => {
  const input = join(home, 'small.csv');
  const lines = readFileSync(big, 'utf8').split('\n');
  writeFileSync(input, `${lines.slice(0, 1001).join('\n')}\n`);
  const output = join(home, 'interrupted.parquet');
  // A crash after the first chunk, in-process: the progress callback throws once chunk 1 is recorded.
  const crashing = { ...NOOP_PROGRESS, update: (done: number) => { if (done === 1) throw new Error('crash'); } };
  await assert.rejects(batchPredict(ws, { model: 'adult@champion', input, output, chunkRows: 300 }, crashing), /crash/);
  const resume = (extra: string[]) => loomHere(['predict', 'adult@champion', '--input', input, '--output', output, '--chunk-rows', '300', '--resume', '--json', ...extra]);
  const otherModel = await loomHere(['predict', 'adult@2', '--input', input, '--output', output, '--chunk-rows', '300', '--resume', '--json']);
  assertCodedFailure(otherModel, 'LOOM_ERR_PREDICT_RESUME_MISMATCH');
  assert.equal(otherModel.json().error.details.field, 'model');
  const otherChunks = await loomHere(['predict', 'adult@champion', '--input', input, '--output', output, '--chunk-rows', '200', '--resume', '--json']);
  assertCodedFailure(otherChunks, 'LOOM_ERR_PREDICT_RESUME_MISMATCH');
  assertCodedFailure(await resume(['--keep', 'age']), 'LOOM_ERR_PREDICT_RESUME_MISMATCH');
  writeFileSync(input, `${lines.slice(0, 1001).join('\n').replace(/^39,/m, '40,')}\n`);
  const changed = await resume([]);
  assertCodedFailure(changed, 'LOOM_ERR_PREDICT_RESUME_MISMATCH');
  assert.equal(changed.json().error.details.field, 'input');
  writeFileSync(input, `${lines.slice(0, 1001).join('\n')}\n`);
  const ok = await resume([]);
  assert.equal(ok.code, 0, ok.stdout);
  assert.deepEqual([ok.json().resumed_chunks, ok.json().written], [1, 1000]);

  await assert.rejects(batchPredict(ws, { model: 'adult@champion', input, output, chunkRows: 300 }, crashing), /crash/);
  writeFileSync(join(`${output}.parts`, 'manifest.json'), '{"format": "loom-batch-predict/1", "chunks": [');
  assertCodedFailure(await resume([]), 'LOOM_ERR_PREDICT_MANIFEST_CORRUPT');
  const fresh = await loomHere(['predict', 'adult@champion', '--input', input, '--output', output, '--chunk-rows', '300', '--json']);
  assert.deepEqual([fresh.code, fresh.json().resumed_chunks, fresh.json().written], [0, 0, 1000], 'without --resume the run starts over');
});

test('a bad row is a coded error naming input row and field; --skip-invalid writes it to the rejects file', async () => {
  const lines = readFileSync(big, 'utf8').split('\n');
  const rows = lines.slice(1, 11);
  rows[3] = rows[3].replace(/^[0-9]+,/, 'abc,');
  writeFileSync(join(home, 'bad.csv'), `${[lines[0], ...rows].join('\n')}\n`);
  const failed = await loom(['predict', 'adult@champion', '--input', 'bad.csv', '--output', 'bad.parquet', '--chunk-rows', '4', '--json']);
  assertCodedFailure(failed, 'LOOM_ERR_PREDICT_INVALID_ROW');
  assert.deepEqual(failed.json().error.details, { field: 'age', row: 3 });
  const skipped = await loomHere(['predict', 'adult@champion', '--input', 'bad.csv', '--output', 'bad.csv.parquet', '--chunk-rows', '4', '--skip-invalid', '--keep', 'age,sex', '--json']);
  assert.equal(skipped.code, 0, skipped.stdout);
  assert.deepEqual([skipped.json().written, skipped.json().rejected, skipped.json().rejects], [9, 1, join(home, 'bad.csv.rejects.parquet')]);
  assert.deepEqual(skipped.json().columns, ['row', 'age', 'sex', 'p_>50K']);
  const rejects = await query(`SELECT "row", "error", age FROM read_parquet(${q(join(home, 'bad.csv.rejects.parquet'))})`);
  assert.deepEqual(rejects, [{ row: 3n, error: 'field "age" must be an integer (got "abc")', age: 'abc' }]);
  const written = await query(`SELECT "row" FROM read_parquet(${q(join(home, 'bad.csv.parquet'))})`);
  assert.deepEqual(written.map((r) => r.row), [0n, 1n, 2n, 4n, 5n, 6n, 7n, 8n, 9n]);

  writeFileSync(join(home, 'no-age.csv'), `${lines.slice(0, 5).map((l) => l.split(',').slice(1).join(',')).join('\n')}\n`);
  const missing = await loomHere(['predict', 'adult@champion', '--input', 'no-age.csv', '--output', 'x.parquet', '--json']);
  assertCodedFailure(missing, 'LOOM_ERR_PREDICT_INVALID_ROW');
  assert.deepEqual(missing.json().error.details, { field: 'age', row: 0 });
});

test('a dataset input, CSV output, and each bad option is a coded error', async () => {
  const run = await loomHere(['predict', 'adult@1', '--input', 'adult-train', '--output', 'ds.csv', '--chunk-rows', '10000', '--keep', '', '--json']);
  assert.equal(run.code, 0, run.stdout);
  assert.deepEqual([run.json().written, run.json().chunks, run.json().columns], [32561, 4, ['row', 'p_>50K']]);
  const csv = readFileSync(join(home, 'ds.csv'), 'utf8').trimEnd().split('\n');
  assert.deepEqual([csv.length, csv[0], csv[1].split(',')[0], csv[32561].split(',')[0]], [32562, 'row,p_>50K', '0', '32560']);
  const [same] = await query(`SELECT count(*) AS n FROM read_csv(${q(join(home, 'ds.csv'))}) d JOIN read_parquet(${q(join(home, 'clean.parquet'))}) c USING ("row") WHERE d."p_>50K" = c."p_>50K"`);
  assert.equal(same.n, 32561n, 'the dataset and the file give the same predictions for the same rows');
  for (const [args, code, field] of [
    [['--output', 'x.txt'], 'LOOM_ERR_PREDICT_INVALID_OPTION', 'output'],
    [['--output', 'x.csv', '--chunk-rows', '0'], 'LOOM_ERR_PREDICT_INVALID_OPTION', 'chunk-rows'],
    [['--output', 'x.csv', '--chunk-rows', 'many'], 'LOOM_ERR_PREDICT_INVALID_OPTION', 'chunk-rows'],
    [['--output', 'x.csv', '--keep', 'age,salary'], 'LOOM_ERR_PREDICT_INVALID_OPTION', 'keep'],
    [['--output', 'x.csv', '--resume', '--explain'], 'LOOM_ERR_PREDICT_INVALID_OPTION', 'explain'],
  ] as const) {
    const failed = await loomHere(['predict', 'adult@champion', '--input', 'adult-train', ...args, '--json']);
    assertCodedFailure(failed, code);
    assert.equal(failed.json().error.details.field, field);
  }
  assertCodedFailure(await loomHere(['predict', 'adult@nope', '--input', 'adult-train', '--output', 'x.csv', '--json']), 'LOOM_ERR_REGISTRY_ALIAS_NOT_FOUND');
  assertCodedFailure(await loomHere(['predict', 'adult', '--input', 'no-such-dataset', '--output', 'x.csv', '--json']), 'LOOM_ERR_DATA_DATASET_NOT_FOUND');
});
