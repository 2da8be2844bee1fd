import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isLoomError } from '../../core/errors/index.js';
import { defineConfig } from './define-config.js';
import { formatDuration } from './duration.js';
import { entity } from './entity.js';
import { fileSource, sqlSource } from './feature-source.js';
import { featureView } from './feature-view.js';
import { computeOnDemand, onDemandView } from './on-demand-view.js';
import { viewSpec, viewVersion } from './view-spec.js';

const customer = entity({ name: 'customer', joinKeys: { customer_id: 'int' } });
const base = { name: 'stats', entities: [customer], source: fileSource('stats.parquet'), timestamp: 'ts', features: { spend: 'float' as const } };

function code(fn: () => unknown): { code: string; field: unknown } {
  try {
    fn();
  } catch (err) {
    assert.ok(isLoomError(err), String(err));
    return { code: err.code, field: err.details?.field };
  }
  assert.fail('expected a coded error');
}

describe('definitions', () => {
  test('durations parse to ms and print back in the largest exact unit', () => {
    const view = featureView({ ...base, ttl: '7d', aggregations: [{ fn: 'sum', column: 'spend', window: '90m' }, { fn: 'count', window: 3_600_000 }] });
    assert.equal(view.ttlMs, 604_800_000);
    assert.deepEqual(view.aggregations.map((a) => [a.name, a.windowMs]), [['spend_sum_90m', 5_400_000], ['count_1h', 3_600_000]]);
    assert.deepEqual([formatDuration(604_800_000), formatDuration(86_400_000 * 30), formatDuration(1500)], ['7d', '30d', '1500ms']);
  });

  test('a bad field is a coded error naming it', () => {
    assert.deepEqual(code(() => featureView({ ...base, ttl: '7 days' })), { code: 'LOOM_ERR_FEATURES_INVALID_DEFINITION', field: 'ttl' });
    assert.deepEqual(code(() => featureView({ ...base, features: { spend: 'double' as never } })), { code: 'LOOM_ERR_FEATURES_INVALID_DEFINITION', field: 'features.spend' });
    assert.deepEqual(code(() => featureView({ ...base, aggregations: [{ fn: 'sum', window: '1d' }] })), { code: 'LOOM_ERR_FEATURES_INVALID_DEFINITION', field: 'aggregations.0.column' });
    assert.deepEqual(code(() => featureView({ ...base, colour: 'red' } as never)), { code: 'LOOM_ERR_FEATURES_INVALID_DEFINITION', field: 'colour' });
    assert.deepEqual(code(() => entity({ name: 'c', joinKeys: {} })), { code: 'LOOM_ERR_FEATURES_INVALID_DEFINITION', field: 'joinKeys' });
    assert.deepEqual(code(() => entity({ name: 'c', joinKeys: { id: 'float' as never } })), { code: 'LOOM_ERR_FEATURES_INVALID_DEFINITION', field: 'joinKeys.id' });
    assert.deepEqual(code(() => featureView({ ...base, features: { spend: 'float' }, aggregations: [{ fn: 'count', window: '1h', name: 'spend' }] })), { code: 'LOOM_ERR_FEATURES_INVALID_DEFINITION', field: 'features.spend' });
  });

  test('duplicate view names, duplicate entities and undeclared entities are refused', () => {
    assert.deepEqual(code(() => defineConfig({ entities: [customer], views: [featureView(base), featureView(base)] })), { code: 'LOOM_ERR_FEATURES_DUPLICATE_NAME', field: 'views.1' });
    assert.deepEqual(code(() => defineConfig({ entities: [customer, customer] })), { code: 'LOOM_ERR_FEATURES_DUPLICATE_NAME', field: 'entities.1' });
    assert.deepEqual(code(() => defineConfig({ entities: [], views: [featureView(base)] })), { code: 'LOOM_ERR_FEATURES_UNKNOWN_ENTITY', field: 'views.stats.entities' });
    const od = onDemandView({ name: 'od', inputs: ['stats:nope'], features: { x: 'float' }, transform: () => ({ x: 1 }) });
    assert.deepEqual(code(() => defineConfig({ entities: [customer], views: [featureView(base), od] })), { code: 'LOOM_ERR_FEATURES_INVALID_DEFINITION', field: 'inputs' });
  });

  test('versions hash the spec only: metadata does not change them, any spec change does, relative paths resolve from the config folder', () => {
    const v = (x: Parameters<typeof featureView>[0]) => viewVersion(viewSpec(featureView(x), '/project'));
    const first = v(base);
    assert.match(first, /^[0-9a-f]{64}$/);
    assert.equal(v({ ...base, owner: 'ana', tags: { team: 'growth' }, description: 'd' }), first);
    assert.notEqual(v({ ...base, ttl: '1d' }), first);
    assert.notEqual(v({ ...base, features: { spend: 'int' } }), first);
    assert.notEqual(v({ ...base, source: sqlSource('SELECT 1') }), first);
    assert.equal((viewSpec(featureView(base), '/project') as { source: { path: string } }).source.path, '/project/stats.parquet');
  });

  test('computeOnDemand checks the transform output against the declared types', () => {
    const od = onDemandView({
      name: 'ratio',
      request: { amount: 'float' },
      inputs: ['stats:spend'],
      features: { share: 'float', big: 'bool' },
      transform: (row) => ({ share: row.spend ? (row.amount as number) / (row.spend as number) : null, big: (row.amount as number) > 100 }),
    });
    assert.deepEqual(computeOnDemand(od, { amount: 50, spend: 200 }), { share: 0.25, big: false });
    assert.deepEqual(computeOnDemand(od, { amount: 500, spend: null }), { share: null, big: true });
    const wrong = onDemandView({ name: 'wrong', features: { n: 'int' }, transform: () => ({ n: 1.5 }) });
    assert.deepEqual(code(() => computeOnDemand(wrong, {})), { code: 'LOOM_ERR_FEATURES_ON_DEMAND_FAILED', field: 'wrong:n' });
    const throws = onDemandView({ name: 'throws', features: { n: 'int' }, transform: () => { throw new Error('boom'); } });
    assert.deepEqual(code(() => computeOnDemand(throws, {})), { code: 'LOOM_ERR_FEATURES_ON_DEMAND_FAILED', field: 'throws' });
  });
});
