import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { loomInProcess } from '../support/loom-in-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(ROOT, 'src/cli/main.ts');
const DATASETS = join(ROOT, '../shared/datasets');
const TRAIN = join(DATASETS, 'adult-train.csv.gz');
const TEST = join(DATASETS, 'adult-test.csv.gz');

const home = mkdtempSync(join(tmpdir(), 'loom-validate-e2e-'));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function loom(...args: string[]): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, LOOM_HOME: home };
  delete env.LOOM_METADATA_URI;
  delete env.LOOM_ARTIFACTS_URI;
  const run = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx/esm'), MAIN, ...args], { cwd: home, env, encoding: 'utf8', timeout: 300_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

// The suites live in this home's embedded store, whatever the environment points elsewhere (the real spawns drop the
// same variables from their environment).
delete process.env.LOOM_METADATA_URI;
delete process.env.LOOM_ARTIFACTS_URI;
const inProcess = loomInProcess(home);

/**
 * The same CLI in-process (each spawn costs ~1 s of tsx start-up), for the fixture, repeats and coded errors; one real
 * spawn per command stays (suite create, suite list, suite show, suite import, run, and the first coded error).
 */
async function loomHere(...args: string[]): Promise<Run> {
  const run = await inProcess(args);
  return { code: run.code, stdout: run.stdout, stderr: run.stderr };
}

function json<T>(run: Run): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    assert.fail(`not JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
  }
}

/** A bad-input run: exit 2, the code on stderr, and no stack trace. */
function assertCoded(run: Run, code: string): void {
  assert.equal(run.code, 2, `exit code; stderr: ${run.stderr}`);
  assert.match(run.stderr, new RegExp(`^error LOOM_ERR_${code}: `, 'm'));
  assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
}

interface ResultJson {
  success: boolean;
  statistics: { evaluated: number; successful: number; failed: number; warnings: number };
  results: { success: boolean; observed: unknown; unexpectedCount: number; failures: { row: number; value: unknown }[]; expectation: { kind: string; column?: string; severity: string } }[];
}

const failing = (result: ResultJson) => result.results.filter((r) => !r.success).map((r) => `${r.expectation.kind}:${r.expectation.column ?? ''}`);

before(async () => {
  for (const [file, name] of [[TRAIN, 'adult'], [TEST, 'adult-test']]) {
    const run = await loomHere('data', 'ingest', file, '--name', name, '--tag', 'income=target', '--json');
    assert.equal(run.code, 0, run.stderr);
  }
});

after(() => rmSync(home, { recursive: true, force: true }));

test('suite create generates a suite from Adult train and stores it', () => {
  const created = json<{ suite: string; expectations: number; kinds: Record<string, number>; generatedFrom: { dataset: string } }>(
    loom('validate', 'suite', 'create', 'adult', '--from', 'adult', '--json'),
  );
  assert.equal(created.suite, 'adult');
  assert.equal(created.generatedFrom.dataset, 'adult');
  // 15 columns: 6 int (between + distribution), 9 category (in_set; distribution for the 8 that are not the target).
  assert.deepEqual(created.kinds, { row_count: 1, column_exists: 15, not_null: 15, between: 6, in_set: 9, distribution: 14 });
  assert.equal(created.expectations, 60);
  const listed = json<{ name: string; expectations: number }[]>(loom('validate', 'suite', 'list', '--json'));
  assert.deepEqual(listed.map((s) => [s.name, s.expectations]), [['adult', 60]]);
});

test('run on Adult train passes: exit 0', () => {
  const run = loom('validate', 'run', 'adult', 'adult', '--json');
  assert.equal(run.code, 0, run.stderr);
  const result = json<ResultJson>(run);
  assert.equal(result.success, true);
  assert.deepEqual(result.statistics, { evaluated: 60, successful: 60, failed: 0, warnings: 0 });
});

test('run on Adult test fails exactly row_count and the fnlwgt range: exit 1', async () => {
  const run = await loomHere('validate', 'run', 'adult', 'adult-test', '--json');
  assert.equal(run.code, 1, run.stderr);
  const result = json<ResultJson>(run);
  assert.equal(result.success, false);
  // Test has 16,281 rows, half of train's 32,561: outside [29304, 35818].
  // One test row (7974) has fnlwgt 1,490,400, above train's maximum 1,484,705.
  assert.deepEqual(failing(result), ['row_count:', 'between:fnlwgt']);
  const rowCount = result.results.find((r) => r.expectation.kind === 'row_count');
  assert.equal(rowCount?.observed, 16281);
  const fnlwgt = result.results.find((r) => r.expectation.kind === 'between' && r.expectation.column === 'fnlwgt');
  assert.deepEqual(fnlwgt?.failures, [{ row: 7974, value: 1490400 }]);
  assert.deepEqual(fnlwgt?.observed, { min: 13492, max: 1490400 });
  // The labels' trailing dot was stripped at ingest, so income stays within train's set.
  assert.ok(result.results.some((r) => r.expectation.kind === 'in_set' && r.expectation.column === 'income' && r.success));
});

test('run prints a readable table without --json', async () => {
  const run = await loomHere('validate', 'run', 'adult', 'adult-test', '--failures-only');
  assert.equal(run.code, 1);
  const lines = run.stdout.split('\n');
  assert.ok(lines.some((l) => /^✘\s+row_count\s+.*16281 rows/.test(l)), run.stdout);
  assert.ok(lines.some((l) => /^✘\s+between\s+fnlwgt\s+.*#7974=1490400/.test(l)), run.stdout);
  assert.match(run.stdout, /✘ failed: suite adult on adult-test@[0-9a-f]{12}: 58\/60 passed, 2 failed, 0 warnings/);
});

test('run on the raw Adult test file normalizes it as the reference was and gives the same failures', async () => {
  const run = await loomHere('validate', 'run', 'adult', TEST, '--json');
  assert.equal(run.code, 1, run.stderr);
  assert.deepEqual(failing(json<ResultJson>(run)), ['row_count:', 'between:fnlwgt']);
});

test('show → edit → import: a warn-severity failure no longer fails the run', async () => {
  const shown = JSON.parse(loom('validate', 'suite', 'show', 'adult').stdout) as { expectations: { kind: string; column?: string; severity: string }[] };
  for (const e of shown.expectations) if (e.kind === 'row_count' || (e.kind === 'between' && e.column === 'fnlwgt')) e.severity = 'warn';
  const file = join(home, 'edited.json');
  writeFileSync(file, JSON.stringify(shown));
  const imported = json<{ suite: string; expectations: number }>(loom('validate', 'suite', 'import', 'adult-lenient', '--file', file, '--json'));
  assert.deepEqual(imported.suite, 'adult-lenient');
  const run = await loomHere('validate', 'run', 'adult-lenient', 'adult-test', '--json');
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(json<ResultJson>(run).statistics, { evaluated: 60, successful: 58, failed: 0, warnings: 2 });
});

test('bad input gives a coded error, exit 2 and no stack trace', async () => {
  assertCoded(loom('validate', 'run', 'nope', 'adult'), 'VALIDATION_SUITE_NOT_FOUND');
  assertCoded(await loomHere('validate', 'suite', 'show', 'nope'), 'VALIDATION_SUITE_NOT_FOUND');
  assertCoded(await loomHere('validate', 'run', 'adult', 'no-such-dataset'), 'DATA_DATASET_NOT_FOUND');
  assertCoded(await loomHere('validate', 'suite', 'create', 'x', '--from', 'no-such-dataset'), 'DATA_DATASET_NOT_FOUND');
  assertCoded(await loomHere('validate', 'run', 'adult', join(home, 'missing.csv')), 'DATA_FILE_NOT_FOUND');
  assertCoded(await loomHere('validate', 'suite', 'import', 'x', '--file', join(home, 'missing.json')), 'DATA_FILE_NOT_FOUND');
  const notJson = join(home, 'broken.json');
  writeFileSync(notJson, '{ "expectations": [');
  assertCoded(await loomHere('validate', 'suite', 'import', 'x', '--file', notJson), 'VALIDATION_SUITE_INVALID');
  const badField = join(home, 'bad-field.json');
  writeFileSync(badField, JSON.stringify({ expectations: [{ kind: 'row_count', min: 1 }, { kind: 'not_null', column: 'age', mostly: 2 }] }));
  const bad = await loomHere('validate', 'suite', 'import', 'x', '--file', badField, '--json');
  assert.equal(bad.code, 2);
  const body = json<{ error: { code: string; details: { field: string } } }>(bad);
  assert.deepEqual([body.error.code, body.error.details.field], ['LOOM_ERR_VALIDATION_SUITE_INVALID', 'expectations.1.mostly']);
  assertCoded(await loomHere('validate', 'suite', 'create', 'bad name', '--from', 'adult'), 'VALIDATION_SUITE_INVALID');
  assertCoded(await loomHere('validate', 'run', 'adult', 'adult', '--now', 'yesterday'), 'VALIDATION_INVALID_OPTION');
  // Nothing was stored by the failed imports.
  assert.deepEqual(json<{ name: string }[]>(await loomHere('validate', 'suite', 'list', '--json')).map((s) => s.name), ['adult', 'adult-lenient']);
});
