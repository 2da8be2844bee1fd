import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AB } from './ab-strategy.js';
import { DeploymentStrategy } from './deployment-strategy.js';

test('ab defaults and normalized weights per arm', () => {
  const spec = DeploymentStrategy.create({ kind: 'ab', metric: { outcome: 'converted' } });
  if (!DeploymentStrategy.is(spec, 'ab')) throw new Error('kind');
  assert.deepEqual(spec, { kind: 'ab', unit_field: 'unit_id', weights: null, metric: { outcome: 'converted', kind: 'proportion' }, alpha: 0.05, power: 0.8, tau2: null, mde: null, guardrails: {} });
  assert.deepEqual(AB.weights(spec, 0, 3), [1 / 3, 1 / 3, 1 / 3]);
  const weighted = DeploymentStrategy.create({ kind: 'ab', weights: [90, 10] }, 2);
  assert.deepEqual(AB.weights(weighted as never, 0, 2), [0.9, 0.1]);
  assert.deepEqual(AB.armNames(spec, 3), ['A', 'B', 'C']);
});

test('ab rejects weights that do not match the arms, and bad metric settings', () => {
  assert.throws(() => DeploymentStrategy.create({ kind: 'ab', weights: [1, 1, 1] }, 2), (err: any) => err.code === 'LOOM_ERR_DEPLOY_INVALID_SPEC' && err.details.field === 'weights');
  assert.throws(() => DeploymentStrategy.create({ kind: 'ab' }, 1), (err: any) => err.details.field === 'arms');
  const cases: [unknown, string][] = [
    [{ kind: 'ab', metric: { outcome: 'x', kind: 'median' } }, 'metric.kind'],
    [{ kind: 'ab', alpha: 0 }, 'alpha'],
    [{ kind: 'ab', tau2: -1 }, 'tau2'],
    [{ kind: 'ab', weights: [1, -1] }, 'weights.1'],
    [{ kind: 'ab', unit_field: '1bad' }, 'unit_field'],
  ];
  for (const [input, field] of cases) assert.throws(() => DeploymentStrategy.create(input), (err: any) => err.code === 'LOOM_ERR_DEPLOY_INVALID_SPEC' && err.details.field === field, JSON.stringify(input));
});
