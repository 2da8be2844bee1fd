import type { ServedModel } from '../served-model.js';
import type { RouteAnswer, RouteCall, ServingContext } from '../serving-context.js';
import { logPredictions } from '../v2/v2-routes.js';
import { ResponseCache } from './response-cache.js';

/** A cache lookup: the key to store the answer under (null when the request is not cacheable), or the cached answer. */
export interface CacheLookup {
  readonly key: string | null;
  readonly answer: RouteAnswer | null;
}

const NOT_CACHED: CacheLookup = { key: null, answer: null };

/**
 * Looks a `/v1` predict request up in the server's response cache (when it has one). A hit is the cached body with
 * this request's id; it counts in `loom_serving_cache_hits_total`, its rows in `loom_serving_predicted_rows_total`, and
 * it is written to the prediction log like any answer. @internal
 */
export function lookupCached(ctx: ServingContext, call: RouteCall, served: ServedModel, records: readonly unknown[], options: { readonly explain: number; readonly partial: boolean }, requestId: string): CacheLookup {
  const cache = ctx.responseCache;
  if (cache === undefined || cache === null) return NOT_CACHED;
  const key = ResponseCache.key(served.modelHash, records, options);
  const labels = { model: served.name, version: served.version };
  const hit = cache.get(key);
  if (hit === undefined) {
    ctx.metrics.cacheMisses.inc(labels);
    return { key, answer: null };
  }
  ctx.metrics.cacheHits.inc(labels);
  ctx.metrics.modelSeries(served).rows.add(records.length);
  if (ctx.predictionLog !== null) {
    const columns = new Map(served.signature.columns.map((c) => [c.name, records.map((r) => (r as Record<string, unknown>)[c.name])]));
    logPredictions(ctx, call, requestId, 'v1', columns, records.length, hit.out, null);
  }
  return { key, answer: { statusCode: 200, body: { request_id: requestId, ...hit.body } } };
}

/** Stores a successful answer without record errors under `key` (nothing when key is null), and returns it. @internal */
export function storeCached(ctx: ServingContext, key: string | null, served: ServedModel, answer: RouteAnswer): RouteAnswer {
  const cache = ctx.responseCache;
  if (key === null || cache === undefined || cache === null || answer.statusCode !== 200) return answer;
  const body = answer.body as { errors?: readonly unknown[]; predictions?: readonly (Record<string, number> | null)[] };
  const predictions = body.predictions;
  if (body.errors === undefined || body.errors.length > 0 || predictions === undefined || predictions.some((p) => p === null)) return answer;
  const k = served.outputNames.length;
  const out = new Float64Array(predictions.length * k);
  predictions.forEach((p, r) => {
    for (let j = 0; j < k; j++) out[r * k + j] = p![served.outputNames[j]];
  });
  const { request_id: _id, ...rest } = answer.body as Record<string, unknown>;
  cache.set(key, { body: rest, out });
  return answer;
}
