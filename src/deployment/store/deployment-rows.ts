import type { Selectable } from 'kysely';
import type { DeploymentAssignmentTable, DeploymentEventTable, DeploymentTable } from '../../storage/metadata/database.js';
import type { Assignment, Deployment, DeploymentArm, DeploymentEvent, DeploymentState } from '../deployment.js';
import { DeploymentStrategy } from '../strategies/deployment-strategy.js';

/** Row → Deployment. @internal */
export function deploymentFromRow(row: Selectable<DeploymentTable>): Deployment {
  const arms = JSON.parse(row.arms_json) as DeploymentArm[];
  return Object.freeze({
    id: row.id,
    model: row.model,
    strategy: DeploymentStrategy.create(JSON.parse(row.spec_json)),
    arms: Object.freeze(arms.map((a) => Object.freeze({ name: a.name, version: Number(a.version) }))),
    state: row.state as DeploymentState,
    step: Number(row.step),
    stepStartedAt: Number(row.step_started_at),
    finalArm: row.final_arm,
    revision: Number(row.revision),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    createdBy: row.created_by,
  });
}

/** Row → DeploymentEvent. @internal */
export function eventFromRow(row: Selectable<DeploymentEventTable>): DeploymentEvent {
  return Object.freeze({
    id: Number(row.id),
    deploymentId: row.deployment_id,
    model: row.model,
    action: row.action,
    fromStep: row.from_step === null ? null : Number(row.from_step),
    toStep: row.to_step === null ? null : Number(row.to_step),
    arm: row.arm,
    actor: row.actor,
    reason: row.reason,
    details: JSON.parse(row.details_json) as Record<string, unknown>,
    createdAt: Number(row.created_at),
  });
}

/** Assignment → row. @internal */
export function assignmentRow(a: Assignment): DeploymentAssignmentTable {
  return {
    deployment_id: a.deploymentId,
    request_id: a.requestId,
    arm: a.arm,
    version: a.version,
    unit_id: a.unitId,
    propensity: a.propensity,
    score: a.score !== null && Number.isFinite(a.score) ? a.score : null,
    served: a.served ? 1 : 0,
    failed: a.failed ? 1 : 0,
    latency_ms: a.latencyMs,
    details_json: a.details === null ? null : JSON.stringify(a.details),
    created_at: a.createdAt,
  };
}

/** Row → Assignment. @internal */
export function assignmentFromRow(row: Selectable<DeploymentAssignmentTable>): Assignment {
  return {
    deploymentId: row.deployment_id,
    requestId: row.request_id,
    arm: row.arm,
    version: Number(row.version),
    unitId: row.unit_id,
    propensity: Number(row.propensity),
    score: row.score === null ? null : Number(row.score),
    served: Number(row.served) === 1,
    failed: Number(row.failed) === 1,
    latencyMs: row.latency_ms === null ? null : Number(row.latency_ms),
    details: row.details_json === null ? null : (JSON.parse(row.details_json) as Record<string, unknown>),
    createdAt: Number(row.created_at),
  };
}
