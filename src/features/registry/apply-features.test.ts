import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isLoomError } from '../../core/errors/index.js';
import { Workspace } from '../../storage/workspace.js';
import { defineConfig } from '../definitions/define-config.js';
import { entity } from '../definitions/entity.js';
import { fileSource } from '../definitions/feature-source.js';
import { featureView, type FeatureViewInput } from '../definitions/feature-view.js';
import { applyFeatures } from './apply-features.js';
import { getFeatureView, listFeatureViews, listViewVersions } from './feature-registry.js';
import { formatPlan } from './format-plan.js';
import type { FeatureUsageLookup } from './model-feature-usage.js';

const home = mkdtempSync(join(tmpdir(), 'loom-apply-'));
const ws = Workspace.open({ overrides: { home } });
after(async () => {
  await ws.close();
  rmSync(home, { recursive: true, force: true });
});
writeFileSync(join(home, 'stats.csv'), 'customer_id,ts,spend,plan,visits\n1,2024-01-01T00:00:00Z,1.5,a,3\n');
const customer = entity({ name: 'customer', joinKeys: { customer_id: 'int' } });
const stats = (over: Partial<FeatureViewInput> = {}) =>
  featureView({ name: 'stats', entities: [customer], source: fileSource('stats.csv'), timestamp: 'ts', features: { spend: 'float', plan: 'string' }, ttl: '7d', ...over });
const other = featureView({ name: 'other', entities: [customer], source: fileSource('stats.csv'), timestamp: 'ts', features: { visits: 'int' } });
const apply = (views: ReturnType<typeof featureView>[], options: Parameters<typeof applyFeatures>[2] = {}) => applyFeatures(ws, defineConfig({ entities: [customer], views }), { baseDir: home, ...options });
const usedByChurn: FeatureUsageLookup = async (_ws, view) => (view === 'stats' ? [{ model: 'churn', modelVersion: 3, viewVersion: firstVersion, features: ['stats:spend'] }] : []);
let firstVersion = '';

test('first apply adds the entity and views; the same config again is a no-op', async () => {
  const dry = await apply([stats(), other], { dryRun: true });
  assert.equal(dry.applied, false);
  assert.deepEqual((await listFeatureViews(ws)).length, 0, 'a dry run writes nothing');
  const { plan, applied } = await apply([stats(), other]);
  assert.equal(applied, true);
  assert.deepEqual([plan.add, plan.change, plan.remove], [3, 0, 0]);
  assert.match(formatPlan(plan), /^ {2}\+ view stats {2}version [0-9a-f]{12}\n {6}\+ feature spend: float\n {6}\+ feature plan: string$/m);
  assert.match(formatPlan(plan), /Plan: 3 to add, 0 to change, 0 to remove\.$/);
  firstVersion = (await getFeatureView(ws, 'stats')).view.latestVersion;
  const again = await apply([stats(), other]);
  assert.deepEqual([again.applied, again.plan.add, again.plan.change, again.plan.remove], [false, 0, 0, 0]);
  assert.equal(formatPlan(again.plan), 'No changes. The registered features match the config.');
});

test('metadata changes in place; a spec change makes a new version and lists field diffs; a dropped view is removed', async () => {
  const meta = await apply([stats({ owner: 'ana' }), other]);
  const change = meta.plan.changes.find((c) => c.name === 'stats')!;
  assert.deepEqual([change.action, change.newVersion, change.toVersion], ['change', false, firstVersion]);
  assert.match(formatPlan(meta.plan), / {2}~ view stats {2}\(in place\)\n {6}~ owner: "" → "ana"/);

  const spec = await apply([stats({ owner: 'ana', features: { spend: 'float', plan: 'string', visits: 'int' } })]);
  const text = formatPlan(spec.plan);
  assert.match(text, / {2}~ view stats {2}version [0-9a-f]{12} → [0-9a-f]{12}\n {6}\+ feature visits: int\n/);
  assert.match(text, / {2}- view other\n/);
  assert.match(text, /Plan: 0 to add, 1 to change, 1 to remove\./);
  assert.deepEqual((await listFeatureViews(ws)).map((v) => v.name), ['stats']);
  assert.equal((await listViewVersions(ws, 'stats')).length, 2);
  // The old version stays addressable by prefix.
  assert.deepEqual((await getFeatureView(ws, `stats@${firstVersion.slice(0, 8)}`)).version.spec.features.map((f) => f.name), ['spend', 'plan']);
});

test('a breaking change to a view a model uses is refused, and allowed with newVersion (the used version is retained)', async () => {
  const breaking = [stats({ owner: 'ana', features: { spend: 'float', visits: 'int' }, ttl: '1d' })];
  await assert.rejects(apply(breaking, { usage: usedByChurn }), (err) => isLoomError(err, 'FEATURES_BREAKING_CHANGE') && err.details?.field === 'stats');
  const dry = await apply(breaking, { dryRun: true, newVersion: true, usage: usedByChurn });
  assert.match(formatPlan(dry.plan), /- feature plan: string {3}\(breaking\)\n {6}~ ttl: 7d → 1d {3}\(breaking\)\n {6}used by churn v3/);
  const ok = await apply(breaking, { usage: usedByChurn, newVersion: true });
  assert.equal(ok.applied, true);
  const versions = await listViewVersions(ws, 'stats');
  assert.deepEqual(versions.filter((v) => v.retained).map((v) => v.version), [firstVersion]);
  // A non-breaking change (adding a feature) needs no flag even though the view is used.
  const adding = await apply([stats({ owner: 'ana', features: { spend: 'float', visits: 'int', plan: 'string' }, ttl: '1d' })], { usage: usedByChurn });
  assert.equal(adding.applied, true);
});

test('apply checks sources: a missing column and a wrong type are coded errors, and nothing is written', async () => {
  const before = (await listFeatureViews(ws)).map((v) => v.latestVersion);
  await assert.rejects(apply([stats({ features: { spnd: 'float' } })]), (err) => isLoomError(err, 'FEATURES_SOURCE_COLUMN_MISSING') && err.details?.field === 'spnd');
  await assert.rejects(apply([stats({ features: { plan: 'float' } })]), (err) => isLoomError(err, 'FEATURES_SOURCE_TYPE_MISMATCH') && err.details?.field === 'plan');
  await assert.rejects(apply([stats({ source: fileSource('missing.csv') })]), (err) => isLoomError(err, 'FEATURES_SOURCE_FAILED'));
  assert.deepEqual((await listFeatureViews(ws)).map((v) => v.latestVersion), before);
});

test('unknown views suggest close names; bad version prefixes are coded', async () => {
  await assert.rejects(getFeatureView(ws, 'stat'), (err) => isLoomError(err, 'FEATURES_VIEW_NOT_FOUND') && (err.details?.suggestions as string[])[0] === 'stats');
  await assert.rejects(getFeatureView(ws, 'stats@abc'), (err) => isLoomError(err, 'FEATURES_VERSION_NOT_FOUND'));
});
