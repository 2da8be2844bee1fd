import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Frame } from '../../src/core/frame/frame.js';
import { ingestDataset } from '../../src/data/ingest/ingest-dataset.js';
import { loadDatasetFrame } from '../../src/data/versions/load-dataset-frame.js';
import { predictBatch } from '../../src/models/gbdt/index.js';
import { readLightGbmModel } from '../../src/models/gbdt/io/read-lightgbm-model.js';
import { treeShap } from '../../src/models/gbdt/shap/tree-shap.js';
import type { GbdtModel } from '../../src/models/gbdt/index.js';
import { ModelRegistry } from '../../src/registry/index.js';
import { ModelRepository, PredictionLog, counterValue, createServingApp, type ServingApp } from '../../src/serving/index.js';
import { Workspace } from '../../src/storage/workspace.js';
import { trainModel } from '../../src/training/index.js';
import { DATASETS, startServe } from '../support/loom-cli.js';
import { metadataTestBackends } from '../support/metadata-backends.js';

// The model server end to end on UCI Adult: a 20-iteration GBDT trained and registered as adult@champion, served
// in-process (inject) and by `loom serve` on a real socket. Predictions must equal predictBatch's bit for bit.

const { root: home } = metadataTestBackends('loom-e2e-serve-');
const ws = Workspace.open({ overrides: { home } });
let registry: ModelRegistry;
let gbdt: GbdtModel;
let gbdt2: GbdtModel;
let test200: Frame;
let records: Record<string, unknown>[];
let app: ServingApp;
const FEATURES = ['age', 'workclass', 'fnlwgt', 'education', 'education-num', 'marital-status', 'occupation', 'relationship', 'race', 'sex', 'capital-gain', 'capital-loss', 'hours-per-week', 'native-country'];

before(async () => {
  await ingestDataset(ws, { path: join(DATASETS, 'adult-train.csv.gz'), name: 'adult-train', tags: 'income=target' });
  await ingestDataset(ws, { path: join(DATASETS, 'adult-test.csv.gz'), name: 'adult-test', tags: 'income=target' });
  const first = await trainModel(ws, { data: 'adult-train', target: 'income', params: { num_iterations: 20 }, seed: 1, out: join(home, 'models/adult-1') });
  const second = await trainModel(ws, { data: 'adult-train', target: 'income', params: { num_iterations: 20, num_leaves: 7 }, seed: 1, out: join(home, 'models/adult-2') });
  gbdt = readLightGbmModel(readFileSync(join(first.modelDir, 'model.txt'), 'utf8'));
  gbdt2 = readLightGbmModel(readFileSync(join(second.modelDir, 'model.txt'), 'utf8'));
  registry = await ModelRegistry.open(ws);
  await registry.register({ dir: first.modelDir, name: 'adult' });
  await registry.register({ dir: second.modelDir, name: 'adult' });
  await registry.setAlias('adult', 'champion', 1);
  await registry.setAlias('adult', 'challenger', 2);
  test200 = (await loadDatasetFrame(ws, 'adult-test')).frame.slice(0, 200);
  records = test200.select(FEATURES).toRecords();
  const repository = new ModelRepository({ registry, aliasRefreshMs: 0 });
  await repository.serve('adult@champion');
  app = createServingApp({ repository, predictionLog: new PredictionLog(await ws.events(), { flushIntervalMs: 10 }) });
});
after(async () => {
  await app.close();
  await ws.close();
});

/** One V2 input tensor per column, as MLServer's pandas codec sends it. */
function v2Inputs(rows: readonly Record<string, unknown>[], shape: (n: number) => number[] = (n) => [n, 1]) {
  return FEATURES.map((name) => {
    const data = rows.map((r) => r[name]);
    const text = data.some((v) => typeof v === 'string');
    return { name, shape: shape(rows.length), datatype: text ? 'BYTES' : 'INT64', data };
  });
}

describe('V2 Open Inference Protocol', () => {
  test('health, server metadata, model metadata and readiness have the protocol shapes', async () => {
    assert.deepEqual((await app.inject({ url: '/v2/health/live' })).json(), { live: true });
    const ready = await app.inject({ url: '/v2/health/ready' });
    assert.deepEqual([ready.statusCode, ready.json()], [200, { ready: true }]);
    assert.equal((await app.inject({ url: '/v2' })).json().name, 'loom');
    const meta = (await app.inject({ url: '/v2/models/adult' })).json();
    assert.deepEqual([meta.name, meta.versions, meta.platform], ['adult', ['1', '2'], 'loom-gbdt']);
    assert.deepEqual(meta.inputs.slice(0, 2), [{ name: 'age', datatype: 'INT64', shape: [-1, 1] }, { name: 'workclass', datatype: 'BYTES', shape: [-1, 1] }]);
    assert.deepEqual(meta.outputs, [{ name: 'p_>50K', datatype: 'FP64', shape: [-1, 1] }]);
    assert.equal((await app.inject({ url: '/v2/models/adult/versions/2' })).json().parameters.version, '2');
    assert.deepEqual((await app.inject({ url: '/v2/models/adult/versions/2/ready' })).json(), { name: 'adult', ready: true });
    assert.deepEqual((await app.inject({ url: '/v2/models/adult/ready' })).json(), { name: 'adult', ready: true });
  });

  test('infer with one [n,1] BYTES/INT64 tensor per column equals predictBatch exactly, id echoed', async () => {
    const res = await app.inject({ method: 'POST', url: '/v2/models/adult/infer', payload: { id: 'req-42', inputs: v2Inputs(records) } });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual([body.model_name, body.model_version, body.id], ['adult', '1', 'req-42']);
    assert.equal(body.outputs.length, 1);
    assert.deepEqual([body.outputs[0].name, body.outputs[0].shape, body.outputs[0].datatype], ['p_>50K', [200, 1], 'FP64']);
    assert.deepEqual(body.outputs[0].data, [...predictBatch(gbdt, test200)]);
  });

  test('shape [n] with nested data, a pinned version path, and an outputs filter', async () => {
    const inputs = v2Inputs(records.slice(0, 10), (n) => [n]).map((t) => ({ ...t, data: t.data.map((v) => [v]) }));
    const res = await app.inject({ method: 'POST', url: '/v2/models/adult/versions/2/infer', payload: { inputs, outputs: [{ name: 'p_>50K' }] } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().model_version, '2');
    assert.deepEqual(res.json().outputs[0].data, [...predictBatch(gbdt2, test200.slice(0, 10))]);
    assert.match(res.json().id, /^[0-9a-f-]{36}$/);
  });

  test('each bad request is a 400 or 404 {error, code} naming the field', async () => {
    const infer = (payload: unknown, url = '/v2/models/adult/infer') => app.inject({ method: 'POST', url, payload });
    const good = v2Inputs(records.slice(0, 2));
    const cases: [unknown, number, string, string | undefined][] = [
      [{ inputs: good.slice(1) }, 400, 'LOOM_ERR_SERVING_INVALID_RECORD', 'age'],
      [{ inputs: [{ ...good[0], datatype: 'BYTES', data: ['39', '50'] }, ...good.slice(1)] }, 400, 'LOOM_ERR_SERVING_INVALID_REQUEST', 'inputs[0].datatype'],
      [{ inputs: [{ ...good[0], datatype: 'fp64' }, ...good.slice(1)] }, 400, 'LOOM_ERR_SERVING_INVALID_REQUEST', 'inputs[0].datatype'],
      [{ inputs: [{ ...good[0], shape: [3, 1] }, ...good.slice(1)] }, 400, 'LOOM_ERR_SERVING_INVALID_REQUEST', 'inputs[0].data'],
      [{ inputs: [{ ...good[0], data: [39.5, 50] , datatype: 'FP64' }, ...good.slice(1)] }, 400, 'LOOM_ERR_SERVING_INVALID_RECORD', 'age'],
      [{ inputs: [{ ...good[0], data: [39, 'x'] }, ...good.slice(1)] }, 400, 'LOOM_ERR_SERVING_INVALID_REQUEST', 'inputs[0].data[1]'],
      [{ inputs: [{ ...good[0], datatype: 'INT8', data: [39, 500] }, ...good.slice(1)] }, 400, 'LOOM_ERR_SERVING_INVALID_REQUEST', 'inputs[0].data[1]'],
      [{ inputs: good, outputs: [{ name: 'nope' }] }, 400, 'LOOM_ERR_SERVING_INVALID_REQUEST', 'outputs[0].name'],
      [{ inputs: [] }, 400, 'LOOM_ERR_SERVING_INVALID_REQUEST', 'inputs'],
      [{ input: good }, 400, 'LOOM_ERR_SERVING_INVALID_REQUEST', 'input'],
    ];
    for (const [payload, status, code, field] of cases) {
      const res = await infer(payload);
      assert.equal(res.statusCode, status, res.body);
      assert.equal(res.json().code, code, res.body);
      assert.equal(typeof res.json().error, 'string');
      assert.equal(res.json().details.field, field, res.body);
    }
    const unknown = await infer({ inputs: good }, '/v2/models/nope/infer');
    assert.deepEqual([unknown.statusCode, unknown.json().code], [404, 'LOOM_ERR_SERVING_MODEL_NOT_FOUND']);
    const version = await infer({ inputs: good }, '/v2/models/adult/versions/9/infer');
    assert.deepEqual([version.statusCode, version.json().code], [404, 'LOOM_ERR_REGISTRY_VERSION_NOT_FOUND']);
    const badVersion = await infer({ inputs: good }, '/v2/models/adult/versions/x1/infer');
    assert.deepEqual([badVersion.statusCode, badVersion.json().code], [404, 'LOOM_ERR_SERVING_VERSION_NOT_FOUND']);
    const notReady = await app.inject({ url: '/v2/models/nope/ready' });
    assert.deepEqual([notReady.statusCode, notReady.json().code], [404, 'LOOM_ERR_SERVING_MODEL_NOT_FOUND']);
  });
});

describe('Loom protocol', () => {
  test('predict equals predictBatch exactly; the response names model, version, alias and request id', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/models/adult/predict', headers: { 'x-request-id': 'loom-req-1' }, payload: { records } });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(res.headers['x-request-id'], 'loom-req-1');
    assert.equal(body.request_id, 'loom-req-1');
    assert.deepEqual(body.model, { name: 'adult', version: '1', alias: 'champion', hash: (await registry.find('adult@1')).modelHash });
    assert.deepEqual(body.predictions.map((p: Record<string, number>) => p['p_>50K']), [...predictBatch(gbdt, test200)]);
    assert.deepEqual(body.errors, []);
  });

  test('alias and version options pick the version; moving the alias swaps the served version', async () => {
    const viaQuery = (await app.inject({ method: 'POST', url: '/v1/models/adult/predict?alias=challenger', payload: { records: records.slice(0, 3) } })).json();
    assert.deepEqual([viaQuery.model.version, viaQuery.model.alias], ['2', 'challenger']);
    assert.deepEqual(viaQuery.predictions.map((p: Record<string, number>) => p['p_>50K']), [...predictBatch(gbdt2, test200.slice(0, 3))]);
    const viaBody = (await app.inject({ method: 'POST', url: '/v1/models/adult/predict', payload: { records: records.slice(0, 1), version: 2 } })).json();
    assert.equal(viaBody.model.version, '2');
    await registry.setAlias('adult', 'champion', 2);
    try {
      const swapped = (await app.inject({ method: 'POST', url: '/v1/models/adult/predict', payload: { records: records.slice(0, 1) } })).json();
      assert.deepEqual([swapped.model.version, swapped.model.alias], ['2', 'champion']);
    } finally {
      await registry.setAlias('adult', 'champion', 1);
    }
  });

  test('hot swap under traffic: while the alias moves back and forth, every request succeeds on one of the two versions', async () => {
    const expected = new Map([['1', predictBatch(gbdt, test200.slice(0, 5))], ['2', predictBatch(gbdt2, test200.slice(0, 5))]]);
    let moving = true;
    const mover = (async () => {
      for (let i = 0; moving && i < 20; i++) await registry.setAlias('adult', 'champion', (i % 2) + 1);
      await registry.setAlias('adult', 'champion', 1);
    })();
    for (let round = 0; round < 10; round++) {
      const answers = await Promise.all(Array.from({ length: 8 }, () => app.inject({ method: 'POST', url: '/v1/models/adult/predict', payload: { records: records.slice(0, 5) } })));
      for (const a of answers) {
        assert.equal(a.statusCode, 200, a.body);
        const body = a.json();
        assert.deepEqual(body.predictions.map((p: any) => p['p_>50K']), [...expected.get(body.model.version)!]);
      }
    }
    moving = false;
    await mover;
  });

  test('explain gives the top-k TreeSHAP contributions, which with the bias sum to the raw score', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/models/adult/predict?explain=3', payload: { records: records.slice(0, 4) } });
    assert.equal(res.statusCode, 200, res.body);
    const shap = treeShap(gbdt, test200.slice(0, 4));
    const width = FEATURES.length + 1;
    res.json().explanations.forEach((e: any, r: number) => {
      const x = e['p_>50K'];
      assert.equal(x.top.length, 3);
      assert.equal(x.bias, shap[r * width + FEATURES.length]);
      const expected = FEATURES.map((f, j) => ({ feature: f, value: shap[r * width + j] })).sort((a, b) => Math.abs(b.value) - Math.abs(a.value)).slice(0, 3);
      assert.deepEqual(x.top, expected);
      const p = res.json().predictions[r]['p_>50K'];
      assert.ok(Math.abs(1 / (1 + Math.exp(-x.raw_score)) - p) < 1e-12, `${x.raw_score} vs ${p}`);
    });
  });

  test('a bad record is a 400 naming record and field; with partial=true the valid records are still predicted', async () => {
    const bad = [records[0], { ...records[1], age: 'forty' }, { ...records[2], sex: undefined }, 7, records[3]];
    const strict = await app.inject({ method: 'POST', url: '/v1/models/adult/predict', payload: { records: bad } });
    assert.equal(strict.statusCode, 400);
    assert.equal(strict.json().code, 'LOOM_ERR_SERVING_INVALID_RECORD');
    assert.deepEqual([strict.json().details.index, strict.json().details.field], [1, 'age']);
    assert.deepEqual(strict.json().details.errors.map((e: any) => [e.index, e.field]), [[1, 'age'], [2, 'sex'], [3, '(record)']]);
    const partial = await app.inject({ method: 'POST', url: '/v1/models/adult/predict?partial=true', payload: { records: bad } });
    assert.equal(partial.statusCode, 200, partial.body);
    const body = partial.json();
    const expected = predictBatch(gbdt, test200.slice(0, 4));
    assert.deepEqual(body.predictions.map((p: any) => (p === null ? null : p['p_>50K'])), [expected[0], null, null, null, expected[3]]);
    assert.deepEqual(body.errors.map((e: any) => [e.index, e.field, e.code]), [[1, 'age', 'LOOM_ERR_SERVING_INVALID_RECORD'], [2, 'sex', 'LOOM_ERR_SERVING_INVALID_RECORD'], [3, '(record)', 'LOOM_ERR_SERVING_INVALID_RECORD']]);
  });

  test('null is a missing value for a GBDT input and scores as predictBatch scores a missing value', async () => {
    const row = { ...records[0], workclass: null, age: null };
    const res = await app.inject({ method: 'POST', url: '/v1/models/adult/predict', payload: { records: [row] } });
    assert.equal(res.statusCode, 200, res.body);
    const { frameFromRecords } = await import('../../src/core/frame/index.js');
    const frame = frameFromRecords([{ ...row, workclass: null }], { columns: (await registry.find('adult@1')).signature.input.columns.map((c) => ({ ...c, categories: undefined })) });
    assert.equal(res.json().predictions[0]['p_>50K'], predictBatch(gbdt, frame)[0]);
  });

  test('each bad option is a coded 4xx naming it', async () => {
    const predict = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload });
    const cases: [string, unknown, number, string, string][] = [
      ['/v1/models/adult/predict', { records: [] }, 400, 'LOOM_ERR_SERVING_INVALID_REQUEST', 'records'],
      ['/v1/models/adult/predict', { records: records.slice(0, 1), explain: 'lots' }, 400, 'LOOM_ERR_SERVING_INVALID_REQUEST', 'explain'],
      ['/v1/models/adult/predict', { records: records.slice(0, 1), alias: 'champion', version: 1 }, 400, 'LOOM_ERR_SERVING_INVALID_REQUEST', 'version'],
      ['/v1/models/adult/predict', { records: records.slice(0, 1), recordz: 1 }, 400, 'LOOM_ERR_SERVING_INVALID_REQUEST', 'recordz'],
      ['/v1/models/adult/predict?partial=maybe', { records: records.slice(0, 1) }, 400, 'LOOM_ERR_SERVING_INVALID_REQUEST', 'partial'],
      ['/v1/models/adult/predict?limit=3', { records: records.slice(0, 1) }, 400, 'LOOM_ERR_SERVING_INVALID_REQUEST', '?limit'],
      ['/v1/models/adult/predict?alias=gold', { records: records.slice(0, 1) }, 404, 'LOOM_ERR_REGISTRY_ALIAS_NOT_FOUND', 'alias'],
      ['/v1/models/adult/predict?version=7', { records: records.slice(0, 1) }, 404, 'LOOM_ERR_REGISTRY_VERSION_NOT_FOUND', 'version'],
      ['/v1/models/adlt/predict', { records: records.slice(0, 1) }, 404, 'LOOM_ERR_SERVING_MODEL_NOT_FOUND', 'name'],
    ];
    for (const [url, payload, status, code, field] of cases) {
      const res = await predict(url, payload);
      assert.deepEqual([res.statusCode, res.json().code, res.json().details?.field], [status, code, field], `${url} ${res.body}`);
    }
    const suggestion = await predict('/v1/models/adlt/predict', { records: records.slice(0, 1) });
    assert.equal(suggestion.json().details.suggestion, 'adult');
  });
});

describe('hardening', () => {
  test('malformed JSON is 400, an unknown route 404, a body over the limit 413', async () => {
    const malformed = await app.inject({ method: 'POST', url: '/v1/models/adult/predict', payload: '{"records": [' });
    assert.deepEqual([malformed.statusCode, malformed.json().code], [400, 'LOOM_ERR_SERVING_MALFORMED_JSON']);
    const route = await app.inject({ url: '/v3/whatever' });
    assert.deepEqual([route.statusCode, route.json().code], [404, 'LOOM_ERR_SERVING_ROUTE_NOT_FOUND']);
    const huge = await app.inject({ method: 'POST', url: '/v2/models/adult/infer', payload: Buffer.alloc(app.bodyLimit + 1, 32) });
    assert.deepEqual([huge.statusCode, huge.json().code], [413, 'LOOM_ERR_SERVING_BODY_TOO_LARGE']);
  });

  test('fuzz: hostile bodies at every route never give a 5xx, and the server stays live', async () => {
    const urls = ['/v2', '/v2/health/live', '/v2/health/ready', '/v2/models/adult', '/v2/models/adult/ready', '/v2/models/adult/versions/1', '/v2/models/adult/versions/1/ready', '/v2/models/adult/infer', '/v2/models/adult/versions/1/infer', '/v1/models/adult/predict', '/metrics', '/v2/models/%E0%A4%A/infer', '/v1/models/..%2F..%2Fetc/predict', '/v2/models/adult/versions/99999999999999999999/infer'];
    const t = v2Inputs(records.slice(0, 1))[0];
    const bodies: unknown[] = [
      '', 'null', '[]', '"text"', '1e309', '{', '{"inputs":', '\u0000', 'NaN', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}',
      { inputs: null }, { inputs: {} }, { inputs: [null] }, { inputs: [1, 2] }, { inputs: [{ ...t, shape: 'x' }] }, { inputs: [{ ...t, shape: [-1] }] },
      { inputs: [{ ...t, shape: [1e300, 1e300] }] }, { inputs: [{ ...t, shape: [1.5] }] }, { inputs: [{ ...t, data: 'abc' }] }, { inputs: [{ ...t, data: [[[[[[[[[[[1]]]]]]]]]]] }] },
      { inputs: [{ ...t, datatype: 'FP64', data: ['NaN'] }] }, { inputs: [{ ...t, datatype: 'FP64', data: ['Infinity'] }] }, { inputs: [{ ...t, name: 7 }] }, { inputs: [t, t] },
      { inputs: [{ name: 'x', shape: [1, 14], datatype: 'FP64', data: new Array(14).fill(1) }] }, { inputs: [{ name: 'x', shape: [2, 3], datatype: 'FP64', data: [1, 2, 3, 4, 5, 6] }] },
      { records: null }, { records: {} }, { records: [null] }, { records: [[]] }, { records: ['x'] }, { records: [{ age: { $gt: 1 } }] }, { records: [{ ...records[0], age: 1e400 }] },
      { records: [{ ...records[0], age: -0.5 }] }, { records: [{ ...records[0], education: 12 }] }, { records: [{ ...records[0], education: 'Unseen' }] }, { records: [records[0]], explain: -1 },
      { records: [records[0]], explain: 1e9 }, { records: [records[0]], partial: 'yes' }, { records: [records[0]], version: 'latest' }, { records: [records[0]], alias: '../x' }, { records: [records[0]], version: {} },
      { records: [records[0]], id: 5 }, { id: {}, inputs: v2Inputs(records.slice(0, 1)) }, { parameters: [], inputs: v2Inputs(records.slice(0, 1)) },
    ];
    const statuses = new Map<number, number>();
    for (const url of urls) {
      for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
        for (const body of method === 'GET' ? [undefined] : bodies) {
          const payload = typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body);
          const res = await app.inject({ method, url, payload });
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          assert.ok(res.statusCode < 500, `${method} ${url} ${String(payload).slice(0, 80)} → ${res.statusCode} ${res.body}`);
          if (res.statusCode >= 400) assert.match(JSON.parse(res.body).code, /^LOOM_ERR_/);
        }
      }
    }
    assert.ok((statuses.get(400) ?? 0) > 100, JSON.stringify([...statuses]));
    assert.deepEqual((await app.inject({ url: '/v2/health/live' })).json(), { live: true });
    const still = await app.inject({ method: 'POST', url: '/v1/models/adult/predict', payload: { records: records.slice(0, 1) } });
    assert.equal(still.statusCode, 200);
  });
});

describe('metrics and prediction log', () => {
  test('/metrics counts requests, errors and latency per model and version in the Prometheus text format', async () => {
    const before = await counterValue(app.metrics.requests, { route: '/v1/models/:name/predict', model: 'adult', version: '1', status: '200' });
    await app.inject({ method: 'POST', url: '/v1/models/adult/predict', payload: { records: records.slice(0, 2) } });
    await app.inject({ method: 'POST', url: '/v1/models/adult/predict', payload: { records: [{}] } });
    const res = await app.inject({ url: '/metrics' });
    assert.equal(res.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    const line = (prefix: string) => res.body.split('\n').find((l) => l.startsWith(prefix));
    assert.equal(line('loom_serving_requests_total{route="/v1/models/:name/predict",model="adult",version="1",status="200"}'), `loom_serving_requests_total{route="/v1/models/:name/predict",model="adult",version="1",status="200"} ${before + 1}`);
    assert.match(line('loom_serving_errors_total{route="/v1/models/:name/predict",model="adult",version="1",code="LOOM_ERR_SERVING_INVALID_RECORD"}') ?? '', / [1-9][0-9]*$/);
    assert.match(res.body, /# TYPE loom_serving_request_duration_seconds histogram/);
    assert.match(line('loom_serving_request_duration_seconds_bucket{le="+Inf",route="/v1/models/:name/predict",model="adult",version="1"}') ?? '', / [1-9][0-9]*$/);
  });

  test('every prediction reaches the event log with request id, inputs, output, version, route and latency', async () => {
    await app.inject({ method: 'POST', url: '/v1/models/adult/predict', headers: { 'x-request-id': 'logged-1' }, payload: { records: records.slice(0, 3) } });
    await app.inject({ method: 'POST', url: '/v2/models/adult/infer', payload: { id: 'logged-2', inputs: v2Inputs(records.slice(0, 2)) } });
    await app.close();
    const log = await ws.events();
    const events = (await log.read('predictions', 0, 10_000)).map((e) => e.data as any);
    const mine = events.filter((e) => e.request_id === 'logged-1' || e.request_id === 'logged-2');
    assert.deepEqual(mine.map((e) => [e.request_id, e.row, e.route, e.version]), [['logged-1', 0, 'v1', '1'], ['logged-1', 1, 'v1', '1'], ['logged-1', 2, 'v1', '1'], ['logged-2', 0, 'v2', '1'], ['logged-2', 1, 'v2', '1']]);
    const expected = predictBatch(gbdt, test200.slice(0, 3));
    assert.deepEqual(mine.slice(0, 3).map((e) => e.outputs['p_>50K']), [...expected]);
    assert.deepEqual(mine[0].inputs, records[0]);
    assert.ok(mine.every((e) => typeof e.latency_ms === 'number' && e.latency_ms >= 0 && e.model === 'adult'));
    // The app was closed; a fresh one serves the rest of the file.
    const repository = new ModelRepository({ registry, aliasRefreshMs: 0 });
    await repository.serve('adult@champion');
    app = createServingApp({ repository, batching: { maxBatchSize: 64, maxWaitMs: 20 } });
  });

  test('micro-batching combines concurrent requests up to max_batch_size and returns each its own predictions', async () => {
    const sizes = [1, 5, 30, 7, 64, 80, 3, 10];
    let start = 0;
    const calls = sizes.map((n) => {
      const rows = records.slice(start, start + n);
      const offset = start;
      start += n;
      return app.inject({ method: 'POST', url: '/v1/models/adult/predict', payload: { records: rows } }).then((r) => ({ r, offset, n }));
    });
    const expected = predictBatch(gbdt, test200);
    for (const { r, offset, n } of await Promise.all(calls)) {
      assert.equal(r.statusCode, 200, r.body);
      assert.deepEqual(r.json().predictions.map((p: any) => p['p_>50K']), [...expected.subarray(offset, offset + n)]);
    }
    const text = (await app.inject({ url: '/metrics' })).body;
    const count = (le: string) => Number(text.split('\n').find((l) => l.startsWith(`loom_serving_batch_rows_bucket{le="${le}",model="adult",version="1"}`))!.split(' ')[1]);
    const total = count('+Inf');
    assert.ok(total < sizes.length, `requests were combined: ${total} model calls for ${sizes.length} requests`);
    // Every call but the 80-row request (scored alone, never split) holds at most 64 rows.
    assert.equal(count('64'), total - 1);
  });
});

describe('loom serve', () => {
  test('listens on a real socket, prints a JSON line, answers V2 and Loom requests, 413s a huge body, stops on SIGTERM', async () => {
    const served = await startServe(home, ['--port', '0', '--models', 'adult@champion', '--json', '--body-limit', '65536']);
    const { child, info, exited } = served;
    try {
      assert.match(info.url, /^http:\/\/127\.0\.0\.1:[0-9]+$/);
      assert.deepEqual(info.models.map((m: any) => [m.name, m.version, m.alias]), [['adult', '1', 'champion']]);
      assert.deepEqual(await (await fetch(`${info.url}/v2/health/live`)).json(), { live: true });
      const infer = await fetch(`${info.url}/v2/models/adult/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: v2Inputs(records.slice(0, 20)) }) });
      assert.equal(infer.status, 200);
      assert.deepEqual(((await infer.json()) as any).outputs[0].data, [...predictBatch(gbdt, test200.slice(0, 20))]);
      const predict = await fetch(`${info.url}/v1/models/adult/predict`, { method: 'POST', headers: { 'x-request-id': 'socket-1' }, body: JSON.stringify({ records: records.slice(0, 2) }) });
      assert.equal(((await predict.json()) as any).request_id, 'socket-1');
      const huge = await fetch(`${info.url}/v1/models/adult/predict`, { method: 'POST', body: JSON.stringify({ records: new Array(2000).fill(records[0]) }) });
      assert.deepEqual([huge.status, ((await huge.json()) as any).code], [413, 'LOOM_ERR_SERVING_BODY_TOO_LARGE']);
      const malformed = await fetch(`${info.url}/v1/models/adult/predict`, { method: 'POST', body: '{"records":' });
      assert.deepEqual([malformed.status, ((await malformed.json()) as any).code], [400, 'LOOM_ERR_SERVING_MALFORMED_JSON']);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, served.stderr());
    assert.match(served.stderr(), /stopped on SIGTERM/);
    const events = (await (await ws.events()).read('predictions', 0, 10_000)).map((e) => e.data as any);
    assert.deepEqual(events.filter((e) => e.request_id === 'socket-1').map((e) => e.row), [0, 1]);
  });

  test('bad flags and unknown models are coded errors', async () => {
    const { loomCli, assertCodedFailure } = await import('../support/loom-cli.js');
    const { loomInProcess } = await import('../support/loom-in-process.js');
    const loom = loomCli(home);
    assertCodedFailure(await loom(['serve', '--port', '70000', '--json']), 'LOOM_ERR_SERVING_INVALID_OPTION');
    // In-process (the same runCli, without ~1 s of tsx start-up): the unknown model is refused before anything listens.
    assertCodedFailure(await loomInProcess(home)(['serve', '--port', '0', '--models', 'nope@champion', '--json']), 'LOOM_ERR_SERVING_MODEL_NOT_FOUND');
  });
});
