import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BANDIT } from './bandit-strategy.js';
import { DeploymentStrategy } from './deployment-strategy.js';

test('bandit: thompson by default, arms per version, no fixed weights', () => {
  const spec = DeploymentStrategy.create({ kind: 'bandit', reward: 'click' }, 3);
  assert.deepEqual(spec, { kind: 'bandit', algorithm: 'thompson', epsilon: 0.1, reward: 'click', reward_window_ms: 0, refresh_ms: 5000, seed: 1 });
  assert.deepEqual(BANDIT.armNames(spec as never, 3), ['arm0', 'arm1', 'arm2']);
  assert.equal(BANDIT.weights(spec as never, 0, 3), null);
  assert.throws(() => DeploymentStrategy.create({ kind: 'bandit', algorithm: 'ucb' }), (err: any) => err.details.field === 'algorithm');
  assert.throws(() => DeploymentStrategy.create({ kind: 'bandit', epsilon: 1.5 }), (err: any) => err.details.field === 'epsilon');
});
