import { loomVersion } from '../../models/artifact/index.js';
import { invalidRecords, invalidRequest, checkInputColumns } from '../input-columns.js';
import type { PredictionEvent } from '../predictions/prediction-log.js';
import type { ModelSelector, ServedModel } from '../served-model.js';
import { rowScorerFor } from '../batching/row-scorer.js';
import type { RouteAnswer, RouteCall, ServingContext } from '../serving-context.js';
import { v2DatatypeOf } from './v2-datatypes.js';
import { decodeV2Inputs } from './v2-inputs.js';

/** The V2 (Open Inference Protocol) extensions this server implements beyond the core. */
export const V2_EXTENSIONS: readonly string[] = [];

function selector(call: RouteCall): ModelSelector {
  return call.params.version === undefined ? {} : { version: call.params.version };
}

/** GET /v2: server metadata. */
export function v2ServerMetadata(): RouteAnswer {
  return { statusCode: 200, body: { name: 'loom', version: loomVersion(), extensions: V2_EXTENSIONS } };
}

/** GET /v2/health/live: the process answers. */
export function v2Live(): RouteAnswer {
  return { statusCode: 200, body: { live: true } };
}

/** GET /v2/health/ready: every model given at startup is loaded and the server is not shutting down (503 otherwise). */
export function v2Ready(ctx: ServingContext): RouteAnswer {
  const ready = ctx.ready();
  return { statusCode: ready ? 200 : 503, body: { ready } };
}

/** GET /v2/models/{name}[/versions/{v}]/ready */
export async function v2ModelReady(ctx: ServingContext, call: RouteCall): Promise<RouteAnswer> {
  call.model = await ctx.repository.get(call.params.name, selector(call));
  return { statusCode: 200, body: { name: call.model.name, ready: true } };
}

/** GET /v2/models/{name}[/versions/{v}]: name, versions, platform, input and output tensors. */
export async function v2ModelMetadata(ctx: ServingContext, call: RouteCall): Promise<RouteAnswer> {
  const served = await ctx.repository.get(call.params.name, selector(call));
  call.model = served;
  const versions = await ctx.repository.versions(served.name);
  return {
    statusCode: 200,
    body: {
      name: served.name,
      versions,
      platform: `loom-${served.flavor}`,
      inputs: served.signature.columns.map((c) => ({ name: c.name, datatype: v2DatatypeOf(c.type), shape: c.type === 'embedding' ? [-1, c.dim ?? 0] : [-1, 1] })),
      outputs: served.outputNames.map((name) => ({ name, datatype: 'FP64', shape: [-1, 1] })),
      // Loom extension: which version answered and by what artifact.
      parameters: { version: served.version, model_hash: served.modelHash, task: served.model.artifact.manifest.outputSignature.task },
    },
  };
}

/**
 * POST /v2/models/{name}[/versions/{v}]/infer. Outputs are one FP64 tensor per model output, shape [n, 1]; a request
 * `outputs` list picks and orders them. The response echoes `id`, or carries the server's request id.
 */
export function v2Infer(ctx: ServingContext, call: RouteCall): RouteAnswer | Promise<RouteAnswer> {
  const body = call.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidRequest('(body)', 'it must be a JSON object {id?, parameters?, inputs, outputs?}');
  const request = body as Record<string, unknown>;
  for (const key of Object.keys(request)) {
    if (!['id', 'parameters', 'inputs', 'outputs'].includes(key)) throw invalidRequest(key, 'it is not a field of an inference request (id, parameters, inputs, outputs)');
  }
  if (request.id !== undefined && typeof request.id !== 'string') throw invalidRequest('id', 'it must be a string');
  if (request.parameters !== undefined && (request.parameters === null || typeof request.parameters !== 'object' || Array.isArray(request.parameters))) throw invalidRequest('parameters', 'it must be an object');
  // A loaded model answers without a promise in between (as loomPredict does).
  const ready = ctx.repository.ready(call.params.name, selector(call));
  if (ready !== undefined) return v2InferWith(ctx, call, request, ready);
  return ctx.repository.get(call.params.name, selector(call)).then((served) => v2InferWith(ctx, call, request, served));
}

/** The rest of an inference request once its model version is known; synchronous for one row a RowScorer scores. */
function v2InferWith(ctx: ServingContext, call: RouteCall, request: Record<string, unknown>, served: ServedModel): RouteAnswer | Promise<RouteAnswer> {
  call.model = served;
  const wanted = requestedOutputs(request.outputs, served.outputNames);
  const { columns, rows } = decodeV2Inputs(served.signature, request.inputs);
  // One row of a GBDT model is checked and scored by its RowScorer; a row it refuses gets the full check's errors.
  const one = rows === 1 ? scoreOneRow(ctx, served, columns) : null;
  if (one === null) {
    const errors = checkInputColumns(served.signature, columns, rows, served.flavor);
    if (errors.length > 0) {
      ctx.metrics.recordErrors.inc({ model: served.name, version: served.version }, new Set(errors.map((e) => e.index)).size);
      throw invalidRecords(errors);
    }
  }
  const out = one instanceof Float64Array ? one : one !== null ? one : rows === 0 ? new Float64Array(0) : ctx.batcher.score(served, columns, rows, null);
  if (out instanceof Float64Array) return v2Answer(ctx, call, request, served, wanted, columns, rows, out);
  return out.then((scored) => v2Answer(ctx, call, request, served, wanted, columns, rows, scored));
}

/** The inference answer for `rows` scored rows (`out`: rows × outputs). */
function v2Answer(ctx: ServingContext, call: RouteCall, request: Record<string, unknown>, served: ServedModel, wanted: readonly number[], columns: ReadonlyMap<string, readonly unknown[]>, rows: number, out: Float64Array): RouteAnswer {
  ctx.metrics.modelSeries(served).rows.add(rows);
  const k = served.outputNames.length;
  const id = typeof request.id === 'string' ? request.id : call.requestId;
  logPredictions(ctx, call, id, 'v2', columns, rows, out);
  // The answer's JSON is written here (the bytes JSON.stringify writes for `body`, which is built alongside).
  const outputs = new Array<{ name: string; shape: number[]; datatype: 'FP64'; data: number[] }>(wanted.length);
  let json = `{"model_name":${JSON.stringify(served.name)},"model_version":${JSON.stringify(served.version)},"id":${JSON.stringify(id)},"outputs":[`;
  wanted.forEach((j, w) => {
    const data = new Array<number>(rows);
    json += `${w === 0 ? '' : ','}{"name":${JSON.stringify(served.outputNames[j])},"shape":[${rows},1],"datatype":"FP64","data":[`;
    for (let i = 0; i < rows; i++) {
      const v = out[i * k + j];
      data[i] = v;
      json += `${i === 0 ? '' : ','}${Number.isFinite(v) ? String(v) : 'null'}`;
    }
    json += ']}';
    outputs[w] = { name: served.outputNames[j], shape: [rows, 1], datatype: 'FP64', data };
  });
  return { statusCode: 200, body: { model_name: served.name, model_version: served.version, id, outputs }, json: `${json}]}` };
}

/**
 * One checked row scored by the model's RowScorer (the bits of the batch path, see batching/row-scorer.ts), alone or
 * with other requests' rows when batching is on; null when the model has no row scorer or the row fails its check.
 */
function scoreOneRow(ctx: ServingContext, served: ServedModel, columns: ReadonlyMap<string, readonly unknown[]>): Float64Array | Promise<Float64Array> | null {
  const scorer = rowScorerFor(served.model);
  if (scorer === null) return null;
  const record: Record<string, unknown> = {};
  for (const [name, values] of columns) record[name] = values[0];
  return ctx.batcher.scoreRecords(served, scorer, [record]);
}

function requestedOutputs(outputs: unknown, names: readonly string[]): number[] {
  if (outputs === undefined) return names.map((_, j) => j);
  if (!Array.isArray(outputs)) throw invalidRequest('outputs', 'it must be an array of {name}');
  return outputs.map((o, i) => {
    const name = o !== null && typeof o === 'object' ? (o as { name?: unknown }).name : undefined;
    if (typeof name !== 'string') throw invalidRequest(`outputs[${i}].name`, 'it must be a string');
    const j = names.indexOf(name);
    if (j < 0) throw invalidRequest(`outputs[${i}].name`, `the model has no output "${name}" (its outputs: ${names.join(', ')})`);
    return j;
  });
}

/** Queues one prediction event per row. @internal */
export function logPredictions(ctx: ServingContext, call: RouteCall, requestId: string, route: string, columns: ReadonlyMap<string, readonly unknown[]>, rows: number, out: Float64Array, keep: readonly number[] | null = null): void {
  const log = ctx.predictionLog;
  const served = call.model;
  if (log === null || served === null || !log.sampled(requestId)) return;
  const latency = performance.now() - call.startedAt;
  const timestamp = new Date(ctx.now()).toISOString();
  const k = served.outputNames.length;
  const names = served.signature.columns.map((c) => c.name);
  const n = keep === null ? rows : keep.length;
  const events: PredictionEvent[] = new Array(n);
  for (let r = 0; r < n; r++) {
    const row = keep === null ? r : keep[r];
    const inputs: Record<string, unknown> = {};
    for (const name of names) inputs[name] = columns.get(name)![row] ?? null;
    const outputs: Record<string, number> = {};
    for (let j = 0; j < k; j++) outputs[served.outputNames[j]] = out[r * k + j];
    events[r] = { request_id: requestId, row, timestamp, model: served.name, version: served.version, model_hash: served.modelHash, route, latency_ms: Math.round(latency * 1000) / 1000, inputs, outputs };
  }
  log.record(requestId, events);
}
