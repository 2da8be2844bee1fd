import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { deploymentTestWorld, type DeploymentTestWorld } from '../testing/deployment-test-world.js';
import { armAt, unitBucket } from './unit-bucket.js';

// Canary deployments through the real serving app: sticky splits by unit, assignments written off the request path,
// automatic steps and promotion, and a challenger that throws on every request rolled back within its error budget.

let world: DeploymentTestWorld;
before(async () => {
  world = await deploymentTestWorld('loom-canary-');
});
after(() => world.close());

test('a canary splits units stickily by hash; explicit versions bypass it; assignments carry the propensity', async () => {
  const { app, router } = await world.serve();
  const d = await world.deploy({ kind: 'canary', steps: [20, 100], min_requests: 1_000_000 }, [1, 2]);
  await router.refresh();
  const seen = new Map<string, string>();
  for (let i = 0; i < 120; i++) {
    const unit = `u${i}`;
    const body = { records: [world.record(i)], unit_id: unit };
    const res = await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: body });
    assert.equal(res.statusCode, 200, res.body);
    const json = res.json();
    const want = armAt([0.8, 0.2], unitBucket(d.id, unit)) === 1 ? 'canary' : 'stable';
    assert.equal(json.deployment.arm, want, unit);
    assert.equal(json.model.version, want === 'canary' ? '2' : '1');
    assert.equal(json.deployment.id, d.id);
    seen.set(unit, json.deployment.arm);
    // The same version, asked for explicitly, gives the same prediction and is not routed.
    const pinned = (await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: [world.record(i)], version: json.model.version } })).json();
    assert.deepEqual(pinned.predictions, json.predictions);
    assert.equal(pinned.deployment, undefined);
  }
  const viaHeader = (await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: [world.record(3)] }, headers: { 'x-loom-unit-id': 'u7' } })).json();
  assert.equal(viaHeader.deployment.arm, seen.get('u7'), 'the header names the unit too');
  const canaryUnits = [...seen.values()].filter((a) => a === 'canary').length;
  assert.ok(canaryUnits > 5 && canaryUnits < 50, `${canaryUnits} of 120 units on a 20% canary`);
  await router.writer.flush();
  const rows = await world.store.assignments(d.id);
  assert.equal(rows.length, 121);
  for (const r of rows) {
    assert.equal(r.propensity, r.arm === 'canary' ? 0.2 : 0.8);
    assert.equal(r.version, r.arm === 'canary' ? 2 : 1);
    assert.equal(r.served, true);
    assert.ok(r.score !== null && r.score > 0 && r.score < 1);
  }
  const bad = await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: [world.record(1)], unit_id: { id: 1 } } });
  assert.deepEqual([bad.statusCode, bad.json().code, bad.json().details.field], [400, 'LOOM_ERR_SERVING_INVALID_REQUEST', 'unit_id']);
});

test('a challenger that throws on every request: rolled back after its error budget, and users see no error (fallback)', async () => {
  const { app, router } = await world.serve({ broken: ['2'] });
  const d = await world.deploy({ kind: 'canary', steps: [50, 100], min_requests: 1_000_000, guardrails: { error_rate: { max: 0.1, budget: 3, min_samples: 20 } } }, [1, 2]);
  await router.refresh();
  let fallbacks = 0;
  for (let i = 0; i < 80; i++) {
    const res = await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: [world.record(i)], unit_id: `v${i}` } });
    assert.equal(res.statusCode, 200, res.body);
    const json = res.json();
    assert.equal(json.model.version, '1', 'every answer comes from stable');
    if (json.deployment.fallback === true) fallbacks++;
    await router.controller.settle();
  }
  // The budget tolerates 3 failures; the 4th breaches it and rolls back, so exactly 4 requests fell back.
  assert.equal(fallbacks, 4);
  const after = (await world.store.get(d.id))!;
  assert.deepEqual([after.state, after.finalArm], ['rolled_back', 'stable']);
  const events = await world.store.events(d.id);
  assert.deepEqual(events.map((e) => e.action), ['created', 'guardrail_breach', 'rollback']);
  assert.equal(events[1].details.automatic, true);
  assert.deepEqual((events[1].details.breaches as { guardrail: string; observed: number }[]).map((b) => [b.guardrail, b.observed]), [['error_budget', 4]]);
  assert.deepEqual([events[2].actor, events[2].arm], ['tester', 'stable']);
  await router.writer.flush();
  const rows = await world.store.assignments(d.id);
  assert.equal(rows.filter((r) => r.failed).length, 4);
  assert.equal(rows.filter((r) => r.details?.fallback_for === 'canary').length, 4);
  // After the rollback nothing is routed to the canary, and nothing more is recorded.
  const later = (await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: [world.record(1)], unit_id: 'v1' } })).json();
  assert.deepEqual([later.deployment.arm, later.model.version], ['stable', '1']);
});

test('without fallback, users see exactly the budget\'s failures plus the one that breaches it, then none', async () => {
  const { app, router } = await world.serve({ broken: ['2'] });
  const d = await world.deploy({ kind: 'canary', steps: [50, 100], fallback: false, min_requests: 1_000_000, guardrails: { error_rate: { max: 0.1, budget: 2, min_samples: 20 } } }, [1, 2]);
  await router.refresh();
  const statuses: number[] = [];
  for (let i = 0; i < 60; i++) {
    const res = await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: [world.record(i)], unit_id: `w${i}` } });
    statuses.push(res.statusCode);
    await router.controller.settle();
  }
  assert.equal(statuses.filter((s) => s === 500).length, 3);
  assert.equal(statuses.filter((s) => s === 200).length, 57);
  assert.equal((await world.store.get(d.id))!.state, 'rolled_back');
});

test('a healthy canary advances step by step and is promoted at the last one', async () => {
  const { app, router } = await world.serve();
  const d = await world.deploy({ kind: 'canary', steps: [50, 100], min_requests: 5 }, [1, 3]);
  await router.refresh();
  for (let i = 0; i < 200 && (await world.store.get(d.id))!.state === 'active'; i++) {
    await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: [world.record(i)], unit_id: `p${i}` } });
    await router.controller.settle();
  }
  const final = (await world.store.get(d.id))!;
  assert.deepEqual([final.state, final.finalArm, final.step], ['promoted', 'canary', 1]);
  const events = await world.store.events(d.id);
  assert.deepEqual(events.map((e) => [e.action, e.fromStep, e.toStep]), [['created', null, 0], ['step_advanced', 0, 1], ['promote', 1, 1]]);
  assert.equal(events[1].details.percent, 100);
  const res = (await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: [world.record(0)], unit_id: 'anyone' } })).json();
  assert.deepEqual([res.deployment.arm, res.model.version], ['canary', '3']);
});

test('a canary version that fails to load is counted against the canary, and stable answers instead', async () => {
  const { app, router } = await world.serve({ unloadable: ['2'] });
  const d = await world.deploy({ kind: 'canary', steps: [50, 100], min_requests: 1_000_000, guardrails: { error_rate: { max: 0.5, budget: 100, min_samples: 1000 } } }, [1, 2]);
  await router.refresh();
  let fellBack = 0;
  for (let i = 0; i < 30; i++) {
    const res = await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: [world.record(i)], unit_id: `l${i}` } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().model.version, '1');
    if (res.json().deployment.fallback === true) fellBack++;
  }
  await router.writer.flush();
  const rows = await world.store.assignments(d.id);
  const failed = rows.filter((r) => r.arm === 'canary' && r.failed);
  assert.ok(fellBack > 0);
  assert.equal(failed.length, fellBack);
  assert.equal(rows.filter((r) => r.details?.fallback_for === 'canary').length, fellBack);
  assert.equal(router.controller.windows((await world.store.get(d.id))!).get('canary')!.failures, fellBack);
});
