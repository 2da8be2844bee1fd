import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseGate } from '../../src/evaluation/gates/index.js';
import { NOW, registerMany, registryTestBackends, rejectsCode, report, tinyModel } from '../support/registry-world.js';

// The registry on every metadata backend, lineage and permissions.
// Shared worlds and fixtures: test/support/registry-world.ts. The other topics: test/conformance/registry-*.conformance.test.ts.

const { backends: BACKENDS, world } = registryTestBackends('loom-registry-access-');

for (const backend of BACKENDS) {
  describe(`registry conformance (access): ${backend.name}`, async () => {
    const skip = await backend.skip();

    test('lineage: datasets → run → version → deployments (filled by serving)', { skip }, async () => {
      const w = await world(backend);
      try {
        const model = await tinyModel(w.dir, 1);
        const { version } = await w.registry.register({ dir: model.dir, name: 'churn', runId: 'run-7' });
        await w.registry.attachEvaluation('churn', 1, report(model.id, 0.8));
        await w.registry.setAlias('churn', 'champion', 1);
        const lineage = await w.registry.lineage('churn@1');
        assert.deepEqual(lineage.datasets, [{ role: 'train', name: 'churn', version: 'abc123def456' }]);
        assert.deepEqual(lineage.run, { id: 'run-7' });
        assert.equal(lineage.modelHash, version.modelHash);
        assert.deepEqual(lineage.evaluations.map((e) => [e.data, e.rows]), [['churn@abc123def456', 2000]]);
        assert.deepEqual(lineage.aliases, ['champion']);
        assert.deepEqual(lineage.deployments, []);
        await w.store.db
          .insertInto('model_deployments')
          .values({ id: 'dep-1', model: 'churn', version: 1, alias: 'champion', environment: 'prod', strategy: 'single', status: 'live', details_json: '{}', created_at: NOW, updated_at: NOW, created_by: 'bob' })
          .execute();
        assert.deepEqual((await w.registry.lineage('churn@champion')).deployments.map((d) => [d.id, d.environment, d.status]), [['dep-1', 'prod', 'live']]);
      } finally {
        await w.close();
      }
    });

    test('roles: viewers read, data scientists register and move plain aliases, deployers promote, admins force', { skip }, async () => {
      const w = await world(backend);
      try {
        const ids = await registerMany(w, 'churn', 2);
        const viewer = w.registry.as({ name: 'vic', role: 'viewer' });
        const scientist = w.registry.as({ name: 'sam', role: 'data-scientist' });
        const deployer = w.registry.as({ name: 'dee', role: 'deployer' });
        assert.equal((await viewer.list()).length, 1);
        const model = await tinyModel(w.dir, 9);
        const denied = await rejectsCode(viewer.register({ dir: model.dir, name: 'churn' }), 'LOOM_ERR_REGISTRY_FORBIDDEN');
        assert.equal(denied.needed, 'data-scientist');
        assert.equal((await scientist.setAlias('churn', 'challenger', 2)).toVersion, 2);
        await rejectsCode(scientist.setAlias('churn', 'champion', 1), 'LOOM_ERR_REGISTRY_FORBIDDEN');
        await rejectsCode(scientist.promote({ name: 'churn' }), 'LOOM_ERR_REGISTRY_FORBIDDEN');
        await rejectsCode(scientist.setStage('churn', 1, 'production'), 'LOOM_ERR_REGISTRY_FORBIDDEN');
        await deployer.setAlias('churn', 'champion', 1);
        await w.registry.attachEvaluation('churn', 1, report(ids[0], 0.9));
        await w.registry.attachEvaluation('churn', 2, report(ids[1], 0.5));
        const gate = parseGate('auc not worse');
        await rejectsCode(deployer.promote({ name: 'churn', gate, force: true, reason: 'x' }), 'LOOM_ERR_REGISTRY_FORBIDDEN');
        assert.equal((await deployer.promote({ name: 'churn', gate: parseGate('auc >= 0.4') })).toVersion, 2);
        assert.equal((await deployer.rollback('churn')).toVersion, 1);
        const actors = (await w.registry.history('churn', 3)).map((e) => e.actor);
        assert.deepEqual(actors, ['dee', 'dee', 'alice']);
      } finally {
        await w.close();
      }
    });
  });
}
