import { nearestRank } from '../control/guardrail-check.js';
import type { Deployment } from '../deployment.js';
import type { JoinedAssignment } from '../store/deployment-store.js';

/** What one arm did over a deployment's life (from the stored assignments). */
export interface ArmSummary {
  readonly name: string;
  readonly version: number;
  /** Distinct units (unit id, else request id) the router assigned to the arm. */
  readonly units: number;
  /** Requests the router assigned to the arm. */
  readonly requests: number;
  /** Requests the arm failed. */
  readonly failures: number;
  /** Requests the arm answered for another, failed arm (canary fallback). */
  readonly fallbacks: number;
  /** Nearest-rank latency percentiles of the arm's requests, ms, or null. */
  readonly latencyP50Ms: number | null;
  readonly latencyP99Ms: number | null;
  /** Mean of the requests' mean first-output score, or null. */
  readonly meanScore: number | null;
}

/**
 * True for a row of an arm the router chose for the request: not a fallback answer, and not a shadow copy (shadow
 * rows have propensity 0: the shadow never answers the user).
 * @internal
 */
export function isAssigned(row: JoinedAssignment): boolean {
  return (row.served || row.failed) && row.propensity > 0 && (row.details === null || row.details.fallback_for === undefined);
}

/** The unit a row counts for. @internal */
export function unitKey(row: JoinedAssignment): string {
  return row.unitId ?? `request:${row.requestId}`;
}

/** Per-arm counts, latencies and scores, in arm order. */
export function summarizeArms(deployment: Deployment, rows: readonly JoinedAssignment[]): ArmSummary[] {
  return deployment.arms.map((arm) => {
    const mine = rows.filter((r) => r.arm === arm.name);
    const assigned = mine.filter(isAssigned);
    const latencies = Float64Array.from(mine.filter((r) => r.latencyMs !== null && (r.served || r.failed)).map((r) => r.latencyMs!)).sort();
    const scores = mine.filter((r) => r.score !== null).map((r) => r.score!);
    return {
      name: arm.name,
      version: arm.version,
      units: new Set(assigned.map(unitKey)).size,
      requests: assigned.length,
      failures: mine.filter((r) => r.failed).length,
      fallbacks: mine.filter((r) => r.details !== null && r.details.fallback_for !== undefined).length,
      latencyP50Ms: latencies.length === 0 ? null : nearestRank(latencies, 0.5),
      latencyP99Ms: latencies.length === 0 ? null : nearestRank(latencies, 0.99),
      meanScore: scores.length === 0 ? null : scores.reduce((a, b) => a + b, 0) / scores.length,
    };
  });
}
