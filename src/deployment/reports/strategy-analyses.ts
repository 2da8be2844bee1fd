import { interleavingCredit, interleavingTest, ipsEstimate } from '../statistics/index.js';
import type { Deployment } from '../deployment.js';
import { isReward } from '../routing/bandit-posteriors.js';
import type { JoinedAssignment } from '../store/deployment-store.js';
import type { BanditStrategy } from '../strategies/bandit-strategy.js';
import { isAssigned } from './arm-summary.js';

/** Shadow comparison: how often the shadow's decision agreed with primary's, and how far its scores were. */
export interface ShadowAnalysis {
  /** Requests the shadow scored. */
  readonly requests: number;
  readonly rows: number;
  /** Rows whose decision (score ≥ threshold) agreed. */
  readonly agreements: number;
  readonly agreementRate: number | null;
  /** Row-weighted mean |shadow score − primary score|. */
  readonly meanAbsDelta: number | null;
  readonly failures: number;
}

/** Summarizes a shadow deployment's comparison rows. */
export function analyseShadow(deployment: Deployment, rows: readonly JoinedAssignment[]): ShadowAnalysis {
  const shadowArm = deployment.arms[1].name;
  let requests = 0;
  let n = 0;
  let agreements = 0;
  let delta = 0;
  let failures = 0;
  for (const row of rows) {
    if (row.arm !== shadowArm || row.served) continue;
    if (row.failed) {
      failures++;
      continue;
    }
    const d = row.details as { rows?: number; agreements?: number; mean_abs_delta?: number } | null;
    if (d === null || typeof d.rows !== 'number') continue;
    requests++;
    n += d.rows;
    agreements += d.agreements ?? 0;
    delta += (d.mean_abs_delta ?? 0) * d.rows;
  }
  return { requests, rows: n, agreements, agreementRate: n === 0 ? null : agreements / n, meanAbsDelta: n === 0 ? null : delta / n, failures };
}

/** A bandit arm's evidence and off-policy value. */
export interface BanditArmAnalysis {
  readonly arm: string;
  readonly pulls: number;
  readonly rewards: number;
  /** Mean of the Beta(1 + rewards, 1 + pulls − rewards) posterior. */
  readonly posteriorMean: number;
  /** IPS and self-normalized IPS estimates of always playing this arm, from the logged propensities. */
  readonly ips: number | null;
  readonly snips: number | null;
}

/** Per-arm bandit evidence from served assignments joined with the reward outcome. */
export function analyseBandit(deployment: Deployment & { strategy: BanditStrategy }, rows: readonly JoinedAssignment[]): BanditArmAnalysis[] {
  const served = rows.filter((r) => r.served && isAssigned(r));
  return deployment.arms.map((arm) => {
    const mine = served.filter((r) => r.arm === arm.name);
    const rewards = mine.filter(isReward).length;
    const logs = served.map((r) => ({ propensity: r.propensity, reward: isReward(r) ? 1 : 0, targetProbability: r.arm === arm.name ? 1 : 0 }));
    const est = logs.length === 0 ? null : ipsEstimate(logs);
    return { arm: arm.name, pulls: mine.length, rewards, posteriorMean: (1 + rewards) / (2 + mine.length), ips: est?.ips ?? null, snips: est?.snips ?? null };
  });
}

/** Interleaving outcome over impressions that got click feedback. */
export interface InterleavingAnalysis {
  /** Impressions served (with both rankings). */
  readonly impressions: number;
  /** Impressions with click feedback. */
  readonly clicked: number;
  readonly winsA: number;
  readonly winsB: number;
  readonly ties: number;
  /** (winsB − winsA) / (winsA + winsB + ties); > 0 favours B. */
  readonly delta: number;
  readonly pValue: number;
  readonly preferred: 'A' | 'B' | 'none';
}

/** Credits each clicked impression to the team with more clicks and tests A against B (sign test). */
export function analyseInterleaving(deployment: Deployment, rows: readonly JoinedAssignment[], alpha: number): InterleavingAnalysis {
  const armA = deployment.arms[0].name;
  let impressions = 0;
  let clicked = 0;
  const outcomes = { winsA: 0, winsB: 0, ties: 0 };
  for (const row of rows) {
    if (row.arm !== armA || !row.served || row.details === null) continue;
    const teams = row.details.teams as ('A' | 'B')[] | undefined;
    if (!Array.isArray(teams)) continue;
    impressions++;
    const v = row.outcome?.value;
    if (row.outcome === null || !Array.isArray(v)) continue;
    clicked++;
    const credit = interleavingCredit(teams, v.filter((p) => p < teams.length));
    if (credit === 'A') outcomes.winsA++;
    else if (credit === 'B') outcomes.winsB++;
    else outcomes.ties++;
  }
  const test = clicked === 0 ? { delta: 0, pValue: 1, preferred: 'none' as const } : interleavingTest(outcomes, { alpha });
  return { impressions, clicked, ...outcomes, ...test };
}
