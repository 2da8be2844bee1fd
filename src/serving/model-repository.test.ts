import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ingestDataset } from '../data/ingest/ingest-dataset.js';
import { ModelRegistry } from '../registry/index.js';
import { Workspace } from '../storage/workspace.js';
import { trainModel } from '../training/index.js';
import { ModelRepository } from './model-repository.js';

const home = mkdtempSync(join(tmpdir(), 'loom-serving-repo-'));
const ws = Workspace.open({ overrides: { home } });
const dirs: string[] = [];
let registry: ModelRegistry;
let clock = 0;

before(async () => {
  const lines = ['x,c,y'];
  for (let i = 0; i < 300; i++) lines.push(`${i % 50},${['a', 'b'][i % 2]},${i % 50 > 20 ? 'hi' : 'lo'}`);
  writeFileSync(join(home, 'rows.csv'), `${lines.join('\n')}\n`);
  await ingestDataset(ws, { path: join(home, 'rows.csv'), name: 'rows', tags: 'y=target' });
  for (const leaves of [3, 5]) dirs.push((await trainModel(ws, { data: 'rows', target: 'y', params: { num_iterations: 3, num_leaves: leaves, min_data_in_leaf: 5 }, out: join(home, `m${leaves}`) })).modelDir);
  registry = await ModelRegistry.open(ws);
  for (const dir of dirs) await registry.register({ dir, name: 'rows' });
  await registry.setAlias('rows', 'champion', 1);
});
after(async () => {
  await ws.close();
  rmSync(home, { recursive: true, force: true });
});

test('a directory model is version 1 under its name; other versions and aliases are 404', async () => {
  const repo = new ModelRepository();
  const served = await repo.addDirectory('local', dirs[0]);
  assert.deepEqual([served.name, served.version, served.alias, served.flavor, served.outputNames], ['local', '1', null, 'gbdt', ['p_lo']]);
  assert.equal(await repo.get('local', { version: '1' }), served);
  // ready() answers what get() would, without waiting, and nothing where get() would throw.
  assert.equal(repo.ready('local', {}), served);
  assert.equal(repo.ready('local', { version: '1' }), served);
  assert.equal(repo.ready('local', { version: '2' }), undefined);
  assert.equal(repo.ready('local', { alias: 'champion' }), undefined);
  assert.equal(repo.ready('locl', {}), undefined);
  assert.deepEqual(await repo.versions('local'), ['1']);
  await assert.rejects(repo.get('local', { version: '2' }), { code: 'LOOM_ERR_SERVING_VERSION_NOT_FOUND' });
  await assert.rejects(repo.get('local', { alias: 'champion' }), { code: 'LOOM_ERR_SERVING_VERSION_NOT_FOUND' });
  await assert.rejects(repo.get('locl', {}), (err: any) => err.code === 'LOOM_ERR_SERVING_MODEL_NOT_FOUND' && err.details.suggestion === 'local');
  await assert.rejects(repo.addDirectory('local', dirs[1]), { code: 'LOOM_ERR_SERVING_INVALID_OPTION' });
  await assert.rejects(repo.addDirectory('bad name', dirs[1]), { code: 'LOOM_ERR_SERVING_INVALID_OPTION' });
  await assert.rejects(repo.serve('rows@champion'), { code: 'LOOM_ERR_SERVING_INVALID_OPTION' });
});

test('registry references: the default follows the alias after the refresh delay; pinned versions share loaded models', async () => {
  const repo = new ModelRepository({ registry, aliasRefreshMs: 1000, now: () => clock });
  const first = await repo.serve('rows@champion');
  assert.deepEqual([first.version, first.alias], ['1', 'champion']);
  assert.equal(repo.ready('rows', {}), first, 'loaded, and its alias resolved: ready without waiting');
  assert.equal(repo.ready('rows', { version: '2' }), undefined, 'version 2 was never asked for');
  assert.equal(repo.ready('rows', { version: 'two' }), undefined);
  assert.deepEqual(repo.names(), ['rows']);
  assert.deepEqual(await repo.versions('rows'), ['1', '2']);
  await registry.setAlias('rows', 'champion', 2);
  clock += 999;
  assert.equal((await repo.get('rows', {})).version, '1', 'still within the refresh delay');
  assert.equal(repo.ready('rows', {}), first);
  clock += 2;
  assert.equal(repo.ready('rows', {}), undefined, 'the alias is due for a refresh: only get() can tell');
  const swapped = await repo.get('rows', {});
  assert.equal(swapped.version, '2');
  assert.equal(repo.ready('rows', {}), swapped);
  assert.equal((await repo.get('rows', { version: '2' })).model, swapped.model, 'one loaded copy per artifact');
  assert.equal((await repo.get('rows', { version: '1' })).model, first.model);
  await assert.rejects(repo.get('rows', { version: '3' }), { code: 'LOOM_ERR_REGISTRY_VERSION_NOT_FOUND' });
  await assert.rejects(repo.get('rows', { alias: 'gold' }), { code: 'LOOM_ERR_REGISTRY_ALIAS_NOT_FOUND' });
  await assert.rejects(repo.get('nothing', {}), { code: 'LOOM_ERR_SERVING_MODEL_NOT_FOUND' });
  await assert.rejects(repo.serve('rows@1'), { code: 'LOOM_ERR_SERVING_INVALID_OPTION' });
});

test('the same ServedModel object answers while its model stays loaded (per-model caches hold), and not after eviction', async () => {
  const repo = new ModelRepository({ registry, maxLoaded: 1 });
  const one = await repo.get('rows', { version: '1' });
  assert.equal(await repo.get('rows', { version: '1' }), one);
  const two = await repo.get('rows', { version: '2' });
  assert.equal(await repo.get('rows', { version: '2' }), two);
  // Version 2's load evicted version 1's model: a fresh load and a fresh ServedModel.
  assert.equal(repo.ready('rows', { version: '1' }), undefined, 'evicted: not ready');
  assert.equal(repo.ready('rows', { version: '2' }), two);
  const again = await repo.get('rows', { version: '1' });
  assert.notEqual(again, one);
  assert.notEqual(again.model, one.model);
  assert.deepEqual([again.name, again.version, again.alias, again.modelHash], [one.name, one.version, one.alias, one.modelHash]);
});
