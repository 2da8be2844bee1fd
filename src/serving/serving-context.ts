import type { TrafficRouter } from '../deployment/routing/traffic-router.js';
import type { MicroBatcher } from './batching/micro-batcher.js';
import type { ResponseCache } from './cache/response-cache.js';
import type { FallbackSpec } from './fallback/model-fallback.js';
import type { FeatureEnrichment } from './enrichment/feature-enrichment.js';
import type { ServingMetrics } from './metrics/serving-metrics.js';
import type { ModelRepository } from './model-repository.js';
import type { PredictionLog } from './predictions/prediction-log.js';
import type { ServedModel } from './served-model.js';

/** What every route handler works with. @internal */
export interface ServingContext {
  readonly repository: ModelRepository;
  readonly batcher: MicroBatcher;
  readonly metrics: ServingMetrics;
  readonly predictionLog: PredictionLog | null;
  /** Routes requests that name no version by the model's deployment (canary, A/B, shadow…), and takes feedback; null when none. */
  readonly deployments: TrafficRouter | null;
  /** Fills predict requests' `entities` from the online feature store; null when the server has none. */
  readonly featureStore: FeatureEnrichment | null;
  /** Successful `/v1` predict answers by inputs (`--cache-size`); null when off. */
  readonly responseCache?: ResponseCache | null;
  /** Per model name, what answers when the model fails (src/serving/fallback); none when absent. */
  readonly fallbacks?: ReadonlyMap<string, FallbackSpec>;
  /** True once startup loading finished and until shutdown starts. */
  readonly ready: () => boolean;
  /** Epoch ms. */
  readonly now: () => number;
}

/** One request as a route handler sees it. @internal */
export interface RouteCall {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body (undefined for GET). */
  readonly body: unknown;
  readonly requestId: string;
  /** Request headers (lowercase names). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** When the request arrived (performance.now()). */
  readonly startedAt: number;
  /** Set by a handler once it resolved a model, for metric labels and error context. */
  model: ServedModel | null;
}

/** A handler's answer before serialization. @internal */
export interface RouteAnswer {
  readonly statusCode: number;
  readonly body: unknown;
  /** Raw text body (e.g. Prometheus), sent instead of JSON. */
  readonly text?: { readonly contentType: string; readonly body: string };
  /**
   * `JSON.stringify(body)`, byte for byte, when the handler built it more cheaply (the single-record predict path);
   * sent instead of serializing `body`. Code that derives a new answer from this one must not carry it over.
   */
  readonly json?: string;
}
