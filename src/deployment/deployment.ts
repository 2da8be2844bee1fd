import { LoomError } from '../core/errors/index.js';
import type { DeploymentStrategy } from './strategies/deployment-strategy.js';

/** One arm of a deployment: a name (stable, canary, A, B, …) and the registry version it serves. */
export interface DeploymentArm {
  readonly name: string;
  readonly version: number;
}

/** Where a deployment is in its life. Only `active` routes by strategy; ended ones pin traffic to `finalArm`. */
export type DeploymentState = 'active' | 'promoted' | 'rolled_back' | 'replaced';

/** A deployment of a registered model, as stored. Immutable snapshot. */
export interface Deployment {
  readonly id: string;
  readonly model: string;
  readonly strategy: DeploymentStrategy;
  /** Stable (the champion when created) first. */
  readonly arms: readonly DeploymentArm[];
  readonly state: DeploymentState;
  /** Canary step index (0 otherwise). */
  readonly step: number;
  /** Epoch ms. */
  readonly stepStartedAt: number;
  readonly finalArm: string | null;
  readonly revision: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly createdBy: string;
}

/** One entry of a deployment's audit trail. */
export interface DeploymentEvent {
  readonly id: number;
  readonly deploymentId: string;
  readonly model: string;
  /** created | step_advanced | guardrail_breach | rollback | promote | replaced. */
  readonly action: string;
  readonly fromStep: number | null;
  readonly toStep: number | null;
  readonly arm: string | null;
  readonly actor: string;
  readonly reason: string | null;
  readonly details: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
}

/** One request's arm assignment (what the router decided and what happened). */
export interface Assignment {
  readonly deploymentId: string;
  readonly requestId: string;
  readonly arm: string;
  readonly version: number;
  readonly unitId: string | null;
  readonly propensity: number;
  readonly score: number | null;
  /** True when this arm's answer reached the user. */
  readonly served: boolean;
  readonly failed: boolean;
  readonly latencyMs: number | null;
  readonly details: Readonly<Record<string, unknown>> | null;
  /** Epoch ms. */
  readonly createdAt: number;
}

/** A feedback outcome: what happened after a prediction, keyed by the predict response's request id. */
export interface Outcome {
  readonly requestId: string;
  /** The outcome's name, e.g. `conversion`, `click`, `churned`. */
  readonly outcome: string;
  /** A number (a reward, revenue), clicked positions (interleaving), or null (the event happened). */
  readonly value: number | readonly number[] | null;
  /** When it happened, epoch ms. */
  readonly timestamp: number;
}

/**
 * The arm of a deployment by name (e.g. an ended deployment's final arm).
 * @throws LOOM_ERR_CORE_INTERNAL when the deployment has no such arm (a stored deployment names only its own arms)
 */
export function armNamed(deployment: Deployment, name: string): DeploymentArm {
  const arm = deployment.arms.find((a) => a.name === name);
  if (arm === undefined) throw new LoomError('CORE_INTERNAL', { problem: `deployment ${deployment.id} has no arm "${name}"` });
  return arm;
}
