import type { Deployment } from '../deployment.js';
import type { JoinedAssignment } from '../store/deployment-store.js';

/** Log loss clips scores to [ε, 1 − ε]. */
const EPSILON = 1e-15;

/** How well an arm's served scores matched a binary outcome that arrived later (delayed labels). */
export interface OutcomeFit {
  readonly arm: string;
  readonly outcome: string;
  /** Requests the arm answered (fallback answers included) with a score and a joined outcome. */
  readonly labelled: number;
  /** Share of labelled requests whose outcome value was > 0 (or had no value). */
  readonly positiveRate: number | null;
  readonly meanScore: number | null;
  /** Mean (score − y)². */
  readonly brier: number | null;
  /** Mean −[y ln p + (1 − y) ln(1 − p)], p clipped to [1e-15, 1 − 1e-15]. */
  readonly logLoss: number | null;
}

/**
 * Scores the arms' served predictions against a binary outcome joined on request id: y = 1 when the outcome's
 * value is > 0 (or it has none), 0 when the value is ≤ 0. Requests without the outcome are left out (their label is
 * not known yet). The score is the request's mean first output, the positive-class probability of a binary model.
 */
export function outcomeFit(deployment: Deployment, rows: readonly JoinedAssignment[], outcome: string): OutcomeFit[] {
  return deployment.arms.map((arm) => {
    let n = 0;
    let positives = 0;
    let scores = 0;
    let brier = 0;
    let logLoss = 0;
    for (const row of rows) {
      if (row.arm !== arm.name || !row.served || row.score === null || row.outcome === null) continue;
      const v = row.outcome.value;
      const y = v === null || (typeof v === 'number' ? v > 0 : v.length > 0) ? 1 : 0;
      const p = Math.min(1 - EPSILON, Math.max(EPSILON, row.score));
      n++;
      positives += y;
      scores += row.score;
      brier += (row.score - y) ** 2;
      logLoss -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
    }
    const mean = (x: number) => (n === 0 ? null : x / n);
    return { arm: arm.name, outcome, labelled: n, positiveRate: mean(positives), meanScore: mean(scores), brier: mean(brier), logLoss: mean(logLoss) };
  });
}
