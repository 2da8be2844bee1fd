import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SHADOW } from './shadow-strategy.js';
import { DeploymentStrategy } from './deployment-strategy.js';

test('shadow: primary answers everything; sample in (0, 1]', () => {
  const spec = DeploymentStrategy.create({ kind: 'shadow' }, 2);
  assert.deepEqual(spec, { kind: 'shadow', sample: 1, threshold: 0.5 });
  assert.deepEqual(SHADOW.weights(spec as never, 0, 2), [1, 0]);
  assert.throws(() => DeploymentStrategy.create({ kind: 'shadow', sample: 0 }), (err: any) => err.details.field === 'sample');
});
