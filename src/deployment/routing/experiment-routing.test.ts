import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Deployments } from '../deployments.js';
import { deploymentTestWorld, type DeploymentTestWorld } from '../testing/deployment-test-world.js';

// Shadow, bandit and interleaving deployments through the real serving app.

let world: DeploymentTestWorld;
before(async () => {
  world = await deploymentTestWorld('loom-experiments-');
});
after(() => world.close());


test('shadow: users get primary\'s answer; the shadow\'s agreement and score deltas are recorded after the response', async () => {
  const { app, router } = await world.serve();
  const d = await world.deploy({ kind: 'shadow' }, [1, 2]);
  await router.refresh();
  let agreements = 0;
  let delta = 0;
  for (let i = 0; i < 20; i++) {
    const records = [world.record(i), world.record(i + 7), world.record(i + 21)];
    const res = (await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records } })).json();
    assert.deepEqual([res.model.version, res.deployment.arm], ['1', 'primary']);
    const v1 = (await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records, version: 1 } })).json().predictions;
    const v2 = (await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records, version: 2 } })).json().predictions;
    assert.deepEqual(res.predictions, v1);
    for (let r = 0; r < 3; r++) {
      const a = Object.values(v1[r] as Record<string, number>)[0];
      const b = Object.values(v2[r] as Record<string, number>)[0];
      if (a >= 0.5 === b >= 0.5) agreements++;
      delta += Math.abs(b - a);
    }
  }
  await router.idle();
  await router.writer.flush();
  const rows = (await world.store.assignments(d.id)).filter((r) => r.arm === 'shadow');
  assert.equal(rows.length, 20);
  assert.ok(rows.every((r) => !r.served && !r.failed && r.propensity === 0 && r.version === 2));
  const sumAgree = rows.reduce((s, r) => s + (r.details!.agreements as number), 0);
  const sumDelta = rows.reduce((s, r) => s + (r.details!.mean_abs_delta as number) * (r.details!.rows as number), 0);
  assert.equal(sumAgree, agreements);
  assert.ok(Math.abs(sumDelta - delta) < 1e-9, `${sumDelta} vs ${delta}`);
});

test('shadow: a failing shadow never reaches the user and is recorded as a shadow failure', async () => {
  const { app, router } = await world.serve({ broken: ['2'] });
  const d = await world.deploy({ kind: 'shadow' }, [1, 2]);
  await router.refresh();
  for (let i = 0; i < 5; i++) {
    const res = await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: [world.record(i)] } });
    assert.equal(res.statusCode, 200);
  }
  await router.idle();
  await router.writer.flush();
  const shadow = (await world.store.assignments(d.id)).filter((r) => r.arm === 'shadow');
  assert.deepEqual(shadow.map((r) => r.failed), [true, true, true, true, true]);
});

test('bandit: propensities are logged, and rewards move traffic to the rewarded arm (Thompson, exact 2-arm propensity)', async () => {
  const { app, router } = await world.serve();
  const d = await world.deploy({ kind: 'bandit', reward: 'conversion', refresh_ms: 3_600_000, seed: 7 }, [1, 2]);
  await router.refresh();
  const ids: { id: string; arm: string }[] = [];
  for (let i = 0; i < 40; i++) {
    const res = (await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: [world.record(i)] } })).json();
    ids.push({ id: res.request_id, arm: res.deployment.arm });
  }
  await router.writer.flush();
  // With no evidence both posteriors are Beta(1, 1): each arm has probability 1/2.
  assert.ok((await world.store.assignments(d.id)).every((r) => Math.abs(r.propensity - 0.5) < 1e-6));
  const n1 = ids.filter((x) => x.arm === 'arm1').length;
  const n0 = ids.length - n1;
  assert.ok(n0 > 0 && n1 > 0);
  const feedback = ids.filter((x) => x.arm === 'arm1').map((x) => ({ request_id: x.id, outcome: 'conversion', timestamp: 1_764_115_200_000 }));
  const fb = await app.inject({ method: 'POST', url: '/v1/feedback', payload: { outcomes: feedback } });
  assert.deepEqual(fb.json(), { accepted: n1, duplicates: 0 });
  assert.deepEqual(await router.refreshBandit(d.id), [{ successes: 0, failures: n0 }, { successes: n1, failures: 0 }]);
  // P(θ1 > θ0) for θ1 ~ Beta(1 + n1, 1), θ0 ~ Beta(1, 1 + n0) is 1 − (1 + n1)·B(1 + n1, 2 + n0) = 1 − (n1+1)! (n0+1)! / (n1+n0+2)!.
  let logB = 0;
  for (let k = 1; k <= n1 + 1; k++) logB += Math.log(k);
  for (let k = 1; k <= n0 + 1; k++) logB += Math.log(k);
  for (let k = 1; k <= n1 + n0 + 2; k++) logB -= Math.log(k);
  const p1 = 1 - Math.exp(logB);
  const next: string[] = [];
  for (let i = 0; i < 30; i++) next.push((await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: [world.record(i)] } })).json().deployment.arm);
  await router.writer.flush();
  const later = (await world.store.assignments(d.id)).slice(40);
  for (const r of later) assert.ok(Math.abs(r.propensity - (r.arm === 'arm1' ? p1 : 1 - p1)) < 1e-6, `${r.arm} ${r.propensity} vs ${p1}`);
  assert.ok(next.filter((a) => a === 'arm1').length >= 25, next.join(','));
});

test('interleaving: both rankers score the candidates; the response lists a team-draft interleaving', async () => {
  const { app, router } = await world.serve();
  const d = await world.deploy({ kind: 'interleaving' }, [1, 3]);
  await router.refresh();
  const records = Array.from({ length: 8 }, (_, i) => world.record(i * 6 + 1));
  const res = (await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records } })).json();
  const { items, teams } = res.interleaving as { items: number[]; teams: string[] };
  assert.deepEqual([...items].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(teams.filter((t) => t === 'A').length, 4);
  const top = async (version: number) => {
    const p = (await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records, version } })).json().predictions.map((x: Record<string, number>) => Object.values(x)[0]);
    return p.indexOf(Math.max(...p));
  };
  // Each team's first pick is its ranker's top candidate, so both appear in the first two positions (or coincide).
  const [topA, topB] = [await top(1), await top(3)];
  assert.ok(items.slice(0, 2).includes(topA), `A's top ${topA} in ${items}`);
  if (topA !== topB) assert.ok(items.slice(0, 3).includes(topB));
  await router.writer.flush();
  const rows = await world.store.assignments(d.id);
  assert.deepEqual(rows.map((r) => [r.arm, r.served]), [['A', true], ['B', true]]);
  assert.deepEqual(rows[0].details, { items, teams });
});

test('A/B with a unit field read from the record: the same customer always gets the same arm', async () => {
  const { app, router } = await world.serve();
  const d = await world.deploy({ kind: 'ab', unit_field: 'x', weights: [1, 1] }, [1, 2]);
  await router.refresh();
  const arms = new Map<number, string>();
  for (let i = 0; i < 60; i++) {
    const record = world.record(i);
    const res = (await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: [record] } })).json();
    const x = record.x as number;
    if (arms.has(x)) assert.equal(res.deployment.arm, arms.get(x), `x = ${x}`);
    arms.set(x, res.deployment.arm);
  }
  await router.writer.flush();
  const rows = await world.store.assignments(d.id);
  assert.deepEqual(new Set(rows.map((r) => r.unitId)), new Set([...arms.keys()].map(String)));
  assert.ok(new Set(arms.values()).size === 2, 'both arms get units');
});

test('blue-green: blue answers until promotion, then green answers everything (and becomes champion)', async () => {
  const { app, router } = await world.serve();
  const deployments = new Deployments(world.store, world.registry);
  const d = await deployments.deploy({ model: 'rows', strategy: { kind: 'blue-green' }, challengers: ['3'] });
  assert.deepEqual(d.arms, [{ name: 'blue', version: 1 }, { name: 'green', version: 3 }]);
  await router.refresh();
  for (let i = 0; i < 10; i++) assert.equal((await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: [world.record(i)], unit_id: `g${i}` } })).json().model.version, '1');
  const promoted = await deployments.promote('rows', { reason: 'green is warm' });
  assert.deepEqual([promoted.state, promoted.finalArm], ['promoted', 'green']);
  assert.equal((await world.registry.find('rows@champion')).version, 3);
  await router.refresh();
  for (let i = 0; i < 10; i++) assert.equal((await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: [world.record(i)], unit_id: `g${i}` } })).json().model.version, '3');
  await assert.rejects(deployments.rollback('rows'), { code: 'LOOM_ERR_DEPLOY_NOT_ACTIVE' });
  await assert.rejects(deployments.deploy({ model: 'rows', strategy: { kind: 'ab' }, challengers: ['3'] }), { code: 'LOOM_ERR_DEPLOY_INVALID_OPTION' });
});
