import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CANARY } from './canary-strategy.js';
import { DeploymentStrategy } from './deployment-strategy.js';

test('canary defaults: steps 5/25/50/100, 100 requests per step, an error-rate guardrail, fallback on', () => {
  const spec = DeploymentStrategy.create({ kind: 'canary' });
  assert.ok(DeploymentStrategy.is(spec, 'canary'));
  assert.deepEqual(spec, { kind: 'canary', steps: [5, 25, 50, 100], min_requests: 100, min_duration_ms: 0, guardrails: { error_rate: { max: 0.05, budget: 5, min_samples: 50 } }, fallback: true, auto_advance: true });
  assert.ok(Object.isFrozen(spec) && Object.isFrozen(spec.steps) && Object.isFrozen(spec.guardrails));
});

test('canary weights follow the current step, stable first', () => {
  const spec = DeploymentStrategy.create({ kind: 'canary', steps: [10, 40, 100] });
  if (!DeploymentStrategy.is(spec, 'canary')) throw new Error('kind');
  assert.deepEqual([0, 1, 2].map((s) => CANARY.weights(spec, s, 2)), [[0.9, 0.1], [0.6, 0.4], [0, 1]]);
  assert.equal(CANARY.steps(spec), 3);
  assert.deepEqual(CANARY.armNames(spec, 2), ['stable', 'canary']);
});

test('guardrails fill their own defaults; bad steps and guardrails are coded errors naming the field', () => {
  const spec = DeploymentStrategy.create({ kind: 'canary', guardrails: { latency_p99: { max_ms: 250 }, prediction_drift: { max: 0.2 } } });
  if (!DeploymentStrategy.is(spec, 'canary')) throw new Error('kind');
  assert.deepEqual(spec.guardrails, { latency_p99: { max_ms: 250, min_samples: 100 }, prediction_drift: { metric: 'psi', max: 0.2, min_samples: 200 } });
  const cases: [unknown, string][] = [
    [{ kind: 'canary', steps: [50, 25] }, 'steps'],
    [{ kind: 'canary', steps: [0, 100] }, 'steps.0'],
    [{ kind: 'canary', steps: [5, 101] }, 'steps.1'],
    [{ kind: 'canary', steps: [] }, 'steps'],
    [{ kind: 'canary', min_requests: -1 }, 'min_requests'],
    [{ kind: 'canary', guardrails: { error_rate: { max: 2 } } }, 'guardrails.error_rate.max'],
    [{ kind: 'canary', guardrails: { latency: { max_ms: 1 } } }, 'guardrails.latency'],
    [{ kind: 'canary', weights: [1, 2] }, 'weights'],
  ];
  for (const [input, field] of cases) {
    assert.throws(() => DeploymentStrategy.create(input), (err: any) => err.code === 'LOOM_ERR_DEPLOY_INVALID_SPEC' && err.details.field === field, JSON.stringify(input));
  }
  assert.throws(() => DeploymentStrategy.create({ kind: 'canary' }, 3), (err: any) => err.code === 'LOOM_ERR_DEPLOY_INVALID_SPEC' && err.details.field === 'arms');
});
