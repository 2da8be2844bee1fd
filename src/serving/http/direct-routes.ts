import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as secureJsonParse } from 'secure-json-parse';
import { LoomError } from '../../core/errors/index.js';
import { answerLogged } from '../predictions/acknowledge-logged.js';
import type { PredictionLog } from '../predictions/prediction-log.js';
import type { ServedModel } from '../served-model.js';
import type { RouteAnswer, RouteCall, ServingContext } from '../serving-context.js';
import { bodyTooLarge, emptyBody, errorBody, JSON_CONTENT_TYPE, malformedBody, queryOf, requestIdOf, toLoomError, type Protocol } from './serving-errors.js';

/** A route handler, as the serving app's routes define them. */
export type DirectHandler = (ctx: ServingContext, call: RouteCall) => RouteAnswer | Promise<RouteAnswer>;

/** A POST route that DirectRoutes may answer itself. */
export interface DirectRouteSpec {
  /** The Fastify route pattern, e.g. `/v1/models/:name/predict`; also the `route` label in metrics. */
  readonly path: string;
  readonly protocol: Protocol;
  readonly handler: DirectHandler;
  /**
   * An answer made from the raw body (before it is decoded and parsed), or undefined to go on as usual: parse the
   * body and call `handler`. It must answer (and log) exactly as `handler` would for the parsed body. Both run under
   * the prediction log's `logged` acknowledgement.
   */
  readonly answerBytes?: (ctx: ServingContext, call: RouteCall, bytes: Uint8Array) => RouteAnswer | Promise<RouteAnswer> | undefined;
}

/** What DirectRoutes shares with the serving app. */
export interface DirectRoutesOptions {
  readonly ctx: ServingContext;
  readonly bodyLimit: number;
  readonly predictionLog: PredictionLog | null;
  /** True once the app started closing: every request then goes to Fastify, which answers with Connection: close. */
  readonly closing: () => boolean;
}

/** Fastify's JSON parser refuses prototype poisoning the same way (see ServingApp). */
const PARSE_OPTIONS = { protoAction: 'error', constructorAction: 'error' } as const;
/** A path parameter as Fastify's router passes it on unchanged: no percent-encoding, at most 100 characters. */
const PARAM = '([A-Za-z0-9._~-]{1,100})';
/** Content types whose body Fastify hands to the same JSON parser with nothing else done to it. */
const PLAIN_JSON = /^application\/json(?:\s*;\s*charset=utf-8)?$/i;

/**
 * A body parsed as Fastify's parser would parse it. A `__proto__` or `constructor` key can only be spelled out
 * literally or with a `\u` escape, so a body holding neither word nor a backslash (nor a byte-order mark, which
 * secure-json-parse strips) goes to JSON.parse alone; its answer is then the same, without secure-json-parse's two
 * scans of the text.
 */
function parseBody(text: string): unknown {
  if (text.charCodeAt(0) !== 0xfeff && !text.includes('\\') && !text.includes('__proto__') && !text.includes('constructor')) return JSON.parse(text);
  return secureJsonParse(text, PARSE_OPTIONS);
}

interface CompiledRoute {
  readonly spec: DirectRouteSpec;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

/**
 * The serving app's hot POST routes answered straight from `node:http`, in front of Fastify. Fastify's request
 * pipeline (routing, content-type parsing, hooks, reply serialization) cost about 30 % of a single-record predict's
 * CPU time (bench/RESULTS.md, serving), so `/v1/…/predict` and V2 `…/infer` skip it: the request is matched by a
 * regular expression, its body read against the body limit and parsed by the same JSON parser, and the route's own
 * handler answers, so validation, scoring, fallbacks, deployments, the prediction log and its `logged`
 * acknowledgement, metrics and error bodies are those of the Fastify path, byte for byte
 * (src/serving/http/direct-routes.test.ts compares both over real sockets).
 *
 * Anything unusual goes to Fastify untouched, before a byte of its body is read: another method or path, a path
 * that Fastify would normalize (percent-encoding, duplicate or trailing slashes), a chunked or encoded body, a
 * content type other than plain JSON, and every request once the app is closing.
 */
export class DirectRoutes {
  readonly #options: DirectRoutesOptions;
  readonly #routes: readonly CompiledRoute[];

  constructor(routes: readonly DirectRouteSpec[], options: DirectRoutesOptions) {
    this.#options = options;
    this.#routes = routes.map((spec) => {
      const names: string[] = [];
      const source = spec.path.replace(/[.]/g, '\\.').replace(/:([a-z]+)/g, (_, name: string) => {
        names.push(name);
        return PARAM;
      });
      return { spec, pattern: new RegExp(`^${source}(?:\\?|$)`), names };
    });
  }

  /** Answers `req` if it is one of the direct routes' plain requests; otherwise passes it to `next` (Fastify). */
  handle(req: IncomingMessage, res: ServerResponse, next: (req: IncomingMessage, res: ServerResponse) => void): void {
    const match = req.method === 'POST' && !this.#options.closing() ? this.#match(req) : null;
    if (match === null) return next(req, res);
    const startedAt = performance.now();
    const requestId = requestIdOf(req.headers['x-request-id']);
    const length = Number(req.headers['content-length']);
    if (length > this.#options.bodyLimit) {
      // As Fastify does: answered from Content-Length alone, the body is never read and the connection not reused.
      this.#answer(req, res, match, { requestId, startedAt, model: null }, null, toLoomError(bodyTooLarge(this.#options.bodyLimit), this.#options.bodyLimit));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A small body arrives in one chunk, which is read as it is rather than copied by Buffer.concat first.
    req.on('end', () => this.#serve(req, res, match, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), requestId, startedAt));
  }

  #match(req: IncomingMessage): { spec: DirectRouteSpec; params: Record<string, string> } | null {
    const headers = req.headers;
    if (headers['content-length'] === undefined || headers['transfer-encoding'] !== undefined || headers['content-encoding'] !== undefined) return null;
    const type = headers['content-type'];
    if (type !== undefined && !PLAIN_JSON.test(type)) return null;
    const url = req.url ?? '';
    for (const route of this.#routes) {
      const m = route.pattern.exec(url);
      if (m === null) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = m[i + 1]));
      return { spec: route.spec, params };
    }
    return null;
  }

  /** Parses the body and runs the route; an answer made synchronously is written without waiting on a promise. */
  #serve(req: IncomingMessage, res: ServerResponse, match: { spec: DirectRouteSpec; params: Record<string, string> }, bytes: Buffer, requestId: string, startedAt: number): void {
    const call: { -readonly [K in keyof RouteCall]: RouteCall[K] } = { params: match.params, query: queryOf(req.url ?? ''), body: undefined, requestId, headers: req.headers, startedAt, model: null };
    let answer: RouteAnswer | Promise<RouteAnswer>;
    try {
      // The `logged` acknowledgement: a 200 waits until its prediction events are durable.
      answer = answerLogged(this.#options.predictionLog, () => match.spec.answerBytes?.(this.#options.ctx, call, bytes) ?? this.#parsedAnswer(req, res, match.spec, call, bytes.toString('utf8')));
    } catch (error) {
      this.#answer(req, res, match, call, null, toLoomError(error as Error, this.#options.bodyLimit));
      return;
    }
    if (!(answer instanceof Promise)) return this.#answerOrFail(req, res, match, call, answer);
    answer.then(
      (done) => this.#answerOrFail(req, res, match, call, done),
      (error: unknown) => this.#answer(req, res, match, call, null, toLoomError(error as Error, this.#options.bodyLimit)),
    );
  }

  /** The route's answer to the body parsed as JSON. */
  #parsedAnswer(req: IncomingMessage, res: ServerResponse, spec: DirectRouteSpec, call: { -readonly [K in keyof RouteCall]: RouteCall[K] }, text: string): RouteAnswer | Promise<RouteAnswer> {
    // Fastify hands a request without Content-Type and without a body to the route (which finds no body); any
    // other body goes through its JSON parser, whose errors also close the connection (the client may send more).
    if (text.length === 0 && req.headers['content-type'] === undefined) throw emptyBody();
    try {
      if (text.length === 0) throw emptyBody();
      call.body = parseBody(text);
    } catch (error) {
      res.setHeader('connection', 'close');
      throw error instanceof LoomError ? error : malformedBody();
    }
    return spec.handler(this.#options.ctx, call);
  }

  /** Writes `answer`, or the error writing it raised (an answer body that does not serialize, say). */
  #answerOrFail(req: IncomingMessage, res: ServerResponse, match: { spec: DirectRouteSpec }, call: RouteCall, answer: RouteAnswer): void {
    try {
      this.#answer(req, res, match, call, answer, null);
    } catch (error) {
      this.#answer(req, res, match, call, null, toLoomError(error as Error, this.#options.bodyLimit));
    }
  }

  /** Writes an answer or an error, with the headers Fastify's path writes, and counts it as the app's onSend hook does. */
  #answer(req: IncomingMessage, res: ServerResponse, match: { spec: DirectRouteSpec }, call: { requestId: string; startedAt: number; model: ServedModel | null }, answer: RouteAnswer | null, error: ReturnType<typeof toLoomError> | null): void {
    const statusCode = error !== null ? error.statusCode : answer!.statusCode;
    const payload = error !== null ? JSON.stringify(errorBody(match.spec.protocol, error)) : answer!.text !== undefined ? answer!.text.body : (answer!.json ?? JSON.stringify(answer!.body));
    const headers: Record<string, string | number> = {
      'x-request-id': call.requestId,
      'content-type': answer?.text?.contentType ?? JSON_CONTENT_TYPE,
      'content-length': Buffer.byteLength(payload),
    };
    if (error?.code === 'LOOM_ERR_SERVING_BODY_TOO_LARGE') headers.connection = 'close';
    const metrics = this.#options.ctx.metrics;
    const series = metrics.routeSeries(match.spec.path, call.model);
    if (statusCode === 200) series.ok.add(1);
    else metrics.requests.inc({ ...series.labels, status: String(statusCode) });
    if (error !== null) metrics.errors.inc({ ...series.labels, code: error.code });
    series.latency.observe((performance.now() - call.startedAt) / 1000);
    if (res.destroyed) return;
    writeSoon(res, statusCode, headers, payload);
  }
}

/** Answers written at the end of this event-loop turn (writeSoon), in the order they were made. */
const pending: { res: ServerResponse; statusCode: number; headers: Record<string, string | number>; payload: string }[] = [];

/**
 * Writes an answer once the event loop has read what else is ready (setImmediate runs right after the poll
 * phase), so the answers to requests that arrived together go out together and the client is woken once for them
 * rather than once each. On a loaded 2-vCPU host this raised a single-record server's throughput by 10–40 %
 * (bench/RESULTS.md, serving); an idle server's answer waits for no timer and no other request.
 */
function writeSoon(res: ServerResponse, statusCode: number, headers: Record<string, string | number>, payload: string): void {
  if (pending.length === 0) setImmediate(flushPending);
  pending.push({ res, statusCode, headers, payload });
}

function flushPending(): void {
  // Answers queued while flushing (none today: writing does not call back into a route) go in the next turn.
  const batch = pending.splice(0, pending.length);
  for (const { res, statusCode, headers, payload } of batch) {
    if (res.destroyed) continue;
    res.writeHead(statusCode, headers);
    res.end(payload);
  }
}
