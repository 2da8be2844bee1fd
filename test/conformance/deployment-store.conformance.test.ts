import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Assignment } from '../../src/deployment/deployment.js';
import { DeploymentStore } from '../../src/deployment/store/deployment-store.js';
import { DeploymentStrategy } from '../../src/deployment/strategies/deployment-strategy.js';
import { openMetadataStore, type MetadataStore } from '../../src/storage/metadata/index.js';
import { metadataTestBackends } from '../support/metadata-backends.js';

// The deployment store on every metadata backend: deployments and their audit trail, compare-and-set transitions,
// batched assignments, and durable, idempotent feedback outcomes joined on request id whenever they arrive.

const { backends: BACKENDS } = metadataTestBackends('loom-deploy-store-');
const NOW = 1_764_115_200_000;
const DAY = 86_400_000;
const CANARY = DeploymentStrategy.create({ kind: 'canary', steps: [10, 50, 100] });
const AB = DeploymentStrategy.create({ kind: 'ab', metric: { outcome: 'conversion' } });

function assignment(deploymentId: string, requestId: string, arm: string, extra: Partial<Assignment> = {}): Assignment {
  return { deploymentId, requestId, arm, version: arm === 'A' || arm === 'stable' ? 1 : 2, unitId: `u-${requestId}`, propensity: 0.5, score: 0.25, served: true, failed: false, latencyMs: 3.5, details: null, createdAt: NOW, ...extra };
}

for (const backend of BACKENDS) {
  describe(`deployment store conformance: ${backend.name}`, async () => {
    const skip = await backend.skip();
    let tick = 0;
    const open = async (): Promise<{ uri: string; meta: MetadataStore; store: DeploymentStore }> => {
      const uri = backend.freshUri();
      const meta = await openMetadataStore(uri);
      return { uri, meta, store: new DeploymentStore(meta.db, { now: () => NOW + tick++ }) };
    };

    test('create names arms by strategy, audits it, and replaces the model\'s active deployment', { skip }, async () => {
      const { meta, store } = await open();
      try {
        const first = await store.create({ model: 'churn', strategy: CANARY, versions: [1, 2], actor: 'alice', reason: 'new challenger' });
        assert.match(first.id, /^dep-[0-9a-f]{12}$/);
        assert.deepEqual([first.model, first.state, first.step, first.revision, first.createdBy, first.finalArm], ['churn', 'active', 0, 1, 'alice', null]);
        assert.deepEqual(first.arms, [{ name: 'stable', version: 1 }, { name: 'canary', version: 2 }]);
        assert.deepEqual(first.strategy, CANARY);
        const second = await store.create({ model: 'churn', strategy: AB, versions: [1, 3], actor: 'bob' });
        assert.equal((await store.get(first.id))!.state, 'replaced');
        assert.equal((await store.current('churn'))!.id, second.id);
        assert.equal((await store.find('churn')).id, second.id, 'a model name finds its newest deployment');
        assert.equal((await store.find(first.id)).id, first.id);
        await assert.rejects(store.find('nope'), { code: 'LOOM_ERR_DEPLOY_NOT_FOUND' });
        assert.deepEqual((await store.events(first.id)).map((e) => [e.action, e.actor, e.reason]), [['created', 'alice', 'new challenger'], ['replaced', 'bob', `replaced by ${second.id}`]]);
        assert.deepEqual((await store.currentAll()).map((d) => d.id), [second.id]);
        const lineage = await meta.db.selectFrom('model_deployments').select(['id', 'version', 'status', 'strategy']).orderBy('id').execute();
        assert.deepEqual(lineage.map((r) => [r.id.split('/')[1], Number(r.version), r.status, r.strategy]).sort(), [['A', 1, 'active', 'ab'], ['B', 3, 'active', 'ab'], ['canary', 2, 'replaced', 'canary'], ['stable', 1, 'replaced', 'canary']]);
        await assert.rejects(store.create({ model: 'churn', strategy: CANARY, versions: [1], actor: 'x' }), { code: 'LOOM_ERR_DEPLOY_INVALID_SPEC' });
      } finally {
        await meta.close();
      }
    });

    test('transitions compare-and-set on the revision: of two racing changes exactly one applies; ended deployments refuse', { skip }, async () => {
      const { meta, store } = await open();
      try {
        const d = await store.create({ model: 'm', strategy: CANARY, versions: [1, 2], actor: 'alice' });
        const results = await Promise.all([
          store.transition(d.id, { action: 'step_advanced', actor: 'controller', step: 1, expectRevision: d.revision }),
          store.transition(d.id, { action: 'rollback', actor: 'bob', state: 'rolled_back', finalArm: 'stable', expectRevision: d.revision }),
        ]);
        assert.equal(results.filter((r) => r !== null).length, 1, 'exactly one applies');
        const after = (await store.get(d.id))!;
        assert.equal(after.revision, 2);
        const trail = (await store.events(d.id)).map((e) => e.action);
        assert.equal(trail.length, 2);
        assert.ok(trail[1] === 'step_advanced' || trail[1] === 'rollback');
        const e = await store.create({ model: 'n', strategy: CANARY, versions: [1, 2], actor: 'alice' });
        const rolled = (await store.transition(e.id, { action: 'rollback', actor: 'bob', state: 'rolled_back', finalArm: 'stable', reason: 'manual', details: { ticket: 7 } }))!;
        assert.deepEqual([rolled.state, rolled.finalArm, rolled.step], ['rolled_back', 'stable', 0]);
        await assert.rejects(store.transition(e.id, { action: 'promote', actor: 'bob', state: 'promoted', finalArm: 'canary' }), (err: any) => err.code === 'LOOM_ERR_DEPLOY_NOT_ACTIVE' && err.details.state === 'rolled_back');
        assert.equal(await store.transition(e.id, { action: 'promote', actor: 'bob', state: 'promoted', expectRevision: rolled.revision }), null);
        const last = (await store.events(e.id)).at(-1)!;
        assert.deepEqual([last.action, last.actor, last.reason, last.details, last.arm], ['rollback', 'bob', 'manual', { ticket: 7 }, 'stable']);
        const stepped = await store.create({ model: 'o', strategy: CANARY, versions: [1, 2], actor: 'alice' });
        const next = (await store.transition(stepped.id, { action: 'step_advanced', actor: 'c', step: 1 }))!;
        assert.deepEqual([next.step, next.state], [1, 'active']);
        assert.ok(next.stepStartedAt > stepped.stepStartedAt, 'a new step restarts its clock');
      } finally {
        await meta.close();
      }
    });

    test('assignments are written in batches; a repeated (deployment, request, arm) is ignored', { skip }, async () => {
      const { meta, store } = await open();
      try {
        const d = await store.create({ model: 'm', strategy: AB, versions: [1, 2], actor: 'alice' });
        const rows = Array.from({ length: 450 }, (_, i) => assignment(d.id, `r${String(i).padStart(4, '0')}`, i % 2 === 0 ? 'A' : 'B', { createdAt: NOW + i, details: i === 0 ? { teams: ['A', 'B'] } : null, score: i === 1 ? null : i / 1000 }));
        await store.appendAssignments(rows);
        await store.appendAssignments(rows.slice(0, 10).map((r) => ({ ...r, score: 99 })));
        const stored = await store.assignments(d.id);
        assert.equal(stored.length, 450);
        assert.deepEqual(stored[0], rows[0]);
        assert.equal(stored[1].score, null);
        assert.equal(stored[5].score, 0.005, 'the first write wins');
      } finally {
        await meta.close();
      }
    });

    test('outcomes: durable once acknowledged, idempotent, joined whenever their assignment arrives (days later too)', { skip }, async () => {
      const { uri, meta, store } = await open();
      try {
        const d = await store.create({ model: 'm', strategy: AB, versions: [1, 2], actor: 'alice' });
        // The outcome for r2 arrives before its assignment is written.
        assert.deepEqual(await store.recordOutcomes([{ requestId: 'r2', outcome: 'conversion', value: 12.5, timestamp: NOW + 3 * DAY }]), { inserted: 1, duplicates: 0 });
        await store.appendAssignments([assignment(d.id, 'r1', 'A'), assignment(d.id, 'r2', 'B'), assignment(d.id, 'r3', 'B')]);
        const result = await store.recordOutcomes([
          { requestId: 'r1', outcome: 'conversion', value: null, timestamp: NOW + 2 * DAY },
          { requestId: 'r2', outcome: 'conversion', value: 99, timestamp: NOW + 4 * DAY },
          { requestId: 'r1', outcome: 'click', value: [0, 2], timestamp: NOW },
        ]);
        assert.deepEqual(result, { inserted: 2, duplicates: 1 });
        // A second connection sees every acknowledged outcome.
        const second = await openMetadataStore(uri);
        try {
          assert.equal((await second.db.selectFrom('deployment_outcomes').select('request_id').execute()).length, 3);
        } finally {
          await second.close();
        }
        const joined = await store.joined(d.id, 'conversion');
        assert.deepEqual(joined.map((r) => [r.requestId, r.arm, r.outcome]), [
          ['r1', 'A', { value: null, timestamp: NOW + 2 * DAY }],
          ['r2', 'B', { value: 12.5, timestamp: NOW + 3 * DAY }],
          ['r3', 'B', null],
        ]);
        assert.deepEqual((await store.joined(d.id, 'click')).map((r) => r.outcome?.value ?? null), [[0, 2], null, null]);
        assert.deepEqual(await store.outcomesOf('r1'), [
          { requestId: 'r1', outcome: 'click', value: [0, 2], timestamp: NOW },
          { requestId: 'r1', outcome: 'conversion', value: null, timestamp: NOW + 2 * DAY },
        ]);
      } finally {
        await meta.close();
      }
    });
  });
}
