import { isLoomError } from '../../core/errors/index.js';
import { Random } from '../../core/random.js';
import { invalidRequest, type RawColumns } from '../../serving/input-columns.js';
import type { ServedModel } from '../../serving/served-model.js';
import type { ServingContext } from '../../serving/serving-context.js';
import { teamDraftInterleave } from '../statistics/index.js';
import type { DeploymentArm } from '../deployment.js';
import type { RouteDecision, TrafficRouter } from './traffic-router.js';
import { unitBucket } from './unit-bucket.js';

/** What a routed request was answered with. */
export interface RoutedScore {
  /** The version that answered (the stable one after a fallback). */
  readonly served: ServedModel;
  readonly out: Float64Array;
  /** Added to the predict response: `deployment` (id, strategy, arm, fallback) and, for interleaving, the merged ranking. */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** The rows a request scores: all of them, or `keep`. */
interface Rows {
  readonly columns: RawColumns;
  readonly rows: number;
  readonly keep: readonly number[] | null;
}

/**
 * Scores a routed predict request with the arm the router chose, and records what happened:
 * - a failure of the arm's model (anything but a 4xx) is observed by the guardrail controller; with a fallback arm
 *   (canary) the request is answered by the stable version instead, so the user sees no error;
 * - shadow: after answering, the shadow arm scores the same rows on a later turn of the event loop, and the
 *   comparison (decision agreement, mean |score delta|) is recorded; its failures never reach the user;
 * - interleaving: both rankers score the candidates and the response carries their team-draft interleaving.
 * `startedAt` is the request's performance.now() arrival time, for latency.
 * @internal
 */
export async function scoreRouted(ctx: ServingContext, router: TrafficRouter, decision: RouteDecision, served: ServedModel, rows: Rows, startedAt: number): Promise<RoutedScore> {
  const d = decision.deployment;
  const describe = (arm: DeploymentArm, fallback: boolean) => ({ deployment: { id: d.id, strategy: d.strategy.kind, arm: arm.name, version: String(arm.version), ...(fallback ? { fallback: true } : {}) } });
  if (decision.fellBackFrom !== undefined) {
    const recovered = await ctx.batcher.score(served, rows.columns, rows.rows, rows.keep);
    router.record(decision, decision.arm, { served: true, failed: false, latencyMs: performance.now() - startedAt, score: meanScore(recovered, served), details: { fallback_for: decision.fellBackFrom } });
    return { served, out: recovered, extra: describe(decision.arm, true) };
  }
  let out: Float64Array;
  try {
    out = await ctx.batcher.score(served, rows.columns, rows.rows, rows.keep);
  } catch (err) {
    if (isClientError(err)) throw err;
    router.record(decision, decision.arm, { served: false, failed: true, latencyMs: performance.now() - startedAt, score: null, details: { error: errorCode(err) } });
    if (decision.fallback === null) throw err;
    const stable = await ctx.repository.get(served.name, { version: String(decision.fallback.version) });
    if (!sameSignature(stable, served)) throw err;
    const recovered = await ctx.batcher.score(stable, rows.columns, rows.rows, rows.keep);
    router.record(decision, decision.fallback, { served: true, failed: false, latencyMs: performance.now() - startedAt, score: meanScore(recovered, stable), propensity: decision.propensity, details: { fallback_for: decision.arm.name } });
    return { served: stable, out: recovered, extra: describe(decision.fallback, true) };
  }
  const latencyMs = performance.now() - startedAt;
  const score = meanScore(out, served);
  if (decision.interleave) return interleave(ctx, router, decision, served, out, rows, startedAt, describe(decision.arm, false));
  router.record(decision, decision.arm, { served: true, failed: false, latencyMs, score });
  if (decision.mirror !== null) {
    const mirror = decision.mirror;
    router.background(() => shadow(ctx, router, decision, mirror, served, out, rows));
  }
  return { served, out, extra: describe(decision.arm, false) };
}

/**
 * The model version a routed request uses. When the chosen arm's version fails to load (anything but a 4xx) and the
 * decision has a fallback, the failure is recorded against the arm and the stable version answers instead.
 * @internal
 */
export async function routedModel(ctx: ServingContext, router: TrafficRouter, decision: RouteDecision, name: string, startedAt: number): Promise<{ served: ServedModel; decision: RouteDecision }> {
  try {
    return { served: await ctx.repository.get(name, { version: String(decision.arm.version) }), decision };
  } catch (err) {
    if (isClientError(err) || decision.fallback === null) throw err;
    router.record(decision, decision.arm, { served: false, failed: true, latencyMs: performance.now() - startedAt, score: null, details: { error: errorCode(err) } });
    const served = await ctx.repository.get(name, { version: String(decision.fallback.version) });
    return { served, decision: { ...decision, arm: decision.fallback, fallback: null, fellBackFrom: decision.arm.name } };
  }
}

/** Scores the shadow arm and records the comparison; never throws. */
async function shadow(ctx: ServingContext, router: TrafficRouter, decision: RouteDecision, arm: DeploymentArm, primary: ServedModel, primaryOut: Float64Array, rows: Rows): Promise<void> {
  const started = performance.now();
  try {
    const served = await ctx.repository.get(primary.name, { version: String(arm.version) });
    if (!sameSignature(served, primary)) throw new Error('the shadow version has a different input signature');
    const out = await ctx.batcher.score(served, rows.columns, rows.rows, rows.keep);
    const spec = decision.deployment.strategy;
    const threshold = spec.kind === 'shadow' ? spec.threshold : 0.5;
    const k1 = primary.outputNames.length;
    const k2 = served.outputNames.length;
    const n = primaryOut.length / k1;
    let agree = 0;
    let absDelta = 0;
    for (let r = 0; r < n; r++) {
      const a = primaryOut[r * k1];
      const b = out[r * k2];
      if (a >= threshold === b >= threshold) agree++;
      absDelta += Math.abs(b - a);
    }
    router.record(decision, arm, { served: false, failed: false, latencyMs: performance.now() - started, score: meanScore(out, served), propensity: 0, details: { rows: n, agreements: agree, mean_abs_delta: n === 0 ? 0 : absDelta / n } });
  } catch (err) {
    router.record(decision, arm, { served: false, failed: true, latencyMs: performance.now() - started, score: null, propensity: 0, details: { error: errorCode(err) } });
  }
}

/** Scores the candidates with ranker B too and interleaves both rankings (team draft). */
async function interleave(ctx: ServingContext, router: TrafficRouter, decision: RouteDecision, a: ServedModel, outA: Float64Array, rows: Rows, startedAt: number, extra: Record<string, unknown>): Promise<RoutedScore> {
  const spec = decision.deployment.strategy;
  const armB = decision.deployment.arms[1];
  const latencyA = performance.now() - startedAt;
  let outB: Float64Array;
  let b: ServedModel;
  try {
    b = await ctx.repository.get(a.name, { version: String(armB.version) });
    if (!sameSignature(a, b)) throw new Error('ranker B has a different input signature');
    outB = await ctx.batcher.score(b, rows.columns, rows.rows, rows.keep);
  } catch (err) {
    // Ranker B failing leaves the user with A's answer and no impression to credit.
    router.record(decision, decision.arm, { served: true, failed: false, latencyMs: latencyA, score: meanScore(outA, a) });
    router.record(decision, armB, { served: false, failed: true, latencyMs: performance.now() - startedAt, score: null, propensity: 1, details: { error: errorCode(err) } });
    return { served: a, out: outA, extra };
  }
  const output = spec.kind === 'interleaving' && spec.output !== null ? spec.output : null;
  const indices = rows.keep ?? Array.from({ length: rows.rows }, (_, i) => i);
  const rankA = ranking(outA, a, output, indices);
  const rankB = ranking(outB, b, output, indices);
  const seed = (spec.kind === 'interleaving' ? spec.seed : 1) ^ Math.floor(unitBucket('interleave', decision.requestId) * 4294967296);
  const merged = teamDraftInterleave(rankA, rankB, new Random(seed), spec.kind === 'interleaving' && spec.length !== null ? { length: spec.length } : {});
  const details = { items: merged.items, teams: merged.teams };
  const latencyMs = performance.now() - startedAt;
  router.record(decision, decision.arm, { served: true, failed: false, latencyMs, score: meanScore(outA, a), details });
  router.record(decision, armB, { served: true, failed: false, latencyMs, score: meanScore(outB, b), propensity: 1 });
  return { served: a, out: outA, extra: { ...extra, interleaving: details } };
}

/** Record indices by descending score of `output` (the first output by default); ties keep request order. */
function ranking(out: Float64Array, served: ServedModel, output: string | null, indices: readonly number[]): number[] {
  const k = served.outputNames.length;
  const j = output === null ? 0 : Math.max(0, served.outputNames.indexOf(output));
  const order = indices.map((_, r) => r);
  order.sort((x, y) => out[y * k + j] - out[x * k + j] || x - y);
  return order.map((r) => indices[r]);
}

/** The mean of the first output over the scored rows, or null when none. */
function meanScore(out: Float64Array, served: ServedModel): number | null {
  const k = served.outputNames.length;
  const n = out.length / k;
  if (n === 0) return null;
  let sum = 0;
  for (let r = 0; r < n; r++) sum += out[r * k];
  return sum / n;
}

/** Two versions take the same raw columns when their input signatures have the same names and types in order. */
function sameSignature(a: ServedModel, b: ServedModel): boolean {
  const x = a.signature.columns;
  const y = b.signature.columns;
  return x.length === y.length && x.every((c, i) => c.name === y[i].name && c.type === y[i].type && (c.dim ?? 0) === (y[i].dim ?? 0));
}

/** A 4xx: the request's fault, not the model's, so it neither counts against an arm nor falls back. */
function isClientError(err: unknown): boolean {
  return isLoomError(err) && err.statusCode < 500;
}

function errorCode(err: unknown): string {
  return isLoomError(err) ? err.code : err instanceof Error ? err.name : 'Error';
}

/**
 * The router's decision for a predict request, or null: when the server has no router, when the request names a
 * version or alias (explicit choices are never re-routed), or when no deployment routes the model. The unit id is
 * the body's `unit_id`, else the `x-loom-unit-id` header.
 * @throws LOOM_ERR_SERVING_INVALID_REQUEST for a unit id that is not a string of 1 to 256 characters or a finite number
 * @internal
 */
export function routePredict(ctx: ServingContext, call: { readonly params: Readonly<Record<string, string>>; readonly headers: Readonly<Record<string, string | string[] | undefined>> }, body: Readonly<Record<string, unknown>>, selector: { readonly version?: string; readonly alias?: string }, requestId: string): RouteDecision | null {
  const unitId = unitIdOf(body.unit_id, call.headers['x-loom-unit-id']);
  if (ctx.deployments === null || selector.version !== undefined || selector.alias !== undefined) return null;
  // An A/B unit field (e.g. customer_id) is read from the first record, or the first entity of an enriched request.
  const rows = Array.isArray(body.records) ? body.records : Array.isArray(body.entities) ? body.entities : [];
  return ctx.deployments.route(call.params.name, { requestId, unitId, firstRecord: rows[0] ?? null });
}

function unitIdOf(fromBody: unknown, fromHeader: string | string[] | undefined): string | null {
  if (fromBody !== undefined && fromBody !== null) {
    if (typeof fromBody === 'string' && fromBody.length > 0 && fromBody.length <= 256) return fromBody;
    if (typeof fromBody === 'number' && Number.isFinite(fromBody)) return String(fromBody);
    throw invalidRequest('unit_id', 'it must be the unit (user, customer…) the request is for: a string of 1 to 256 characters or a number');
  }
  if (typeof fromHeader === 'string' && fromHeader.length > 0) {
    if (fromHeader.length > 256) throw invalidRequest('x-loom-unit-id', 'it must be at most 256 characters');
    return fromHeader;
  }
  return null;
}
