import { regularizedIncompleteBeta } from '../../core/stats/index.js';
import type { Random } from '../../core/random.js';
import { invalidStatisticsInput, requireCount, requireOpenUnit } from './statistics-input.js';

/** Which ranker contributed an interleaved item. */
export type InterleavingTeam = 'A' | 'B';

/** An interleaved list and, position by position, the team that contributed each item. */
export interface InterleavedList<T> {
  readonly items: T[];
  readonly teams: InterleavingTeam[];
}

/**
 * Team-draft interleaving (Radlinski, Kurup, Joachims 2008). Like picking sides for a game: in each round a coin
 * decides which team picks first when both have picked equally often, otherwise the team with fewer picks goes;
 * a team picks its highest-ranked item not already in the list. When one ranking runs out of new items the other
 * keeps picking. The list stops at `length` (default: all distinct items of both rankings).
 *
 * Guarantees: every item appears at most once (identity by `key`, default the item itself with SameValueZero); for
 * every prefix, team A's picks so far cover ranking A's top-(picks of A) items, and likewise for B; the two teams'
 * sizes differ by at most one while both rankings still have new items. Deterministic for a given rng state.
 *
 * @throws LoomError LOOM_ERR_DEPLOY_INVALID_STATISTICS_INPUT when a ranking is not an array or length is negative or
 *   fractional.
 * @example
 * teamDraftInterleave(['d1', 'd2', 'd3'], ['d2', 'd4'], new Random(3)); // { items: [...], teams: ['A', 'B', ...] }
 */
export function teamDraftInterleave<T>(
  rankingA: readonly T[],
  rankingB: readonly T[],
  rng: Random,
  options: { length?: number; key?: (item: T) => string } = {},
): InterleavedList<T> {
  if (!Array.isArray(rankingA)) throw invalidStatisticsInput('rankingA', 'expected an array');
  if (!Array.isArray(rankingB)) throw invalidStatisticsInput('rankingB', 'expected an array');
  const keyOf: (item: T) => unknown = options.key ?? ((item) => item);
  const distinct = new Set<unknown>();
  for (const item of rankingA) distinct.add(keyOf(item));
  for (const item of rankingB) distinct.add(keyOf(item));
  const length = options.length === undefined ? distinct.size : Math.min(requireCount(options.length, 'length'), distinct.size);
  const used = new Set<unknown>();
  const items: T[] = [];
  const teams: InterleavingTeam[] = [];
  const cursor = { A: 0, B: 0 };
  const picks = { A: 0, B: 0 };
  const nextNew = (ranking: readonly T[], team: InterleavingTeam): number => {
    while (cursor[team] < ranking.length && used.has(keyOf(ranking[cursor[team]]))) cursor[team]++;
    return cursor[team] < ranking.length ? cursor[team] : -1;
  };
  while (items.length < length) {
    const iA = nextNew(rankingA, 'A');
    const iB = nextNew(rankingB, 'B');
    let team: InterleavingTeam;
    if (iA < 0) team = 'B';
    else if (iB < 0) team = 'A';
    else if (picks.A < picks.B) team = 'A';
    else if (picks.B < picks.A) team = 'B';
    else team = rng.nextInt(2) === 0 ? 'A' : 'B';
    const item = team === 'A' ? rankingA[iA] : rankingB[iB];
    used.add(keyOf(item));
    items.push(item);
    teams.push(team);
    picks[team]++;
  }
  return { items, teams };
}

/**
 * Credit for one impression of an interleaved list: the team whose items got more of the clicks wins; equal clicks
 * (including none) are a tie. A position clicked twice counts once.
 *
 * @throws LoomError LOOM_ERR_DEPLOY_INVALID_STATISTICS_INPUT for a team label other than 'A'/'B' or a clicked position
 *   that is not an index into `teams`.
 * @example
 * interleavingCredit(['A', 'B', 'A', 'B'], [1, 3]); // 'B'
 */
export function interleavingCredit(teams: readonly InterleavingTeam[], clickedPositions: readonly number[]): InterleavingTeam | 'tie' {
  if (!Array.isArray(teams)) throw invalidStatisticsInput('teams', 'expected an array of \'A\' | \'B\'');
  if (!Array.isArray(clickedPositions)) throw invalidStatisticsInput('clickedPositions', 'expected an array of positions');
  for (let i = 0; i < teams.length; i++) {
    if (teams[i] !== 'A' && teams[i] !== 'B') throw invalidStatisticsInput(`teams[${i}]`, `expected 'A' or 'B', got ${String(teams[i])}`);
  }
  const seen = new Set<number>();
  let a = 0;
  let b = 0;
  for (let i = 0; i < clickedPositions.length; i++) {
    const p = clickedPositions[i];
    if (!Number.isInteger(p) || p < 0 || p >= teams.length) {
      throw invalidStatisticsInput(`clickedPositions[${i}]`, `expected a position in 0..${teams.length - 1}, got ${String(p)}`);
    }
    if (seen.has(p)) continue;
    seen.add(p);
    if (teams[p] === 'A') a++;
    else b++;
  }
  return a > b ? 'A' : b > a ? 'B' : 'tie';
}

/** The aggregate interleaving result. */
export interface InterleavingTestResult {
  /** (winsB − winsA) / (winsA + winsB + ties), in [−1, 1]; 0 with no impressions. */
  readonly delta: number;
  /** Two-sided exact binomial sign test of winsA vs winsB (ties excluded), H0: each win is A's with probability ½. */
  readonly pValue: number;
  /** The team with more wins when pValue < alpha, else 'none'. */
  readonly preferred: InterleavingTeam | 'none';
}

/**
 * Aggregates interleaving impressions: Δ = (winsB − winsA)/(winsA + winsB + ties) and an exact two-sided sign test,
 * p = min(1, 2·P(X ≤ min(winsA, winsB))) for X ~ Binomial(winsA + winsB, ½), with the binomial CDF taken from the
 * regularized incomplete beta, P(X ≤ k) = I_{½}(n − k, k + 1).
 *
 * @throws LoomError LOOM_ERR_DEPLOY_INVALID_STATISTICS_INPUT for negative or fractional counts or alpha outside (0, 1).
 * @example
 * interleavingTest({ winsA: 1, winsB: 9, ties: 5 }); // { delta: 0.5333…, pValue: 0.021484375, preferred: 'B' }
 */
export function interleavingTest(outcomes: { winsA: number; winsB: number; ties: number }, options: { alpha?: number } = {}): InterleavingTestResult {
  if (outcomes === null || typeof outcomes !== 'object') throw invalidStatisticsInput('outcomes', 'expected { winsA, winsB, ties }');
  const winsA = requireCount(outcomes.winsA, 'winsA');
  const winsB = requireCount(outcomes.winsB, 'winsB');
  const ties = requireCount(outcomes.ties, 'ties');
  const alpha = requireOpenUnit(options.alpha, 0.05, 'alpha');
  const impressions = winsA + winsB + ties;
  const delta = impressions === 0 ? 0 : (winsB - winsA) / impressions;
  const n = winsA + winsB;
  const k = Math.min(winsA, winsB);
  const pValue = n === 0 || k * 2 === n ? 1 : Math.min(1, 2 * regularizedIncompleteBeta(0.5, n - k, k + 1));
  const preferred = pValue < alpha ? (winsB > winsA ? 'B' : 'A') : 'none';
  return { delta, pValue, preferred };
}
