import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ingestDataset } from '../../src/data/ingest/ingest-dataset.js';
import { loadDatasetFrame } from '../../src/data/versions/load-dataset-frame.js';
import { ModelRegistry } from '../../src/registry/index.js';
import { ModelRepository, PredictionLog, ServingMetrics, createServingApp, type ServingApp } from '../../src/serving/index.js';
import { Workspace } from '../../src/storage/workspace.js';
import { trainModel } from '../../src/training/index.js';
import { DATASETS } from '../support/loom-cli.js';

// Prometheus's own linter must accept GET /metrics after real traffic: predictions on both protocols, micro-batched
// concurrent requests, partial requests, and errors of several codes. promtool comes from Debian's prometheus package
// (.ci/run installs it); under CI=true the test is required, elsewhere it skips when promtool is missing.

const promtool = spawnSync('promtool', ['--version']).status === 0;
const skip = promtool ? false : process.env.CI === 'true' ? false : 'promtool is not installed (apt-get download prometheus; see .ci/run)';
const home = mkdtempSync(join(tmpdir(), 'loom-e2e-promtool-'));
const ws = Workspace.open({ overrides: { home } });
let app: ServingApp;
let url: string;
let records: Record<string, unknown>[];
const FEATURES = ['age', 'workclass', 'fnlwgt', 'education', 'education-num', 'marital-status', 'occupation', 'relationship', 'race', 'sex', 'capital-gain', 'capital-loss', 'hours-per-week', 'native-country'];

before(async () => {
  if (skip !== false) return;
  await ingestDataset(ws, { path: join(DATASETS, 'adult-train.csv.gz'), name: 'adult-train', tags: 'income=target' });
  const trained = await trainModel(ws, { data: 'adult-train', target: 'income', params: { num_iterations: 5 }, seed: 1, out: join(home, 'models/adult') });
  const registry = await ModelRegistry.open(ws);
  await registry.register({ dir: trained.modelDir, name: 'adult' });
  await registry.register({ dir: trained.modelDir, name: 'adult-copy' });
  await registry.setAlias('adult', 'champion', 1);
  records = (await loadDatasetFrame(ws, 'adult-train')).frame.slice(0, 20).select(FEATURES).toRecords();
  const repository = new ModelRepository({ registry });
  await repository.serve('adult@champion');
  const metrics = new ServingMetrics();
  const predictionLog = new PredictionLog(await ws.events(), { ack: 'logged' }, metrics);
  app = createServingApp({ repository, metrics, predictionLog, batching: { maxBatchSize: 8, maxWaitMs: 5 }, bodyLimit: 4096 });
  url = await app.listen({ port: 0 });
});
after(async () => {
  await app?.close();
  await ws.close();
  rmSync(home, { recursive: true, force: true });
});

function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

test('promtool check metrics accepts /metrics after predictions, batching and errors', { skip }, async () => {
  assert.ok(promtool, 'promtool is required under CI=true: .ci/run installs it from the prometheus package');
  // Concurrent single-record requests, so the micro-batcher combines them.
  const statuses = await Promise.all(Array.from({ length: 24 }, (_, i) => post('/v1/models/adult/predict', { records: [records[i % 20]] }).then((r) => r.status)));
  assert.deepEqual(new Set(statuses), new Set([200]));
  const v2 = await post('/v2/models/adult/infer', { inputs: FEATURES.map((name) => ({ name, shape: [2, 1], datatype: typeof records[0][name] === 'string' ? 'BYTES' : 'INT64', data: [records[0][name], records[1][name]] })) });
  assert.equal(v2.status, 200, await v2.clone().text());
  assert.equal((await post('/v1/models/adult-copy/predict', { records: records.slice(0, 3) })).status, 200);
  const partial = await post('/v1/models/adult/predict?partial=true', { records: [records[0], { ...records[1], age: 'old' }] });
  assert.equal(partial.status, 200);
  const errors: [Response, number][] = [
    [await post('/v1/models/adult/predict', { records: [{ ...records[0], age: 'old' }] }), 400],
    [await post('/v1/models/nope/predict', { records: [records[0]] }), 404],
    [await post('/v1/models/adult/predict', '{"records":'), 400],
    [await post('/v1/models/adult/predict', { records: new Array(200).fill(records[0]) }), 413],
    [await fetch(`${url}/v2/models/adult/versions/9/ready`), 404],
    [await fetch(`${url}/no/such/route`), 404],
  ];
  assert.deepEqual(errors.map(([r]) => r.status), errors.map(([, s]) => s));

  const text = await (await fetch(`${url}/metrics`)).text();
  for (const series of ['loom_serving_requests_total{', 'loom_serving_errors_total{', 'loom_serving_request_duration_seconds_bucket{', 'loom_serving_batch_rows_bucket{', 'loom_serving_record_errors_total{', 'loom_serving_prediction_log_events_total{outcome="written"}', 'loom_serving_prediction_log_durable_events ']) {
    assert.ok(text.includes(series), `/metrics has ${series}`);
  }
  const checked = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn('promtool', ['check', 'metrics']);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
    child.stdin.end(text);
  });
  assert.equal(checked.out, '', 'promtool reports no lint problems');
  assert.equal(checked.code, 0);
});

test('promtool check metrics rejects exposition text that breaks its rules (the check can fail)', { skip }, () => {
  const bad = '# HELP loom_bad_total Counts.\n# TYPE loom_bad_total counter\nloom_bad_total{route="a} 1\n';
  const lint = '# HELP loom_requests Requests.\n# TYPE loom_requests counter\nloom_requests 1\n';
  const unparsable = spawnSync('promtool', ['check', 'metrics'], { input: bad, encoding: 'utf8' });
  const unsuffixed = spawnSync('promtool', ['check', 'metrics'], { input: lint, encoding: 'utf8' });
  assert.notEqual(unparsable.status, 0, 'an unterminated label value is an error');
  assert.notEqual(unsuffixed.status, 0, 'a lint problem fails the check');
  assert.match(unsuffixed.stdout + unsuffixed.stderr, /counter metrics should have "_total" suffix/);
});
