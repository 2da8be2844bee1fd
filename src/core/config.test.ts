import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveConfig } from './config.js';

const empty = () => mkdtempSync(join(tmpdir(), 'loom-config-'));

test('defaults put every embedded backend inside ./.loom', () => {
  const cwd = empty();
  const config = resolveConfig({ cwd, env: {} });
  assert.deepEqual(config, {
    home: join(cwd, '.loom'),
    seed: 42,
    metadataUri: `sqlite://${join(cwd, '.loom', 'loom.db')}`,
    artifactsUri: `file://${join(cwd, '.loom', 'artifacts')}`,
    eventsUri: `sqlite://${join(cwd, '.loom', 'events.db')}`,
    kvUri: `sqlite://${join(cwd, '.loom', 'kv.db')}`,
  });
});

test('environment beats the config file, overrides beat the environment, relative paths become absolute', () => {
  const cwd = empty();
  writeFileSync(join(cwd, 'loom.config.json'), JSON.stringify({ home: 'ws', kvUri: 'redis://127.0.0.1:6379', seed: 7 }));
  const config = resolveConfig({ cwd, env: { LOOM_KV_URI: 'sqlite://kv.db', LOOM_SEED: '9' }, overrides: { seed: 11 } });
  assert.equal(config.home, join(cwd, 'ws'));
  assert.equal(config.kvUri, `sqlite://${join(cwd, 'kv.db')}`);
  assert.equal(config.seed, 11);
  assert.equal(config.metadataUri, `sqlite://${join(cwd, 'ws', 'loom.db')}`);
});

test('unknown keys and bad values give LOOM_ERR_CONFIG_INVALID naming the field', () => {
  const cwd = empty();
  writeFileSync(join(cwd, 'loom.config.json'), JSON.stringify({ hmoe: 'x' }));
  assert.throws(() => resolveConfig({ cwd, env: {} }), (err: any) => err.code === 'LOOM_ERR_CONFIG_INVALID' && err.details.field === 'hmoe');
  const cwd2 = empty();
  assert.throws(() => resolveConfig({ cwd: cwd2, env: { LOOM_SEED: '-3' } }), (err: any) => err.code === 'LOOM_ERR_CONFIG_INVALID' && err.details.field === 'seed');
  const cwd3 = empty();
  writeFileSync(join(cwd3, 'loom.config.json'), '{ not json');
  assert.throws(() => resolveConfig({ cwd: cwd3, env: {} }), (err: any) => err.code === 'LOOM_ERR_CONFIG_INVALID');
});
