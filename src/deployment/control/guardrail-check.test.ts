import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArmWindow } from './arm-window.js';
import { checkGuardrails, nearestRank } from './guardrail-check.js';

function window(requests: number, failures: number, latency: (i: number) => number = () => 10, score: (i: number) => number | null = () => null): ArmWindow {
  const w = new ArmWindow();
  for (let i = 0; i < requests; i++) w.observe(i < failures, latency(i), score(i));
  return w;
}

test('error budget: more failures than the budget breach at once, whatever the sample size', () => {
  const g = { error_rate: { max: 0.5, budget: 3, min_samples: 1000 } };
  assert.deepEqual(checkGuardrails(g, window(10, 3), window(10, 0)), []);
  assert.deepEqual(checkGuardrails(g, window(10, 4), window(10, 0)), [{ guardrail: 'error_budget', observed: 4, limit: 3, samples: 10 }]);
});

test('error rate: judged only after min_samples requests', () => {
  const g = { error_rate: { max: 0.02, budget: 100, min_samples: 50 } };
  assert.deepEqual(checkGuardrails(g, window(49, 10), window(1, 0)), []);
  assert.deepEqual(checkGuardrails(g, window(50, 1), window(1, 0)), [], "1/50 = 0.02 is not above 0.02");
  assert.deepEqual(checkGuardrails(g, window(50, 3), window(1, 0)), [{ guardrail: 'error_rate', observed: 0.06, limit: 0.02, samples: 50 }]);
});

test('latency p99 is the nearest-rank 99th percentile of the kept latencies', () => {
  // Latencies 1..200 ms: nearest rank ⌈0.99·200⌉ = 198 → 198 ms.
  const w = window(200, 0, (i) => i + 1);
  assert.equal(nearestRank(w.latencySample().sort(), 0.99), 198);
  assert.deepEqual(checkGuardrails({ latency_p99: { max_ms: 198, min_samples: 100 } }, w, window(1, 0)), []);
  assert.deepEqual(checkGuardrails({ latency_p99: { max_ms: 150, min_samples: 100 } }, w, window(1, 0)), [{ guardrail: 'latency_p99', observed: 198, limit: 150, samples: 200 }]);
  assert.deepEqual(checkGuardrails({ latency_p99: { max_ms: 150, min_samples: 201 } }, w, window(1, 0)), []);
});

test('prediction drift: PSI of challenger scores against stable scores once both have min_samples', () => {
  const stable = window(300, 0, () => 10, (i) => (i % 100) / 100);
  const same = window(300, 0, () => 10, (i) => ((i * 7) % 100) / 100);
  const shifted = window(300, 0, () => 10, (i) => 0.5 + (i % 50) / 100);
  const g = { prediction_drift: { metric: 'psi' as const, max: 0.25, min_samples: 200 } };
  assert.deepEqual(checkGuardrails(g, same, stable), []);
  const breach = checkGuardrails(g, shifted, stable);
  assert.equal(breach.length, 1);
  assert.equal(breach[0].guardrail, 'prediction_drift');
  assert.ok(breach[0].observed > 1);
  assert.deepEqual(checkGuardrails({ prediction_drift: { metric: 'psi', max: 0.25, min_samples: 301 } }, shifted, stable), []);
});
