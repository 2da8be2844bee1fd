import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SINGLE } from './single-strategy.js';
import { DeploymentStrategy } from './deployment-strategy.js';

test('single: one arm answering everything; a second version is refused', () => {
  const spec = DeploymentStrategy.create({ kind: 'single' }, 1);
  assert.deepEqual([SINGLE.armNames(spec as never, 1), SINGLE.weights(spec as never, 0, 1)], [['primary'], [1]]);
  assert.throws(() => DeploymentStrategy.create({ kind: 'single' }, 2), (err: any) => err.details.field === 'arms');
  assert.throws(() => DeploymentStrategy.create({ kind: 'single', steps: [1] }), (err: any) => err.details.field === 'steps');
});
