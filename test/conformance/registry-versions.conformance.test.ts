import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadModelArtifact } from '../../src/models/artifact/index.js';
import { registerMany, registryTestBackends, rejectsCode, report, tinyModel } from '../support/registry-world.js';

// The registry on every metadata backend, versions: register, resolve, coded lookups, stages, and concurrent registrations.
// Shared worlds and fixtures: test/support/registry-world.ts. The other topics: test/conformance/registry-*.conformance.test.ts.

const { backends: BACKENDS, world } = registryTestBackends('loom-registry-versions-');

for (const backend of BACKENDS) {
  describe(`registry conformance (versions): ${backend.name}`, async () => {
    const skip = await backend.skip();

    test('register: versions count from 1, the same artifact finds its version, blobs are stored and verified', { skip }, async () => {
      const w = await world(backend);
      try {
        const a = await tinyModel(w.dir, 1);
        const first = await w.registry.register({ dir: a.dir, name: 'churn', runId: 'run-1', description: 'first', tags: { team: 'growth' } });
        assert.equal(first.created, true);
        assert.equal(first.version.version, 1);
        assert.equal(first.version.modelHash, a.id);
        assert.equal(first.version.runId, 'run-1');
        assert.equal(first.version.flavor, 'linear');
        assert.equal(first.version.createdBy, 'alice');
        assert.deepEqual(first.version.signature.output.classes, ['no', 'yes']);
        assert.deepEqual(first.version.tags, { team: 'growth' });
        const manifestBytes = readFileSync(join(a.dir, 'manifest.json'));
        assert.ok(first.bytesStored >= manifestBytes.byteLength + 16);
        const again = await w.registry.register({ dir: a.dir, name: 'churn' });
        assert.deepEqual([again.created, again.version.version, again.bytesStored], [false, 1, 0]);
        await rejectsCode(w.registry.register({ dir: a.dir, name: 'churn', runId: 'run-2' }), 'LOOM_ERR_REGISTRY_VERSION_CONFLICT');
        const b = await tinyModel(w.dir, 2);
        assert.equal((await w.registry.register({ dir: b.dir, name: 'churn' })).version.version, 2);
        assert.equal((await w.registry.register({ dir: b.dir, name: 'fraud' })).version.version, 1);
        const list = await w.registry.list();
        assert.deepEqual(list.map((m) => [m.name, m.latestVersion, m.versions]), [['churn', 2, 2], ['fraud', 1, 1]]);
        assert.deepEqual((await w.registry.versions('churn')).map((v) => v.version), [2, 1]);
        const history = await w.registry.history('churn');
        assert.deepEqual(history.map((e) => [e.action, e.version, e.actor]).reverse(), [['register', 1, 'alice'], ['register', 2, 'alice']]);
      } finally {
        await w.close();
      }
    });

    test('register refuses a tampered directory, a bad name, and a report of another model', { skip }, async () => {
      const w = await world(backend);
      try {
        const a = await tinyModel(w.dir, 1);
        await rejectsCode(w.registry.register({ dir: a.dir, name: 'bad name' }), 'LOOM_ERR_REGISTRY_NAME_INVALID');
        await rejectsCode(w.registry.register({ dir: a.dir, name: 'churn@2' }), 'LOOM_ERR_REGISTRY_NAME_INVALID');
        const { evaluationInput } = await import('../../src/registry/index.js');
        await rejectsCode(w.registry.register({ dir: a.dir, name: 'churn', evaluation: evaluationInput(report('f'.repeat(64), 0.8)) }), 'LOOM_ERR_REGISTRY_EVALUATION_MISMATCH');
        writeFileSync(join(a.dir, 'weights.f64'), new Uint8Array(16));
        await rejectsCode(w.registry.register({ dir: a.dir, name: 'churn' }), 'LOOM_ERR_ARTIFACT_MODEL_TAMPERED');
        assert.deepEqual(await w.registry.list(), []);
      } finally {
        await w.close();
      }
    });

    test('resolve: name@alias, name@version and name (newest not archived) give verified directories', { skip }, async () => {
      const w = await world(backend);
      try {
        const ids = await registerMany(w, 'churn', 3);
        await w.registry.setAlias('churn', 'champion', 1);
        const champion = await w.registry.resolve('churn@champion');
        assert.deepEqual([champion.version, champion.alias, champion.modelHash], [1, 'champion', ids[0]]);
        assert.equal((await loadModelArtifact(champion.dir)).id, ids[0]);
        assert.equal((await w.registry.resolve('churn@2')).modelHash, ids[1]);
        assert.equal((await w.registry.resolve('churn')).version, 3);
        await w.registry.setStage('churn', 3, 'archived');
        assert.equal((await w.registry.resolve('churn@latest')).version, 2);
        // A cached directory that was edited is rebuilt from the store's verified blobs.
        writeFileSync(join(champion.dir, 'weights.f64'), new Uint8Array(16));
        const again = await w.registry.resolve('churn@champion');
        assert.equal((await loadModelArtifact(again.dir)).id, ids[0]);
      } finally {
        await w.close();
      }
    });

    test('unknown model, version and alias are coded errors with close-name suggestions; bad refs and aliases too', { skip }, async () => {
      const w = await world(backend);
      try {
        await registerMany(w, 'churn', 2);
        await w.registry.setAlias('churn', 'champion', 1);
        assert.equal((await rejectsCode(w.registry.resolve('chrun@champion'), 'LOOM_ERR_REGISTRY_MODEL_NOT_FOUND')).suggestion, 'churn');
        assert.equal((await rejectsCode(w.registry.resolve('churn@champoin'), 'LOOM_ERR_REGISTRY_ALIAS_NOT_FOUND')).suggestion, 'champion');
        assert.equal((await rejectsCode(w.registry.resolve('churn@7'), 'LOOM_ERR_REGISTRY_VERSION_NOT_FOUND')).latest, 2);
        await rejectsCode(w.registry.resolve('churn@0'), 'LOOM_ERR_REGISTRY_REF_INVALID');
        await rejectsCode(w.registry.resolve('churn@Champion'), 'LOOM_ERR_REGISTRY_REF_INVALID');
        await rejectsCode(w.registry.setAlias('churn', 'Champion', 1), 'LOOM_ERR_REGISTRY_NAME_INVALID');
        await rejectsCode(w.registry.setAlias('churn', 'latest', 1), 'LOOM_ERR_REGISTRY_NAME_INVALID');
        await rejectsCode(w.registry.setAlias('churn', '9lives', 1), 'LOOM_ERR_REGISTRY_NAME_INVALID');
        await rejectsCode(w.registry.setAlias('churn', 'shadow', 9), 'LOOM_ERR_REGISTRY_VERSION_NOT_FOUND');
        await rejectsCode(w.registry.setStage('churn', 1, 'prod'), 'LOOM_ERR_REGISTRY_NAME_INVALID');
      } finally {
        await w.close();
      }
    });

    test('stages: production with archiveExisting archives the previous production version in one transaction', { skip }, async () => {
      const w = await world(backend);
      try {
        await registerMany(w, 'churn', 2);
        await w.registry.setStage('churn', 1, 'production');
        const moved = await w.registry.setStage('churn', 2, 'production', { archiveExisting: true });
        assert.deepEqual(moved.archived, [1]);
        assert.deepEqual((await w.registry.versions('churn')).map((v) => [v.version, v.stage]), [[2, 'production'], [1, 'archived']]);
        await w.registry.update('churn', 2, { description: 'the good one', tags: { owner: 'growth' } });
        await w.registry.update('churn', 2, { tags: { owner: null, ticket: 'ML-9' } });
        const v2 = await w.registry.version('churn', 2);
        assert.deepEqual([v2.description, v2.tags], ['the good one', { ticket: 'ML-9' }]);
        await rejectsCode(w.registry.update('churn', undefined, { tags: { 'bad key': 'x' } }), 'LOOM_ERR_REGISTRY_NAME_INVALID');
      } finally {
        await w.close();
      }
    });

    test('concurrent registrations over two connections get distinct version numbers', { skip }, async () => {
      const w = await world(backend);
      try {
        const models = await Promise.all([1, 2, 3, 4].map((i) => tinyModel(w.dir, i)));
        const a = await w.open();
        const b = await w.open();
        try {
          const results = await Promise.all(models.map((m, i) => (i % 2 === 0 ? a : b).registry.register({ dir: m.dir, name: 'churn' })));
          assert.deepEqual(results.map((r) => r.version.version).sort(), [1, 2, 3, 4]);
          // The same artifact from both connections at once still makes one version.
          const twin = await tinyModel(w.dir, 5);
          const both = await Promise.all([a.registry.register({ dir: twin.dir, name: 'churn' }), b.registry.register({ dir: twin.dir, name: 'churn' })]);
          assert.equal(both[0].version.version, both[1].version.version);
          assert.deepEqual(both.map((r) => r.created).sort(), [false, true]);
        } finally {
          await a.close();
          await b.close();
        }
      } finally {
        await w.close();
      }
    });
  });
}
