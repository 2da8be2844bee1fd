import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ipsEstimate } from './off-policy.js';
import { assertInvalid, close } from './statistics-test-support.js';

test('IPS and SNIPS on a hand-computed example', () => {
  // Four logged decisions; weights w = target/propensity = 0.8/0.5, 0/0.25, 1/0.8, 0.2/0.4 = 1.6, 0, 1.25, 0.5.
  // Σ w·r = 1.6·1 + 0·1 + 1.25·0 + 0.5·2 = 2.6; Σ w = 3.35; Σ w² = 2.56 + 1.5625 + 0.25 = 4.3725.
  // IPS = 2.6/4 = 0.65; SNIPS = 2.6/3.35 = 0.776119…; ESS = 3.35²/4.3725 = 2.566609…
  const r = ipsEstimate([
    { propensity: 0.5, reward: 1, targetProbability: 0.8 },
    { propensity: 0.25, reward: 1, targetProbability: 0 },
    { propensity: 0.8, reward: 0, targetProbability: 1 },
    { propensity: 0.4, reward: 2, targetProbability: 0.2 },
  ]);
  assert.equal(r.n, 4);
  close(r.ips, 0.65, 1e-15, 'IPS');
  close(r.snips, 2.6 / 3.35, 1e-15, 'SNIPS');
  close(r.effectiveSampleSize, (3.35 * 3.35) / 4.3725, 1e-12, 'ESS');
});

test('on-policy logs give the plain mean; a target that never agrees gives no SNIPS estimate', () => {
  const rewards = [0.2, 1, 0, 0.7, 0.4];
  const same = ipsEstimate(rewards.map((reward) => ({ propensity: 0.3, reward, targetProbability: 0.3 })));
  close(same.ips, 0.46, 1e-15, 'IPS = mean when the target is the logging policy');
  close(same.snips, 0.46, 1e-15, 'SNIPS = mean');
  close(same.effectiveSampleSize, 5, 1e-12, 'ESS = n');
  const never = ipsEstimate([{ propensity: 0.5, reward: 1, targetProbability: 0 }]);
  assert.equal(never.ips, 0);
  assert.ok(Number.isNaN(never.snips));
  assert.equal(never.effectiveSampleSize, 0);
});

test('IPS rejects bad logs', () => {
  const ok = { propensity: 0.5, reward: 1, targetProbability: 0.5 };
  assertInvalid(() => ipsEstimate([]), 'logs');
  assertInvalid(() => ipsEstimate([ok, { ...ok, propensity: 0 }]), 'logs[1].propensity');
  assertInvalid(() => ipsEstimate([{ ...ok, propensity: 1.5 }]), 'logs[0].propensity');
  assertInvalid(() => ipsEstimate([{ ...ok, targetProbability: -0.1 }]), 'logs[0].targetProbability');
  assertInvalid(() => ipsEstimate([{ ...ok, reward: Number.NaN }]), 'logs[0].reward');
});
