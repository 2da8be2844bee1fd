import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openEventLog, type EventLog } from '../../storage/events/index.js';
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

/** An event log whose appends wait for the test to release them, and fail on demand. */
function gatedLog(inner: EventLog) {
  const gates: { release: () => void; fail: boolean; events: number }[] = [];
  let failNext = false;
  const wrapped = Object.create(inner) as EventLog;
  wrapped.append = async (stream, events) => {
    const gate = { release: () => {}, fail: failNext, events: events.length };
    failNext = false;
    const released = new Promise<void>((resolve) => (gate.release = resolve));
    gates.push(gate);
    await released;
    if (gate.fail) throw new Error('disk full');
    return inner.append(stream, events);
  };
  return { log: wrapped, gates, failNextAppend: () => (failNext = true) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

test('logged ack: durable(mark) resolves only once the events are appended, and appends group-commit', async () => {
  const inner = await openEventLog('sqlite://:memory:');
  const { log, gates } = gatedLog(inner);
  const metrics = new ServingMetrics();
  const predictions = new PredictionLog(log, { ack: 'logged' }, metrics);
  const m1 = predictions.mark();
  predictions.record('r1', [event('r1', 0)]);
  let done1 = false;
  const d1 = predictions.durable(m1).then(() => (done1 = true));
  await tick();
  assert.equal(gates.length, 1, 'the first event is appended at once');
  // Three more requests arrive while that append is in flight: they wait, then share one append.
  const marks = ['r2', 'r3', 'r4'].map((id) => {
    const m = predictions.mark();
    predictions.record(id, [event(id, 0), event(id, 1)]);
    return predictions.durable(m);
  });
  await tick();
  assert.equal(done1, false, 'not acknowledged before the append resolved');
  assert.equal(predictions.durableCount, 0);
  gates[0].release();
  await d1;
  assert.equal(predictions.durableCount, 1);
  await tick();
  assert.deepEqual(gates.map((g) => g.events), [1, 6], 'group commit: one append for the three waiting requests');
  gates[1].release();
  await Promise.all(marks);
  assert.equal(predictions.durableCount, 7);
  assert.equal(await inner.length('predictions'), 7);
  assert.match(await metrics.render(), /^loom_serving_prediction_log_durable_events 7$/m);
  assert.equal(await predictions.durable(predictions.mark()).then(() => 'immediate'), 'immediate', 'nothing recorded since the mark');
  await inner.close();
});

test('logged ack: a failed append or a full queue rejects with LOOM_ERR_SERVING_LOG_UNAVAILABLE, only for its own events', async () => {
  const inner = await openEventLog('sqlite://:memory:');
  const { log, gates, failNextAppend } = gatedLog(inner);
  const predictions = new PredictionLog(log, { ack: 'logged', maxQueue: 2 });
  failNextAppend();
  const m1 = predictions.mark();
  predictions.record('bad', [event('bad', 0)]);
  const d1 = predictions.durable(m1);
  await tick();
  gates[0].release();
  await assert.rejects(d1, { code: 'LOOM_ERR_SERVING_LOG_UNAVAILABLE' });
  const m2 = predictions.mark();
  predictions.record('good', [event('good', 0)]);
  const d2 = predictions.durable(m2);
  await tick();
  // While 'good' is in flight the queue (maxQueue 2) takes two of the next request's three events and drops one.
  const m3 = predictions.mark();
  predictions.record('big', [event('big', 0), event('big', 1), event('big', 2)]);
  const d3 = predictions.durable(m3);
  gates[1].release();
  await d2;
  await tick();
  gates[2].release();
  await assert.rejects(d3, { code: 'LOOM_ERR_SERVING_LOG_UNAVAILABLE' });
  assert.equal(predictions.durableCount, 5, 'the failed, written and dropped events are all settled');
  assert.deepEqual((await inner.read('predictions', 0, 10)).map((e) => (e.data as PredictionEvent).request_id), ['good', 'big', 'big']);
  assert.throws(() => new PredictionLog(inner, { ack: 'sync' as never }), { code: 'LOOM_ERR_SERVING_INVALID_OPTION' });
  await inner.close();
});
