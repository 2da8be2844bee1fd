import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BLUE_GREEN } from './blue-green-strategy.js';
import { DeploymentStrategy } from './deployment-strategy.js';

test('blue-green: blue answers until promotion; exactly two versions', () => {
  const spec = DeploymentStrategy.create({ kind: 'blue-green' }, 2);
  assert.deepEqual([BLUE_GREEN.armNames(spec as never, 2), BLUE_GREEN.weights(spec as never, 0, 2)], [['blue', 'green'], [1, 0]]);
  assert.throws(() => DeploymentStrategy.create({ kind: 'blue-green' }, 1), (err: any) => err.details.field === 'arms');
});
