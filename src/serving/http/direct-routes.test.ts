import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { trainTinyServingModel } from '../../../test/support/tiny-serving-model.js';
import { ModelRegistry } from '../../registry/index.js';
import { openEventLog, type EventLog } from '../../storage/events/index.js';
import { Workspace } from '../../storage/workspace.js';
import { trainModel } from '../../training/index.js';
import { ServingMetrics } from '../metrics/serving-metrics.js';
import { ModelRepository } from '../model-repository.js';
import { PredictionLog, type PredictionEvent } from '../predictions/prediction-log.js';
import { createServingApp, type ServingApp } from '../serving-app.js';
import { breakScoring } from '../../../test/support/broken-model.js';

// Parity of DirectRoutes with the Fastify path: the same requests over real sockets to an app with direct routes
// (the default) and one without (`directRoutes: false`), compared on status, body, headers, log and metrics.

const home = mkdtempSync(join(tmpdir(), 'loom-direct-routes-'));
const ws = Workspace.open({ overrides: { home } });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BODY_LIMIT = 2048;
let modelDir = '';
let otherDir = '';

interface Side {
  readonly app: ServingApp;
  readonly url: string;
  readonly events: EventLog;
  readonly predictionLog: PredictionLog;
  /** Requests that reached Fastify's pipeline (its onRequest hook). */
  fastifyRequests: number;
}

before(async () => {
  modelDir = await trainTinyServingModel(ws, home);
  otherDir = (await trainModel(ws, { data: 'rows', target: 'y', params: { num_iterations: 3, num_leaves: 3, min_data_in_leaf: 5 }, out: join(home, 'm2') })).modelDir;
});
after(async () => {
  await ws.close();
  rmSync(home, { recursive: true, force: true });
});

async function startSide(direct: boolean, ack: 'async' | 'logged' = 'async', log = true): Promise<Side> {
  const repository = new ModelRepository();
  await repository.addDirectory('m', modelDir);
  // `broken` fails to score, so its fallback defaults answer.
  const broken = await repository.addDirectory('broken', modelDir);
  breakScoring(broken.model);
  const events = await openEventLog('sqlite://:memory:');
  const metrics = new ServingMetrics();
  const predictionLog = new PredictionLog(events, { ack, flushIntervalMs: 0 }, metrics);
  const app = createServingApp({ repository, metrics, predictionLog: log ? predictionLog : null, bodyLimit: BODY_LIMIT, directRoutes: direct, fallbacks: { broken: { defaults: { p_lo: 0.25 } } }, now: () => Date.UTC(2026, 10, 27, 1, 0, 0) });
  const side = { app, url: '', events, predictionLog, fastifyRequests: 0 };
  app.fastify.addHook('onRequest', (_request, _reply, done) => {
    side.fastifyRequests++;
    done();
  });
  return Object.assign(side, { url: await app.listen({ port: 0 }) });
}

async function stopSide(side: Side): Promise<void> {
  await side.app.close();
  await side.events.close();
}

interface Sent {
  readonly path: string;
  readonly body: string;
  readonly headers?: Record<string, string>;
}

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | null>;
}

async function send(side: Side, req: Sent): Promise<Answer> {
  const res = await fetch(new URL(req.path, side.url), { method: 'POST', body: req.body, headers: { 'content-type': 'application/json', ...req.headers } });
  const body = await res.text();
  const headers: Record<string, string | null> = {};
  // Every header but the date, which changes with the second.
  for (const [name, value] of res.headers) if (name !== 'date') headers[name] = value;
  return { status: res.status, body, headers };
}

/** The answer with a generated request id replaced by a placeholder (in the header, body and content length). */
function normalized(a: Answer): Answer {
  const id = a.headers['x-request-id'];
  if (id === null || !UUID.test(id)) return a;
  return { ...a, body: a.body.split(id).join('<uuid>'), headers: { ...a.headers, 'x-request-id': '<uuid>' } };
}

const record = { x: 30, c: 'b' };
/** `bytes`: without a prediction log, the direct route answers from the body's bytes (loomPredictBytes), without JSON.parse. */
const CASES: readonly (Sent & { readonly name: string; readonly direct: boolean; readonly status: number; readonly code?: string; readonly bytes?: true })[] = [
  { name: 'one valid record, x-request-id given', path: '/v1/models/m/predict', body: JSON.stringify({ records: [record] }), headers: { 'x-request-id': 'req-1' }, direct: true, status: 200, bytes: true },
  { name: 'one valid record, no x-request-id', path: '/v1/models/m/predict', body: JSON.stringify({ records: [{ x: 3, c: 'a' }] }), direct: true, status: 200, bytes: true },
  { name: 'invalid x-request-id', path: '/v1/models/m/predict', body: JSON.stringify({ records: [record] }), headers: { 'x-request-id': 'not a token!' }, direct: true, status: 200, bytes: true },
  { name: 'body id', path: '/v1/models/m/predict', body: JSON.stringify({ records: [record], id: 'mine' }), direct: true, status: 200 },
  { name: 'two records', path: '/v1/models/m/predict', body: JSON.stringify({ records: [record, { x: 1, c: 'a' }] }), direct: true, status: 200, bytes: true },
  { name: 'three records that the category tells apart', path: '/v1/models/m/predict', body: JSON.stringify({ records: [{ x: 20, c: 'a' }, { x: 20, c: 'b' }, { c: 'a', x: 20 }] }), direct: true, status: 200, bytes: true },
  { name: 'two records, spaced, null and an unseen category', path: '/v1/models/m/predict', body: ' {\n "records" : [ {"c":"zz", "x": 3e1} ,\t{"x":null,"c":null}] }\r\n', direct: true, status: 200, bytes: true },
  { name: 'a field given twice', path: '/v1/models/m/predict', body: '{"records":[{"x":1,"c":"a","x":30}]}', direct: true, status: 200 },
  { name: 'an unknown field', path: '/v1/models/m/predict', body: '{"records":[{"x":1,"c":"a","extra":{"deep":[1,2]}}]}', direct: true, status: 200 },
  { name: 'a field missing', path: '/v1/models/m/predict', body: '{"records":[{"x":1}]}', direct: true, status: 400, code: 'LOOM_ERR_SERVING_INVALID_RECORD' },
  { name: 'a number too large for a double', path: '/v1/models/m/predict', body: '{"records":[{"x":1e400,"c":"a"}]}', direct: true, status: 400, code: 'LOOM_ERR_SERVING_INVALID_RECORD' },
  { name: 'a number with a leading zero', path: '/v1/models/m/predict', body: '{"records":[{"x":01,"c":"a"}]}', direct: true, status: 400, code: 'LOOM_ERR_SERVING_MALFORMED_JSON' },
  { name: 'invalid record', path: '/v1/models/m/predict', body: JSON.stringify({ records: [{ x: 'seven', c: 'a' }] }), direct: true, status: 400, code: 'LOOM_ERR_SERVING_INVALID_RECORD' },
  { name: 'record not an object', path: '/v1/models/m/predict', body: JSON.stringify({ records: [7] }), direct: true, status: 400, code: 'LOOM_ERR_SERVING_INVALID_RECORD' },
  { name: 'bad JSON', path: '/v1/models/m/predict', body: '{"records": [', direct: true, status: 400, code: 'LOOM_ERR_SERVING_MALFORMED_JSON' },
  { name: 'empty body', path: '/v1/models/m/predict', body: '', direct: true, status: 400, code: 'LOOM_ERR_SERVING_MALFORMED_JSON' },
  { name: 'prototype poisoning', path: '/v1/models/m/predict', body: '{"records":[{"x":1,"c":"a"}],"__proto__":{"a":1}}', direct: true, status: 400, code: 'LOOM_ERR_SERVING_MALFORMED_JSON' },
  { name: 'prototype poisoning, escaped', path: '/v1/models/m/predict', body: '{"records":[{"x":1,"c":"a"}],"\\u005f_proto__":{"a":1}}', direct: true, status: 400, code: 'LOOM_ERR_SERVING_MALFORMED_JSON' },
  { name: 'constructor key', path: '/v1/models/m/predict', body: '{"records":[{"x":1,"c":"a","constructor":{"prototype":{}}}]}', direct: true, status: 400, code: 'LOOM_ERR_SERVING_MALFORMED_JSON' },
  { name: 'byte-order mark', path: '/v1/models/m/predict', body: `\ufeff${JSON.stringify({ records: [record] })}`, direct: true, status: 200 },
  { name: 'escape in a plain string', path: '/v1/models/m/predict', body: '{"records":[{"x":1,"c":"\\u0061"}]}', direct: true, status: 200 },
  { name: 'the word constructor as a value', path: '/v1/models/m/predict', body: '{"records":[{"x":1,"c":"constructor"}],"partial":true}', direct: true, status: 200 },
  { name: 'body not an object', path: '/v1/models/m/predict', body: '[1]', direct: true, status: 400, code: 'LOOM_ERR_SERVING_INVALID_REQUEST' },
  { name: 'oversized body', path: '/v1/models/m/predict', body: JSON.stringify({ records: [record], id: 'x'.repeat(BODY_LIMIT) }), direct: true, status: 413, code: 'LOOM_ERR_SERVING_BODY_TOO_LARGE' },
  { name: 'unknown model', path: '/v1/models/nope/predict', body: JSON.stringify({ records: [record] }), direct: true, status: 404 },
  { name: 'query option', path: '/v1/models/m/predict?partial=true', body: JSON.stringify({ records: [record, { x: 'bad', c: 'a' }] }), direct: true, status: 200 },
  { name: 'unknown query option', path: '/v1/models/m/predict?nope=1', body: JSON.stringify({ records: [record] }), direct: true, status: 400, code: 'LOOM_ERR_SERVING_INVALID_REQUEST' },
  { name: 'V2 infer', path: '/v2/models/m/infer', body: JSON.stringify({ inputs: [{ name: 'x', shape: [1], datatype: 'INT64', data: [30] }, { name: 'c', shape: [1], datatype: 'BYTES', data: ['b'] }] }), direct: true, status: 200 },
  { name: 'fallback defaults', path: '/v1/models/broken/predict', body: JSON.stringify({ records: [record, record] }), direct: true, status: 200 },
  { name: 'text/plain content type (to Fastify)', path: '/v1/models/m/predict', body: JSON.stringify({ records: [record] }), headers: { 'content-type': 'text/plain' }, direct: false, status: 200 },
  { name: 'trailing slash (to Fastify)', path: '/v1/models/m/predict/', body: JSON.stringify({ records: [record] }), direct: false, status: 200 },
  { name: 'percent-encoded name (to Fastify)', path: '/v1/models/%6d/predict', body: JSON.stringify({ records: [record] }), direct: false, status: 200 },
];

test('every request gets the same status, body and headers from the direct routes as from Fastify', async () => {
  const direct = await startSide(true);
  const fastify = await startSide(false);
  try {
    for (const c of CASES) {
      const before = direct.fastifyRequests;
      const ours = await send(direct, c);
      const theirs = await send(fastify, c);
      assert.equal(ours.status, c.status, `${c.name}: ${ours.body}`);
      if (c.code !== undefined) assert.equal(JSON.parse(ours.body).code, c.code, c.name);
      assert.deepEqual(normalized(ours), normalized(theirs), c.name);
      assert.equal(direct.fastifyRequests - before, c.direct ? 0 : 1, `${c.name}: answered by ${c.direct ? 'the direct route' : 'Fastify'}`);
      if (c.name === 'fallback defaults') assert.match(ours.body, /"predictions":\[\{"p_lo":0\.25\},\{"p_lo":0\.25\}\].*"fallback":\{"reason":"primary_failed"/);
      if (c.headers?.['x-request-id'] === 'req-1') assert.equal(ours.headers['x-request-id'], 'req-1');
      if (c.headers?.['x-request-id'] === 'not a token!') assert.match(ours.headers['x-request-id']!, UUID);
    }
    assert.equal(fastify.fastifyRequests, CASES.length, 'the app without direct routes answers everything through Fastify');

    // The prediction log holds the same events (latency aside), with the same route label.
    const strip = (e: PredictionEvent) => ({ ...e, latency_ms: 0, request_id: UUID.test(e.request_id) ? '<uuid>' : e.request_id });
    const read = async (side: Side) => {
      await side.predictionLog.flush();
      return (await side.events.read('predictions', 0, 1000)).map((e) => strip(e.data as PredictionEvent));
    };
    const logged = await read(direct);
    assert.ok(logged.length >= 6, `${logged.length} logged events`);
    assert.deepEqual(logged, await read(fastify));
    assert.deepEqual(logged[0].route, 'v1');

    // Metrics: the same counters and histogram counts with the same labels (latency buckets depend on timing).
    const counts = async (side: Side) => (await side.app.metrics.render()).split('\n').filter((line) => !/^loom_serving_request_duration_seconds_(bucket|sum)/.test(line));
    assert.deepEqual(await counts(direct), await counts(fastify));
    assert.match((await direct.app.metrics.render()), /^loom_serving_requests_total\{route="\/v1\/models\/:name\/predict",model="m",version="1",status="200"\} \d+$/m);
  } finally {
    await stopSide(direct);
    await stopSide(fastify);
  }
});

for (const log of [true, false]) test(`plain records are answered from the body bytes, as Fastify answers them (prediction log ${log ? 'on' : 'off'})`, async () => {
  const direct = await startSide(true, 'async', log);
  const fastify = await startSide(false, 'async', log);
  const parse = JSON.parse;
  let parses = 0;
  try {
    for (const c of CASES) {
      // Parses of this request's body, byte-order mark stripped or not (the client library parses JSON of its own).
      JSON.parse = ((...args: Parameters<typeof JSON.parse>) => {
        if (typeof args[0] === 'string' && args[0].length > 0 && c.body.endsWith(args[0])) parses++;
        return parse(...args);
      }) as typeof JSON.parse;
      const before = parses;
      let ours: Answer;
      try {
        ours = await send(direct, c);
      } finally {
        JSON.parse = parse;
      }
      const theirs = await send(fastify, c);
      assert.equal(ours.status, c.status, `${c.name}: ${ours.body}`);
      assert.deepEqual(normalized(ours), normalized(theirs), c.name);
      if (c.direct && c.status === 200) assert.equal(parses - before === 0, c.bytes === true, `${c.name}: answered ${c.bytes === true ? 'from the bytes' : 'from the parsed body'}`);
    }
    // The events logged for bodies read from bytes are those of the parsed bodies (latency and generated ids aside).
    const strip = (e: PredictionEvent) => ({ ...e, latency_ms: 0, request_id: UUID.test(e.request_id) ? '<uuid>' : e.request_id });
    const read = async (side: Side) => {
      await side.predictionLog.flush();
      return (await side.events.read('predictions', 0, 1000)).map((e) => strip(e.data as PredictionEvent));
    };
    const logged = await read(direct);
    // One event per record scored in a 200 (21 over the cases), none without a log.
    assert.equal(logged.length, log ? 21 : 0);
    assert.deepEqual(logged, await read(fastify));
    // Metrics once the logs are flushed: the same counters and histogram counts.
    const counts = async (side: Side) => (await side.app.metrics.render()).split('\n').filter((line) => !/^loom_serving_request_duration_seconds_(bucket|sum)/.test(line));
    assert.deepEqual(await counts(direct), await counts(fastify));
  } finally {
    JSON.parse = parse;
    await stopSide(direct);
    await stopSide(fastify);
  }
});

test('with the logged acknowledgement, a direct 200 comes after its events are durable', async () => {
  const direct = await startSide(true, 'logged');
  try {
    const res = await send(direct, { path: '/v1/models/m/predict', body: JSON.stringify({ records: [record] }), headers: { 'x-request-id': 'ack-1' } });
    assert.equal(res.status, 200);
    assert.equal(direct.fastifyRequests, 0);
    const stored = (await direct.events.read('predictions', 0, 10)).map((e) => (e.data as PredictionEvent).request_id);
    assert.deepEqual(stored, ['ack-1'], 'the event is stored before the response is sent');
  } finally {
    await stopSide(direct);
  }
});

test('an alias moved by a hot swap takes effect on the direct route', async () => {
  const registry = await ModelRegistry.open(ws);
  await registry.register({ dir: modelDir, name: 'swap' });
  await registry.register({ dir: otherDir, name: 'swap' });
  await registry.setAlias('swap', 'champion', 1);
  let clock = 0;
  const repository = new ModelRepository({ registry, aliasRefreshMs: 1000, now: () => clock });
  await repository.serve('swap@champion');
  const app = createServingApp({ repository });
  let fastifyRequests = 0;
  app.fastify.addHook('onRequest', (_request, _reply, done) => {
    fastifyRequests++;
    done();
  });
  const url = await app.listen({ port: 0 });
  try {
    const ask = async () => JSON.parse(await (await fetch(new URL('/v1/models/swap/predict', url), { method: 'POST', body: JSON.stringify({ records: [record] }), headers: { 'content-type': 'application/json' } })).text());
    const first = await ask();
    await registry.setAlias('swap', 'champion', 2);
    clock += 1001;
    const second = await ask();
    assert.deepEqual([first.model.version, first.model.alias, second.model.version, second.model.alias], ['1', 'champion', '2', 'champion']);
    assert.notEqual(first.model.hash, second.model.hash);
    assert.equal(fastifyRequests, 0);
  } finally {
    await app.close();
  }
});

test('close() lets a direct request in flight finish', async () => {
  const direct = await startSide(true, 'logged');
  try {
    // In flight for certain: the server has the headers and part of the body when close() is called (a fixed sleep
    // instead raced the connection under load), and the rest of the body arrives after it.
    const body = JSON.stringify({ records: [record] });
    const arrived = once(direct.app.fastify.server, 'request');
    let closing: Promise<void> = Promise.resolve();
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(new URL('/v1/models/m/predict', direct.url), { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-request-id': 'drain-1' } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.write(body.slice(0, 10));
      void arrived.then(() => {
        closing = direct.app.close();
        req.end(body.slice(10));
      });
    });
    const res = await answer;
    assert.equal(res.status, 200);
    assert.equal(JSON.parse(res.body).request_id, 'drain-1');
    await closing;
  } finally {
    await direct.events.close();
  }
});

test('a client that hangs up in the middle of a body leaves the server answering', async () => {
  const direct = await startSide(true);
  try {
    const { port } = new URL(direct.url);
    await new Promise<void>((done) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('POST /v1/models/m/predict HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"records":');
        setTimeout(() => {
          socket.destroy();
          done();
        }, 20);
      });
    });
    await new Promise((done) => setTimeout(done, 20));
    const res = await send(direct, { path: '/v1/models/m/predict', body: JSON.stringify({ records: [record] }) });
    assert.equal(res.status, 200);
    assert.equal(direct.fastifyRequests, 0);
  } finally {
    await stopSide(direct);
  }
});

test('answers written together at the end of a turn each reach their own request, and a gone client is skipped', async () => {
  const direct = await startSide(true);
  try {
    const { port } = new URL(direct.url);
    // A full request whose client hangs up as soon as it is sent: its answer is queued for a socket that is gone.
    await new Promise<void>((done) => {
      const body = JSON.stringify({ records: [record] });
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.end(`POST /v1/models/m/predict HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`, () => {
          socket.destroy();
          done();
        });
      });
    });
    // Many requests at once (fetch opens a connection per request in flight), each with its own id and record: the
    // answers are written in batches per turn and must not be crossed.
    const sent = Array.from({ length: 24 }, (_, i) => ({ id: `req-${i}`, x: 20 + i }));
    const answers = await Promise.all(sent.map(({ id, x }) => send(direct, { path: '/v1/models/m/predict', body: JSON.stringify({ records: [{ x, c: 'b' }] }), headers: { 'x-request-id': id } })));
    const single = await Promise.all(sent.map(({ id, x }) => send(direct, { path: '/v1/models/m/predict', body: JSON.stringify({ records: [{ x, c: 'b' }] }), headers: { 'x-request-id': `${id}-alone` } })));
    answers.forEach((answer, i) => {
      assert.equal(answer.status, 200);
      assert.equal(answer.headers['x-request-id'], sent[i].id);
      const parsed = JSON.parse(answer.body) as { request_id: string; predictions: unknown[] };
      assert.equal(parsed.request_id, sent[i].id);
      // The same record answered alone gives the same prediction.
      assert.deepEqual(parsed.predictions, (JSON.parse(single[i].body) as { predictions: unknown[] }).predictions);
    });
    assert.equal(direct.fastifyRequests, 0);
  } finally {
    await stopSide(direct);
  }
});
