/** Row types of the deployment tables (migration 0006-deployments), part of LoomDatabase. */
import type { Generated } from 'kysely';

/** A deployment of a model (0006-deployments): its strategy, arms and state. `revision` guards every state change. */
export interface DeploymentTable {
  id: string;
  model: string;
  /** The strategy kind (single, blue-green, canary, shadow, ab, bandit, interleaving). */
  kind: string;
  /** The validated strategy spec (JSON text). */
  spec_json: string;
  /** JSON array of { name, version }: the arms, stable first. */
  arms_json: string;
  /** active | promoted | rolled_back | replaced. */
  state: string;
  /** The canary step index (0 for other strategies). */
  step: number;
  step_started_at: number;
  /** The arm that answers all traffic once the deployment ended (promoted: the winner; rolled back: stable). */
  final_arm: string | null;
  revision: number;
  created_at: number;
  updated_at: number;
  created_by: string;
}

/** The append-only trail of a deployment: created, step_advanced, guardrail_breach, rollback, promote, replaced. */
export interface DeploymentEventTable {
  id: Generated<number>;
  deployment_id: string;
  model: string;
  action: string;
  from_step: number | null;
  to_step: number | null;
  arm: string | null;
  actor: string;
  reason: string | null;
  details_json: string;
  created_at: number;
}

/** Which arm a request went to (and, for shadow and interleaving, every arm that scored it). */
export interface DeploymentAssignmentTable {
  deployment_id: string;
  request_id: string;
  arm: string;
  version: number;
  unit_id: string | null;
  /** Probability the arm had of answering this request. */
  propensity: number;
  /** Mean first-output score over the request's predicted records, or null. */
  score: number | null;
  /** 1 when this arm's answer went to the user. */
  served: number;
  /** 1 when this arm failed the request. */
  failed: number;
  latency_ms: number | null;
  /** Strategy extras (interleaving teams, shadow comparison) as JSON text, or null. */
  details_json: string | null;
  created_at: number;
}

/** A feedback outcome for a request (POST /v1/feedback); one per (request_id, outcome). */
export interface DeploymentOutcomeTable {
  request_id: string;
  outcome: string;
  /** The value as JSON text (a number, or clicked positions), or null. */
  value_json: string | null;
  /** When the outcome happened, epoch ms. */
  timestamp: number;
  received_at: number;
}
