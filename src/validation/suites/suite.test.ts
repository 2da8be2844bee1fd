import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLoomError } from '../../core/errors/index.js';
import { Suite } from './suite.js';

function fieldOf(json: unknown): string | undefined {
  try {
    Suite.parse(json);
  } catch (err) {
    assert.ok(isLoomError(err, 'VALIDATION_SUITE_INVALID'));
    return err.details?.field;
  }
  assert.fail('expected VALIDATION_SUITE_INVALID');
}

test('parse validates, fills defaults, and hashes independent of key order', () => {
  const a = Suite.parse({ name: 'adult', expectations: [{ kind: 'row_count', min: 1 }], meta: { owner: 'ml' } });
  assert.deepEqual(a, { name: 'adult', expectations: [{ kind: 'row_count', min: 1, severity: 'error' }], meta: { owner: 'ml' } });
  assert.ok(Object.isFrozen(a) && Object.isFrozen(a.expectations) && Object.isFrozen(a.meta));
  const b = Suite.parse({ meta: { owner: 'ml' }, expectations: [{ min: 1, kind: 'row_count' }], name: 'adult' });
  assert.equal(Suite.hash(a), Suite.hash(b));
  assert.match(Suite.hash(a), /^[0-9a-f]{64}$/);
  assert.notEqual(Suite.hash(a), Suite.hash(Suite.parse({ name: 'adult', expectations: [{ kind: 'row_count', min: 2 }] })));
  assert.deepEqual(Suite.parse({ name: 'x', expectations: [] }).meta, {});
});

test('bad suites name the failing path', () => {
  assert.equal(fieldOf({ name: 'bad name!', expectations: [] }), 'name');
  assert.equal(fieldOf({ name: 'ok', expectations: 'all' }), 'expectations');
  assert.equal(fieldOf({ name: 'ok', expectations: [{ kind: 'row_count' }, { kind: 'not_null', column: 'x', mostly: 2 }] }), 'expectations.1.mostly');
  assert.equal(fieldOf({ name: 'ok', expectations: [], extra: 1 }), 'extra');
  assert.equal(fieldOf({ name: 'ok', expectations: [], meta: { generatedFrom: { dataset: 'd' } } }), 'meta.generatedFrom.version');
  assert.equal(fieldOf(null), 'suite');
  assert.equal(Suite.is({ name: 'ok', expectations: [] }), true);
  assert.equal(Suite.is({ name: 'ok' }), false);
});
