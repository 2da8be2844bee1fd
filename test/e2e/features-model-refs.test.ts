import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { assertCodedFailure, loomCli, ROOT } from '../support/loom-cli.js';
import { loomInProcess } from '../support/loom-in-process.js';

// The feature refs of a model, end to end on the CLI: a training set stored as a dataset records its refs, a model
// trained on a split of it is registered with them (`loom models show`), and `loom features apply` then refuses a
// breaking change to the view the model reads unless given --new-version, which keeps the used version retained.

const home = mkdtempSync(join(tmpdir(), 'loom-e2e-features-refs-'));
after(() => rmSync(home, { recursive: true, force: true }));
const loom = loomCli(home);
/**
 * The same CLI in-process (each spawn costs ~1 s of tsx start-up); real spawns stay for the first apply, the stored
 * training set, the training run, the refs shown by `models show`, and the last apply. In-process, loom.config.ts is
 * first loaded at the 1d TTL and then stays cached under its path (tsx loads it as CommonJS, and require ignores the
 * ?mtime query), so the apply of the 2d config must be a real process.
 */
const loomHere = loomInProcess(home);
const api = JSON.stringify(join(ROOT, 'src/index.ts'));

const stats = ['customer_id,ts,spend,visits'];
const labels = ['customer_id,event_timestamp,churned'];
for (let c = 1; c <= 40; c++) {
  stats.push(`${c},2024-01-01T00:00:00Z,${c * 2},${c % 7}`);
  labels.push(`${c},2024-01-02T00:00:00Z,${c % 2}`);
}
writeFileSync(join(home, 'stats.csv'), `${stats.join('\n')}\n`);
writeFileSync(join(home, 'labels.csv'), `${labels.join('\n')}\n`);
const config = (ttl: string) => `import { defineConfig, entity, featureView, fileSource } from ${api};
const customer = entity({ name: 'customer', joinKeys: { customer_id: 'int' } });
const stats = featureView({
  name: 'stats', entities: [customer], source: fileSource('stats.csv'), timestamp: 'ts',
  features: { spend: 'float', visits: 'int' }, ttl: '${ttl}',
});
export default defineConfig({ entities: [customer], views: [stats] });
`;

test('a model trained on a feature-store training set carries its refs, and apply guards the view it reads', async () => {
  writeFileSync(join(home, 'loom.config.ts'), config('7d'));
  const applied = await loom(['features', 'apply', '--json']);
  assert.equal(applied.code, 0, applied.stdout + applied.stderr);
  const firstVersion = applied.json().plan.changes.find((c: { name: string }) => c.name === 'stats').toVersion as string;

  assertCodedFailure(await loomHere(['features', 'training-set', '--entities', 'labels.csv', '--features', 'stats:spend', '--json']), 'LOOM_ERR_FEATURES_TRAINING_SET_INVALID');
  assertCodedFailure(
    await loomHere(['features', 'training-set', '--entities', 'labels.csv', '--features', 'stats:spend', '--dataset', 'x', '--drop', 'spend', '--json']),
    'LOOM_ERR_FEATURES_TRAINING_SET_INVALID',
  );
  const set = await loom(['features', 'training-set', '--entities', 'labels.csv', '--features', 'stats:spend,stats:visits', '--dataset', 'churn-set', '--tag', 'churned=target', '--drop', 'event_timestamp,customer_id', '--json']);
  assert.equal(set.code, 0, set.stdout + set.stderr);
  const body = set.json();
  assert.equal(body.rows, 40);
  assert.deepEqual(body.columns.map((c: { name: string }) => c.name), ['churned', 'spend', 'visits']);
  assert.deepEqual(body.features, [
    { ref: 'stats:spend', view: 'stats', viewVersion: firstVersion, feature: 'spend', column: 'spend' },
    { ref: 'stats:visits', view: 'stats', viewVersion: firstVersion, feature: 'visits', column: 'visits' },
  ]);

  // Train on a split part: the refs are found through the part's parent.
  const split = await loomHere(['data', 'split', 'churn-set', '--by', 'random', '--into', 'churn-train,churn-valid', '--fractions', '0.75,0.25', '--seed', '1', '--json']);
  assert.equal(split.code, 0, split.stdout + split.stderr);
  const trained = await loom(['train', '--data', 'churn-train', '--target', 'churned', '--model', 'linear', '--out', 'models/churn', '--json']);
  assert.equal(trained.code, 0, trained.stdout + trained.stderr);
  const registered = await loomHere(['models', 'register', 'models/churn', '--name', 'churn', '--json']);
  assert.equal(registered.code, 0, registered.stdout + registered.stderr);

  const shown = await loom(['models', 'show', 'churn@1', '--json']);
  assert.equal(shown.code, 0, shown.stdout + shown.stderr);
  assert.deepEqual(shown.json().features.map((f: { ref: string; viewVersion: string; column: string }) => [f.ref, f.viewVersion, f.column]), [
    ['stats:spend', firstVersion, 'spend'],
    ['stats:visits', firstVersion, 'visits'],
  ]);
  const text = await loomHere(['models', 'show', 'churn@1']);
  assert.match(text.stdout, new RegExp(`features {4}stats:spend@${firstVersion.slice(0, 12)}, stats:visits@${firstVersion.slice(0, 12)}`));

  // A breaking change (TTL) to the used view is refused; --new-version applies it and keeps the used version retained.
  writeFileSync(join(home, 'loom.config.ts'), config('1d'));
  const refused = await loomHere(['features', 'apply', '--json']);
  assertCodedFailure(refused, 'LOOM_ERR_FEATURES_BREAKING_CHANGE');
  assert.deepEqual(refused.json().error.details.usedBy, [{ model: 'churn', modelVersion: 1, viewVersion: firstVersion, features: ['stats:spend', 'stats:visits'] }]);
  const plan = await loomHere(['features', 'apply', '--dry-run', '--new-version']);
  assert.match(plan.stdout, /~ ttl: 7d → 1d {3}\(breaking\)\n {6}used by churn v1/);
  const forced = await loomHere(['features', 'apply', '--new-version', '--json']);
  assert.equal(forced.code, 0, forced.stdout + forced.stderr);
  const versions = (await loomHere(['features', 'show', 'stats', '--json'])).json().versions as { version: string; latest: boolean; retained: boolean }[];
  assert.deepEqual(versions.filter((v) => v.retained).map((v) => v.version), [firstVersion]);
  assert.equal(versions.filter((v) => v.latest && v.version !== firstVersion).length, 1);

  // Archiving the model releases the view: a further breaking change needs no flag.
  assert.equal((await loomHere(['models', 'stage', 'churn', '1', 'archived', '--json'])).code, 0);
  writeFileSync(join(home, 'loom.config.ts'), config('2d'));
  const free = await loom(['features', 'apply', '--json']);
  assert.equal(free.code, 0, free.stdout + free.stderr);
});
