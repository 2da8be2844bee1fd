import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ModelRepository } from '../model-repository.js';
import { createServingApp } from '../serving-app.js';
import { counterValue, ServingMetrics } from './serving-metrics.js';

test('after known requests, /metrics (prom-client) holds exactly the expected series and values', async () => {
  const app = createServingApp({ repository: new ModelRepository() });
  try {
    assert.equal((await app.inject({ url: '/v2/health/live' })).statusCode, 200);
    assert.equal((await app.inject({ url: '/v2/health/live' })).statusCode, 200);
    assert.equal((await app.inject({ url: '/v2/models/nope' })).statusCode, 404);
    assert.equal((await app.inject({ url: '/v3/anything' })).statusCode, 404);
    assert.equal((await app.inject({ method: 'POST', url: '/v1/models/x/predict', payload: '{"records":' })).statusCode, 400);
    app.metrics.batches.observe({ model: 'm', version: '1' }, 3);
    app.metrics.batches.observe({ model: 'm', version: '1' }, 100);
    app.metrics.rows.inc({ model: 'a"b\\c\nd', version: '1' }, 3);
    app.metrics.logged.inc({ outcome: 'written' }, 4);
    app.metrics.durable.set(4);

    const res = await app.inject({ url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    const lines = res.body.split('\n');
    const expected = [
      '# TYPE loom_serving_requests_total counter',
      'loom_serving_requests_total{route="/v2/health/live",model="",version="",status="200"} 2',
      'loom_serving_requests_total{route="/v2/models/:name",model="",version="",status="404"} 1',
      'loom_serving_requests_total{route="(unmatched)",model="",version="",status="404"} 1',
      'loom_serving_requests_total{route="/v1/models/:name/predict",model="",version="",status="400"} 1',
      'loom_serving_errors_total{route="/v2/models/:name",model="",version="",code="LOOM_ERR_SERVING_MODEL_NOT_FOUND"} 1',
      'loom_serving_errors_total{route="(unmatched)",model="",version="",code="LOOM_ERR_SERVING_ROUTE_NOT_FOUND"} 1',
      'loom_serving_errors_total{route="/v1/models/:name/predict",model="",version="",code="LOOM_ERR_SERVING_MALFORMED_JSON"} 1',
      '# TYPE loom_serving_request_duration_seconds histogram',
      'loom_serving_request_duration_seconds_count{route="/v2/health/live",model="",version=""} 2',
      'loom_serving_batch_rows_bucket{le="2",model="m",version="1"} 0',
      'loom_serving_batch_rows_bucket{le="4",model="m",version="1"} 1',
      'loom_serving_batch_rows_bucket{le="64",model="m",version="1"} 1',
      'loom_serving_batch_rows_bucket{le="128",model="m",version="1"} 2',
      'loom_serving_batch_rows_bucket{le="+Inf",model="m",version="1"} 2',
      'loom_serving_batch_rows_sum{model="m",version="1"} 103',
      'loom_serving_batch_rows_count{model="m",version="1"} 2',
      'loom_serving_predicted_rows_total{model="a\\"b\\\\c\\nd",version="1"} 3',
      'loom_serving_prediction_log_events_total{outcome="written"} 4',
      'loom_serving_prediction_log_durable_events 4',
    ];
    for (const line of expected) assert.ok(lines.includes(line), `missing: ${line}\n${res.body}`);
    // Label cardinality: raw paths and unknown model names never become label values.
    assert.ok(!res.body.includes('nope') && !res.body.includes('/v3') && !res.body.includes('/v1/models/x'), res.body);
    // Only Loom's own metrics: no process or Node.js default metrics (their nodejs_active_*_total gauges fail promtool).
    assert.deepEqual([...new Set(lines.filter((l) => l.length > 0 && !l.startsWith('#')).map((l) => l.split(/[{ ]/)[0].replace(/_(bucket|sum|count)$/, '')))].sort(), [
      'loom_serving_batch_rows', 'loom_serving_errors_total', 'loom_serving_predicted_rows_total', 'loom_serving_prediction_log_durable_events', 'loom_serving_prediction_log_events_total', 'loom_serving_request_duration_seconds', 'loom_serving_requests_total',
    ]);
    assert.equal(await counterValue(app.metrics.requests, { route: '/v2/health/live', model: '', version: '', status: '200' }), 2);
    assert.equal(await counterValue(app.metrics.requests, { route: '/v2/health/live', model: '', version: '', status: '500' }), 0);
  } finally {
    await app.close();
  }
});

test('each app has its own registry', async () => {
  const a = new ServingMetrics();
  const b = new ServingMetrics();
  a.logged.inc({ outcome: 'dropped' }, 2);
  assert.equal(await counterValue(a.logged, { outcome: 'dropped' }), 2);
  assert.equal(await counterValue(b.logged, { outcome: 'dropped' }), 0);
  assert.ok(!(await b.render()).includes('outcome="dropped"'));
});
