import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authorize, localPrincipal } from './registry-principal.js';
import { checkAliasName, parseModelRef } from './model-ref.js';

test('model references: name, name@latest, name@version, name@alias', () => {
  const cases: [string, unknown][] = [
    ['churn', { kind: 'latest', name: 'churn' }],
    ['churn@latest', { kind: 'latest', name: 'churn' }],
    ['churn.v2_x-y@12', { kind: 'version', name: 'churn.v2_x-y', version: 12 }],
    ['churn@champion', { kind: 'alias', name: 'churn', alias: 'champion' }],
    ['churn@ab-test_2', { kind: 'alias', name: 'churn', alias: 'ab-test_2' }],
  ];
  for (const [ref, expected] of cases) assert.deepEqual(parseModelRef(ref), expected, ref);
});

test('bad references and alias names are coded errors', () => {
  for (const ref of ['', '@champion', 'churn@', 'churn@0', 'churn@Champion', 'ch urn', 'churn@1@2']) {
    assert.throws(() => parseModelRef(ref), (err: { code?: string }) => err.code === 'LOOM_ERR_REGISTRY_REF_INVALID', ref);
  }
  for (const alias of ['latest', 'Champion', '1st', '-x', 'a'.repeat(65), 'has space']) {
    assert.throws(() => checkAliasName(alias), (err: { code?: string }) => err.code === 'LOOM_ERR_REGISTRY_NAME_INVALID', alias);
  }
  assert.equal(checkAliasName('a'.repeat(64)), 'a'.repeat(64));
});

test('principal from the environment, and the role order', () => {
  assert.deepEqual(localPrincipal({ LOOM_ACTOR: 'carol', LOOM_ROLE: 'viewer' }), { name: 'carol', role: 'viewer' });
  assert.equal(localPrincipal({ LOOM_ACTOR: 'carol' }).role, 'admin');
  assert.throws(() => localPrincipal({ LOOM_ROLE: 'root' }), (err: { code?: string }) => err.code === 'LOOM_ERR_REGISTRY_INVALID_OPTION');
  assert.doesNotThrow(() => authorize({ name: 'd', role: 'deployer' }, 'promote', 'm'));
  assert.throws(() => authorize({ name: 'd', role: 'deployer' }, 'force', 'm'), (err: { code?: string }) => err.code === 'LOOM_ERR_REGISTRY_FORBIDDEN');
  assert.throws(() => authorize({ name: 'v', role: 'viewer' }, 'register', 'm'), (err: { code?: string }) => err.code === 'LOOM_ERR_REGISTRY_FORBIDDEN');
});
