import type { MicroBatcher } from './batching/micro-batcher.js';
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
}
