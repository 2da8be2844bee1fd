import type { Deployment } from '../deployment.js';
import type { DeploymentStore, JoinedAssignment } from '../store/deployment-store.js';
import type { BanditStrategy } from '../strategies/bandit-strategy.js';

/** Successes and failures per arm, in arm order. */
export interface ArmCounts {
  readonly successes: number;
  readonly failures: number;
}

/**
 * True when a joined outcome rewards its request: the reward outcome arrived with no value, or a value > 0.
 * @internal
 */
export function isReward(row: JoinedAssignment): boolean {
  if (row.outcome === null) return false;
  const v = row.outcome.value;
  return v === null || (typeof v === 'number' ? v > 0 : v.length > 0);
}

/**
 * Beta-Bernoulli evidence per arm from a bandit deployment's served assignments joined with the `reward` outcome:
 * a success is a request rewarded; a failure is a request with no reward once `reward_window_ms` passed since it
 * was served (or a reward of value ≤ 0). Requests still inside the window count as neither.
 */
export async function banditCounts(store: DeploymentStore, deployment: Deployment & { strategy: BanditStrategy }, now: number): Promise<ArmCounts[]> {
  const index = new Map(deployment.arms.map((a, i) => [a.name, i]));
  const s = new Array<number>(deployment.arms.length).fill(0);
  const f = new Array<number>(deployment.arms.length).fill(0);
  for (const row of await store.joined(deployment.id, deployment.strategy.reward)) {
    const i = index.get(row.arm);
    if (i === undefined || !row.served) continue;
    if (isReward(row)) s[i]++;
    else if (row.outcome !== null || now - row.createdAt >= deployment.strategy.reward_window_ms) f[i]++;
  }
  return s.map((successes, i) => ({ successes, failures: f[i] }));
}
