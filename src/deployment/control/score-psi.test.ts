import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scorePsi } from './score-psi.js';

const expected = Array.from({ length: 100 }, (_, i) => i);

test('identical distributions have PSI 0', () => {
  assert.equal(scorePsi(expected, expected), 0);
});

test('PSI against deciles of the reference, with empty bins floored at 1e-4 (hand-computed)', () => {
  // Reference deciles are 10, 20, …, 90: ten bins of 10% each. Actual: 20% in bin 0, none in bin 1, 10% in bins 2–9.
  const actual = [...Array.from({ length: 20 }, (_, i) => i % 10), ...Array.from({ length: 80 }, (_, i) => 20 + i)];
  const want = (0.2 - 0.1) * Math.log(0.2 / 0.1) + (1e-4 - 0.1) * Math.log(1e-4 / 0.1);
  assert.ok(Math.abs(scorePsi(expected, actual) - want) < 1e-12, `${scorePsi(expected, actual)} vs ${want}`);
});

test('a shifted score distribution has a large PSI; a resample of the same one a small PSI', () => {
  const shifted = expected.map((x) => x + 30);
  assert.ok(scorePsi(expected, shifted) > 1);
  const evens = expected.filter((x) => x % 2 === 0);
  assert.ok(scorePsi(expected, evens) < 0.01);
});

test('ties in the reference merge bins instead of making empty ones', () => {
  const constant = new Array<number>(50).fill(0.3);
  assert.equal(scorePsi(constant, constant), 0);
  // One bin edge (0.3): values < 0.3 and values ≥ 0.3. Half below: (0.5 − 1e-4)·ln(0.5/1e-4) + (0.5 − 1)·ln(0.5/1).
  const half = [...new Array<number>(25).fill(0.1), ...new Array<number>(25).fill(0.3)];
  const want = (0.5 - 1e-4) * Math.log(0.5 / 1e-4) + (0.5 - 1) * Math.log(0.5);
  assert.ok(Math.abs(scorePsi(constant, half) - want) < 1e-12);
});
