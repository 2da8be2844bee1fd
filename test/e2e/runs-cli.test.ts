import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { Random } from '../../src/core/random.js';
import { openMetadataStore } from '../../src/storage/metadata/index.js';
import { assertCodedFailure, loomCli } from '../support/loom-cli.js';
import { loomInProcess } from '../support/loom-in-process.js';

// `loom train --experiment`, `loom runs list|show|compare` and `loom experiments list` end to end, plus a tracked
// process killed with SIGKILL.

const home = mkdtempSync(join(tmpdir(), 'loom-e2e-runs-'));
after(() => rmSync(home, { recursive: true, force: true }));
const loom = loomCli(home);
/**
 * The same CLI in-process (each spawn costs ~1 s of tsx start-up), for the fixture, repeats and coded errors; one real
 * spawn per command stays (train, runs show, runs list, runs compare, experiments list), and the stale-run check.
 */
const loomHere = loomInProcess(home);
const versions: Record<string, string> = {};

before(async () => {
  // 600 customers; churn is likely at short tenure.
  const random = new Random(12345);
  const rand = () => random.nextFloat();
  const rows = ['tenure,plan,spend,churned'];
  for (let i = 0; i < 600; i++) {
    const tenure = Math.floor(rand() * 60);
    rows.push(`${tenure},${['basic', 'pro', 'team'][i % 3]},${(rand() * 100).toFixed(1)},${(tenure < 15 && rand() < 0.8) || rand() < 0.1 ? 'yes' : 'no'}`);
  }
  writeFileSync(join(home, 'churn.csv'), `${rows.join('\n')}\n`);
  assert.equal((await loomHere(['data', 'ingest', 'churn.csv', '--name', 'churn', '--json'])).code, 0);
  const split = await loomHere(['data', 'split', 'churn', '--by', 'random', '--into', 'churn-train,churn-valid', '--fractions', '0.75,0.25', '--json']);
  assert.equal(split.code, 0, split.stderr);
  for (const part of split.json().parts) versions[part.dataset] = part.version;
});

let gbdtRun = '';
let linearRun = '';

test('loom train --experiment records params, the per-iteration validation series, final metrics, the model and lineage', async () => {
  const run = await loom(['train', '--data', 'churn-train', '--target', 'churned', '--valid', 'churn-valid', '--param', 'num_iterations=20', '--param', 'num_leaves=7', '--experiment', 'churn', '--out', 'models/gbdt', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const trained = run.json();
  gbdtRun = trained.run_id;
  assert.match(gbdtRun, /^[0-9a-f]{32}$/);

  const shown = await loom(['runs', 'show', gbdtRun.slice(0, 10), '--metric', 'valid_binary_logloss', '--json']);
  assert.equal(shown.code, 0, shown.stderr);
  const record = shown.json();
  assert.equal(record.id, gbdtRun);
  assert.equal(record.name, 'churn-1');
  assert.equal(record.experiment, 'churn');
  assert.equal(record.status, 'finished');
  assert.equal(record.seed, 42);
  assert.deepEqual(record.datasets, [
    { role: 'train', dataset: 'churn-train', version: versions['churn-train'] },
    { role: 'valid', dataset: 'churn-valid', version: versions['churn-valid'] },
  ]);
  // Request params as given, and the learner's resolved defaults.
  assert.equal(record.params.num_iterations, '20');
  assert.equal(record.params.num_leaves, '7');
  assert.equal(record.params.model, 'gbdt');
  assert.equal(record.params.target, 'churned');
  assert.equal(record.params.learning_rate, '0.1');
  // Final metrics are exactly what train reported.
  for (const [key, value] of Object.entries(trained.metrics as Record<string, number>)) assert.equal(record.metrics[key].value, value, key);
  // One validation point per iteration; the last equals the final log loss on the same rows.
  const points = record.series.points;
  assert.deepEqual(points.map((p: { step: number }) => p.step), Array.from({ length: 20 }, (_, i) => i + 1));
  assert.ok(Math.abs(points[19].value - trained.metrics.binary_logloss) < 1e-9, `${points[19].value} vs ${trained.metrics.binary_logloss}`);
  assert.ok(points[19].value < points[0].value);
  // The model directory is logged as artifacts; the manifest's bytes hash to the logged hash.
  const manifest = record.artifacts.find((a: { path: string }) => a.path === 'model/manifest.json');
  assert.equal(manifest.hash, createHash('sha256').update(readFileSync(join(trained.model_dir, 'manifest.json'))).digest('hex'));
  assert.ok(record.artifacts.some((a: { path: string }) => a.path === 'model/model.txt'));
  assert.equal(record.tags['loom.model_id'], trained.model_id);
  assert.equal(record.system.node, process.version);

  const linear = await loomHere(['train', '--data', 'churn-train', '--target', 'churned', '--valid', 'churn-valid', '--model', 'linear', '--experiment', 'churn', '--run-name', 'linear-baseline', '--out', 'models/linear', '--json']);
  assert.equal(linear.code, 0, linear.stderr);
  linearRun = linear.json().run_id;
});

test('loom runs list filters, sorts and pages; loom experiments list counts', async () => {
  const all = await loom(['runs', 'list', '--order-by', 'name asc', '--json']);
  assert.equal(all.code, 0, all.stderr);
  assert.deepEqual(all.json().runs.map((r: { name: string }) => r.name), ['churn-1', 'linear-baseline']);
  const filtered = await loomHere(['runs', 'list', '--experiment', 'churn', '--filter', "params.model = 'linear' and metrics.auc > 0.5", '--json']);
  assert.deepEqual(filtered.json().runs.map((r: { id: string }) => r.id), [linearRun]);
  const lineage = await loomHere(['runs', 'list', '--filter', `datasets.version = '${versions['churn-valid']}' and params.num_leaves = 7`, '--json']);
  assert.deepEqual(lineage.json().runs.map((r: { id: string }) => r.id), [gbdtRun]);
  const page = await loomHere(['runs', 'list', '--order-by', 'metrics.binary_logloss asc', '--limit', '1', '--json']);
  const token = page.json().next_page_token;
  assert.equal(typeof token, 'string');
  const second = await loomHere(['runs', 'list', '--order-by', 'metrics.binary_logloss asc', '--limit', '1', '--page-token', token, '--json']);
  assert.equal(second.json().next_page_token, null);
  assert.deepEqual([page.json().runs[0].id, second.json().runs[0].id].sort(), [gbdtRun, linearRun].sort());
  const human = await loomHere(['runs', 'list', '--filter', 'metrics.auc > 0']);
  assert.match(human.stdout, /^id\s+name\s+experiment\s+status/);
  assert.match(human.stdout, /linear-baseline\s+churn\s+finished/);

  const experiments = await loom(['experiments', 'list', '--json']);
  assert.deepEqual(experiments.json().map((e: { name: string; runs: number; running: number }) => [e.name, e.runs, e.running]), [['churn', 2, 0]]);
});

test('loom runs compare shows the runs side by side, --diff-only keeps the differing rows', async () => {
  const run = await loom(['runs', 'compare', gbdtRun, 'linear-baseline', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const out = run.json();
  assert.deepEqual(out.runs.map((r: { id: string }) => r.id), [gbdtRun, linearRun]);
  const model = out.rows.find((r: { section: string; key: string }) => r.section === 'params' && r.key === 'model');
  assert.deepEqual(model, { section: 'params', key: 'model', values: ['gbdt', 'linear'], differs: true });
  const lineage = out.rows.find((r: { section: string; key: string }) => r.section === 'lineage' && r.key === 'train');
  assert.equal(lineage.differs, false);
  const diff = await loomHere(['runs', 'compare', gbdtRun, 'linear-baseline', '--diff-only', '--json']);
  assert.ok(diff.json().rows.length > 0);
  assert.ok(diff.json().rows.every((r: { differs: boolean }) => r.differs));
  const human = await loomHere(['runs', 'compare', gbdtRun, 'linear-baseline']);
  assert.match(human.stdout, /\*\s+params\.model\s+gbdt\s+linear/);
});

test('bad input gets coded errors', async () => {
  const unknownRun = await loom(['runs', 'show', 'linear-baseline2', '--json']);
  assertCodedFailure(unknownRun, 'LOOM_ERR_TRACKING_RUN_NOT_FOUND');
  assert.equal(unknownRun.json().error.details.suggestion, 'linear-baseline');
  const badQuery = await loomHere(['runs', 'list', '--filter', 'metrics.auc >> 1', '--json']);
  assertCodedFailure(badQuery, 'LOOM_ERR_TRACKING_QUERY_INVALID');
  assert.equal(badQuery.json().error.details.position, 14);
  const human = await loomHere(['runs', 'list', '--filter', 'metrics.auc >> 1']);
  assert.match(human.stderr, /^error LOOM_ERR_TRACKING_QUERY_INVALID: .*position 14.*\n {2}metrics\.auc >> 1\n {15}\^\n/);
  const unknownExperiment = await loomHere(['runs', 'list', '--experiment', 'chrun', '--json']);
  assertCodedFailure(unknownExperiment, 'LOOM_ERR_TRACKING_EXPERIMENT_NOT_FOUND');
  assert.equal(unknownExperiment.json().error.details.suggestion, 'churn');
  assertCodedFailure(await loomHere(['runs', 'compare', gbdtRun, '--json']), 'LOOM_ERR_TRACKING_COMPARE_TOO_FEW');
  assertCodedFailure(await loomHere(['runs', 'list', '--order-by', 'metrics.auc upward', '--json']), 'LOOM_ERR_TRACKING_ORDER_INVALID');
  assertCodedFailure(await loomHere(['runs', 'list', '--limit', 'ten', '--json']), 'LOOM_ERR_TRACKING_INVALID_VALUE');
  assertCodedFailure(await loomHere(['runs', 'list', '--page-token', 'nonsense', '--json']), 'LOOM_ERR_TRACKING_PAGE_TOKEN_INVALID');
  assertCodedFailure(await loomHere(['runs', 'show', gbdtRun, '--metric', 'valid_auc', '--json']), 'LOOM_ERR_TRACKING_METRIC_NOT_FOUND');
  assertCodedFailure(await loomHere(['train', '--data', 'churn-train', '--target', 'churned', '--experiment', 'bad name', '--json']), 'LOOM_ERR_TRACKING_INVALID_NAME');
  // A training that fails ends its run `failed`, naming the error.
  assertCodedFailure(await loomHere(['train', '--data', 'churn-train', '--target', 'no_such_column', '--experiment', 'broken', '--json']), 'LOOM_ERR_FRAME_COLUMN_NOT_FOUND');
  const failed = (await loomHere(['runs', 'list', '--experiment', 'broken', '--json'])).json().runs;
  assert.equal(failed.length, 1);
  assert.equal(failed[0].status, 'failed');
  assert.match(failed[0].statusMessage, /^LOOM_ERR_FRAME_COLUMN_NOT_FOUND: /);
  assert.deepEqual(failed[0].datasets, []);
});

test('a run killed with SIGKILL stays running with its heartbeat, the next command marks it failed, and every acknowledged point survives', async () => {
  const script = join(home, 'killed-run.mts');
  writeFileSync(
    script,
    `const { Workspace } = await import(${JSON.stringify(new URL('../../src/storage/workspace.ts', import.meta.url).href)});
const { startRun } = await import(${JSON.stringify(new URL('../../src/tracking/index.ts', import.meta.url).href)});
const ws = Workspace.open();
// The timer never flushes by itself here, so only explicit flushes acknowledge points.
const run = await startRun(ws, { experiment: 'crash', params: { lr: 0.1 }, flushIntervalMs: 600000, batchSize: 1000000 });
console.log('run ' + run.id);
let step = 0;
for (;;) {
  for (let i = 0; i < 500; i++) run.logMetric('loss', 1 / (step + 1), step++);
  await run.flush();
  console.log('acked ' + step);
  for (let i = 0; i < 200; i++) run.logMetric('loss', 1 / (step + 1), step++); // buffered, never acknowledged
  await new Promise((r) => setTimeout(r, 5));
}
`,
  );
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx/esm'), script], { cwd: home, env: { ...process.env, LOOM_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let runId = '';
  let acked = 0;
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.startsWith('run ')) runId = line.slice(4);
    if (line.startsWith('acked ')) acked = Number(line.slice(6));
    if (acked >= 5 * 700 - 200) break;
  }
  assert.ok(runId !== '', stderr);
  const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');

  // Before anyone looks, the run is still `running`, with the heartbeat of its last flush.
  const store = await openMetadataStore(`sqlite://${join(home, 'loom.db')}`);
  const raw = await store.db.selectFrom('runs').select(['status', 'heartbeat_at', 'start_time', 'pid']).where('id', '=', runId).executeTakeFirstOrThrow();
  await store.close();
  assert.equal(raw.status, 'running');
  assert.ok(raw.heartbeat_at > raw.start_time);
  assert.equal(raw.pid, child.pid);

  const shown = await loom(['runs', 'show', runId, '--metric', 'loss', '--json']);
  assert.equal(shown.code, 0, shown.stderr);
  const record = shown.json();
  assert.equal(record.status, 'failed');
  assert.match(record.statusMessage, /^stale: process \d+ on .* is gone/);
  assert.equal(record.endTime, raw.heartbeat_at);
  // Every acknowledged step is there, once, in order (a flush still in flight at the kill may add more).
  const steps: number[] = record.series.points.map((p: { step: number }) => p.step);
  assert.ok(steps.length >= acked, `${steps.length} points stored, ${acked} acknowledged`);
  assert.deepEqual(steps.slice(0, acked), Array.from({ length: acked }, (_, i) => i));
  assert.equal(new Set(steps).size, steps.length);
  assert.deepEqual(record.params, { lr: '0.1' });
  const list = await loomHere(['experiments', 'list', '--json']);
  assert.deepEqual(list.json().find((e: { name: string }) => e.name === 'crash').running, 0);
});

