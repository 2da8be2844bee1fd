import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLoomError } from '../core/errors/index.js';
import { checkFeatureRefs, type ModelFeatureRef } from './model-feature-refs.js';

const V = 'a'.repeat(64);
const ok: ModelFeatureRef = { ref: 'stats:spend', view: 'stats', viewVersion: V, feature: 'spend', column: 'spend' };

test('explicit feature refs are checked field by field', () => {
  assert.deepEqual(checkFeatureRefs([ok, { ...ok, ref: 'stats:visits', feature: 'visits', column: 'stats__visits' }]).map((r) => r.column), ['spend', 'stats__visits']);
  const bad: [unknown, string][] = [
    [{ ...ok, ref: 'stats.spend' }, 'features[0]'],
    [{ ...ok, ref: 'other:spend' }, 'features[0]'],
    [{ ...ok, viewVersion: 'abc' }, 'features[0]'],
    [{ ...ok, column: '' }, 'features[0]'],
    [null, 'features[0]'],
  ];
  for (const [ref, field] of bad) {
    assert.throws(() => checkFeatureRefs([ref as ModelFeatureRef]), (err) => isLoomError(err, 'REGISTRY_INVALID_OPTION') && err.details?.field === field, JSON.stringify(ref));
  }
  assert.throws(() => checkFeatureRefs([ok, ok]), (err) => isLoomError(err, 'REGISTRY_INVALID_OPTION') && err.details?.field === 'features[1]');
  assert.throws(() => checkFeatureRefs('stats:spend' as never), (err) => isLoomError(err, 'REGISTRY_INVALID_OPTION') && err.details?.field === 'features');
});
