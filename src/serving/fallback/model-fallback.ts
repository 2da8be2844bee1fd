import { LoomError, asLoomError } from '../../core/errors/index.js';
import type { RouteAnswer, RouteCall, ServingContext } from '../serving-context.js';

/**
 * What answers a model's `/v1` predict requests when the model itself fails (throws while scoring, its model
 * version cannot be loaded, or the online store lacks features it needs): another served model (`model`: a name, `name@3` or `name@alias`), or a fixed value
 * per output (`defaults`, every output of the primary). Client errors (4xx: bad records, unknown options) are never
 * covered: they are the caller's to fix.
 */
export interface FallbackSpec {
  readonly model?: string;
  readonly defaults?: Readonly<Record<string, number>>;
}

const REF = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:@([A-Za-z0-9._-]+))?$/;

/**
 * Checks fallback specs (one per served model name) and returns them as a Map.
 * @throws LOOM_ERR_SERVING_INVALID_OPTION naming `fallback.<name>` for a malformed reference, a non-finite default,
 *   neither or both of `model` and `defaults`
 * @example
 * const fallbacks = checkFallbacks({ churn: { model: 'churn@2' }, adult: { defaults: { 'p_>50K': 0.24 } } });
 */
export function checkFallbacks(specs: Readonly<Record<string, FallbackSpec>>): ReadonlyMap<string, FallbackSpec> {
  const out = new Map<string, FallbackSpec>();
  for (const [name, spec] of Object.entries(specs)) {
    const field = `fallback.${name}`;
    const bad = (problem: string) => new LoomError('SERVING_INVALID_OPTION', { field, problem }, { details: { field } });
    if ((spec.model === undefined) === (spec.defaults === undefined)) throw bad('give either a fallback model reference or default output values');
    if (spec.model !== undefined && !REF.test(spec.model)) throw bad(`"${spec.model}" is not a model reference such as churn, churn@2 or churn@champion`);
    if (spec.model !== undefined && spec.model.split('@')[0] === name && !spec.model.includes('@')) throw bad('a model cannot fall back to its own default version');
    if (spec.defaults !== undefined) {
      const entries = Object.entries(spec.defaults);
      if (entries.length === 0) throw bad('give at least one output=value default');
      for (const [output, value] of entries) if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(`the default of output "${output}" must be a finite number`);
    }
    out.set(name, spec);
  }
  return out;
}

/**
 * Why a failed request may be answered by the fallback, or null when it may not: `features_missing` (the online store
 * lacks a feature the model cannot take as null), `features_unavailable` (no online store), `primary_failed` (any
 * other server-side error). Other client errors (4xx) are never covered.
 */
function fallbackReason(err: LoomError): string | null {
  if (err.code === 'LOOM_ERR_FEATURES_ENRICHMENT_MISSING_FEATURE') return 'features_missing';
  if (err.code === 'LOOM_ERR_FEATURES_ENRICHMENT_UNAVAILABLE') return 'features_unavailable';
  return err.statusCode >= 500 ? 'primary_failed' : null;
}

/**
 * Runs a predict handler and, when it fails with a server-side error and the model has a fallback, answers from the
 * fallback instead: the body then carries `fallback: {reason, code, model? | defaults?}` (see fallbackReason) and
 * `loom_serving_fallbacks_total` counts it. Without a fallback, or for 4xx errors, the error propagates unchanged.
 */
export function predictWithFallback(ctx: ServingContext, call: RouteCall, predict: (ctx: ServingContext, call: RouteCall) => RouteAnswer | Promise<RouteAnswer>): RouteAnswer | Promise<RouteAnswer> {
  // An answer made synchronously is returned as it is; a promise gets the fallback on rejection.
  let answer: RouteAnswer | Promise<RouteAnswer>;
  try {
    answer = predict(ctx, call);
  } catch (err) {
    return answerFromFallback(ctx, call, predict, err);
  }
  return answer instanceof Promise ? answer.catch((err: unknown) => answerFromFallback(ctx, call, predict, err)) : answer;
}

/** The fallback's answer to a request whose prediction failed with `err`, or `err` again when none applies. */
async function answerFromFallback(ctx: ServingContext, call: RouteCall, predict: (ctx: ServingContext, call: RouteCall) => RouteAnswer | Promise<RouteAnswer>, err: unknown): Promise<RouteAnswer> {
  const spec = ctx.fallbacks?.get(call.params.name);
  const loom = asLoomError(err);
  const reasonName = fallbackReason(loom);
  if (spec === undefined || reasonName === null) throw err;
  const request = call.body as Record<string, unknown>;
  const reason = { reason: reasonName, code: loom.code };
  if (spec.model !== undefined) {
    const [name, selector] = spec.model.split('@');
    const { alias: _a, version: _v, ...rest } = request;
    const pick = selector === undefined ? {} : /^[0-9]+$/.test(selector) ? { version: selector } : { alias: selector };
    const answer = await predict(ctx, { ...call, params: { ...call.params, name }, body: { ...rest, ...pick }, query: new URLSearchParams() });
    ctx.metrics.fallbacks.inc({ model: call.params.name, reason: reasonName });
    // A new body: the answer's pre-serialized `json`, if any, no longer matches it.
    return { statusCode: answer.statusCode, body: { ...(answer.body as Record<string, unknown>), fallback: { ...reason, model: spec.model } } };
  }
  const records = Array.isArray(request.records) ? request.records : Array.isArray(request.entities) ? request.entities : [];
  const served = call.model;
  const outputs = served?.outputNames ?? Object.keys(spec.defaults!);
  const missing = outputs.filter((o) => spec.defaults![o] === undefined);
  if (missing.length > 0) throw err;
  const prediction = Object.fromEntries(outputs.map((o) => [o, spec.defaults![o]]));
  ctx.metrics.fallbacks.inc({ model: call.params.name, reason: reasonName });
  return {
    statusCode: 200,
    body: {
      request_id: typeof request.id === 'string' ? request.id : call.requestId,
      model: served === null ? { name: call.params.name, version: null, alias: null, hash: null } : { name: served.name, version: served.version, alias: served.alias, hash: served.modelHash },
      predictions: records.map(() => ({ ...prediction })),
      errors: [],
      fallback: { ...reason, defaults: true },
    },
  };
}
