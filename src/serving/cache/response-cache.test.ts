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
import { ResponseCache } from './response-cache.js';

const home = mkdtempSync(join(tmpdir(), 'loom-response-cache-'));
const ws = Workspace.open({ overrides: { home } });
let modelDir = '';

before(async () => {
  modelDir = await trainTinyServingModel(ws, home);
});
after(async () => {
  await ws.close();
  rmSync(home, { recursive: true, force: true });
});

const answer = (tag: number) => ({ body: { tag }, out: Float64Array.of(tag) });

test('ResponseCache evicts the least recently used entry, and get() refreshes an entry', () => {
  const cache = new ResponseCache(2);
  cache.set('a', answer(1));
  cache.set('b', answer(2));
  assert.equal(cache.get('a')?.body.tag, 1);
  cache.set('c', answer(3));
  assert.equal(cache.get('b'), undefined, 'b was the least recently used');
  assert.deepEqual([cache.get('a')?.body.tag, cache.get('c')?.body.tag, cache.size], [1, 3, 2]);
  cache.set('a', answer(4));
  assert.deepEqual([cache.get('a')?.body.tag, cache.size], [4, 2]);
});

test('ResponseCache sizes outside 1..10^7 are LOOM_ERR_SERVING_INVALID_OPTION naming cacheSize', () => {
  for (const bad of [0, -1, 1.5, Number.NaN, 10_000_001]) {
    assert.throws(() => new ResponseCache(bad), (err: any) => err.code === 'LOOM_ERR_SERVING_INVALID_OPTION' && err.details.field === 'cacheSize', String(bad));
  }
});

test('cache keys ignore key order in records, and differ by model hash, records, explain and partial', () => {
  const base = ResponseCache.key('h1', [{ x: 1, c: 'a' }], { explain: 0, partial: false });
  assert.equal(ResponseCache.key('h1', [{ c: 'a', x: 1 }], { explain: 0, partial: false }), base);
  const others = [
    ResponseCache.key('h2', [{ x: 1, c: 'a' }], { explain: 0, partial: false }),
    ResponseCache.key('h1', [{ x: 2, c: 'a' }], { explain: 0, partial: false }),
    ResponseCache.key('h1', [{ x: 1, c: 'a' }], { explain: 5, partial: false }),
    ResponseCache.key('h1', [{ x: 1, c: 'a' }], { explain: 0, partial: true }),
    ResponseCache.key('h1', [{ x: 1, c: 'a' }, { x: 1, c: 'a' }], { explain: 0, partial: false }),
  ];
  assert.equal(new Set([base, ...others]).size, 6);
});

test('a served cache hit is the same answer with a new request id; errors are never cached', async () => {
  const repository = new ModelRepository();
  await repository.addDirectory('rows', modelDir);
  const app = createServingApp({ repository, cacheSize: 10 });
  const url = '/v1/models/rows/predict';
  const labels = { model: 'rows', version: '1' };
  try {
    for (const records of [[{ x: 30, c: 'b' }], [{ x: 3, c: 'a' }, { x: 40, c: 'b' }]]) {
      const first = (await app.inject({ method: 'POST', url, payload: { records } })).json();
      const swapped = records.map((r) => ({ c: r.c, x: r.x }));
      const second = (await app.inject({ method: 'POST', url, payload: { records: swapped }, headers: { 'x-request-id': 'again-1' } })).json();
      assert.equal(second.request_id, 'again-1');
      assert.notEqual(first.request_id, second.request_id);
      assert.deepEqual({ ...second, request_id: null }, { ...first, request_id: null });
      assert.deepEqual(Object.keys(second), Object.keys(first), 'same key order, so the same bytes apart from the id');
    }
    assert.deepEqual([await counterValue(app.metrics.cacheHits, labels), await counterValue(app.metrics.cacheMisses, labels)], [2, 2]);
    assert.equal(await counterValue(app.metrics.rows, labels), 6, 'hits count their rows too');
    // The explain option is part of the key: the same record with explain is a miss, then a hit with explanations.
    const explained = (await app.inject({ method: 'POST', url, payload: { records: [{ x: 30, c: 'b' }], explain: 2 } })).json();
    const explainedAgain = (await app.inject({ method: 'POST', url, payload: { records: [{ x: 30, c: 'b' }], explain: 2 } })).json();
    assert.ok(Array.isArray(explained.explanations));
    assert.deepEqual({ ...explainedAgain, request_id: null }, { ...explained, request_id: null });
    assert.deepEqual([await counterValue(app.metrics.cacheHits, labels), await counterValue(app.metrics.cacheMisses, labels)], [3, 3]);
    // A 400 and a partial answer with a record error are looked up but never stored.
    for (let i = 0; i < 2; i++) {
      const bad = await app.inject({ method: 'POST', url, payload: { records: [{ x: 'seven', c: 'a' }] } });
      assert.equal(bad.statusCode, 400);
      const partial = await app.inject({ method: 'POST', url, payload: { records: [{ x: 1, c: 'a' }, { x: 'seven', c: 'a' }], partial: true } });
      assert.equal(partial.statusCode, 200);
      assert.equal(partial.json().errors.length, 1);
    }
    assert.deepEqual([await counterValue(app.metrics.cacheHits, labels), await counterValue(app.metrics.cacheMisses, labels)], [3, 7]);
  } finally {
    await app.close();
  }
});

test('without cacheSize there is no cache: nothing is counted', async () => {
  const repository = new ModelRepository();
  await repository.addDirectory('rows', modelDir);
  const app = createServingApp({ repository });
  try {
    for (let i = 0; i < 2; i++) assert.equal((await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: [{ x: 30, c: 'b' }] } })).statusCode, 200);
    assert.deepEqual([await counterValue(app.metrics.cacheHits, { model: 'rows', version: '1' }), await counterValue(app.metrics.cacheMisses, { model: 'rows', version: '1' })], [0, 0]);
    assert.throws(() => createServingApp({ repository, cacheSize: 0 }), { code: 'LOOM_ERR_SERVING_INVALID_OPTION' });
  } finally {
    await app.close();
  }
});
