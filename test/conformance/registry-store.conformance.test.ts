import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { EvaluationReport, MetricEstimate } from '../../src/evaluation/evaluation-report.js';
import { parseGate } from '../../src/evaluation/gates/index.js';
import { loadModelArtifact, saveModelArtifact } from '../../src/models/artifact/index.js';
import { ModelRegistry, type Principal } from '../../src/registry/index.js';
import { FsArtifactStore } from '../../src/storage/artifacts/index.js';
import { openMetadataStore, type MetadataStore } from '../../src/storage/metadata/index.js';
import { metadataTestBackends, type MetadataBackend as Backend } from '../support/metadata-backends.js';

// The registry on every metadata backend: versions, aliases, gated promotion, rollback, lineage, permissions, and
// concurrent alias moves (two connections, and two real processes) where exactly one wins.

const { root, backends: BACKENDS } = metadataTestBackends('loom-registry-');

const ADMIN: Principal = { name: 'alice', role: 'admin' };
const NOW = 1_764_115_200_000;
const REGISTRY_MODULE = new URL('../../src/registry/index.ts', import.meta.url).href;
const STORE_MODULE = new URL('../../src/storage/metadata/index.ts', import.meta.url).href;
const ARTIFACTS_MODULE = new URL('../../src/storage/artifacts/index.ts', import.meta.url).href;

/** A fresh registry world: one metadata database, one artifact store, one cache folder. */
interface World {
  readonly uri: string;
  readonly dir: string;
  readonly store: MetadataStore;
  readonly registry: ModelRegistry;
  /** A second registry over a second connection to the same database. */
  open(principal?: Principal): Promise<{ registry: ModelRegistry; close(): Promise<void> }>;
  close(): Promise<void>;
}

async function world(backend: Backend): Promise<World> {
  const uri = backend.freshUri();
  const dir = mkdtempSync(join(root, 'w-'));
  const store = await openMetadataStore(uri);
  const artifacts = await FsArtifactStore.open(join(dir, 'artifacts'));
  let tick = 0;
  const options = { artifacts, cacheDir: join(dir, 'cache'), now: () => NOW + tick++ };
  const extra: MetadataStore[] = [];
  return {
    uri,
    dir,
    store,
    registry: new ModelRegistry({ db: store.db, principal: ADMIN, ...options }),
    async open(principal = ADMIN) {
      const other = await openMetadataStore(uri);
      extra.push(other);
      return { registry: new ModelRegistry({ db: other.db, principal, ...options }), close: () => other.close() };
    },
    async close() {
      await store.close();
      await Promise.all(extra.map((s) => s.close().catch(() => undefined)));
    },
  };
}

/** Saves a tiny model directory; `seed` makes its bytes (and so its hash) distinct. */
async function tinyModel(parent: string, seed: number): Promise<{ dir: string; id: string }> {
  const dir = join(parent, `model-${seed}-${randomBytes(3).toString('hex')}`);
  const weights = new Float64Array([seed, -1.25]);
  const { id } = await saveModelArtifact(dir, {
    manifest: {
      flavor: 'linear',
      inputSignature: { columns: [{ name: 'x', type: 'float', nullable: false, tags: [] }] },
      outputSignature: { task: 'binary', outputs: [{ name: 'p', type: 'float' }], classes: ['no', 'yes'] },
      preprocessing: null,
      params: { l2: 0 },
      metrics: {},
      referenceProfile: null,
      lineage: { datasets: [{ role: 'train', name: 'churn', version: 'abc123def456' }], gitSha: null, seed, createdAt: '2026-11-26T00:00:00.000Z', loomVersion: '0.1.0' },
    },
    files: new Map([['weights.f64', new Uint8Array(weights.buffer)]]),
  });
  return { dir, id };
}

function est(value: number, half = 0.01): MetricEstimate {
  return { value, ci: [value - half, value + half], level: 0.95 };
}

function report(hash: string, auc: number, half = 0.01): EvaluationReport {
  return {
    format: 'loom.evaluation/1',
    task: 'binary',
    model: { hash },
    data: { ref: 'churn@abc123def456', rows: 2000 },
    metrics: { auc: est(auc, half) },
    slices: [],
    fairness: [],
    costs: null,
    created_at: '2026-11-26T10:00:00.000Z',
  };
}

async function rejectsCode(promise: Promise<unknown>, code: string): Promise<Record<string, unknown>> {
  let details: Record<string, unknown> = {};
  await assert.rejects(promise, (err: { code?: string; details?: Record<string, unknown> }) => {
    assert.equal(err.code, code);
    details = err.details ?? {};
    return true;
  });
  return details;
}

/** Registers `count` distinct tiny models under `name`; returns their model ids in version order. */
async function registerMany(w: World, name: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    const model = await tinyModel(w.dir, i);
    const { version, created } = await w.registry.register({ dir: model.dir, name });
    assert.equal(created, true);
    assert.equal(version.version, i);
    ids.push(model.id);
  }
  return ids;
}

/**
 * Runs planPromotion in a child process, reports "ready", waits for "go" on stdin, then commits and prints the
 * outcome as JSON. Two of these planned against the same champion race on the commit.
 */
function promoteInChild(uri: string, dir: string, from: string): { ready: Promise<void>; go(): void; done: Promise<{ ok: boolean; code?: string; toVersion?: number }> } {
  const script = `const { ModelRegistry } = await import(${JSON.stringify(REGISTRY_MODULE)});
const { openMetadataStore } = await import(${JSON.stringify(STORE_MODULE)});
const { FsArtifactStore } = await import(${JSON.stringify(ARTIFACTS_MODULE)});
const store = await openMetadataStore(${JSON.stringify(uri)});
const artifacts = await FsArtifactStore.open(${JSON.stringify(join(dir, 'artifacts'))});
const registry = new ModelRegistry({ db: store.db, artifacts, cacheDir: ${JSON.stringify(join(dir, 'cache'))}, principal: { name: 'proc-${from}', role: 'admin' } });
const plan = await registry.planPromotion({ name: 'churn', from: ${JSON.stringify(from)}, to: 'champion' });
process.stdout.write('ready\\n');
await new Promise((go) => process.stdin.once('data', go));
try {
  const result = await registry.commitPromotion(plan);
  process.stdout.write(JSON.stringify({ ok: true, toVersion: result.toVersion }) + '\\n');
} catch (err) {
  process.stdout.write(JSON.stringify({ ok: false, code: err.code }) + '\\n');
}
await store.close();
process.exit(0);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let readyResolve: () => void = () => undefined;
  const ready = new Promise<void>((r) => (readyResolve = r));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('ready\n')) readyResolve();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<{ ok: boolean; code?: string; toVersion?: number }>((resolve, reject) => {
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || line === undefined) reject(new Error(`child for ${from} exited ${code}: ${err}`));
      else resolve(JSON.parse(line));
    });
  });
  return { ready: Promise.race([ready, done.then(() => undefined)]), go: () => child.stdin.end('go\n'), done };
}

for (const backend of BACKENDS) {
  describe(`registry conformance: ${backend.name}`, async () => {
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
