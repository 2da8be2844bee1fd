import { LoomError } from '../../core/errors/index.js';
import { Random } from '../../core/random.js';
import { DeploymentController } from '../control/deployment-controller.js';
import type { Deployment, DeploymentArm } from '../deployment.js';
import { armNamed } from '../deployment.js';
import { epsilonGreedyChoose, sampleBeta, thompsonChoose } from '../statistics/index.js';
import type { DeploymentStore } from '../store/deployment-store.js';
import { DeploymentStrategy, strategyDescriptor } from '../strategies/deployment-strategy.js';
import { AssignmentWriter, type AssignmentWriterOptions } from './assignment-writer.js';
import { banditCounts, type ArmCounts } from './bandit-posteriors.js';
import { DEFAULT_DEPLOYMENT_REFRESH_MS } from './router-defaults.js';
import { armAt, unitBucket } from './unit-bucket.js';

export { DEFAULT_DEPLOYMENT_REFRESH_MS };

/** Options of TrafficRouter. */
export interface TrafficRouterOptions {
  readonly store: DeploymentStore;
  /** Actor of automatic steps and rollbacks (default: the serving process's LOOM_ACTOR or OS user, given by the caller). */
  readonly actor: string;
  readonly refreshMs?: number;
  readonly now?: () => number;
  readonly writer?: AssignmentWriterOptions;
  /** Called after the controller promoted a deployment. */
  readonly onPromoted?: (deployment: Deployment) => Promise<void>;
}

/** What a request carries that routing uses. */
export interface RouteRequest {
  readonly requestId: string;
  /** From the body's `unit_id` or the `x-loom-unit-id` header, or null. */
  readonly unitId: string | null;
  /** The first record (an A/B `unit_field` other than unit_id is read from it). */
  readonly firstRecord: unknown;
}

/** The router's decision for one request. */
export interface RouteDecision {
  readonly deployment: Deployment;
  /** The arm whose answer goes to the user. */
  readonly arm: DeploymentArm;
  /** Probability this arm had of being chosen for this request. */
  readonly propensity: number;
  readonly unitId: string | null;
  readonly requestId: string;
  /** False for an ended deployment (pinned to its final arm): nothing is recorded. */
  readonly record: boolean;
  /** The arm that answers instead when `arm` fails (canary with fallback), or null. */
  readonly fallback: DeploymentArm | null;
  /** Shadow: the arm to mirror this request to after the response, or null. */
  readonly mirror: DeploymentArm | null;
  /** Interleaving: both arms score and the response interleaves their rankings. */
  readonly interleave: boolean;
  /** Set when `arm` is the stable arm answering because the chosen arm (named here) failed to load. */
  readonly fellBackFrom?: string;
}

interface BanditState {
  readonly rng: Random;
  counts: ArmCounts[];
  /** Thompson propensities of `counts`, computed once per refresh (exact for two arms, Monte Carlo beyond). */
  propensities: number[] | null;
  refreshedAt: number;
  refreshing: boolean;
}

/**
 * Routes a served model's requests by its current deployment. For a request that names no version or alias:
 * - an active canary or A/B splits units by a sticky hash of (deployment id, unit id) into the arms' slices;
 * - shadow answers from primary and mirrors a sample to the shadow arm; blue-green and single answer from one arm;
 * - a bandit picks per request from its posteriors (refreshed from joined feedback), logging the propensity;
 * - interleaving scores with both rankers;
 * - an ended deployment pins traffic to its final arm (stable after a rollback, the winner after a promotion).
 * Decisions are synchronous, from a table refreshed every `refreshMs`; assignments are written in batches off the
 * request path; observations feed the guardrail controller, whose changes apply to the table at once.
 *
 * @example
 * const router = await TrafficRouter.open({ store: new DeploymentStore(db), actor: 'serving' });
 * const app = createServingApp({ repository, deployments: router });
 */
export class TrafficRouter {
  readonly store: DeploymentStore;
  readonly controller: DeploymentController;
  readonly writer: AssignmentWriter;
  readonly #now: () => number;
  readonly #refreshMs: number;
  #table = new Map<string, Deployment>();
  readonly #bandits = new Map<string, BanditState>();
  #timer: NodeJS.Timeout | null = null;
  /** Work started after a response (shadow scoring), until it settles. */
  readonly #background = new Set<Promise<void>>();
  /** The last refresh failure, or null (the router keeps its previous table). */
  lastError: unknown = null;

  private constructor(options: TrafficRouterOptions) {
    this.store = options.store;
    this.#now = options.now ?? Date.now;
    this.#refreshMs = options.refreshMs ?? DEFAULT_DEPLOYMENT_REFRESH_MS;
    this.writer = new AssignmentWriter(options.store, options.writer);
    this.controller = new DeploymentController(options.store, { actor: options.actor, now: this.#now, onChange: (d) => this.#apply(d), onPromoted: options.onPromoted });
  }

  /** Loads every model's current deployment and starts refreshing (refreshMs 0: only on `refresh()`). */
  static async open(options: TrafficRouterOptions): Promise<TrafficRouter> {
    const router = new TrafficRouter(options);
    await router.refresh();
    if (router.#refreshMs > 0) {
      router.#timer = setInterval(() => void router.refresh().catch(() => undefined), router.#refreshMs);
      router.#timer.unref();
    }
    return router;
  }

  /** Re-reads the current deployments. */
  async refresh(): Promise<void> {
    try {
      const next = new Map<string, Deployment>();
      for (const d of await this.store.currentAll()) {
        if (d.state === 'replaced') continue;
        // A read that started before the controller's own change committed must not undo it.
        const known = this.#table.get(d.model);
        next.set(d.model, known !== undefined && known.id === d.id && known.revision > d.revision ? known : d);
      }
      this.#table = next;
      this.lastError = null;
    } catch (err) {
      this.lastError = err;
      throw err;
    }
  }

  /** The deployment routing a model now, or null. */
  deploymentOf(model: string): Deployment | null {
    return this.#table.get(model) ?? null;
  }

  /** The arm for a request to `model` that names no version or alias, or null when no deployment routes it. */
  route(model: string, request: RouteRequest): RouteDecision | null {
    const deployment = this.#table.get(model);
    if (deployment === undefined) return null;
    const base = { deployment, requestId: request.requestId, fallback: null, mirror: null, interleave: false };
    if (deployment.state !== 'active') {
      const final = deployment.finalArm ?? deployment.arms[0].name;
      return { ...base, arm: armNamed(deployment, final), propensity: 1, unitId: request.unitId, record: false };
    }
    const spec = deployment.strategy;
    switch (spec.kind) {
      case 'bandit':
        return this.#bandit(deployment, request, base);
      case 'interleaving':
        return { ...base, arm: deployment.arms[0], propensity: 1, unitId: request.unitId, record: true, interleave: true };
      case 'shadow': {
        const mirrored = spec.sample >= 1 || unitBucket(deployment.id, request.requestId) < spec.sample;
        return { ...base, arm: deployment.arms[0], propensity: 1, unitId: request.unitId, record: true, mirror: mirrored ? deployment.arms[1] : null };
      }
      default: {
        const unitId = unitOf(deployment, request);
        const weights = strategyDescriptor(spec).weights(spec, deployment.step, deployment.arms.length)!;
        const i = armAt(weights, unitBucket(deployment.id, unitId ?? request.requestId));
        const fallback = DeploymentStrategy.is(spec, 'canary') && spec.fallback && i !== 0 ? deployment.arms[0] : null;
        return { ...base, arm: deployment.arms[i], propensity: weights[i], unitId, record: true, fallback };
      }
    }
  }

  /**
   * Records what an arm did with a routed request: the assignment (queued for the store) and, for the answering
   * arm, the controller's observation. Never throws and never waits.
   */
  record(decision: RouteDecision, arm: DeploymentArm, result: { served: boolean; failed: boolean; latencyMs: number | null; score: number | null; propensity?: number; details?: Readonly<Record<string, unknown>> | null }): void {
    if (!decision.record) return;
    this.writer.record({
      deploymentId: decision.deployment.id,
      requestId: decision.requestId,
      arm: arm.name,
      version: arm.version,
      unitId: decision.unitId,
      propensity: result.propensity ?? (arm === decision.arm ? decision.propensity : 0),
      score: result.score,
      served: result.served,
      failed: result.failed,
      latencyMs: result.latencyMs,
      details: result.details ?? null,
      createdAt: this.#now(),
    });
    this.controller.observe(decision.deployment, arm.name, { failed: result.failed, latencyMs: result.latencyMs, score: result.score });
  }

  /** Stops refreshing and writes the queued assignments (after the controller's actions in flight). */
  /** Runs `task` after the current turn of the event loop, off the request path; `idle()` and `close()` wait for it. */
  background(task: () => Promise<void>): void {
    const run = new Promise<void>((resolve) => setImmediate(resolve)).then(task).catch(() => undefined);
    this.#background.add(run);
    void run.finally(() => this.#background.delete(run));
  }

  /** Resolves once every background task started so far (and any they started) has settled. */
  async idle(): Promise<void> {
    while (this.#background.size > 0) await Promise.all([...this.#background]);
  }

  async close(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await this.idle();
    await this.controller.settle();
    await this.writer.flush();
  }

  #apply(deployment: Deployment): void {
    const current = this.#table.get(deployment.model);
    if (current === undefined || current.id === deployment.id) this.#table.set(deployment.model, deployment);
  }

  #bandit(deployment: Deployment, request: RouteRequest, base: Pick<RouteDecision, 'deployment' | 'requestId' | 'fallback' | 'mirror' | 'interleave'>): RouteDecision {
    const spec = deployment.strategy;
    if (spec.kind !== 'bandit') throw new LoomError('CORE_INTERNAL', { problem: `deployment ${deployment.id} is not a bandit` });
    let state = this.#bandits.get(deployment.id);
    if (state === undefined) {
      state = { rng: new Random(spec.seed), counts: deployment.arms.map(() => ({ successes: 0, failures: 0 })), propensities: null, refreshedAt: Number.NEGATIVE_INFINITY, refreshing: false };
      this.#bandits.set(deployment.id, state);
    }
    const now = this.#now();
    if (!state.refreshing && now - state.refreshedAt >= spec.refresh_ms) {
      const s = state;
      s.refreshing = true;
      banditCounts(this.store, { ...deployment, strategy: spec }, now)
        .then((counts) => {
          s.counts = counts;
          s.propensities = null;
          s.refreshedAt = this.#now();
        })
        .catch((err: unknown) => {
          this.lastError = err;
        })
        .finally(() => {
          s.refreshing = false;
        });
    }
    if (spec.algorithm === 'epsilon-greedy') {
      const choice = epsilonGreedyChoose(state.counts.map((c) => (1 + c.successes) / (2 + c.successes + c.failures)), spec.epsilon, state.rng);
      return { ...base, arm: deployment.arms[choice.arm], propensity: choice.propensities[choice.arm], unitId: request.unitId, record: true };
    }
    // The propensities depend only on the evidence, so they are computed once per refresh; each request then takes
    // one posterior draw per arm, which picks every arm with exactly those probabilities.
    state.propensities ??= thompsonChoose(state.counts, state.rng).propensities;
    let best = 0;
    let bestDraw = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < state.counts.length; i++) {
      const draw = sampleBeta(1 + state.counts[i].successes, 1 + state.counts[i].failures, state.rng);
      if (draw > bestDraw) {
        bestDraw = draw;
        best = i;
      }
    }
    return { ...base, arm: deployment.arms[best], propensity: state.propensities[best], unitId: request.unitId, record: true };
  }

  /** Updates the bandit's evidence now (tests and the demo; serving refreshes on its own every refresh_ms). */
  async refreshBandit(deploymentId: string): Promise<ArmCounts[]> {
    const deployment = [...this.#table.values()].find((d) => d.id === deploymentId);
    if (deployment === undefined || deployment.strategy.kind !== 'bandit') return [];
    const counts = await banditCounts(this.store, { ...deployment, strategy: deployment.strategy }, this.#now());
    const state = this.#bandits.get(deploymentId);
    if (state !== undefined) {
      state.counts = counts;
      state.propensities = null;
      state.refreshedAt = this.#now();
    } else this.#bandits.set(deploymentId, { rng: new Random(deployment.strategy.seed), counts, propensities: null, refreshedAt: this.#now(), refreshing: false });
    return counts;
  }
}

/** The unit an A/B or canary request belongs to: the A/B `unit_field` of the first record, else the request's unit id. */
function unitOf(deployment: Deployment, request: RouteRequest): string | null {
  const spec = deployment.strategy;
  if (spec.kind === 'ab' && spec.unit_field !== 'unit_id' && request.firstRecord !== null && typeof request.firstRecord === 'object') {
    const v = (request.firstRecord as Record<string, unknown>)[spec.unit_field];
    if (typeof v === 'string' && v.length > 0) return v;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  }
  return request.unitId;
}
