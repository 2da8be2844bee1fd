import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ingestDataset } from '../../src/data/ingest/ingest-dataset.js';
import { ModelRegistry } from '../../src/registry/index.js';
import { Workspace } from '../../src/storage/workspace.js';
import { trainModel } from '../../src/training/index.js';
import { assertCodedFailure, loomCli, startServe } from '../support/loom-cli.js';
import { loomInProcess } from '../support/loom-in-process.js';
import { metadataTestBackends } from '../support/metadata-backends.js';

// `loom deploy`, `loom deploy status|promote|rollback` and `loom experiments report` as a user runs them, with
// `loom serve` routing an A/B test on a real socket and feedback posted over HTTP.

const { root: home } = metadataTestBackends('loom-e2e-deploy-');
const loom = loomCli(home);
/**
 * The same CLI in-process (each spawn costs ~1 s of tsx start-up), for repeats, read-backs and coded errors; one real
 * spawn per command stays (deploy, deploy status, deploy rollback, deploy promote, experiments report, serve).
 */
const loomHere = loomInProcess(home);

before(async () => {
  const ws = Workspace.open({ overrides: { home } });
  try {
    const lines = ['x,c,y'];
    for (let i = 0; i < 300; i++) lines.push(`${i % 50},${['a', 'b'][i % 2]},${(i % 50) + (i % 7) > 24 ? 'hi' : 'lo'}`);
    writeFileSync(join(home, 'rows.csv'), `${lines.join('\n')}\n`);
    await ingestDataset(ws, { path: join(home, 'rows.csv'), name: 'rows', tags: 'y=target' });
    const registry = await ModelRegistry.open(ws);
    for (const leaves of [3, 5]) {
      const { modelDir } = await trainModel(ws, { data: 'rows', target: 'y', params: { num_iterations: 3, num_leaves: leaves, min_data_in_leaf: 5 }, seed: 1, out: join(home, `m${leaves}`) });
      await registry.register({ dir: modelDir, name: 'rows' });
      await registry.register({ dir: modelDir, name: 'other' });
    }
    await registry.setAlias('rows', 'champion', 1);
  } finally {
    await ws.close();
  }
});

test('deploy a canary, read its status and report, roll it back; ended deployments refuse to promote', async () => {
  const created = await loom(['deploy', 'rows', '--strategy', 'canary', '--challenger', '@2', '--steps', '10,50,100', '--error-budget', '2', '--max-latency-p99', '500', '--reason', 'new leaves', '--json'], { LOOM_ACTOR: 'carol' });
  assert.equal(created.code, 0, created.stderr);
  const d = created.json().deployment;
  assert.deepEqual([d.model, d.state, d.step, d.arms], ['rows', 'active', 0, [{ name: 'stable', version: 1 }, { name: 'canary', version: 2 }]]);
  assert.deepEqual(d.strategy.steps, [10, 50, 100]);
  assert.deepEqual(d.strategy.guardrails, { error_rate: { max: 0.05, budget: 2, min_samples: 50 }, latency_p99: { max_ms: 500, min_samples: 100 } });
  const status = await loom(['deploy', 'status', 'rows', '--json']);
  assert.equal(status.code, 0, status.stderr);
  assert.deepEqual(status.json().events.map((e: any) => [e.action, e.actor, e.reason]), [['created', 'carol', 'new leaves']]);
  const human = await loomHere(['deploy', 'status', d.id]);
  assert.match(human.stdout, new RegExp(`^${d.id}  rows  canary  active  step 1/3 \\(10%\\)`));
  const report = await loom(['experiments', 'report', 'rows', '--json']);
  assert.equal(report.code, 0, report.stderr);
  assert.equal(report.json().verdict, 'Canary at step 1 of 3 (10% of units): 0 canary requests, 0 failed, guardrails hold.');
  const rolled = await loom(['deploy', 'rollback', 'rows', '--reason', 'pager went off', '--json'], { LOOM_ACTOR: 'dave' });
  assert.deepEqual([rolled.json().deployment.state, rolled.json().deployment.finalArm], ['rolled_back', 'stable']);
  assertCodedFailure(await loomHere(['deploy', 'promote', 'rows', '--json']), 'LOOM_ERR_DEPLOY_NOT_ACTIVE');
  const after = await loomHere(['experiments', 'report', d.id]);
  assert.match(after.stdout, /verdict: Rolled back: all traffic goes to stable \(v1\) since .* \(pager went off, by dave\)\./);
});

test('bad deploy commands are coded errors naming the field', async () => {
  const cases: [string[], string][] = [
    [['deploy', 'rows', '--json'], 'LOOM_ERR_DEPLOY_INVALID_OPTION'],
    [['deploy', 'rows', '--strategy', 'rainbow', '--json'], 'LOOM_ERR_DEPLOY_INVALID_SPEC'],
    [['deploy', 'rows', '--strategy', 'canary', '--steps', '5,x', '--challenger', '2', '--json'], 'LOOM_ERR_DEPLOY_INVALID_OPTION'],
    [['deploy', 'rows', '--strategy', 'canary', '--steps', '50,10', '--challenger', '2', '--json'], 'LOOM_ERR_DEPLOY_INVALID_SPEC'],
    [['deploy', 'rows', '--strategy', 'canary', '--json'], 'LOOM_ERR_DEPLOY_INVALID_SPEC'],
    [['deploy', 'rows', '--strategy', 'canary', '--challenger', 'other@2', '--json'], 'LOOM_ERR_DEPLOY_INVALID_OPTION'],
    [['deploy', 'rows', '--strategy', 'canary', '--challenger', '1', '--json'], 'LOOM_ERR_DEPLOY_INVALID_OPTION'],
    [['deploy', 'rows', '--strategy', 'ab', '--challenger', '2', '--weights', '1,1,1', '--json'], 'LOOM_ERR_DEPLOY_INVALID_SPEC'],
    [['deploy', 'rows', '--strategy', 'single', '--steps', '5', '--json'], 'LOOM_ERR_DEPLOY_INVALID_SPEC'],
    [['deploy', 'other', '--strategy', 'canary', '--challenger', '2', '--json'], 'LOOM_ERR_DEPLOY_INVALID_OPTION'],
    [['deploy', 'rows', '--strategy', 'canary', '--challenger', '9', '--json'], 'LOOM_ERR_REGISTRY_VERSION_NOT_FOUND'],
    [['deploy', 'ghost', '--strategy', 'single', '--json'], 'LOOM_ERR_REGISTRY_MODEL_NOT_FOUND'],
    [['deploy', 'status', 'nothing-here', '--json'], 'LOOM_ERR_DEPLOY_NOT_FOUND'],
    [['experiments', 'report', 'nothing-here', '--json'], 'LOOM_ERR_DEPLOY_NOT_FOUND'],
  ];
  // The first case as a real process; the rest in-process (the same runCli, without ~1 s of tsx start-up each).
  for (const [i, [args, code]] of cases.entries()) assertCodedFailure(await (i === 0 ? loom : loomHere)(args), code);
  const spec = await loomHere(['deploy', 'rows', '--strategy', 'rainbow', '--json']);
  assert.equal(spec.json().error.details.field, 'kind');
  const other = await loomHere(['deploy', 'other', '--strategy', 'canary', '--challenger', '2', '--json']);
  assert.equal(other.json().error.details.field, 'stable', 'model "other" has no champion');
});

test('loom serve routes an A/B test by unit; feedback over HTTP; the report joins them; promote moves champion', async () => {
  const created = await loomHere(['deploy', 'rows', '--strategy', 'ab', '--challenger', 'rows@2', '--metric', 'converted', '--json']);
  assert.equal(created.code, 0, created.stderr);
  const id = created.json().deployment.id;
  const { child, info, exited } = await startServe(home, ['--port', '0', '--models', 'rows@champion', '--json', '--no-log']);
  const arms = new Map<string, string>();
  try {
    assert.deepEqual(info.deployments.map((d: any) => [d.id, d.strategy]), [[id, 'ab']]);
    for (let u = 0; u < 40; u++) {
      for (let r = 0; r < 2; r++) {
        const res = await fetch(`${info.url}/v1/models/rows/predict`, { method: 'POST', headers: { 'x-request-id': `u${u}-r${r}` }, body: JSON.stringify({ records: [{ x: u, c: 'a' }], unit_id: `unit-${u}` }) });
        const body = (await res.json()) as any;
        assert.equal(res.status, 200);
        if (r === 1) assert.equal(body.deployment.arm, arms.get(`unit-${u}`), 'sticky per unit');
        arms.set(`unit-${u}`, body.deployment.arm);
      }
    }
    // Units 0–9 convert (on their second request); one feedback is posted twice.
    const outcomes = Array.from({ length: 10 }, (_, u) => ({ request_id: `u${u}-r1`, outcome: 'converted', timestamp: '2026-11-27T09:00:00Z' }));
    const fb = await fetch(`${info.url}/v1/feedback`, { method: 'POST', body: JSON.stringify({ outcomes: [...outcomes, outcomes[0]] }) });
    assert.deepEqual(await fb.json(), { accepted: 10, duplicates: 1 });
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  const report = (await loomHere(['experiments', 'report', id, '--json'])).json();
  const byArm = (arm: string) => [...arms.entries()].filter(([, a]) => a === arm).map(([u]) => Number(u.slice(5)));
  const [unitsA, unitsB] = [byArm('A'), byArm('B')];
  assert.deepEqual(report.ab.arms.map((a: any) => [a.arm, a.units, a.conversions]), [
    ['A', unitsA.length, unitsA.filter((u) => u < 10).length],
    ['B', unitsB.length, unitsB.filter((u) => u < 10).length],
  ]);
  assert.deepEqual(report.arms.map((a: any) => a.requests), [unitsA.length * 2, unitsB.length * 2]);
  assert.match(report.verdict, /keep collecting|Not enough data/);
  const promoted = await loom(['deploy', 'promote', id, '--arm', 'B', '--json']);
  assert.equal(promoted.code, 0, promoted.stderr);
  const shown = await loomHere(['models', 'show', 'rows', '--json']);
  assert.equal(shown.json().aliases.champion, 2);
  assert.equal(shown.json().history[0].reason, `deployment ${id} promoted B`);
  const status = (await loomHere(['deploy', 'status', id, '--json'])).json();
  assert.deepEqual([status.deployment.state, status.deployment.finalArm, status.events.at(-1).action], ['promoted', 'B', 'promote']);
});
