import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Bagging } from './bagging.js';
import { FeatureSampler } from './feature-sampler.js';
import { Goss } from './goss.js';

test('bagging draws ⌊fraction·n⌋ ascending rows, keeps them for bagging_freq iterations, and is seeded', () => {
  const bagging = new Bagging(100, 0.3, 2, 11);
  const first = bagging.sample(0);
  assert.equal(first.active, true);
  assert.equal(first.bagCount, 30);
  const bag = Array.from(first.indices.subarray(0, 30));
  for (let i = 1; i < bag.length; i++) assert.ok(bag[i] > bag[i - 1]);
  assert.deepEqual([...first.indices].sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i), 'bag and out-of-bag cover every row once');
  assert.deepEqual(Array.from(bagging.sample(1).indices.subarray(0, 30)), bag);
  assert.notDeepEqual(Array.from(bagging.sample(2).indices.subarray(0, 30)), bag);
  assert.deepEqual(Array.from(new Bagging(100, 0.3, 2, 11).sample(0).indices.subarray(0, 30)), bag);
  assert.equal(new Bagging(100, 0.3, 0, 11).sample(0).active, false);
  assert.equal(new Bagging(100, 1, 1, 11).sample(0).active, false);
});

test('GOSS keeps the top rows by |g·h|, samples the rest and re-weights them by (n − top)/other', () => {
  const n = 100;
  const goss = new Goss(n, 0.2, 0.1, 0.5, 3);
  const grad = Float64Array.from({ length: n }, (_, i) => i + 1);
  const hess = new Float64Array(n).fill(1);
  assert.equal(goss.sample(1, grad, hess, 1).active, false, 'no sampling during the first 1/learning_rate iterations');
  const sample = goss.sample(2, grad, hess, 1);
  assert.equal(sample.active, true);
  const bag = Array.from(sample.indices.subarray(0, sample.bagCount));
  const top = bag.filter((i) => i >= 80);
  assert.equal(top.length, 20);
  const others = bag.filter((i) => i < 80);
  assert.equal(others.length, 10);
  for (const i of others) assert.equal(grad[i], (i + 1) * 8);
  for (const i of others) assert.equal(hess[i], 8);
  for (const i of top) assert.equal(grad[i], i + 1);
  for (let i = 1; i < bag.length; i++) assert.ok(bag[i] > bag[i - 1]);
});

test('feature sampling picks round(fraction·m) features per tree and a share of those per node, seeded', () => {
  const used = Int32Array.from([0, 1, 2, 3, 5, 6, 7, 8, 9, 10]);
  const sampler = new FeatureSampler(used, 11, 0.5, 0.4, 5);
  const tree = sampler.sampleTree()!;
  const chosen = [...tree.keys()].filter((f) => tree[f] === 1);
  assert.equal(chosen.length, 5);
  assert.equal(tree[4], 0, 'a trivial feature is never chosen');
  const node = new Uint8Array(11);
  sampler.sampleNode(node);
  const nodeChosen = [...node.keys()].filter((f) => node[f] === 1);
  assert.equal(nodeChosen.length, 2);
  for (const f of nodeChosen) assert.ok(chosen.includes(f));
  const again = new FeatureSampler(used, 11, 0.5, 0.4, 5).sampleTree()!;
  assert.deepEqual(again, tree);
  assert.equal(new FeatureSampler(used, 11, 1, 1, 5).sampleTree(), null);
});
