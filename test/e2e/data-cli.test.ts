import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { assertCodedFailure, DATASETS, loomCli } from '../support/loom-cli.js';
import { loomInProcess } from '../support/loom-in-process.js';

// Drives `loom data …` against a fresh LOOM_HOME the way a user runs it: as a child process, and in-process for repeats.

const home = mkdtempSync(join(tmpdir(), 'loom-e2e-data-'));
after(() => rmSync(home, { recursive: true, force: true }));
const loom = loomCli(home);
/**
 * The same CLI in-process (each spawn costs ~1 s of tsx start-up): every `data` subcommand keeps one real spawn
 * (ingest, list, show and profile in the first test, split in the split test); repeats and coded errors run here.
 */
const loomHere = loomInProcess(home);

function file(name: string, text: string): string {
  const path = join(home, name);
  writeFileSync(path, text);
  return path;
}

async function versionCount(name: string): Promise<number> {
  const show = await loomHere(['data', 'show', name, '--json']);
  return show.code === 0 ? show.json().versions.length : 0;
}


test('Adult train ingests as 32,561 rows × 15 columns; re-ingest is the same version, created:false', async () => {
  const first = await loom(['data', 'ingest', join(DATASETS, 'adult-train.csv.gz'), '--name', 'adult', '--json']);
  assert.equal(first.code, 0, first.stderr);
  const out = first.json();
  assert.equal(out.dataset, 'adult');
  assert.equal(out.rows, 32561);
  assert.equal(out.columns, 15);
  assert.match(out.version, /^[0-9a-f]{64}$/);
  assert.equal(out.created, true);
  const blobs = readdirSync(join(home, 'artifacts'), { recursive: true }).filter((f) => statSync(join(home, 'artifacts', String(f))).isFile()).length;

  const again = await loomHere(['data', 'ingest', join(DATASETS, 'adult-train.csv.gz'), '--name', 'adult', '--json']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.json().version, out.version);
  assert.equal(again.json().created, false);
  const blobsAfter = readdirSync(join(home, 'artifacts'), { recursive: true }).filter((f) => statSync(join(home, 'artifacts', String(f))).isFile()).length;
  assert.equal(blobsAfter, blobs, 'nothing new stored');

  const human = await loomHere(['data', 'ingest', join(DATASETS, 'adult-train.csv.gz'), '--name', 'adult']);
  assert.equal(human.stdout.split('\n')[0], out.version, 'prints the version id first');

  const list = await loom(['data', 'list', '--json']);
  assert.deepEqual(list.json().map((d: any) => [d.name, d.rows, d.columns, d.versions]), [['adult', 32561, 15, 1]]);

  const show = await loom(['data', 'show', `adult@${out.version.slice(0, 8)}`, '--json']);
  assert.equal(show.code, 0, show.stderr);
  assert.equal(show.json().version, out.version);
  assert.equal(show.json().schema.columns.find((c: any) => c.name === 'workclass').nullable, true);
  assert.equal(show.json().source.format, 'csv');

  const profile = await loom(['data', 'profile', 'adult', '--json']);
  const age = profile.json().columns.find((c: any) => c.name === 'age');
  assert.deepEqual([age.numeric.min, age.numeric.max, age.count], [17, 90, 32561]);
  const workclass = profile.json().columns.find((c: any) => c.name === 'workclass');
  assert.equal(workclass.nulls, 1836);
  const readable = await loomHere(['data', 'profile', 'adult']);
  assert.match(readable.stdout, /^age\s+int\s+32561\s+0\s+73\s+17\s/m);
});

test('Adult test with --tag income=target has labels without the dot', async () => {
  const run = await loomHere(['data', 'ingest', join(DATASETS, 'adult-test.csv.gz'), '--name', 'adult-test', '--tag', 'income=target', '--json']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.json().rows, 16281);
  const show = (await loomHere(['data', 'show', 'adult-test', '--json'])).json();
  const income = show.schema.columns.find((c: any) => c.name === 'income');
  assert.deepEqual(income.categories, ['<=50K', '>50K']);
  assert.deepEqual(income.tags, ['target']);
  assert.ok(show.source.transforms.some((t: any) => t.column === 'income' && t.kind === 'strip-trailing-dot'));
});

test('append makes a child version with all rows; a mismatched append fails and writes nothing', async () => {
  const a = await loomHere(['data', 'ingest', file('part1.csv', 'id,amount,kind\n1,2.5,x\n2,3.5,y\n3,1,x\n'), '--name', 'sales', '--json']);
  assert.equal(a.code, 0, a.stderr);
  const b = await loomHere(['data', 'ingest', file('part2.csv', 'id,amount,kind\n4,9,y\n'), '--name', 'sales', '--append', '--json']);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(b.json().rows, 4);
  const show = (await loomHere(['data', 'show', 'sales', '--json'])).json();
  assert.equal(show.parent, a.json().version);
  assert.equal(show.versions.length, 2);

  const bad = await loomHere(['data', 'ingest', file('part3.csv', 'id,amount\n5,1\n'), '--name', 'sales', '--append', '--json']);
  assertCodedFailure(bad, 'LOOM_ERR_SCHEMA_MISMATCH');
  const typed = await loomHere(['data', 'ingest', file('part4.csv', 'id,amount,kind\nx,1,y\n'), '--name', 'sales', '--append', '--json']);
  assertCodedFailure(typed, 'LOOM_ERR_SCHEMA_MISMATCH');
  assert.equal(await versionCount('sales'), 2);
});

test('split writes deterministic parts as new datasets', async () => {
  const run = await loom(['data', 'split', 'adult', '--by', 'stratified', '--column', 'income', '--fractions', '0.8,0.2', '--seed', '7', '--into', 'adult-tr,adult-va', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const parts = run.json().parts;
  assert.deepEqual(parts.map((p: any) => p.rows), [26049, 6512]);
  const again = await loomHere(['data', 'split', 'adult', '--by', 'stratified', '--column', 'income', '--fractions', '0.8,0.2', '--seed', '7', '--into', 'adult-tr,adult-va', '--json']);
  assert.deepEqual(again.json().parts.map((p: any) => [p.version, p.created]), parts.map((p: any) => [p.version, false]));
  const va = (await loomHere(['data', 'show', 'adult-va', '--json'])).json();
  assert.equal(va.source.kind, 'split');
  assert.equal(va.source.parent.dataset, 'adult');
  const bad = await loomHere(['data', 'split', 'adult', '--by', 'random', '--fractions', '0.8,0.4', '--into', 'x,y', '--json']);
  assertCodedFailure(bad, 'LOOM_ERR_DATA_INVALID_SPLIT');
});

test('bad input exits non-zero with a coded error, no stack trace, and no half-written version', async () => {
  assertCodedFailure(await loom(['data', 'ingest', join(home, 'missing.csv'), '--name', 'm', '--json']), 'LOOM_ERR_DATA_FILE_NOT_FOUND');
  const ragged = await loomHere(['data', 'ingest', file('ragged.csv', 'a,b,c\n1,2,3\n4,5\n'), '--name', 'ragged', '--json']);
  assertCodedFailure(ragged, 'LOOM_ERR_DATA_PARSE_FAILED');
  assert.equal(ragged.json().error.details.line, 3);
  assertCodedFailure(await loomHere(['data', 'ingest', file('data.weird', 'a\n1\n'), '--name', 'w', '--json']), 'LOOM_ERR_DATA_UNKNOWN_FORMAT');
  assertCodedFailure(await loomHere(['data', 'ingest', file('tags.csv', 'a\n1\n'), '--name', 't', '--tag', 'a=secret', '--json']), 'LOOM_ERR_DATA_INVALID_TAG');
  assertCodedFailure(await loomHere(['data', 'ingest', file('pii.csv', 'email\na@b.c\n'), '--name', 'p', '--tag', 'email=pii', '--json'], { LOOM_PII_KEY: '' }), 'LOOM_ERR_DATA_PII_KEY_MISSING');
  assertCodedFailure(await loomHere(['data', 'show', 'nothing', '--json']), 'LOOM_ERR_DATA_DATASET_NOT_FOUND');
  assertCodedFailure(await loomHere(['data', 'show', 'adult@ffffffffff', '--json']), 'LOOM_ERR_DATA_VERSION_NOT_FOUND');
  assertCodedFailure(await loomHere(['data', 'profile', 'adult@abc', '--json']), 'LOOM_ERR_DATA_VERSION_NOT_FOUND');
  const list = (await loomHere(['data', 'list', '--json'])).json().map((d: any) => d.name);
  for (const name of ['m', 'ragged', 'w', 't', 'p']) assert.ok(!list.includes(name), `${name} must not exist`);
});

test('a corrupt blob is reported on show with a coded error', async () => {
  const run = await loomHere(['data', 'ingest', file('tiny.csv', 'a,b\n1,x\n2,y\n'), '--name', 'tiny', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const show = (await loomHere(['data', 'show', 'tiny', '--json'])).json();
  const blob = readdirSync(join(home, 'artifacts'), { recursive: true })
    .map((f) => join(home, 'artifacts', String(f)))
    .find((p) => p.includes(show.blob) && statSync(p).isFile());
  assert.ok(blob, 'blob file found');
  writeFileSync(blob!, 'not parquet any more');
  assertCodedFailure(await loomHere(['data', 'show', 'tiny', '--json']), 'LOOM_ERR_ARTIFACT_CORRUPT');
});
