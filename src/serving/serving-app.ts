import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type HTTPMethods } from 'fastify';
import { LoomError } from '../core/errors/index.js';
import { MicroBatcher, type BatchingOptions } from './batching/micro-batcher.js';
import { ResponseCache } from './cache/response-cache.js';
import { checkFallbacks, predictWithFallback, type FallbackSpec } from './fallback/model-fallback.js';
import { BatchedEnrichment, type GroupedEnrichment } from './enrichment/batched-enrichment.js';
import type { FeatureEnrichment } from './enrichment/feature-enrichment.js';
import { DirectRoutes, type DirectRouteSpec } from './http/direct-routes.js';
import { errorBody, JSON_CONTENT_TYPE, queryOf, requestIdOf, requireBody, toLoomError, type Protocol } from './http/serving-errors.js';
import type { InjectedResponse, InjectOptions } from './http/serving-exchange.js';
import type { TrafficRouter } from '../deployment/routing/traffic-router.js';
import { loomFeedback } from './loom/feedback-route.js';
import { loomPredict, loomPredictBytes } from './loom/loom-predict-route.js';
import { ServingMetrics } from './metrics/serving-metrics.js';
import type { ModelRepository } from './model-repository.js';
import { answerLogged } from './predictions/acknowledge-logged.js';
import type { PredictionLog } from './predictions/prediction-log.js';
import type { RouteAnswer, RouteCall, ServingContext } from './serving-context.js';
import { DEFAULT_BODY_LIMIT } from './serving-defaults.js';
import { v2Infer, v2Live, v2ModelMetadata, v2ModelReady, v2Ready, v2ServerMetadata } from './v2/v2-routes.js';

export { DEFAULT_BODY_LIMIT };

/** Options of createServingApp. */
export interface ServingAppOptions {
  readonly repository: ModelRepository;
  /** Where predictions are logged, or null for none. */
  readonly predictionLog?: PredictionLog | null;
  /**
   * Micro-batching of model calls (MicroBatcher) and, when the feature store can read several requests at once
   * (OnlineFeatureEnrichment can), of online feature reads (BatchedEnrichment); off by default.
   */
  readonly batching?: BatchingOptions;
  /** Largest accepted body in bytes; larger ones get 413 LOOM_ERR_SERVING_BODY_TOO_LARGE. */
  readonly bodyLimit?: number;
  readonly metrics?: ServingMetrics;
  /** Enriches predict requests that send `entities` from the online feature store (OnlineFeatureEnrichment); none by default. */
  readonly featureStore?: FeatureEnrichment | null;
  /** Entries of the `/v1` predict response cache (LRU by model hash and canonical inputs); off when absent. */
  readonly cacheSize?: number;
  /** Per model name, a fallback model or default outputs used when the model fails (see FallbackSpec); none by default. */
  readonly fallbacks?: Readonly<Record<string, FallbackSpec>>;
  /** Epoch ms (tests pin it). */
  readonly now?: () => number;
  /** Fastify's request logger (pino) on stdout; off by default. */
  readonly logger?: boolean;
  /**
   * Answer `/v1/…/predict` and V2 `…/infer` in front of Fastify, straight from node:http (see DirectRoutes), with the
   * same handlers, errors, log and metrics. On by default, and off when `logger` is on (Fastify logs each request).
   * Turn it off when you add Fastify hooks to `fastify` that must also see those routes.
   */
  readonly directRoutes?: boolean;
  /** The deployment router (canary, A/B, shadow, bandit, interleaving) and feedback store, or null for none. Closed by close(). */
  readonly deployments?: TrafficRouter | null;
}

type Handler = (ctx: ServingContext, call: RouteCall) => RouteAnswer | Promise<RouteAnswer>;

interface Route {
  readonly method: 'GET' | 'POST';
  /** The Fastify route pattern; also the `route` label in metrics. */
  readonly path: string;
  readonly protocol: Protocol;
  readonly handler: Handler;
  /** For a direct route: an answer made from the body's bytes alone, or undefined to parse the body and call `handler` (see DirectRouteSpec). */
  readonly answerBytes?: DirectRouteSpec['answerBytes'];
}

/** Every serving route. */
const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/v2', protocol: 'v2', handler: () => v2ServerMetadata() },
  { method: 'GET', path: '/v2/health/live', protocol: 'v2', handler: () => v2Live() },
  { method: 'GET', path: '/v2/health/ready', protocol: 'v2', handler: (ctx) => v2Ready(ctx) },
  { method: 'GET', path: '/v2/models/:name', protocol: 'v2', handler: v2ModelMetadata },
  { method: 'GET', path: '/v2/models/:name/ready', protocol: 'v2', handler: v2ModelReady },
  { method: 'GET', path: '/v2/models/:name/versions/:version', protocol: 'v2', handler: v2ModelMetadata },
  { method: 'GET', path: '/v2/models/:name/versions/:version/ready', protocol: 'v2', handler: v2ModelReady },
  { method: 'POST', path: '/v2/models/:name/infer', protocol: 'v2', handler: v2Infer },
  { method: 'POST', path: '/v2/models/:name/versions/:version/infer', protocol: 'v2', handler: v2Infer },
  { method: 'POST', path: '/v1/models/:name/predict', protocol: 'loom', handler: (ctx, call) => predictWithFallback(ctx, call, loomPredict), answerBytes: loomPredictBytes },
  { method: 'POST', path: '/v1/feedback', protocol: 'loom', handler: loomFeedback },
  { method: 'GET', path: '/metrics', protocol: 'loom', handler: async (ctx) => ({ statusCode: 200, body: null, text: { contentType: ctx.metrics.contentType, body: await ctx.metrics.render() } }) },
];

/** What a request carries beyond Fastify's own state, for metric labels. */
interface RequestState {
  /** The route call, once a route handler started (its `model` is set when a model resolved). */
  call: RouteCall | null;
  /** The LOOM_ERR code the request was answered with, or null. */
  code: string | null;
}

/**
 * The Loom model server: the V2 Open Inference Protocol, the Loom predict protocol, Prometheus metrics and the
 * prediction log, as a Fastify app. `inject` calls it in-process (tests, embedding) through Fastify's inject; `listen`
 * puts it on a socket. Bad input of any kind (malformed JSON, huge bodies, wrong types, NaN, unknown models) is a 4xx
 * with a LOOM_ERR code; a 5xx only ever means a bug or a failing backend.
 *
 * Request bodies are parsed as JSON whatever their Content-Type says (many clients send none, or text/plain), with
 * Fastify's JSON parser, which refuses `__proto__` and `constructor.prototype` keys.
 *
 * @example
 * const repository = new ModelRepository();
 * await repository.addDirectory('adult', 'models/adult-gbdt');
 * const app = createServingApp({ repository });
 * const res = await app.inject({ method: 'POST', url: '/v1/models/adult/predict', payload: { records: [{ age: 39 }] } });
 */
export class ServingApp {
  readonly metrics: ServingMetrics;
  readonly repository: ModelRepository;
  readonly bodyLimit: number;
  /** The underlying Fastify instance (for embedding: hooks, extra routes, `fastify.server`). */
  readonly fastify: FastifyInstance;
  readonly #ctx: ServingContext;
  readonly #batcher: MicroBatcher;
  /** The feature store's reads batched like model calls, when batching is on and the store can read groups. */
  readonly #batchedEnrichment: BatchedEnrichment | null;
  readonly #predictionLog: PredictionLog | null;
  readonly #state = new WeakMap<FastifyRequest, RequestState>();
  #ready = true;
  #closing = false;
  /** The routes answered in front of Fastify, or null when `directRoutes` is false. */
  #direct: DirectRoutes | null = null;

  constructor(options: ServingAppOptions) {
    this.metrics = options.metrics ?? new ServingMetrics();
    this.repository = options.repository;
    this.bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
    if (!Number.isSafeInteger(this.bodyLimit) || this.bodyLimit < 1024) throw new LoomError('SERVING_INVALID_OPTION', { field: 'bodyLimit', problem: 'it must be a whole number of bytes ≥ 1024' }, { details: { field: 'bodyLimit' } });
    this.#batcher = new MicroBatcher(options.batching ?? {}, this.metrics);
    this.#predictionLog = options.predictionLog ?? null;
    const featureStore = options.featureStore ?? null;
    this.#batchedEnrichment = featureStore?.enrichGroups !== undefined && this.#batcher.enabled ? new BatchedEnrichment(featureStore as GroupedEnrichment, options.batching ?? {}) : null;
    this.#ctx = { repository: this.repository, batcher: this.#batcher, metrics: this.metrics, predictionLog: this.#predictionLog, deployments: options.deployments ?? null, featureStore: this.#batchedEnrichment ?? featureStore, responseCache: options.cacheSize === undefined ? null : new ResponseCache(options.cacheSize), fallbacks: checkFallbacks(options.fallbacks ?? {}), ready: () => this.#ready, now: options.now ?? Date.now };
    this.fastify = Fastify({
      logger: options.logger ?? false,
      bodyLimit: this.bodyLimit,
      keepAliveTimeout: 65_000,
      // During a graceful close, requests on open keep-alive connections are still served (with Connection: close).
      return503OnClosing: false,
      requestIdHeader: false,
      genReqId: (req) => requestIdOf(req.headers['x-request-id']),
      // The server as Fastify would make it, with the hot POST routes answered in front of Fastify (DirectRoutes).
      serverFactory: (handler) => {
        const server = createServer((req, res) => (this.#direct === null ? handler(req, res) : this.#direct.handle(req, res, handler)));
        server.keepAliveTimeout = 65_000;
        server.requestTimeout = 0;
        server.setTimeout(0);
        return server;
      },
      routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
      // A path that is not valid percent-encoding, or a path parameter over the router's length limit.
      frameworkErrors: (error, request, reply) => {
        const loom = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? new LoomError('SERVING_INVALID_REQUEST', { field: 'path', problem: 'a path segment is longer than 100 characters' }, { details: { field: 'path' } })
          : new LoomError('SERVING_INVALID_REQUEST', { field: 'path', problem: 'it is not valid percent-encoding' }, { details: { field: 'path' } });
        this.#sendError(request, reply, loom);
        // Framework errors skip the route hooks, so onSend does not count them.
        this.#observe(request, reply);
      },
    });
    const app = this.fastify;
    // Bodies are JSON whatever the Content-Type (text/plain included); application/json keeps Fastify's own parser.
    app.removeContentTypeParser('text/plain');
    app.addContentTypeParser('*', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
    app.addHook('onRequest', (request, reply, done) => {
      this.#state.set(request, { call: null, code: null });
      reply.header('x-request-id', request.id);
      done();
    });
    app.addHook('onSend', (request, reply, payload, done) => {
      this.#observe(request, reply);
      done(null, payload);
    });
    app.setErrorHandler((error: FastifyError | LoomError, request, reply) => {
      this.#sendError(request, reply, toLoomError(error, this.bodyLimit));
    });
    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0].slice(0, 200);
      this.#sendError(request, reply, new LoomError('SERVING_ROUTE_NOT_FOUND', { method: request.method, path }, { details: { field: 'path' } }));
    });
    if ((options.directRoutes ?? true) && options.logger !== true) {
      const direct = ROUTES.filter((r) => r.method === 'POST' && r.path !== '/v1/feedback');
      this.#direct = new DirectRoutes(direct, { ctx: this.#ctx, bodyLimit: this.bodyLimit, predictionLog: this.#predictionLog, closing: () => this.#closing });
    }
    for (const route of ROUTES) {
      app.route({
        method: route.method as HTTPMethods,
        url: route.path,
        config: { protocol: route.protocol },
        handler: async (request, reply) => {
          const call: RouteCall = {
            params: request.params as Record<string, string>,
            query: queryOf(request.url),
            body: route.method === 'POST' ? requireBody(request.body) : undefined,
            requestId: request.id,
            headers: request.headers,
            startedAt: performance.now() - reply.elapsedTime,
            model: null,
          };
          const state = this.#state.get(request);
          if (state !== undefined) state.call = call;
          // A `logged` prediction log holds a POST's 200 until its events are durable (answerLogged).
          const answer = route.method === 'POST' ? await answerLogged(this.#predictionLog, () => route.handler(this.#ctx, call)) : await route.handler(this.#ctx, call);
          reply.code(answer.statusCode);
          if (answer.text !== undefined) return reply.type(answer.text.contentType).send(answer.text.body);
          if (answer.json !== undefined) return reply.type(JSON_CONTENT_TYPE).send(answer.json);
          return reply.send(answer.body);
        },
      });
    }
  }

  /** Marks the server (not) ready for /v2/health/ready, e.g. while models load or during shutdown. */
  setReady(ready: boolean): void {
    this.#ready = ready;
  }

  /**
   * Calls the app in-process through Fastify's `inject`: an object `payload` is sent as JSON, strings and Buffers as
   * they are (with Content-Type application/json unless the headers say otherwise).
   */
  inject(options: InjectOptions): Promise<InjectedResponse> {
    const payload = options.payload;
    const body = payload === undefined || typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
    return this.fastify.inject({
      method: (options.method ?? 'GET').toUpperCase() as HTTPMethods,
      url: options.url,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
      ...(body === undefined ? {} : { payload: body }),
    });
  }

  /** Listens on `host:port` (port 0 picks a free one) and resolves with the URL. */
  async listen(options: { port?: number; host?: string } = {}): Promise<string> {
    await this.fastify.listen({ port: options.port ?? 8080, host: options.host ?? '127.0.0.1' });
    const address = this.fastify.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  /**
   * Graceful shutdown: not ready from now on, stops accepting connections, lets requests in flight finish (up to
   * `graceMs`, then open connections are cut), scores whatever waits in the micro-batcher, and flushes the
   * prediction log.
   */
  async close(graceMs = 10_000): Promise<void> {
    this.#ready = false;
    this.#closing = true;
    const timer = setTimeout(() => this.fastify.server.closeAllConnections(), graceMs);
    timer.unref();
    try {
      await this.fastify.close();
    } finally {
      clearTimeout(timer);
    }
    // Feature reads still waiting start now; their requests' model calls join the batches flushed next.
    await this.#batchedEnrichment?.flushAll();
    this.#batcher.flushAll();
    await this.#predictionLog?.close();
    await this.#ctx.deployments?.close();
  }

  #sendError(request: FastifyRequest, reply: FastifyReply, loom: LoomError): void {
    const state = this.#state.get(request);
    if (state !== undefined) state.code = loom.code;
    else this.#state.set(request, { call: null, code: loom.code });
    const configured = (request.routeOptions.config as { protocol?: Protocol } | undefined)?.protocol;
    const protocol = configured ?? (request.url.startsWith('/v2') ? 'v2' : 'loom');
    const body = errorBody(protocol, loom);
    reply.header('x-request-id', request.id);
    // The rest of an oversized body is not read; the connection is not reused.
    if (loom.code === 'LOOM_ERR_SERVING_BODY_TOO_LARGE') reply.header('connection', 'close');
    reply.code(loom.statusCode).type(JSON_CONTENT_TYPE).send(body);
  }

  /** Counts one answered request; labels are the route pattern and the model that resolved, never raw input. */
  #observe(request: FastifyRequest, reply: FastifyReply): void {
    const state = this.#state.get(request);
    const series = this.metrics.routeSeries(request.routeOptions.url ?? '(unmatched)', state?.call?.model ?? null);
    if (reply.statusCode === 200) series.ok.add(1);
    else this.metrics.requests.inc({ ...series.labels, status: String(reply.statusCode) });
    if (state?.code != null) this.metrics.errors.inc({ ...series.labels, code: state.code });
    series.latency.observe(reply.elapsedTime / 1000);
  }
}

/** Creates a serving app (see ServingApp). */
export function createServingApp(options: ServingAppOptions): ServingApp {
  return new ServingApp(options);
}
