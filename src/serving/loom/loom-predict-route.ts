import { LoomError } from '../../core/errors/index.js';
import { checkInputColumns, invalidRecords, invalidRequest, type RawColumns, type RecordError } from '../input-columns.js';
import { buildInputFrame, MAX_REPORTED_ERRORS } from '../input-columns.js';
import type { ModelSelector, ServedModel } from '../served-model.js';
import type { RouteAnswer, RouteCall, ServingContext } from '../serving-context.js';
import { logPredictions } from '../v2/v2-routes.js';
import { rowScorerFor, type RowScorer } from '../batching/row-scorer.js';
import { lookupCached, storeCached } from '../cache/cached-predict.js';
import { enrichmentFailure, type EnrichedRecords } from '../enrichment/feature-enrichment.js';
import { checkEntities, enrichRecords, mergeEnrichmentErrors } from '../enrichment/predict-enrichment.js';
import { routedModel, routePredict, scoreRouted } from '../../deployment/routing/routed-scoring.js';
import type { RouteDecision } from '../../deployment/routing/traffic-router.js';

/** Default number of contributions per output when `explain` is `true`. */
export const DEFAULT_EXPLAIN_TOP_K = 5;
/** Most records one Loom request may carry. */
export const MAX_RECORDS = 100_000;

const BODY_KEYS = ['records', 'entities', 'alias', 'version', 'explain', 'partial', 'id', 'unit_id'] as const;
const QUERY_KEYS = ['alias', 'version', 'explain', 'partial'] as const;

/** The options of a Loom predict request, from the body or the query string (the body wins). */
interface PredictOptions {
  readonly selector: ModelSelector;
  /** Top-k contributions per output, or 0 for none. */
  readonly explain: number;
  readonly partial: boolean;
}

/**
 * POST /v1/models/{name}/predict with `{records: [{column: value, …}], alias?, version?, explain?, partial?, id?}`.
 *
 * Every record is checked against the model's input signature before anything is predicted. Without `partial`, one
 * bad record makes the request a 400 naming the record and field (details.errors lists up to 100). With
 * `partial=true`, each bad record gets its own entry in `errors` and a `null` prediction, and the others are
 * predicted. `explain` (true, or a top-k number) adds exact TreeSHAP contributions for GBDT models.
 *
 * With `{entities: [{customer_id: 7}, …]}` instead of `records`, the server reads the model version's registered
 * feature refs from the online store (ctx.featureStore) and builds the records; `feature_statuses` then gives, per
 * record, each feature column's PRESENT / NOT_FOUND / OUTSIDE_TTL (see src/serving/enrichment).
 */
export function loomPredict(ctx: ServingContext, call: RouteCall): RouteAnswer | Promise<RouteAnswer> {
  const body = call.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidRequest('(body)', 'it must be a JSON object {records, alias?, version?, explain?, partial?, id?}');
  const request = body as Record<string, unknown>;
  for (const key of Object.keys(request)) {
    if (!(BODY_KEYS as readonly string[]).includes(key)) throw invalidRequest(key, `it is not a predict option (${BODY_KEYS.join(', ')})`);
  }
  const options = predictOptions(request, call.query);
  // `entities` (join keys) instead of `records`: the model's features are read from the online store.
  const records = request.entities !== undefined ? checkEntities(request, MAX_RECORDS) : request.records;
  if (!Array.isArray(records) || records.length === 0) throw invalidRequest('records', 'it must be a non-empty array of objects, one per row');
  if (records.length > MAX_RECORDS) throw invalidRequest('records', `it holds ${records.length} records; send at most ${MAX_RECORDS} per request`);
  if (request.id !== undefined && (typeof request.id !== 'string' || request.id.length === 0 || request.id.length > 128)) throw invalidRequest('id', 'it must be a string of 1 to 128 characters');
  const predict: PredictRequest = { request, options, records, requestId: typeof request.id === 'string' ? request.id : call.requestId };

  // A deployment (canary, A/B, shadow…) picks the version of a request that names none.
  const chosen = routePredict(ctx, call, request, options.selector, predict.requestId);
  if (chosen !== null) return routedModel(ctx, ctx.deployments!, chosen, call.params.name, call.startedAt).then((resolved) => predictWith(ctx, call, predict, resolved.served, resolved.decision));
  // A loaded model is scored without a promise in between (see predictWith).
  const ready = ctx.repository.ready(call.params.name, options.selector);
  if (ready !== undefined) return predictWith(ctx, call, predict, ready, null);
  return ctx.repository.get(call.params.name, options.selector).then((served) => predictWith(ctx, call, predict, served, null));
}

/** The selector of a request that names no version or alias. */
const NO_SELECTOR: ModelSelector = {};

/**
 * A predict request answered from its body's bytes, when the body is plain records (`{"records": […]}`, nothing
 * else) for a loaded GBDT model and the server adds nothing that needs the parsed body: no response cache or
 * deployments, no query options, no unit id. The body is decoded straight into feature rows (RecordsDecoder),
 * skipping JSON.parse and the records' objects, with the fields' values kept for the prediction log when it logs this
 * request; the answer and the logged events are the ones loomPredict gives the parsed body, byte for byte. Undefined
 * when any of that does not hold, or the decoder declines the body: the caller then parses it and calls loomPredict,
 * which also reports whatever is wrong with it.
 */
export function loomPredictBytes(ctx: ServingContext, call: RouteCall, bytes: Uint8Array): RouteAnswer | Promise<RouteAnswer> | undefined {
  if ((ctx.responseCache ?? null) !== null || ctx.deployments !== null) return undefined;
  if (call.query.size > 0 || call.headers['x-loom-unit-id'] !== undefined) return undefined;
  const served = ctx.repository.ready(call.params.name, NO_SELECTOR);
  if (served === undefined) return undefined;
  const scorer = rowScorerFor(served.model);
  const decoder = scorer?.decoder ?? null;
  if (scorer === null || decoder === null) return undefined;
  // A batched request may still fail (a full queue); the fallback, if any, needs the parsed body (loomPredict).
  const batcher = ctx.batcher;
  if (batcher.enabled && ctx.fallbacks?.has(call.params.name) === true) return undefined;
  const logged = ctx.predictionLog !== null && ctx.predictionLog.sampled(call.requestId);
  const n = decoder.decode(bytes, MAX_RECORDS, logged);
  if (n === 0) return undefined;
  const inputs = logged ? new Map(served.signature.columns.map((column, c) => [column.name, decoder.values![c]])) : null;
  call.model = served;
  // The decoder's rows are reused by the next request: a batch gets its own copy.
  const rows = n === 1 && !batcher.enabled ? decoder.firstRow : decoder.rows.slice(0, n * scorer.width);
  let scoring: Float64Array | Promise<Float64Array>;
  try {
    scoring = batcher.scoreRows(served, scorer, rows, n);
  } catch {
    // A model that fails to score: loomPredict scores it again, and its fallback (if any) answers.
    return undefined;
  }
  if (scoring instanceof Float64Array) return scoredAnswer(ctx, call, served, inputs, scoring, call.requestId, null);
  return scoring.then((scored) => scoredAnswer(ctx, call, served, inputs, scored, call.requestId, null));
}

/** A predict request once its body and options are checked. */
interface PredictRequest {
  readonly request: Record<string, unknown>;
  readonly options: PredictOptions;
  readonly records: unknown[];
  readonly requestId: string;
}

/**
 * The rest of a predict request once its model version is known. Plain records for a GBDT model that pass their
 * checks and need no batching window are answered right here, synchronously; anything else (a cached answer aside)
 * continues in predictGeneral.
 */
function predictWith(ctx: ServingContext, call: RouteCall, predict: PredictRequest, served: ServedModel, decision: RouteDecision | null): RouteAnswer | Promise<RouteAnswer> {
  const { request, options, records, requestId } = predict;
  call.model = served;
  if (options.explain > 0 && served.flavor !== 'gbdt') throw new LoomError('SERVING_EXPLAIN_UNSUPPORTED', { name: served.name, flavor: served.flavor }, { details: { field: 'explain' } });
  // The response cache (`--cache-size`) holds answers to plain records; `entities` read features that change.
  const cached = request.entities === undefined && decision === null ? lookupCached(ctx, call, served, records, options, requestId) : { key: null, answer: null };
  if (cached.answer !== null) return cached.answer;
  // Plain (or enriched) records for a GBDT model: checked and scored straight from the JSON records
  // (batching/row-scorer.ts), with other requests' records when batching is on. Any record that fails its check,
  // or an enrichment error, sends the request down the general path, which reports it.
  const scorer = decision === null && options.explain === 0 ? rowScorerFor(served.model) : null;
  if (scorer !== null && request.entities === undefined) {
    const scoring = ctx.batcher.scoreRecords(served, scorer, records);
    if (scoring instanceof Float64Array) return storeCached(ctx, cached.key, served, scoredAnswer(ctx, call, served, records, scoring, requestId, null));
    if (scoring !== null) return scoring.then((scored) => storeCached(ctx, cached.key, served, scoredAnswer(ctx, call, served, records, scored, requestId, null)));
  }
  return predictGeneral(ctx, call, predict, served, decision, cached.key, scorer);
}

/** Enriched records, records that fail their checks (reported here), deployments' routed scoring, explanations. */
async function predictGeneral(ctx: ServingContext, call: RouteCall, predict: PredictRequest, servedFirst: ServedModel, decision: RouteDecision | null, cacheKey: string | null, scorer: RowScorer | null): Promise<RouteAnswer> {
  const { request, options, records, requestId } = predict;
  let served = servedFirst;
  const enriched = request.entities !== undefined ? await enrichRecords(ctx, served, records, options.partial) : null;
  const inputs = enriched?.records ?? records;
  if (scorer !== null && enriched !== null && enriched.errors.length === 0) {
    const scoring = ctx.batcher.scoreRecords(served, scorer, inputs);
    const scored = scoring === null || scoring instanceof Float64Array ? scoring : await scoring;
    if (scored !== null) return storeCached(ctx, cacheKey, served, scoredAnswer(ctx, call, served, inputs, scored, requestId, enriched.statuses));
  }

  const { columns, shapeErrors } = transpose(served, inputs);
  const notObjects = new Set(shapeErrors.map((e) => e.index));
  const fieldErrors = checkInputColumns(served.signature, columns, records.length, served.flavor).filter((e) => !notObjects.has(e.index));
  const errors = mergeEnrichmentErrors(enriched, [...shapeErrors, ...fieldErrors]).sort((a, b) => a.index - b.index);
  const bad = new Set(errors.map((e) => e.index));
  if (bad.size > 0) ctx.metrics.recordErrors.inc({ model: served.name, version: served.version }, bad.size);
  if (errors.length > 0 && !options.partial) throw enrichmentFailure(errors) ?? invalidRecords(errors);
  const keep = bad.size === 0 ? null : records.map((_, i) => i).filter((i) => !bad.has(i));
  const n = keep === null ? records.length : keep.length;
  const routed = decision !== null && n > 0 ? await scoreRouted(ctx, ctx.deployments!, decision, served, { columns, rows: records.length, keep }, call.startedAt) : null;
  if (routed !== null) call.model = served = routed.served;
  const out = routed !== null ? routed.out : n === 0 ? new Float64Array(0) : await ctx.batcher.score(served, columns, records.length, keep);
  ctx.metrics.modelSeries(served).rows.add(n);

  const k = served.outputNames.length;
  const predictions: (Record<string, number> | null)[] = new Array(records.length).fill(null);
  const explanations: (Record<string, unknown> | null)[] | undefined = options.explain > 0 ? new Array(records.length).fill(null) : undefined;
  const explained = options.explain > 0 && n > 0 ? served.model.explain(buildInputFrame(served.signature, columns, records.length, keep)) : null;
  for (let r = 0; r < n; r++) {
    const index = keep === null ? r : keep[r];
    const p: Record<string, number> = {};
    for (let j = 0; j < k; j++) p[served.outputNames[j]] = out[r * k + j];
    predictions[index] = p;
    if (explanations !== undefined && explained !== null) explanations[index] = topContributions(explained.names, explained.values, r, options.explain, served.outputNames);
  }
  logPredictions(ctx, call, requestId, 'v1', columns, records.length, out, keep);
  return storeCached(ctx, cacheKey, served, {
    statusCode: 200,
    body: {
      request_id: requestId,
      model: modelInfo(served),
      predictions,
      errors: errors.slice(0, MAX_REPORTED_ERRORS * 10).map((e) => ({ index: e.index, field: e.field, code: (e as { code?: string }).code ?? 'LOOM_ERR_SERVING_INVALID_RECORD', message: `field "${e.field}" ${e.problem}` })),
      ...(explanations === undefined ? {} : { explanations }),
      ...(enriched === null ? {} : { feature_statuses: enriched.statuses }),
      ...(routed === null ? {} : routed.extra),
    },
  });
}

/**
 * The answer for valid records scored by the model's RowScorer (`scored`: records × outputs), with the enrichment's
 * feature statuses when given. `inputs` are the records, or their values by column (decoded from bytes), for the
 * prediction log: null when it does not log them. Its JSON is written from parts made once per model version (the
 * bytes JSON.stringify writes).
 */
function scoredAnswer(ctx: ServingContext, call: RouteCall, served: ServedModel, inputs: readonly unknown[] | RawColumns | null, scored: Float64Array, requestId: string, statuses: EnrichedRecords['statuses'] | null): RouteAnswer {
  const parts = answerParts(served);
  const k = served.outputNames.length;
  const n = scored.length / k;
  ctx.metrics.modelSeries(served).rows.add(n);
  let json = `{"request_id":${JSON.stringify(requestId)},"model":${parts.model},"predictions":[`;
  for (let r = 0; r < n; r++) {
    json += r === 0 ? '{' : ',{';
    for (let j = 0; j < k; j++) {
      const v = scored[r * k + j];
      json += `${j === 0 ? '' : ','}${parts.outputs[j]}:${Number.isFinite(v) ? String(v) : 'null'}`;
    }
    json += '}';
  }
  if (ctx.predictionLog !== null && inputs !== null) {
    const columns = inputs instanceof Map ? inputs : columnsOfRecords(served, inputs as readonly unknown[]);
    logPredictions(ctx, call, requestId, 'v1', columns, n, Float64Array.from(scored), null);
  }
  return new ScoredAnswer(`${json}],"errors":[]${statuses === null ? '' : `,"feature_statuses":${JSON.stringify(statuses)}`}}`, served, requestId, scored, statuses);
}

/**
 * A scored predict answer. The routes send its `json`; the answer as an object is made only for a reader that wants
 * one (the response cache, a fallback, a test), from `scored`, which belongs to this request alone. A class, so the
 * getter is the prototype's rather than one made per answer.
 */
class ScoredAnswer implements RouteAnswer {
  readonly statusCode = 200;
  readonly json: string;
  readonly #served: ServedModel;
  readonly #requestId: string;
  readonly #scored: Float64Array;
  readonly #statuses: EnrichedRecords['statuses'] | null;

  constructor(json: string, served: ServedModel, requestId: string, scored: Float64Array, statuses: EnrichedRecords['statuses'] | null) {
    this.json = json;
    this.#served = served;
    this.#requestId = requestId;
    this.#scored = scored;
    this.#statuses = statuses;
  }

  get body(): unknown {
    const names = this.#served.outputNames;
    const k = names.length;
    const predictions: Record<string, number>[] = new Array(this.#scored.length / k);
    for (let r = 0; r < predictions.length; r++) {
      const p: Record<string, number> = {};
      for (let j = 0; j < k; j++) p[names[j]] = this.#scored[r * k + j];
      predictions[r] = p;
    }
    return { request_id: this.#requestId, model: modelInfo(this.#served), predictions, errors: [], ...(this.#statuses === null ? {} : { feature_statuses: this.#statuses }) };
  }
}

/** Valid records' values by signature column, for the prediction log. */
function columnsOfRecords(served: ServedModel, records: readonly unknown[]): RawColumns {
  return new Map(served.signature.columns.map((c) => [c.name, records.map((o) => (Object.hasOwn(o as object, c.name) ? (o as Record<string, unknown>)[c.name] : undefined))]));
}

/** The `model` member of a predict answer. */
function modelInfo(served: ServedModel): { name: string; version: string; alias: string | null; hash: string } {
  return { name: served.name, version: served.version, alias: served.alias, hash: served.modelHash };
}

/** Per served model, the JSON of its `model` member and of its output names (JSON.stringify's bytes), made once. */
const answerPartsCache = new WeakMap<ServedModel, { readonly model: string; readonly outputs: readonly string[] }>();

function answerParts(served: ServedModel): { readonly model: string; readonly outputs: readonly string[] } {
  let parts = answerPartsCache.get(served);
  if (parts === undefined) {
    parts = { model: JSON.stringify(modelInfo(served)), outputs: served.outputNames.map((name) => JSON.stringify(name)) };
    answerPartsCache.set(served, parts);
  }
  return parts;
}

function predictOptions(body: Record<string, unknown>, query: URLSearchParams): PredictOptions {
  for (const key of query.keys()) {
    if (!(QUERY_KEYS as readonly string[]).includes(key)) throw invalidRequest(`?${key}`, `it is not a query option (${QUERY_KEYS.join(', ')})`);
  }
  const alias = optionValue(body, query, 'alias');
  const version = optionValue(body, query, 'version');
  if (alias !== undefined && (typeof alias !== 'string' || alias.length === 0)) throw invalidRequest('alias', 'it must be an alias name such as champion');
  if (version !== undefined && !(typeof version === 'string' || (typeof version === 'number' && Number.isSafeInteger(version)))) throw invalidRequest('version', 'it must be a version number');
  if (alias !== undefined && version !== undefined) throw invalidRequest('version', 'give either version or alias, not both');
  return {
    selector: alias !== undefined ? { alias: alias as string } : version !== undefined ? { version: String(version) } : {},
    explain: explainOption(optionValue(body, query, 'explain')),
    partial: booleanOption('partial', optionValue(body, query, 'partial')),
  };
}

/** An option from the body, else from the query string. */
function optionValue(body: Record<string, unknown>, query: URLSearchParams, key: string): unknown {
  return body[key] !== undefined ? body[key] : query.get(key) ?? undefined;
}

function booleanOption(field: string, v: unknown): boolean {
  if (v === undefined || v === false || v === 'false') return false;
  if (v === true || v === 'true' || v === '') return true;
  throw invalidRequest(field, 'it must be true or false');
}

function explainOption(v: unknown): number {
  if (v === undefined || v === false || v === 'false') return 0;
  if (v === true || v === 'true' || v === '') return DEFAULT_EXPLAIN_TOP_K;
  const k = typeof v === 'string' && /^[0-9]+$/.test(v) ? Number(v) : v;
  if (typeof k === 'number' && Number.isSafeInteger(k) && k >= 1 && k <= 1000) return k;
  throw invalidRequest('explain', 'it must be true, false or a top-k count from 1 to 1000');
}

/** Records to raw columns; a record that is not an object is one error for the whole record. */
function transpose(served: ServedModel, records: readonly unknown[]): { columns: Map<string, unknown[]>; shapeErrors: RecordError[] } {
  const shapeErrors: RecordError[] = [];
  const columns = new Map<string, unknown[]>(served.signature.columns.map((c) => [c.name, new Array<unknown>(records.length)]));
  const names = [...columns.keys()];
  records.forEach((record, i) => {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      shapeErrors.push({ index: i, field: '(record)', problem: 'must be a JSON object of column values' });
      // Nulls: the record is already reported and excluded from scoring, and nulls keep it out of per-field checks.
      for (const name of names) columns.get(name)![i] = null;
      return;
    }
    const o = record as Record<string, unknown>;
    for (const name of names) columns.get(name)![i] = Object.hasOwn(o, name) ? o[name] : undefined;
  });
  return { columns, shapeErrors };
}

/** Row r's top-k contributions per output (by absolute value), with the bias and the raw score they sum to. */
function topContributions(names: readonly string[], values: Float64Array, r: number, topK: number, outputNames: readonly string[]): Record<string, unknown> {
  const width = names.length;
  const outputs = outputNames.length;
  const block = width / outputs;
  const result: Record<string, unknown> = {};
  for (let o = 0; o < outputs; o++) {
    const start = r * width + o * block;
    const biasName = names[o * block + block - 1];
    const prefix = biasName.slice(0, biasName.length - 'bias'.length);
    const items: { feature: string; value: number }[] = [];
    let raw = 0;
    for (let f = 0; f < block - 1; f++) {
      const v = values[start + f];
      raw += v;
      items.push({ feature: names[o * block + f].slice(prefix.length), value: v });
    }
    const bias = values[start + block - 1];
    items.sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || (a.feature < b.feature ? -1 : 1));
    result[outputNames[o]] = { raw_score: raw + bias, bias, top: items.slice(0, topK) };
  }
  return result;
}
