import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { trainTinyServingModel } from '../../../test/support/tiny-serving-model.js';
import { Workspace } from '../../storage/workspace.js';
import { counterValue } from '../metrics/serving-metrics.js';
import { ModelRepository } from '../model-repository.js';
import { createServingApp } from '../serving-app.js';
import { checkFallbacks, type FallbackSpec } from './model-fallback.js';
import { breakScoring } from '../../../test/support/broken-model.js';

const home = mkdtempSync(join(tmpdir(), 'loom-fallback-'));
const ws = Workspace.open({ overrides: { home } });
let modelDir = '';
const records = [{ x: 3, c: 'a' }, { x: 40, c: 'b' }];

before(async () => {
  modelDir = await trainTinyServingModel(ws, home);
});
after(async () => {
  await ws.close();
  rmSync(home, { recursive: true, force: true });
});

/** An app serving `broken` (a model whose scoring throws) and `backup` (the same artifact, working). */
async function brokenApp(fallbacks?: Record<string, FallbackSpec>) {
  const repository = new ModelRepository();
  const broken = await repository.addDirectory('broken', modelDir);
  breakScoring(broken.model);
  await repository.addDirectory('backup', modelDir);
  return createServingApp({ repository, ...(fallbacks === undefined ? {} : { fallbacks }) });
}

test('without a fallback, a model that throws is a 500', async () => {
  const app = await brokenApp();
  try {
    const res = await app.inject({ method: 'POST', url: '/v1/models/broken/predict', payload: { records } });
    assert.equal(res.statusCode, 500);
  } finally {
    await app.close();
  }
});

test('a fallback model answers when the primary throws, marked fallback with the reason, and counted', async () => {
  const app = await brokenApp({ broken: { model: 'backup@1' } });
  try {
    const direct = (await app.inject({ method: 'POST', url: '/v1/models/backup/predict', payload: { records } })).json();
    const res = await app.inject({ method: 'POST', url: '/v1/models/broken/predict', payload: { records, id: 'fb-1' } });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(body.predictions, direct.predictions);
    assert.equal(body.request_id, 'fb-1');
    assert.deepEqual(body.model, direct.model);
    assert.deepEqual(body.fallback, { reason: 'primary_failed', code: 'LOOM_ERR_CORE_INTERNAL', model: 'backup@1' });
    assert.equal(await counterValue(app.metrics.fallbacks, { model: 'broken', reason: 'primary_failed' }), 1);
    // Client errors are never covered by the fallback.
    const bad = await app.inject({ method: 'POST', url: '/v1/models/broken/predict', payload: { records: [{ x: 'seven', c: 'a' }, records[0]] } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'LOOM_ERR_SERVING_INVALID_RECORD');
    assert.equal(await counterValue(app.metrics.fallbacks, { model: 'broken', reason: 'primary_failed' }), 1);
  } finally {
    await app.close();
  }
});

test('default outputs answer every record when the primary throws; defaults that miss an output give the 500', async () => {
  const app = await brokenApp({ broken: { defaults: { p_lo: 0.25 } } });
  try {
    const res = await app.inject({ method: 'POST', url: '/v1/models/broken/predict', payload: { records } });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(body.predictions, [{ p_lo: 0.25 }, { p_lo: 0.25 }]);
    assert.deepEqual(body.fallback, { reason: 'primary_failed', code: 'LOOM_ERR_CORE_INTERNAL', defaults: true });
    assert.deepEqual([body.model.name, body.model.version], ['broken', '1']);
  } finally {
    await app.close();
  }
  const partial = await brokenApp({ broken: { defaults: { p_hi: 0.75 } } });
  try {
    assert.equal((await partial.inject({ method: 'POST', url: '/v1/models/broken/predict', payload: { records } })).statusCode, 500);
  } finally {
    await partial.close();
  }
});

test('fallback specs are checked: LOOM_ERR_SERVING_INVALID_OPTION naming fallback.<name>', () => {
  const bad: Record<string, FallbackSpec>[] = [{ m: {} }, { m: { model: 'a', defaults: { p: 1 } } }, { m: { model: 'no spaces' } }, { m: { model: 'm' } }, { m: { defaults: {} } }, { m: { defaults: { p: Number.NaN } } }];
  for (const specs of bad) assert.throws(() => checkFallbacks(specs), (err: any) => err.code === 'LOOM_ERR_SERVING_INVALID_OPTION' && err.details.field === 'fallback.m', JSON.stringify(specs));
  assert.deepEqual([...checkFallbacks({ m: { model: 'm@2' }, n: { defaults: { p: 0.5 } } }).keys()], ['m', 'n']);
});

test('a missing online feature (422) or no online store (503) is answered by the fallback, with that reason', async () => {
  const { LoomError } = await import('../../core/errors/index.js');
  // An online store that never has feature c: the 422 the real enrichment raises for a model that cannot take null.
  const featureStore = {
    async enrich(model: { name: string }, entities: readonly unknown[]) {
      const error = new LoomError('FEATURES_ENRICHMENT_MISSING_FEATURE', { index: 0, ref: 'colors:c', status: 'NOT_FOUND', column: 'c', model: model.name }, { details: { field: 'c', index: 0 } });
      return {
        records: entities.map((e) => ({ ...(e as object), c: null })),
        statuses: entities.map(() => ({ c: 'NOT_FOUND' as const })),
        errors: entities.map((_, index) => ({ index, field: 'c', problem: 'is NOT_FOUND online', code: error.code, error })),
      };
    },
    async close() {},
  };
  const repository = new ModelRepository();
  await repository.addDirectory('rows', modelDir);
  const app = createServingApp({ repository, featureStore, fallbacks: { rows: { defaults: { p_lo: 0.5 } } } });
  const bare = createServingApp({ repository, fallbacks: { rows: { defaults: { p_lo: 0.5 } } } });
  try {
    const res = await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { entities: [{ x: 3 }] } });
    assert.equal(res.statusCode, 200);
    assert.deepEqual([res.json().predictions, res.json().fallback], [[{ p_lo: 0.5 }], { reason: 'features_missing', code: 'LOOM_ERR_FEATURES_ENRICHMENT_MISSING_FEATURE', defaults: true }]);
    assert.equal(await counterValue(app.metrics.fallbacks, { model: 'rows', reason: 'features_missing' }), 1);
    const none = await bare.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { entities: [{ x: 3 }, { x: 4 }] } });
    assert.equal(none.statusCode, 200);
    assert.deepEqual([none.json().predictions.length, none.json().fallback.reason], [2, 'features_unavailable']);
  } finally {
    await app.close();
    await bare.close();
  }
});

test('--fallback / --fallback-default flags become fallback specs; bad flags name the flag', async () => {
  const { fallbacksFromFlags } = await import('./fallback-flags.js');
  const repository = new ModelRepository();
  const served = [await repository.addDirectory('rows', modelDir), await repository.addDirectory('other', modelDir)];
  assert.deepEqual(fallbacksFromFlags(['rows=rows@2'], ['other=0.5'], served), { rows: { model: 'rows@2' }, other: { defaults: { p_lo: 0.5 } } });
  assert.deepEqual(fallbacksFromFlags([], ['rows:p_lo=-1.5e-3'], served), { rows: { defaults: { p_lo: -0.0015 } } });
  const cases: [string[], string[], string][] = [
    [['rows'], [], 'fallback'],
    [['nope=rows'], [], 'fallback'],
    [[], ['rows=high'], 'fallback-default'],
    [[], ['rows='], 'fallback-default'],
    [[], ['rows:p_hi=0.1'], 'fallback-default'],
    [['rows=other'], ['rows=0.1'], 'fallback-default'],
  ];
  for (const [refs, defaults, field] of cases) {
    assert.throws(() => fallbacksFromFlags(refs, defaults, served), (err: any) => err.code === 'LOOM_ERR_SERVING_INVALID_OPTION' && err.details.field === field, JSON.stringify([refs, defaults]));
  }
});
