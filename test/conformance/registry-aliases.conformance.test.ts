import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseGate } from '../../src/evaluation/gates/index.js';
import { promoteInChild, registerMany, registryTestBackends, rejectsCode, report } from '../support/registry-world.js';

// The registry on every metadata backend, aliases: atomic and conditional moves, concurrent promotion (two connections, two real processes) where exactly one wins, gated promotion, rollback.
// Shared worlds and fixtures: test/support/registry-world.ts. The other topics: test/conformance/registry-*.conformance.test.ts.

const { backends: BACKENDS, world } = registryTestBackends('loom-registry-aliases-');

for (const backend of BACKENDS) {
  describe(`registry conformance (aliases): ${backend.name}`, async () => {
    const skip = await backend.skip();

    test('aliases move atomically, conditional moves compare-and-set, and every move is in the history', { skip }, async () => {
      const w = await world(backend);
      try {
        await registerMany(w, 'churn', 3);
        const first = await w.registry.setAlias('churn', 'champion', 1);
        assert.deepEqual([first.fromVersion, first.toVersion, first.revision, first.changed], [null, 1, 1, true]);
        const second = await w.registry.setAlias('churn', 'champion', 2, { expectVersion: 1, reason: 'better' });
        assert.deepEqual([second.fromVersion, second.toVersion, second.revision], [1, 2, 2]);
        const stale = await rejectsCode(w.registry.setAlias('churn', 'champion', 3, { expectVersion: 1 }), 'LOOM_ERR_REGISTRY_ALIAS_CONFLICT');
        assert.equal(stale.found, 2);
        await rejectsCode(w.registry.setAlias('churn', 'shadow', 3, { expectVersion: 2 }), 'LOOM_ERR_REGISTRY_ALIAS_CONFLICT');
        assert.equal((await w.registry.setAlias('churn', 'shadow', 3, { expectVersion: null })).toVersion, 3);
        assert.equal((await w.registry.setAlias('churn', 'champion', 2)).changed, false);
        assert.deepEqual((await w.registry.get('churn')).aliases, { champion: 2, shadow: 3 });
        await w.registry.deleteAlias('churn', 'shadow');
        assert.deepEqual((await w.registry.get('churn')).aliases, { champion: 2 });
        const moves = (await w.registry.history('churn')).filter((e) => e.alias !== null).reverse();
        assert.deepEqual(
          moves.map((e) => [e.action, e.alias, e.fromVersion, e.toVersion, e.reason]),
          [
            ['alias_set', 'champion', null, 1, null],
            ['alias_set', 'champion', 1, 2, 'better'],
            ['alias_set', 'shadow', null, 3, null],
            ['alias_delete', 'shadow', 3, null, null],
          ],
        );
      } finally {
        await w.close();
      }
    });

    // better-sqlite3 is synchronous: a second connection in the same process that waits for SQLite's write lock blocks
    // the event loop the first connection needs to finish, so the embedded backend is one connection per process and
    // its race is tested with two processes below (and this test is only defined for servers).
    if (backend.name !== 'sqlite') test('two connections promoting to champion at once: exactly one wins, the other is ALIAS_CONFLICT', { skip }, async () => {
      const w = await world(backend);
      try {
        await registerMany(w, 'churn', 3);
        await w.registry.setAlias('churn', 'champion', 1);
        await w.registry.setAlias('churn', 'challenger', 2);
        await w.registry.setAlias('churn', 'shadow', 3);
        const a = await w.open({ name: 'conn-a', role: 'deployer' });
        const b = await w.open({ name: 'conn-b', role: 'deployer' });
        try {
          const planA = await a.registry.planPromotion({ name: 'churn', from: 'challenger', to: 'champion' });
          const planB = await b.registry.planPromotion({ name: 'churn', from: 'shadow', to: 'champion' });
          const outcomes = await Promise.allSettled([a.registry.commitPromotion(planA), b.registry.commitPromotion(planB)]);
          const won = outcomes.filter((o) => o.status === 'fulfilled');
          const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
          assert.equal(won.length, 1);
          assert.equal(lost.length, 1);
          assert.equal(lost[0].reason.code, 'LOOM_ERR_REGISTRY_ALIAS_CONFLICT');
          const winner = (won[0] as PromiseFulfilledResult<{ toVersion: number }>).value.toVersion;
          assert.equal((await w.registry.get('churn')).aliases.champion, winner);
          const promotes = (await w.registry.history('churn')).filter((e) => e.action === 'promote');
          assert.equal(promotes.length, 1);
          assert.deepEqual([promotes[0].fromVersion, promotes[0].toVersion], [1, winner]);
        } finally {
          await a.close();
          await b.close();
        }
      } finally {
        await w.close();
      }
    });

    test('two processes promoting to champion at once: exactly one wins', { skip }, async () => {
      const w = await world(backend);
      try {
        await registerMany(w, 'churn', 3);
        await w.registry.setAlias('churn', 'champion', 1);
        await w.registry.setAlias('churn', 'challenger', 2);
        await w.registry.setAlias('churn', 'shadow', 3);
        const p1 = promoteInChild(w.uri, w.dir, 'challenger');
        const p2 = promoteInChild(w.uri, w.dir, 'shadow');
        // Both have read champion@1 (revision 1) before either writes.
        await Promise.all([p1.ready, p2.ready]);
        p1.go();
        p2.go();
        const results = await Promise.all([p1.done, p2.done]);
        assert.deepEqual(results.map((r) => r.ok).sort(), [false, true], JSON.stringify(results));
        const loser = results.find((r) => !r.ok)!;
        assert.equal(loser.code, 'LOOM_ERR_REGISTRY_ALIAS_CONFLICT');
        const winner = results.find((r) => r.ok)!.toVersion;
        assert.equal((await w.registry.get('churn')).aliases.champion, winner);
        const promotes = (await w.registry.history('churn')).filter((e) => e.action === 'promote');
        assert.equal(promotes.length, 1);
        assert.equal(promotes[0].actor, winner === 2 ? 'proc-challenger' : 'proc-shadow');
      } finally {
        await w.close();
      }
    });

    test('promote applies the gate, refuses with the failed rule, and audits a forced promotion with its reason', { skip }, async () => {
      const w = await world(backend);
      try {
        const ids = await registerMany(w, 'churn', 3);
        const gate = parseGate('auc >= champion.auc - 0.005 (95% CI)\nauc >= 0.7');
        await w.registry.setAlias('churn', 'challenger', 1);
        // First promotion: no champion, so the comparison is skipped and the absolute rule decides.
        await w.registry.attachEvaluation('churn', 1, report(ids[0], 0.8));
        const first = await w.registry.promote({ name: 'churn', gate });
        assert.deepEqual([first.toVersion, first.gate?.passed, first.gate?.skipped], [1, true, 1]);

        await w.registry.setAlias('churn', 'challenger', 2);
        await rejectsCode(w.registry.promote({ name: 'churn', gate }), 'LOOM_ERR_REGISTRY_EVALUATION_MISSING');
        await w.registry.attachEvaluation('churn', 2, report(ids[1], 0.78));
        const refused = await rejectsCode(w.registry.promote({ name: 'churn', gate }), 'LOOM_ERR_GATE_FAILED');
        const verdict = refused.gate as { rules: { line: number; status: string }[] };
        assert.deepEqual(verdict.rules.map((r) => [r.line, r.status]), [[1, 'failed'], [2, 'passed']]);
        assert.equal((await w.registry.get('churn')).aliases.champion, 1);

        await rejectsCode(w.registry.promote({ name: 'churn', gate, force: true }), 'LOOM_ERR_REGISTRY_FORCE_REASON_REQUIRED');
        const forced = await w.registry.promote({ name: 'churn', gate, force: true, reason: 'hotfix for incident 42' });
        assert.deepEqual([forced.toVersion, forced.forced, forced.gate?.passed], [2, true, false]);
        const event = (await w.registry.history('churn')).find((e) => e.action === 'promote')!;
        assert.deepEqual([event.fromVersion, event.toVersion, event.actor, event.reason, event.details.forced], [1, 2, 'alice', 'hotfix for incident 42', true]);

        // A champion evaluated on other data cannot be compared.
        await w.registry.setAlias('churn', 'challenger', 3);
        await w.registry.attachEvaluation('churn', 3, { ...report(ids[2], 0.9), data: { ref: 'churn@ffffff000000', rows: 10 } });
        await rejectsCode(w.registry.promote({ name: 'churn', gate }), 'LOOM_ERR_REGISTRY_EVALUATION_MISSING');
        await w.registry.attachEvaluation('churn', 3, report(ids[2], 0.9));
        const passed = await w.registry.promote({ name: 'churn', gate });
        assert.deepEqual([passed.fromVersion, passed.toVersion, passed.gate?.passed], [2, 3, true]);
      } finally {
        await w.close();
      }
    });

    test('rollback walks champion back through its holders, one step per call', { skip }, async () => {
      const w = await world(backend);
      try {
        await registerMany(w, 'churn', 3);
        await rejectsCode(w.registry.rollback('churn'), 'LOOM_ERR_REGISTRY_ALIAS_NOT_FOUND');
        await w.registry.setAlias('churn', 'champion', 1);
        await w.registry.setAlias('churn', 'champion', 2);
        await w.registry.setAlias('churn', 'champion', 3);
        const back = await w.registry.rollback('churn', 'champion', 'latency regression');
        assert.deepEqual([back.fromVersion, back.toVersion], [3, 2]);
        assert.equal((await w.registry.rollback('churn')).toVersion, 1);
        await rejectsCode(w.registry.rollback('churn'), 'LOOM_ERR_REGISTRY_ROLLBACK_UNAVAILABLE');
        assert.equal((await w.registry.get('churn')).aliases.champion, 1);
        const last = (await w.registry.history('churn', 2))[1];
        assert.deepEqual([last.action, last.fromVersion, last.toVersion, last.reason], ['rollback', 3, 2, 'latency regression']);
      } finally {
        await w.close();
      }
    });
  });
}
