import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INTERLEAVING } from './interleaving-strategy.js';
import { DeploymentStrategy } from './deployment-strategy.js';

test('interleaving: two rankers A and B, clicks from the click outcome', () => {
  const spec = DeploymentStrategy.create({ kind: 'interleaving', length: 10 }, 2);
  assert.deepEqual(spec, { kind: 'interleaving', click: 'click', length: 10, output: null, seed: 1 });
  assert.deepEqual(INTERLEAVING.armNames(spec as never, 2), ['A', 'B']);
  assert.throws(() => DeploymentStrategy.create({ kind: 'interleaving' }, 3), (err: any) => err.details.field === 'arms');
});
