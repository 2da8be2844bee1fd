import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openEventLog } from '../../storage/events/index.js';
import { ServingMetrics, counterValue } from '../metrics/serving-metrics.js';
import { PredictionLog, type PredictionEvent } from './prediction-log.js';

function event(requestId: string, row: number): PredictionEvent {
  return { request_id: requestId, row, timestamp: '2026-11-26T12:00:00.000Z', model: 'm', version: '1', model_hash: 'h', route: 'v1', latency_ms: 1, inputs: { x: row }, outputs: { p: row / 10 } };
}

test('events are appended in batches, in order, and close() flushes what waits', async () => {
  const log = await openEventLog('sqlite://:memory:');
  const metrics = new ServingMetrics();
  const predictions = new PredictionLog(log, { maxBatch: 3, flushIntervalMs: 60_000 }, metrics);
  predictions.record('r1', [event('r1', 0), event('r1', 1)]);
  assert.equal(await log.length('predictions'), 0, 'nothing is written on the request path');
  predictions.record('r2', [event('r2', 0), event('r2', 1)]);
  await predictions.close();
  const stored = (await log.read('predictions', 0, 100)).map((e) => e.data as PredictionEvent);
  assert.deepEqual(stored.map((e) => [e.request_id, e.row]), [['r1', 0], ['r1', 1], ['r2', 0], ['r2', 1]]);
  assert.equal(await counterValue(metrics.logged, { outcome: 'written' }), 4);
  await log.close();
});

test('sampling keeps a deterministic share of request ids, each request all or nothing', async () => {
  const log = await openEventLog('sqlite://:memory:');
  const predictions = new PredictionLog(log, { sampleRate: 0.25, flushIntervalMs: 0 });
  const ids = Array.from({ length: 4000 }, (_, i) => `req-${i}`);
  const kept = ids.filter((id) => predictions.sampled(id));
  assert.ok(kept.length > 880 && kept.length < 1120, `${kept.length} of 4000 near 1000 (±3.7σ)`);
  assert.deepEqual(ids.filter((id) => new PredictionLog(log, { sampleRate: 0.25 }).sampled(id)), kept);
  for (const id of ids.slice(0, 40)) predictions.record(id, [event(id, 0), event(id, 1)]);
  await predictions.flush();
  const stored = (await log.read('predictions', 0, 1000)).map((e) => (e.data as PredictionEvent).request_id);
  const expected = ids.slice(0, 40).filter((id) => predictions.sampled(id)).flatMap((id) => [id, id]);
  assert.deepEqual(stored, expected);
  await log.close();
});

test('a full queue drops and counts; bad options are coded errors', async () => {
  const log = await openEventLog('sqlite://:memory:');
  const metrics = new ServingMetrics();
  const predictions = new PredictionLog(log, { maxQueue: 3, maxBatch: 10, flushIntervalMs: 60_000 }, metrics);
  predictions.record('a', [event('a', 0), event('a', 1), event('a', 2), event('a', 3), event('a', 4)]);
  await predictions.close();
  assert.equal(await log.length('predictions'), 3);
  assert.equal(await counterValue(metrics.logged, { outcome: 'dropped' }), 2);
  for (const options of [{ sampleRate: 2 }, { maxBatch: 0 }, { stream: 'bad stream' }, { flushIntervalMs: -1 }]) {
    assert.throws(() => new PredictionLog(log, options), { code: 'LOOM_ERR_SERVING_INVALID_OPTION' });
  }
  await log.close();
});
