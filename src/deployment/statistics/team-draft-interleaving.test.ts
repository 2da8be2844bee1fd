import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../core/random.js';
import { interleavingCredit, interleavingTest, teamDraftInterleave } from './team-draft-interleaving.js';
import { assertInvalid, close } from './statistics-test-support.js';

const A = ['a1', 'x', 'a2', 'y', 'a3', 'z', 'a4'];
const B = ['y', 'b1', 'x', 'b2', 'z', 'b3', 'a1'];

test('team-draft: each item once, prefix property, balanced teams, deterministic', () => {
  for (let seed = 0; seed < 50; seed++) {
    const { items, teams } = teamDraftInterleave(A, B, new Random(seed));
    assert.equal(items.length, new Set([...A, ...B]).size, 'all distinct items by default');
    assert.equal(new Set(items).size, items.length, 'no duplicates');
    assert.equal(teams.length, items.length);
    let picksA = 0;
    let picksB = 0;
    for (let k = 0; k < items.length; k++) {
      if (teams[k] === 'A') picksA++;
      else picksB++;
      const prefix = new Set(items.slice(0, k + 1));
      // Prefix property: after m picks, a team's top-m items are all in the list.
      for (const item of A.slice(0, picksA)) assert.ok(prefix.has(item), `seed ${seed}: A's top ${picksA} in prefix ${k}`);
      for (const item of B.slice(0, picksB)) assert.ok(prefix.has(item), `seed ${seed}: B's top ${picksB} in prefix ${k}`);
      // Each team contributes its own ranking's items.
      assert.ok((teams[k] === 'A' ? A : B).includes(items[k]));
      // Both rankings have 7 items, so neither runs out before the other in the first 10 positions.
      if (k < 10) assert.ok(Math.abs(picksA - picksB) <= 1, `seed ${seed}: team sizes ${picksA}/${picksB}`);
    }
    assert.deepEqual(teamDraftInterleave(A, B, new Random(seed)), { items, teams }, 'same seed, same list');
  }
  const firsts = new Set<string>();
  for (let seed = 0; seed < 20; seed++) firsts.add(teamDraftInterleave(A, B, new Random(seed)).teams[0]);
  assert.deepEqual([...firsts].sort(), ['A', 'B'], 'the coin gives both teams the first pick');
});

test('team-draft by hand, with a length limit, duplicates and a key', () => {
  // Both rankings identical: whoever picks, the list is the shared ranking.
  const same = teamDraftInterleave([1, 2, 3, 4], [1, 2, 3, 4], new Random(4));
  assert.deepEqual(same.items, [1, 2, 3, 4]);
  const short = teamDraftInterleave(A, B, new Random(2), { length: 3 });
  assert.equal(short.items.length, 3);
  assert.deepEqual(short.items, teamDraftInterleave(A, B, new Random(2)).items.slice(0, 3));
  // One ranking empty: the other team picks everything.
  assert.deepEqual(teamDraftInterleave(['p', 'q'], [], new Random(1)), { items: ['p', 'q'], teams: ['A', 'A'] });
  // Objects matched by key.
  const rankA = [{ id: 'u' }, { id: 'v' }];
  const rankB = [{ id: 'v' }, { id: 'w' }];
  const keyed = teamDraftInterleave(rankA, rankB, new Random(6), { key: (d) => d.id });
  assert.deepEqual(keyed.items.map((d) => d.id).sort(), ['u', 'v', 'w']);
});

test('interleaving credit counts clicks per team', () => {
  const teams = ['A', 'B', 'A', 'B', 'A'] as const;
  assert.equal(interleavingCredit(teams, [1, 3]), 'B');
  assert.equal(interleavingCredit(teams, [0, 1, 2]), 'A');
  assert.equal(interleavingCredit(teams, [0, 1]), 'tie');
  assert.equal(interleavingCredit(teams, []), 'tie');
  assert.equal(interleavingCredit(teams, [1, 1, 1, 0, 2]), 'A', 'a repeated click counts once');
});

test('interleaving sign test: exact binomial p-values', () => {
  // 1 vs 9: p = 2·(C(10,0) + C(10,1))/2¹⁰ = 22/1024 = 0.021484375.
  const r = interleavingTest({ winsA: 1, winsB: 9, ties: 5 });
  close(r.pValue, 22 / 1024, 1e-15, 'p for 1 vs 9');
  close(r.delta, 8 / 15, 1e-15, 'Δ');
  assert.equal(r.preferred, 'B');
  // 2 vs 8: 2·(1 + 10 + 45)/1024 = 0.109375 — not significant.
  const weak = interleavingTest({ winsA: 8, winsB: 2, ties: 0 });
  close(weak.pValue, 112 / 1024, 1e-15, 'p for 8 vs 2');
  close(weak.delta, -0.6, 1e-15, 'Δ negative favours A');
  assert.equal(weak.preferred, 'none');
  assert.equal(interleavingTest({ winsA: 8, winsB: 2, ties: 0 }, { alpha: 0.2 }).preferred, 'A');
  // 30 vs 70: the exact sum Σ_{i≤30} C(100,i)/2¹⁰⁰, doubled, in BigInt arithmetic.
  let sum = 0n;
  let coef = 1n;
  for (let i = 0n; i <= 30n; i++) {
    sum += coef;
    coef = (coef * (100n - i)) / (i + 1n);
  }
  const exact = (2 * Number((sum * 10n ** 30n) / 2n ** 100n)) / 1e30;
  const big = interleavingTest({ winsA: 30, winsB: 70, ties: 0 });
  assert.ok(Math.abs(big.pValue / exact - 1) < 1e-10, `p ${big.pValue} vs exact ${exact}`);
  assert.deepEqual(interleavingTest({ winsA: 0, winsB: 0, ties: 0 }), { delta: 0, pValue: 1, preferred: 'none' });
  assert.equal(interleavingTest({ winsA: 5, winsB: 5, ties: 2 }).pValue, 1);
});

test('interleaving functions reject bad input', () => {
  const rng = new Random(1);
  assertInvalid(() => teamDraftInterleave(A, B, rng, { length: -1 }), 'length');
  assertInvalid(() => teamDraftInterleave(A, 'b' as unknown as string[], rng), 'rankingB');
  assertInvalid(() => interleavingCredit(['A', 'B'], [2]), 'clickedPositions[0]');
  assertInvalid(() => interleavingCredit(['A', 'C' as 'A'], [0]), 'teams[1]');
  assertInvalid(() => interleavingTest({ winsA: -1, winsB: 2, ties: 0 }), 'winsA');
  assertInvalid(() => interleavingTest({ winsA: 1, winsB: 2.5, ties: 0 }), 'winsB');
  assertInvalid(() => interleavingTest({ winsA: 1, winsB: 2, ties: 0 }, { alpha: 0 }), 'alpha');
});
