import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadFeatureConfig } from './load-feature-config.js';

const home = mkdtempSync(join(tmpdir(), 'loom-feature-config-'));
after(() => rmSync(home, { recursive: true, force: true }));
const api = JSON.stringify(new URL('../../index.ts', import.meta.url).pathname);

/** A config whose one view has time-to-live `ttl`. */
function config(ttl: string): string {
  return [
    `import { defineConfig, entity, featureView, fileSource } from ${api};`,
    `const customer = entity({ name: 'customer', joinKeys: { customer_id: 'int' } });`,
    `const stats = featureView({ name: 'stats', entities: [customer], source: fileSource('stats.parquet'), timestamp: 'ts', ttl: '${ttl}', features: { spend: 'float' } });`,
    `export default defineConfig({ entities: [customer], views: [stats] });`,
  ].join('\n');
}

test('a config changed on disk is read again in the same process (also when it loads as CommonJS)', async () => {
  const path = join(home, 'loom.config.ts');
  writeFileSync(path, config('7d'));
  utimesSync(path, 1_000_000, 1_000_000);
  const first = await loadFeatureConfig(path);
  assert.equal(first.config.featureViews[0].ttlMs, 7 * 86_400_000);
  writeFileSync(path, config('2d'));
  utimesSync(path, 2_000_000, 2_000_000);
  const second = await loadFeatureConfig(path);
  assert.equal(second.config.featureViews[0].ttlMs, 2 * 86_400_000);
  // Unchanged file: the same module.
  const third = await loadFeatureConfig(path);
  assert.equal(third.config, second.config);
});
