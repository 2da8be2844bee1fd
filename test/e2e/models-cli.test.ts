import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { assertCodedFailure, loomCli } from '../support/loom-cli.js';
import { loomInProcess } from '../support/loom-in-process.js';
import { metadataTestBackends } from '../support/metadata-backends.js';
import { serviceSkip } from '../support/services.js';

// `loom models` end to end: two trained models registered with hand-written evaluation reports, aliases, a gate
// that refuses and a forced promotion, rollback, lineage, resolve (then predict from the resolved directory), and
// every bad-input path as a coded error.

const { root: home, freshPostgresUri } = metadataTestBackends('loom-e2e-models-');
const loom = loomCli(home);
// The fixture, repeats, read-backs and coded-error checks run the CLI in-process (each spawn costs ~1 s of tsx
// start-up); one real spawn per command stays, and one on PostgreSQL.
const loomHere = loomInProcess(home);
const ACTOR = { LOOM_ACTOR: 'carol' };

const hashes: string[] = [];

function evaluation(file: string, hash: string, auc: number, half: number): void {
  const report = {
    format: 'loom.evaluation/1',
    task: 'binary',
    model: { hash },
    data: { ref: 'tiny@0123456789ab', rows: 40 },
    metrics: { auc: { value: auc, ci: [auc - half, auc + half], level: 0.95 } },
    slices: [],
    fairness: [],
    costs: null,
    created_at: '2026-11-26T12:00:00.000Z',
  };
  mkdirSync(join(home, file, '..'), { recursive: true });
  writeFileSync(join(home, file), `${JSON.stringify(report, null, 2)}\n`);
}

before(async () => {
  const rows = ['x,y', ...Array.from({ length: 40 }, (_, i) => `${i},${i % 3 === 0 ? 'yes' : 'no'}`)];
  writeFileSync(join(home, 'tiny.csv'), `${rows.join('\n')}\n`);
  const ingest = await loomHere(['data', 'ingest', 'tiny.csv', '--name', 'tiny', '--json']);
  assert.equal(ingest.code, 0, ingest.stderr);
  for (const seed of [1, 2]) {
    const trained = await loomHere(['train', '--data', 'tiny', '--target', 'y', '--model', 'baseline', '--seed', String(seed), '--out', `models/m${seed}`, '--json']);
    assert.equal(trained.code, 0, trained.stderr);
    hashes.push(trained.json().model_id);
  }
  assert.notEqual(hashes[0], hashes[1]);
  evaluation('eval/m1/evaluation.json', hashes[0], 0.8, 0.02);
  writeFileSync(join(home, 'eval/m1/model-card.md'), '# tiny model 1\n\nA baseline.\n');
  evaluation('eval/m2/evaluation.json', hashes[1], 0.7, 0.02);
  writeFileSync(join(home, 'gate.txt'), '# champion vs challenger\nauc >= champion.auc - 0.005 (95% CI)\nauc >= 0.5\n');
});

describe('loom models on the embedded store', () => {
  test('register, list, versions, show; re-registering finds the version; the card comes with the report', async () => {
    const first = await loom(['models', 'register', 'models/m1', '--name', 'tiny-clf', '--run', 'run-1', '--eval', 'eval/m1/evaluation.json', '--json'], ACTOR);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual([first.json().version, first.json().created, first.json().model_hash, first.json().run_id], [1, true, hashes[0], 'run-1']);
    const second = await loomHere(['models', 'register', 'models/m2', '--name', 'tiny-clf', '--json'], ACTOR);
    assert.deepEqual([second.json().version, second.json().created], [2, true]);
    const again = await loomHere(['models', 'register', 'models/m1', '--name', 'tiny-clf', '--json'], ACTOR);
    assert.deepEqual([again.json().version, again.json().created, again.json().bytes_stored], [1, false, 0]);

    const list = await loom(['models', 'list', '--json']);
    assert.deepEqual(list.json().map((m: any) => [m.name, m.versions, m.latestVersion]), [['tiny-clf', 2, 2]]);
    const versions = await loom(['models', 'versions', 'tiny-clf', '--json']);
    assert.deepEqual(versions.json().map((v: any) => [v.version, v.modelHash, v.createdBy]), [[2, hashes[1], 'carol'], [1, hashes[0], 'carol']]);
    const show = await loom(['models', 'show', 'tiny-clf@1', '--json']);
    assert.deepEqual(show.json().evaluations.map((e: any) => [e.dataRef, e.dataRows]), [['tiny@0123456789ab', 40]]);
    const card = await loom(['models', 'card', 'tiny-clf@1', '--json']);
    assert.equal(card.json().card, '# tiny model 1\n\nA baseline.\n');
    const human = await loomHere(['models', 'show', 'tiny-clf']);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /recent history:/);
  });

  test('alias, gated promote that refuses, forced promote with reason, rollback; all in the history', async () => {
    assert.equal((await loom(['models', 'alias', 'tiny-clf', 'champion', '1', '--json'], ACTOR)).code, 0);
    const challenger = await loomHere(['models', 'alias', 'tiny-clf', 'challenger', '2', '--json'], ACTOR);
    assert.deepEqual([challenger.json().fromVersion, challenger.json().toVersion], [null, 2]);
    assertCodedFailure(await loomHere(['models', 'alias', 'tiny-clf', 'challenger', '1', '--expect', '1', '--json']), 'LOOM_ERR_REGISTRY_ALIAS_CONFLICT');

    // The challenger has no report yet.
    assertCodedFailure(await loomHere(['models', 'promote', 'tiny-clf', '--gate', 'gate.txt', '--json']), 'LOOM_ERR_REGISTRY_EVALUATION_MISSING');
    const attached = await loom(['models', 'attach-eval', 'tiny-clf@challenger', 'eval/m2/evaluation.json', '--json'], ACTOR);
    assert.equal(attached.code, 0, attached.stderr);
    assertCodedFailure(await loomHere(['models', 'attach-eval', 'tiny-clf@1', 'eval/m2/evaluation.json', '--json']), 'LOOM_ERR_REGISTRY_EVALUATION_MISMATCH');

    const refused = await loom(['models', 'promote', 'tiny-clf', '--gate', 'gate.txt', '--json']);
    assertCodedFailure(refused, 'LOOM_ERR_GATE_FAILED');
    const verdict = refused.json().error.details.gate;
    assert.deepEqual(verdict.rules.map((r: any) => [r.line, r.status]), [[2, 'failed'], [3, 'passed']]);
    const humanRefusal = await loomHere(['models', 'promote', 'tiny-clf', '--gate', 'gate.txt']);
    assert.equal(humanRefusal.code, 2);
    assert.match(humanRefusal.stderr, /✘\s+2\s+auc >= champion\.auc - 0\.005 \(95% CI\)/);
    assert.match(humanRefusal.stderr, /^error LOOM_ERR_GATE_FAILED: /m);
    assert.match(humanRefusal.stderr, /✔\s+3\s+auc >= 0\.5/);

    assertCodedFailure(await loomHere(['models', 'promote', 'tiny-clf', '--gate', 'gate.txt', '--force', '--json']), 'LOOM_ERR_REGISTRY_FORCE_REASON_REQUIRED');
    assertCodedFailure(await loomHere(['models', 'promote', 'tiny-clf', '--gate', 'gate.txt', '--force', '--reason', 'x', '--json'], { LOOM_ROLE: 'deployer' }), 'LOOM_ERR_REGISTRY_FORBIDDEN');
    const forced = await loomHere(['models', 'promote', 'tiny-clf', '--gate', 'gate.txt', '--force', '--reason', 'incident 42', '--json'], ACTOR);
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual([forced.json().fromVersion, forced.json().toVersion, forced.json().forced], [1, 2, true]);

    const back = await loom(['models', 'rollback', 'tiny-clf', '--reason', 'bad canary', '--json'], { LOOM_ACTOR: 'dave' });
    assert.deepEqual([back.json().fromVersion, back.json().toVersion], [2, 1]);
    assertCodedFailure(await loomHere(['models', 'rollback', 'tiny-clf', '--json']), 'LOOM_ERR_REGISTRY_ROLLBACK_UNAVAILABLE');

    const history = (await loom(['models', 'history', 'tiny-clf', '--json'])).json();
    const moves = history.filter((e: any) => e.alias === 'champion').map((e: any) => [e.action, e.actor, e.fromVersion, e.toVersion, e.reason, e.details.forced ?? null]);
    assert.deepEqual(moves, [
      ['rollback', 'dave', 2, 1, 'bad canary', null],
      ['promote', 'carol', 1, 2, 'incident 42', true],
      ['alias_set', 'carol', null, 1, null, null],
    ]);
  });

  test('lineage lists datasets → run → version → deployments; resolve gives a directory predict can use', async () => {
    const lineage = await loom(['models', 'lineage', 'tiny-clf@1', '--json']);
    assert.equal(lineage.code, 0, lineage.stderr);
    const l = lineage.json();
    assert.deepEqual(l.datasets.map((d: any) => [d.role, d.name]), [['train', 'tiny']]);
    assert.deepEqual([l.run, l.version, l.deployments, l.aliases], [{ id: 'run-1' }, 1, [], ['champion']]);

    const resolved = await loom(['models', 'resolve', 'tiny-clf@champion', '--json']);
    assert.deepEqual([resolved.json().version, resolved.json().model_hash], [1, hashes[0]]);
    const predicted = await loomHere(['predict', resolved.json().dir, '--input', 'tiny', '--output', 'scores.csv', '--json']);
    assert.equal(predicted.code, 0, predicted.stderr);
    assert.equal(readFileSync(join(home, 'scores.csv'), 'utf8').trim().split('\n').length, 41);
    assert.equal((await loomHere(['models', 'resolve', 'tiny-clf'])).stdout.trim(), join(home, 'registry', hashes[1]));
  });

  test('stage and update', async () => {
    const staged = await loom(['models', 'stage', 'tiny-clf', '2', 'production', '--json']);
    assert.deepEqual([staged.json().stage, staged.json().archived], ['production', []]);
    const updated = await loom(['models', 'update', 'tiny-clf@2', '--description', 'retrained', '--tag', 'owner=growth', '--json']);
    assert.equal(updated.code, 0, updated.stderr);
    const shown = (await loomHere(['models', 'show', 'tiny-clf@2', '--json'])).json();
    assert.deepEqual([shown.stage, shown.description, shown.tags], ['production', 'retrained', { owner: 'growth' }]);
  });

  test('bad input gets coded errors', async () => {
    const unknown = await loomHere(['models', 'show', 'tiny-clv', '--json']);
    assertCodedFailure(unknown, 'LOOM_ERR_REGISTRY_MODEL_NOT_FOUND');
    assert.equal(unknown.json().error.details.suggestion, 'tiny-clf');
    assertCodedFailure(await loomHere(['models', 'lineage', 'tiny-clf@9', '--json']), 'LOOM_ERR_REGISTRY_VERSION_NOT_FOUND');
    const alias = await loomHere(['models', 'resolve', 'tiny-clf@champoin', '--json']);
    assertCodedFailure(alias, 'LOOM_ERR_REGISTRY_ALIAS_NOT_FOUND');
    assert.equal(alias.json().error.details.suggestion, 'champion');
    assertCodedFailure(await loomHere(['models', 'alias', 'tiny-clf', 'Champion!', '1', '--json']), 'LOOM_ERR_REGISTRY_NAME_INVALID');
    assertCodedFailure(await loomHere(['models', 'alias', 'tiny-clf', 'canary', 'two', '--json']), 'LOOM_ERR_REGISTRY_INVALID_OPTION');
    assertCodedFailure(await loomHere(['models', 'register', 'models/m1', '--name', 'has space', '--json']), 'LOOM_ERR_REGISTRY_NAME_INVALID');

    writeFileSync(join(home, 'broken.gate'), 'auc >= 0.5\nauc >= champion.auc - 0.005 (95% Cl)\n');
    const gate = await loomHere(['models', 'promote', 'tiny-clf', '--gate', 'broken.gate', '--json']);
    assertCodedFailure(gate, 'LOOM_ERR_GATE_PARSE_ERROR');
    assert.deepEqual([gate.json().error.details.line, gate.json().error.details.column], [2, 34]);
    assertCodedFailure(await loomHere(['models', 'promote', 'tiny-clf', '--gate', 'missing.gate', '--json']), 'LOOM_ERR_REGISTRY_FILE_NOT_FOUND');

    writeFileSync(join(home, 'not-a-report.json'), '{"format":"loom.evaluation/1","task":"binary"}');
    const invalid = await loomHere(['models', 'register', 'models/m1', '--name', 'tiny-clf', '--eval', 'not-a-report.json', '--json']);
    assertCodedFailure(invalid, 'LOOM_ERR_REGISTRY_EVALUATION_INVALID');
    assert.equal(invalid.json().error.details.field, 'model');

    const manifest = join(home, 'models/m2/manifest.json');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"seed": 2', '"seed": 3'));
    assertCodedFailure(await loomHere(['models', 'register', 'models/m2', '--name', 'other', '--json']), 'LOOM_ERR_ARTIFACT_MODEL_TAMPERED');
    assertCodedFailure(await loomHere(['models', 'list', '--json'], { LOOM_ROLE: 'intern' }), 'LOOM_ERR_REGISTRY_INVALID_OPTION');
  });
});

test('loom models on PostgreSQL: register, promote, rollback', { skip: await serviceSkip('postgres') }, async () => {
  const env = { ...ACTOR, LOOM_METADATA_URI: freshPostgresUri() };
  const first = await loom(['models', 'register', 'models/m1', '--name', 'pg-clf', '--json'], env);
  assert.equal(first.code, 0, first.stderr);
  const m3 = await loomHere(['train', '--data', 'tiny', '--target', 'y', '--model', 'baseline', '--seed', '7', '--out', 'models/m7', '--json']);
  assert.equal(m3.code, 0, m3.stderr);
  const registered = await loomHere(['models', 'register', 'models/m7', '--name', 'pg-clf', '--json'], env);
  assert.equal(registered.code, 0, registered.stderr);
  const last = registered.json().version;
  assert.equal(last, 2);
  assert.equal((await loomHere(['models', 'alias', 'pg-clf', 'champion', '1', '--json'], env)).code, 0);
  assert.equal((await loomHere(['models', 'alias', 'pg-clf', 'challenger', String(last), '--json'], env)).code, 0);
  const promoted = await loomHere(['models', 'promote', 'pg-clf', '--json'], env);
  assert.deepEqual([promoted.json().fromVersion, promoted.json().toVersion], [1, last]);
  const back = await loomHere(['models', 'rollback', 'pg-clf', '--json'], env);
  assert.deepEqual([back.json().fromVersion, back.json().toVersion], [last, 1]);
  const lineage = await loomHere(['models', 'lineage', `pg-clf@${last}`, '--json'], env);
  assert.deepEqual(lineage.json().deployments, []);
});
