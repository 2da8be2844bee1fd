import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ingestDataset } from '../../src/data/ingest/ingest-dataset.js';
import { loadDatasetFrame } from '../../src/data/versions/load-dataset-frame.js';
import { ModelRegistry } from '../../src/registry/index.js';
import { ModelRepository, PredictionLog, counterValue, createServingApp, type PredictionEvent } from '../../src/serving/index.js';
import { openEventLog, type EventLog } from '../../src/storage/events/index.js';
import { Workspace } from '../../src/storage/workspace.js';
import { trainModel } from '../../src/training/index.js';
import { assertCodedFailure, DATASETS, loomCli, ROOT } from '../support/loom-cli.js';

// "What was acknowledged survives kill -9", counted: `loom serve` runs as a child process on the embedded SQLite event
// log, 16 clients send predictions without pause, the server is killed with SIGKILL while requests are in flight, and
// the log is opened afterwards. With --log-ack logged every 200 a client received must be in the log, each row exactly
// once. With --log-ack async the acknowledged quantity is the durable high-water mark the server exported.

const home = mkdtempSync(join(tmpdir(), 'loom-e2e-log-durability-'));
const ws = Workspace.open({ overrides: { home } });
let records: Record<string, unknown>[];
const FEATURES = ['age', 'workclass', 'fnlwgt', 'education', 'education-num', 'marital-status', 'occupation', 'relationship', 'race', 'sex', 'capital-gain', 'capital-loss', 'hours-per-week', 'native-country'];

before(async () => {
  await ingestDataset(ws, { path: join(DATASETS, 'adult-train.csv.gz'), name: 'adult-train', tags: 'income=target' });
  const trained = await trainModel(ws, { data: 'adult-train', target: 'income', params: { num_iterations: 10 }, seed: 1, out: join(home, 'models/adult') });
  const registry = await ModelRegistry.open(ws);
  await registry.register({ dir: trained.modelDir, name: 'adult' });
  await registry.setAlias('adult', 'champion', 1);
  records = (await loadDatasetFrame(ws, 'adult-train')).frame.slice(0, 50).select(FEATURES).toRecords();
});
after(async () => {
  await ws.close();
  rmSync(home, { recursive: true, force: true });
});

/** Starts `loom serve` on a free port and resolves with the child and its URL. */
async function serve(args: readonly string[]): Promise<{ child: ChildProcess; url: string; exited: Promise<NodeJS.Signals | null> }> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx/esm'), join(ROOT, 'src/cli/main.ts'), 'serve', '--port', '0', '--models', 'adult@champion', '--json', ...args], {
    cwd: home,
    env: { ...process.env, LOOM_HOME: home, LOOM_NO_PROGRESS: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      stdout += d;
      if (stdout.includes('\n')) resolve(stdout.split('\n')[0]);
    });
    child.on('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
  });
  return { child, url: JSON.parse(line).url, exited };
}

interface Load {
  /** Request id → rows sent, for every request answered 200. */
  readonly acked: Map<string, number>;
  /** Requests that got no response (the connection died with the server). */
  unanswered: number;
}

/**
 * 16 clients, each sending one request after another (1 to 3 records, a unique request id) until the server dies.
 * `onAck` runs after each 200 and may kill the server.
 */
async function load(url: string, prefix: string, onAck: (load: Load) => void): Promise<Load> {
  const state: Load = { acked: new Map(), unanswered: 0 };
  let dead = false;
  const client = async (c: number) => {
    for (let i = 0; !dead; i++) {
      const id = `${prefix}-${c}-${i}`;
      const rows = 1 + ((c + i) % 3);
      try {
        const res = await fetch(`${url}/v1/models/adult/predict`, { method: 'POST', headers: { 'x-request-id': id, 'content-type': 'application/json' }, body: JSON.stringify({ records: records.slice(i % 40, (i % 40) + rows) }) });
        const body = (await res.json()) as { request_id: string; predictions: unknown[] };
        assert.equal(res.status, 200, JSON.stringify(body));
        assert.equal(body.request_id, id);
        state.acked.set(id, rows);
        onAck(state);
      } catch (err) {
        if (err instanceof assert.AssertionError) throw err;
        state.unanswered++;
        dead = true;
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, (_, c) => client(c)));
  return state;
}

async function loggedEvents(): Promise<PredictionEvent[]> {
  const events = await ws.events();
  const out: PredictionEvent[] = [];
  for (let offset = 0; ; ) {
    const batch = await events.read('predictions', offset, 10_000);
    if (batch.length === 0) return out;
    for (const e of batch) out.push(e.data as PredictionEvent);
    offset = batch[batch.length - 1].offset + 1;
  }
}

test('--log-ack logged: after kill -9 mid-traffic, every acknowledged prediction is in the log exactly once', async () => {
  const { child, url, exited } = await serve(['--log-ack', 'logged']);
  const KILL_AFTER = 300;
  const result = await load(url, 'logged', (s) => {
    if (s.acked.size === KILL_AFTER) child.kill('SIGKILL');
  });
  assert.equal(await exited, 'SIGKILL');
  assert.ok(result.unanswered >= 1, 'requests were in flight when the server died');
  const events = await loggedEvents();
  const seen = new Map<string, number>();
  for (const e of events) {
    const key = `${e.request_id}#${e.row}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const duplicated = [...seen].filter(([, n]) => n > 1);
  assert.deepEqual(duplicated, [], 'no event is logged twice');
  const missing: string[] = [];
  for (const [id, rows] of result.acked) for (let r = 0; r < rows; r++) if (!seen.has(`${id}#${r}`)) missing.push(`${id}#${r}`);
  assert.deepEqual(missing, [], `all ${result.acked.size} acknowledged requests are in the log`);
  const ackedRows = [...result.acked.values()].reduce((a, b) => a + b, 0);
  assert.ok(result.acked.size >= KILL_AFTER);
  // Requests answered 200 after the kill decision were already logged; events beyond the acknowledged ones belong to
  // requests whose response the kill cut off (at most one per client).
  assert.ok(events.length >= ackedRows && events.length <= ackedRows + 16 * 3, `${events.length} events for ${ackedRows} acknowledged rows`);
  const sample = events.find((e) => e.request_id === 'logged-0-0')!;
  assert.deepEqual([sample.model, sample.version, sample.route, sample.row], ['adult', '1', 'v1', 0]);
});

test('--log-ack async: every event up to the exported durable high-water mark survives kill -9', async () => {
  const before = (await loggedEvents()).length;
  const { child, url, exited } = await serve(['--log-ack', 'async']);
  let mark = -1;
  let polling: Promise<void> | null = null;
  await load(url, 'async', (s) => {
    if (s.acked.size !== 300 || polling !== null) return;
    // The mark is read from /metrics, then the server is killed at once.
    polling = fetch(`${url}/metrics`)
      .then((r) => r.text())
      .then((text) => {
        mark = Number(/^loom_serving_prediction_log_durable_events (\d+)$/m.exec(text)![1]);
        child.kill('SIGKILL');
      });
  });
  await polling;
  assert.equal(await exited, 'SIGKILL');
  const survived = (await loggedEvents()).length - before;
  assert.ok(mark > 0, `the server exported a durable mark (${mark})`);
  assert.ok(survived >= mark, `${survived} events survived, the acknowledged mark was ${mark}`);
});

test('--log-ack logged: a failed log append turns the 200 into a 503 LOOM_ERR_SERVING_LOG_UNAVAILABLE; a bad mode is a coded error', async () => {
  const inner = await openEventLog('sqlite://:memory:');
  let failing = false;
  const events = Object.create(inner) as EventLog;
  events.append = (stream, batch) => (failing ? Promise.reject(new Error('disk I/O error')) : inner.append(stream, batch));
  const repository = new ModelRepository({ registry: await ModelRegistry.open(ws) });
  await repository.serve('adult@champion');
  const predictionLog = new PredictionLog(events, { ack: 'logged' });
  const app = createServingApp({ repository, predictionLog });
  try {
    const predict = (id: string) => app.inject({ method: 'POST', url: '/v1/models/adult/predict', headers: { 'x-request-id': id }, payload: { records: records.slice(0, 2) } });
    const ok = await predict('fine');
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual((await inner.read('predictions', 0, 10)).map((e) => (e.data as PredictionEvent).request_id), ['fine', 'fine'], 'logged before the 200');
    failing = true;
    const refused = await predict('lost');
    assert.deepEqual([refused.statusCode, refused.json().code], [503, 'LOOM_ERR_SERVING_LOG_UNAVAILABLE']);
    assert.equal(await counterValue(app.metrics.requests, { route: '/v1/models/:name/predict', model: 'adult', version: '1', status: '503' }), 1, 'counted once, as the 503 it became');
    assert.equal(await counterValue(app.metrics.requests, { route: '/v1/models/:name/predict', model: 'adult', version: '1', status: '200' }), 1);
    failing = false;
    assert.equal((await predict('again')).statusCode, 200, 'the next request is acknowledged again once the log recovers');
  } finally {
    await app.close();
    await inner.close();
  }
  assertCodedFailure(await loomCli(home)(['serve', '--port', '0', '--log-ack', 'sometimes', '--json']), 'LOOM_ERR_SERVING_INVALID_OPTION');
});
