import { LoomError, isLoomError } from '../core/errors/index.js';
import { ModelRegistry, parseModelRef } from '../registry/index.js';
import type { Workspace } from '../storage/workspace.js';
import type { Deployment, DeploymentEvent } from './deployment.js';
import { experimentReport, type ExperimentReport } from './reports/experiment-report.js';
import { DeploymentStore } from './store/deployment-store.js';
import { DeploymentStrategy } from './strategies/deployment-strategy.js';

/** What `deploy` takes. */
export interface DeployRequest {
  readonly model: string;
  /** A strategy spec (validated; defaults filled). */
  readonly strategy: unknown;
  /** The stable version: a reference (`churn@champion`, `churn@3`, `@champion`, `3`); default `champion`. */
  readonly stable?: string;
  /** Challenger references, in arm order after stable (canary, shadow, green, B, bandit arms…). */
  readonly challengers?: readonly string[];
  readonly reason?: string;
}

/**
 * Deployments of registered models, for the CLI and library users: create one by strategy (its versions resolved in
 * the registry), read status and history, promote (which also points the registry's `champion` alias at the winning
 * version), roll back, and report on the experiment. Serving reads the same store through TrafficRouter.
 *
 * @example
 * const deployments = await Deployments.open(ws);
 * const d = await deployments.deploy({ model: 'churn', strategy: { kind: 'canary', steps: [5, 25, 50, 100] }, challengers: ['challenger'] });
 * const report = await deployments.report('churn');
 */
export class Deployments {
  readonly store: DeploymentStore;
  readonly registry: ModelRegistry;

  constructor(store: DeploymentStore, registry: ModelRegistry) {
    this.store = store;
    this.registry = registry;
  }

  /** Deployments over a workspace's metadata store, acting as the local principal (LOOM_ACTOR). */
  static async open(ws: Workspace, options: { now?: () => number } = {}): Promise<Deployments> {
    const registry = await ModelRegistry.open(ws, options);
    return new Deployments(new DeploymentStore((await ws.metadata()).db, options), registry);
  }

  /**
   * Creates the model's deployment, replacing its active one.
   * @throws LOOM_ERR_DEPLOY_INVALID_SPEC, LOOM_ERR_DEPLOY_INVALID_OPTION, the registry's lookup errors
   */
  async deploy(request: DeployRequest): Promise<Deployment> {
    await this.registry.get(request.model);
    const challengers = await Promise.all((request.challengers ?? []).map((ref) => this.#version(request.model, ref, 'challenger')));
    const strategy = DeploymentStrategy.create(request.strategy);
    let versions: number[];
    if (strategy.kind === 'single' && challengers.length > 0) versions = challengers;
    else versions = [await this.#version(request.model, request.stable ?? 'champion', 'stable'), ...challengers];
    if (new Set(versions).size !== versions.length) throw new LoomError('DEPLOY_INVALID_OPTION', { field: 'challenger', problem: `the versions ${versions.join(', ')} repeat; each arm needs a different version` }, { details: { field: 'challenger' } });
    return this.store.create({ model: request.model, strategy: DeploymentStrategy.create(strategy, versions.length), versions, actor: this.registry.principal.name, reason: request.reason ?? null });
  }

  /** A deployment (by id, or a model's newest) and its audit trail. @throws LOOM_ERR_DEPLOY_NOT_FOUND */
  async status(idOrModel: string): Promise<{ deployment: Deployment; events: DeploymentEvent[] }> {
    const deployment = await this.store.find(idOrModel);
    return { deployment, events: await this.store.events(deployment.id) };
  }

  /**
   * Ends a deployment with `arm` answering all traffic (default: the challenger of a two-arm strategy), and points the
   * registry's `champion` at its version.
   * @throws LOOM_ERR_DEPLOY_NOT_FOUND, LOOM_ERR_DEPLOY_NOT_ACTIVE, LOOM_ERR_DEPLOY_INVALID_OPTION (arm), LOOM_ERR_REGISTRY_FORBIDDEN
   */
  async promote(idOrModel: string, options: { arm?: string; reason?: string } = {}): Promise<Deployment> {
    const deployment = await this.#active(idOrModel, 'promoted');
    const armName = options.arm ?? (deployment.arms.length === 2 ? deployment.arms[1].name : deployment.arms.length === 1 ? deployment.arms[0].name : undefined);
    const arm = deployment.arms.find((a) => a.name === armName);
    if (arm === undefined) {
      throw new LoomError('DEPLOY_INVALID_OPTION', { field: 'arm', problem: `${armName === undefined ? 'this deployment has several challengers; name one' : `"${armName}" is not an arm`} (arms: ${deployment.arms.map((a) => a.name).join(', ')})` }, { details: { field: 'arm' } });
    }
    // The alias first: a principal not allowed to move champion (LOOM_ERR_REGISTRY_FORBIDDEN) leaves the deployment as it was.
    await this.registry.setAlias(deployment.model, 'champion', arm.version, { reason: `deployment ${deployment.id} promoted ${arm.name}` });
    return (await this.store.transition(deployment.id, { action: 'promote', actor: this.registry.principal.name, state: 'promoted', finalArm: arm.name, reason: options.reason ?? null, details: { version: arm.version } }))!;
  }

  /** Ends a deployment with the stable arm answering all traffic. @throws LOOM_ERR_DEPLOY_NOT_FOUND, LOOM_ERR_DEPLOY_NOT_ACTIVE */
  async rollback(idOrModel: string, options: { reason?: string } = {}): Promise<Deployment> {
    const deployment = await this.#active(idOrModel, 'rolled back');
    return (await this.store.transition(deployment.id, { action: 'rollback', actor: this.registry.principal.name, state: 'rolled_back', finalArm: deployment.arms[0].name, reason: options.reason ?? null, details: { version: deployment.arms[0].version } }))!;
  }

  /** The experiment report of a deployment (by id, or a model's newest); `outcome` adds each arm's fit to that delayed binary outcome. */
  async report(idOrModel: string, options: { outcome?: string } = {}): Promise<ExperimentReport> {
    return experimentReport(this.store, await this.store.find(idOrModel), Date.now(), options);
  }

  async #active(idOrModel: string, action: string): Promise<Deployment> {
    const deployment = await this.store.find(idOrModel);
    if (deployment.state !== 'active') throw new LoomError('DEPLOY_NOT_ACTIVE', { id: deployment.id, name: deployment.model, state: deployment.state.replace('_', ' '), action }, { details: { field: 'deployment', state: deployment.state } });
    return deployment;
  }

  /** The version number a reference names for `model`: `churn@3`, `churn@challenger`, `@challenger`, `challenger`, `3`. */
  async #version(model: string, ref: string, field: string): Promise<number> {
    const text = ref.includes('@') ? (ref.startsWith('@') ? `${model}${ref}` : ref) : /^[0-9]+$/.test(ref) ? `${model}@${ref}` : ref === model ? ref : `${model}@${ref}`;
    const parsed = parseModelRef(text);
    if (parsed.name !== model) throw new LoomError('DEPLOY_INVALID_OPTION', { field, problem: `"${ref}" names model "${parsed.name}", not "${model}"; every arm is a version of the deployed model` }, { details: { field } });
    try {
      return (await this.registry.find(text)).version;
    } catch (err) {
      if (isLoomError(err, 'REGISTRY_ALIAS_NOT_FOUND') && field === 'stable') {
        throw new LoomError('DEPLOY_INVALID_OPTION', { field: 'stable', problem: `model "${model}" has no alias "${parseModelRef(text).kind === 'alias' ? (parsed as { alias: string }).alias : ref}"; set it with \`loom models alias\` or pass --stable <version>` }, { details: { field: 'stable' }, cause: err });
      }
      throw err;
    }
  }
}
