import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { openEventLog, type EventLog } from '../../storage/events/index.js';
import { acknowledgeLogged } from './acknowledge-logged.js';
import { PredictionLog, type PredictionEvent } from './prediction-log.js';

const event = (id: string): PredictionEvent => ({ request_id: id, row: 0, timestamp: '2026-11-27T00:00:00.000Z', model: 'm', version: '1', model_hash: 'h', route: 'v1', latency_ms: 1, inputs: {}, outputs: { y: 1 } });

test('acknowledgeLogged holds a 200 of any payload until its events are durable, and turns a failed append into a 503', async () => {
  const inner = await openEventLog('sqlite://:memory:');
  let failing = false;
  const events = Object.create(inner) as EventLog;
  events.append = (stream, batch) => (failing ? Promise.reject(new Error('disk I/O error')) : inner.append(stream, batch));
  const log = new PredictionLog(events, { ack: 'logged' });
  const app = Fastify();
  acknowledgeLogged(app, log);
  // A string answer (pre-written JSON) and an object answer: both must wait.
  app.post('/text', async (request, reply) => {
    log.record(String(request.headers['x-id']), [event(String(request.headers['x-id']))]);
    return reply.type('application/json').send('{"ok":true}');
  });
  app.post('/object', async (request) => {
    log.record(String(request.headers['x-id']), [event(String(request.headers['x-id']))]);
    return { ok: true };
  });
  try {
    for (const url of ['/text', '/object']) {
      const res = await app.inject({ method: 'POST', url, headers: { 'x-id': url } });
      assert.equal(res.statusCode, 200, res.body);
      const logged = (await inner.read('predictions', 0, 10)).map((e) => (e.data as PredictionEvent).request_id);
      assert.ok(logged.includes(url), `${url} was durable before its 200 (${logged.join(', ')})`);
    }
    failing = true;
    for (const url of ['/text', '/object']) {
      const res = await app.inject({ method: 'POST', url, headers: { 'x-id': `${url}-lost` } });
      assert.deepEqual([res.statusCode, res.json().code], [503, 'LOOM_ERR_SERVING_LOG_UNAVAILABLE'], res.body);
    }
  } finally {
    await app.close();
    await log.close().catch(() => {});
    await inner.close();
  }
});
