import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TrafficRouter } from '../../deployment/routing/traffic-router.js';
import { DeploymentStore } from '../../deployment/store/deployment-store.js';
import { openMetadataStore, type MetadataStore } from '../../storage/metadata/index.js';
import { ModelRepository } from '../model-repository.js';
import { createServingApp, type ServingApp } from '../serving-app.js';

const dir = mkdtempSync(join(tmpdir(), 'loom-feedback-'));
let meta: MetadataStore;
let app: ServingApp;
let store: DeploymentStore;

before(async () => {
  meta = await openMetadataStore(`sqlite://${join(dir, 'loom.db')}`);
  store = new DeploymentStore(meta.db);
  app = createServingApp({ repository: new ModelRepository(), deployments: await TrafficRouter.open({ store, actor: 't', refreshMs: 0 }) });
});
after(async () => {
  await app.close();
  await meta.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (payload: unknown) => app.inject({ method: 'POST', url: '/v1/feedback', payload: payload as object });

test('one outcome or a batch is acknowledged after commit; repeats are duplicates; ISO and epoch timestamps', async () => {
  const one = await post({ request_id: 'req-1', outcome: 'conversion', value: 19.99, timestamp: '2026-11-20T10:00:00Z' });
  assert.deepEqual([one.statusCode, one.json()], [200, { accepted: 1, duplicates: 0 }]);
  const batch = await post({ outcomes: [
    { request_id: 'req-1', outcome: 'conversion', value: 5, timestamp: 1 },
    { request_id: 'req-2', outcome: 'click', value: [3, 0, 3], timestamp: 1_764_115_200_000 },
    { request_id: 'never-predicted', outcome: 'conversion', timestamp: 2 },
  ] });
  assert.deepEqual(batch.json(), { accepted: 2, duplicates: 1 });
  assert.deepEqual(await store.outcomesOf('req-1'), [{ requestId: 'req-1', outcome: 'conversion', value: 19.99, timestamp: Date.parse('2026-11-20T10:00:00Z') }]);
  assert.deepEqual((await store.outcomesOf('req-2'))[0].value, [0, 3], 'clicked positions, deduplicated and sorted');
  assert.equal((await store.outcomesOf('never-predicted')).length, 1, 'unknown request ids are kept for a later join');
});

test('bad feedback is a 400 LOOM_ERR_DEPLOY_INVALID_FEEDBACK naming the field', async () => {
  const ok = { request_id: 'r', outcome: 'conversion', timestamp: 5 };
  const cases: [unknown, string][] = [
    [[ok], '(body)'],
    [{ ...ok, request_id: '' }, 'request_id'],
    [{ ...ok, request_id: 7 }, 'request_id'],
    [{ ...ok, outcome: 'has space' }, 'outcome'],
    [{ ...ok, outcome: undefined }, 'outcome'],
    [{ ...ok, value: 'high' }, 'value'],
    [{ ...ok, value: [1, -2] }, 'value'],
    [{ ...ok, value: [1.5] }, 'value'],
    [{ ...ok, timestamp: undefined }, 'timestamp'],
    [{ ...ok, timestamp: 'yesterday' }, 'timestamp'],
    [{ ...ok, timestamp: -5 }, 'timestamp'],
    [{ ...ok, extra: 1 }, 'extra'],
    [{ outcomes: [] }, 'outcomes'],
    [{ outcomes: [ok, { ...ok, outcome: '' }] }, 'outcomes[1].outcome'],
    [{ outcomes: [ok], request_id: 'x' }, 'request_id'],
    [{ outcomes: [5] }, 'outcomes[0]'],
  ];
  for (const [payload, field] of cases) {
    const res = await post(payload);
    assert.equal(res.statusCode, 400, JSON.stringify(payload));
    assert.equal(res.json().code, 'LOOM_ERR_DEPLOY_INVALID_FEEDBACK');
    assert.equal(res.json().details.field, field, JSON.stringify(payload));
  }
  const nan = await app.inject({ method: 'POST', url: '/v1/feedback', payload: '{"request_id":"r","outcome":"x","value":NaN,"timestamp":1}' });
  assert.deepEqual([nan.statusCode, nan.json().code], [400, 'LOOM_ERR_SERVING_MALFORMED_JSON']);
});

test('a server without a deployment store answers feedback with 404 LOOM_ERR_DEPLOY_FEEDBACK_UNAVAILABLE', async () => {
  const bare = createServingApp({ repository: new ModelRepository() });
  try {
    const res = await bare.inject({ method: 'POST', url: '/v1/feedback', payload: { request_id: 'r', outcome: 'x', timestamp: 1 } });
    assert.deepEqual([res.statusCode, res.json().code], [404, 'LOOM_ERR_DEPLOY_FEEDBACK_UNAVAILABLE']);
  } finally {
    await bare.close();
  }
});
