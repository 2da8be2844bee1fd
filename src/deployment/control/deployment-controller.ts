import type { Deployment } from '../deployment.js';
import type { DeploymentStore } from '../store/deployment-store.js';
import { DeploymentStrategy } from '../strategies/deployment-strategy.js';
import type { Guardrails } from '../strategies/guardrails.js';
import { ArmWindow } from './arm-window.js';
import { checkGuardrails, type GuardrailBreach } from './guardrail-check.js';

/** Latency and drift guardrails are re-checked every this many challenger observations (error checks every failure). */
const CHECK_EVERY = 16;

/** Options of DeploymentController. */
export interface DeploymentControllerOptions {
  /** Recorded as the actor of automatic steps and rollbacks (LOOM_ACTOR of the serving process, by default). */
  readonly actor: string;
  readonly now?: () => number;
  /** Called with the new state after every change the controller made (the router updates its table). */
  readonly onChange?: (deployment: Deployment) => void;
  /** Called after an automatic promotion (e.g. to move the registry's champion alias). Failures are reported on stderr. */
  readonly onPromoted?: (deployment: Deployment) => Promise<void>;
}

/** One observed request of an arm. */
export interface ArmObservation {
  readonly failed: boolean;
  /** Whole-request latency, ms, or null. */
  readonly latencyMs: number | null;
  /** The request's mean first-output score, or null. */
  readonly score: number | null;
}

/**
 * The canary and A/B controller: keeps, per deployment step and arm, what serving observed (requests, failures,
 * latencies, scores), checks the challenger arms against the strategy's guardrails, and acts through the store:
 * a breach records a `guardrail_breach` event and rolls the deployment back (all traffic to the stable arm); a
 * canary step whose challenger served `min_requests` (after `min_duration_ms`) with no breach advances, and the
 * last step promotes the canary. Windows live in this process's memory and start over at each step (and restart).
 */
export class DeploymentController {
  readonly #store: DeploymentStore;
  readonly #options: DeploymentControllerOptions;
  readonly #now: () => number;
  readonly #windows = new Map<string, Map<string, ArmWindow>>();
  /** Deployments with an action in flight (one at a time each). */
  readonly #busy = new Set<string>();
  #actions: Promise<void> = Promise.resolve();

  constructor(store: DeploymentStore, options: DeploymentControllerOptions) {
    this.#store = store;
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Records one request of `arm` and acts on the deployment if a guardrail broke or a step is done. Never throws. */
  observe(deployment: Deployment, arm: string, observation: ArmObservation): void {
    if (deployment.state !== 'active') return;
    const guardrails = guardrailsOf(deployment);
    if (guardrails === null) return;
    const windows = this.windows(deployment);
    let window = windows.get(arm);
    if (window === undefined) {
      window = new ArmWindow();
      windows.set(arm, window);
    }
    window.observe(observation.failed, observation.latencyMs, observation.score);
    const stableName = deployment.arms[0].name;
    if (arm === stableName || this.#busy.has(deployment.id)) return;
    if (observation.failed || window.requests % CHECK_EVERY === 0) {
      const breaches = checkGuardrails(guardrails, window, windows.get(stableName) ?? new ArmWindow());
      if (breaches.length > 0) {
        this.#act(deployment, () => this.#rollback(deployment, arm, breaches));
        return;
      }
    }
    if (DeploymentStrategy.is(deployment.strategy, 'canary') && deployment.strategy.auto_advance) {
      const spec = deployment.strategy;
      if (window.requests >= spec.min_requests && this.#now() - deployment.stepStartedAt >= spec.min_duration_ms) {
        // A final full check before moving on, so a step never advances past a breach the throttle skipped.
        const breaches = checkGuardrails(guardrails, window, windows.get(stableName) ?? new ArmWindow());
        if (breaches.length > 0) this.#act(deployment, () => this.#rollback(deployment, arm, breaches));
        else this.#act(deployment, () => this.#advance(deployment, window!));
      }
    }
  }

  /** The arm windows of a deployment's current step. */
  windows(deployment: Deployment): Map<string, ArmWindow> {
    const key = `${deployment.id}#${deployment.step}`;
    let windows = this.#windows.get(key);
    if (windows === undefined) {
      windows = new Map();
      this.#windows.set(key, windows);
    }
    return windows;
  }

  /** Resolves once every action started so far finished. */
  settle(): Promise<void> {
    return this.#actions;
  }

  #act(deployment: Deployment, action: () => Promise<void>): void {
    this.#busy.add(deployment.id);
    this.#actions = this.#actions
      .then(action)
      .catch((err: unknown) => {
        process.stderr.write(`deployment ${deployment.id}: controller action failed: ${(err as Error)?.message ?? String(err)}\n`);
      })
.finally(() => {
        this.#busy.delete(deployment.id);
        // The step's windows are done with once the deployment moved on (a new step or an end).
        this.#windows.delete(`${deployment.id}#${deployment.step}`);
      });
  }

  async #rollback(deployment: Deployment, arm: string, breaches: readonly GuardrailBreach[]): Promise<void> {
    const actor = this.#options.actor;
    const details = { arm, step: deployment.step, breaches, automatic: true };
    await this.#store.recordEvent(deployment, { action: 'guardrail_breach', actor, arm, reason: breaches.map(describeBreach).join('; '), details });
    const next = await this.#store.transition(deployment.id, {
      action: 'rollback',
      actor,
      reason: `guardrail breach on ${arm}: ${breaches.map(describeBreach).join('; ')}`,
      state: 'rolled_back',
      finalArm: deployment.arms[0].name,
      details,
      expectRevision: deployment.revision,
    });
    if (next !== null) this.#options.onChange?.(next);
  }

  async #advance(deployment: Deployment, window: ArmWindow): Promise<void> {
    if (!DeploymentStrategy.is(deployment.strategy, 'canary')) return;
    const last = deployment.strategy.steps.length - 1;
    const details = { requests: window.requests, failures: window.failures, automatic: true };
    const canary = deployment.arms[1].name;
    const next =
      deployment.step < last
        ? await this.#store.transition(deployment.id, { action: 'step_advanced', actor: this.#options.actor, step: deployment.step + 1, reason: `step ${deployment.step} passed its guardrails`, details: { ...details, percent: deployment.strategy.steps[deployment.step + 1] }, expectRevision: deployment.revision })
        : await this.#store.transition(deployment.id, { action: 'promote', actor: this.#options.actor, state: 'promoted', finalArm: canary, reason: 'every canary step passed its guardrails', details, expectRevision: deployment.revision });
    if (next === null) return;
    this.#options.onChange?.(next);
    if (next.state === 'promoted' && this.#options.onPromoted !== undefined) await this.#options.onPromoted(next);
  }
}

/** The guardrails a deployment is held to, or null when its strategy has none to check. */
function guardrailsOf(deployment: Deployment): Guardrails | null {
  const s = deployment.strategy;
  if (s.kind === 'canary') return s.guardrails;
  if (s.kind === 'ab') return Object.keys(s.guardrails).length === 0 ? null : s.guardrails;
  return null;
}

function describeBreach(b: GuardrailBreach): string {
  const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(3));
  return `${b.guardrail} ${fmt(b.observed)} > ${fmt(b.limit)} (${b.samples} samples)`;
}
