import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeploymentStrategy, STRATEGY_KINDS } from './deployment-strategy.js';

test('every kind is registered, in docs order', () => {
  assert.deepEqual(STRATEGY_KINDS, ['single', 'blue-green', 'canary', 'shadow', 'ab', 'bandit', 'interleaving']);
});

test('unknown or missing kinds, and non-objects, are coded errors', () => {
  for (const [input, field] of [[{ kind: 'rainbow' }, 'kind'], [{}, 'kind'], [null, '(spec)'], [[1], '(spec)']] as const) {
    assert.throws(() => DeploymentStrategy.create(input), (err: any) => err.code === 'LOOM_ERR_DEPLOY_INVALID_SPEC' && err.details.field === field);
  }
});
