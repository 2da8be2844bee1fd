import { Counter, Gauge, Registry, type LabelValues } from 'prom-client';
import { BoundHistogram, CounterBindings, type BoundCounterSeries, type HistogramSeries } from './bound-series.js';

/** Latency buckets in seconds: 0.5 ms to 10 s, dense where in-process tabular models answer. */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Rows-per-model-call buckets of `loom_serving_batch_rows`. */
export const BATCH_ROWS_BUCKETS: readonly number[] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096];

type RouteLabel = 'route' | 'model' | 'version';
type ModelLabel = 'model' | 'version';

/** What the series of a model are labelled by (a ServedModel is one); each object gets its own bound series cache. */
export interface ModelVersion {
  readonly name: string;
  readonly version: string;
}

/** A route's bound series for one model version: 200 answers and the latency of every answer. */
export interface RouteSeries {
  /** route, model and version (empty strings when no model resolved). */
  readonly labels: Readonly<Record<RouteLabel, string>>;
  readonly ok: BoundCounterSeries;
  readonly latency: HistogramSeries;
}

/** A model version's bound series: rows predicted and rows per model call. */
export interface ModelSeries {
  readonly rows: BoundCounterSeries;
  readonly batches: HistogramSeries;
}

/**
 * The serving metrics exposed at GET /metrics, on a prom-client Registry of their own (one per app, so two apps in
 * one process never share series, and prom-client's global registry stays untouched). Node process metrics are left
 * out on purpose: prom-client's `nodejs_active_*_total` gauges fail `promtool check metrics`.
 *
 * Labels: `route` (the route pattern, never the raw path), `model` and `version` (empty for health and metadata
 * routes that resolved no model, so a client cannot grow the label set by sending unknown names), `status` (HTTP
 * status) and `code` (the LOOM_ERR code, for errors).
 *
 * The series every predict request touches (its 200 count and latency, rows predicted, rows per model call) are bound
 * once per route and model version through `routeSeries` and `modelSeries` (bound-series.ts), so the hot path does
 * no label hashing; the latency and batch-size histograms are Loom's BoundHistogram, rendered by the registry as
 * prom-client's own Histogram would be.
 */
export class ServingMetrics {
  readonly registry = new Registry();
  readonly #requestBindings = new CounterBindings('loom_serving_requests_total', ['route', 'model', 'version', 'status']);
  readonly #rowBindings = new CounterBindings('loom_serving_predicted_rows_total', ['model', 'version']);
  readonly #routeSeries = new WeakMap<ModelVersion, Map<string, RouteSeries>>();
  readonly #routeSeriesWithoutModel = new Map<string, RouteSeries>();
  readonly #modelSeries = new WeakMap<ModelVersion, ModelSeries>();
  readonly requests = new Counter<RouteLabel | 'status'>({ name: 'loom_serving_requests_total', help: 'Requests answered, by route, model, version and HTTP status.', labelNames: ['route', 'model', 'version', 'status'], registers: [this.registry], collect: this.#requestBindings.collect });
  readonly errors = new Counter<RouteLabel | 'code'>({ name: 'loom_serving_errors_total', help: 'Requests answered with an error, by route, model, version and error code.', labelNames: ['route', 'model', 'version', 'code'], registers: [this.registry] });
  readonly latency = new BoundHistogram<RouteLabel>({ name: 'loom_serving_request_duration_seconds', help: 'Time from request to response in seconds, by route, model and version.', labelNames: ['route', 'model', 'version'], buckets: LATENCY_BUCKETS_SECONDS, registers: [this.registry] });
  readonly rows = new Counter<ModelLabel>({ name: 'loom_serving_predicted_rows_total', help: 'Rows predicted, by model and version.', labelNames: ['model', 'version'], registers: [this.registry], collect: this.#rowBindings.collect });
  readonly recordErrors = new Counter<ModelLabel>({ name: 'loom_serving_record_errors_total', help: 'Records refused by input validation (partial requests included), by model and version.', labelNames: ['model', 'version'], registers: [this.registry] });
  readonly batches = new BoundHistogram<ModelLabel>({ name: 'loom_serving_batch_rows', help: 'Rows per model call after micro-batching, by model and version.', labelNames: ['model', 'version'], buckets: BATCH_ROWS_BUCKETS, registers: [this.registry] });
  readonly logged = new Counter<'outcome'>({ name: 'loom_serving_prediction_log_events_total', help: 'Prediction log events written, by outcome (written, dropped, failed).', labelNames: ['outcome'], registers: [this.registry] });
  readonly fallbacks = new Counter<'model' | 'reason'>({ name: 'loom_serving_fallbacks_total', help: 'Predict requests answered by a model\'s fallback (another model or default values), by model and reason.', labelNames: ['model', 'reason'], registers: [this.registry] });
  readonly cacheHits = new Counter<ModelLabel>({ name: 'loom_serving_cache_hits_total', help: 'Predict requests answered from the response cache, by model and version.', labelNames: ['model', 'version'], registers: [this.registry] });
  readonly cacheMisses = new Counter<ModelLabel>({ name: 'loom_serving_cache_misses_total', help: 'Predict requests looked up in the response cache and not found, by model and version.', labelNames: ['model', 'version'], registers: [this.registry] });
  readonly durable = new Gauge({ name: 'loom_serving_prediction_log_durable_events', help: 'Durable high-water mark of the prediction log: the first this many recorded events are written (or counted as dropped or failed).', registers: [this.registry] });

  /**
   * The bound series of a route's answers for a model version (or none: `model` null), made on first use. For the
   * hot path: counting a 200 and observing its latency there is plain arithmetic (see bound-series.ts).
   */
  routeSeries(route: string, model: ModelVersion | null): RouteSeries {
    let byRoute = model === null ? this.#routeSeriesWithoutModel : this.#routeSeries.get(model);
    if (byRoute === undefined) {
      byRoute = new Map();
      this.#routeSeries.set(model!, byRoute);
    }
    let series = byRoute.get(route);
    if (series === undefined) {
      const labels = { route, model: model?.name ?? '', version: model?.version ?? '' };
      series = { labels, ok: this.#requestBindings.bind({ ...labels, status: '200' }), latency: this.latency.bind(labels) };
      byRoute.set(route, series);
    }
    return series;
  }

  /** The bound rows and batch-size series of a model version, made on first use. */
  modelSeries(model: ModelVersion): ModelSeries {
    let series = this.#modelSeries.get(model);
    if (series === undefined) {
      const labels = { model: model.name, version: model.version };
      series = { rows: this.#rowBindings.bind(labels), batches: this.batches.bind(labels) };
      this.#modelSeries.set(model, series);
    }
    return series;
  }

  /** The content type of `render()` (the Prometheus text format 0.0.4). */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every series in the Prometheus text exposition format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}

/**
 * The current value of one counter series (0 when it was never incremented), for tests and embedding code.
 *
 * @example
 * await counterValue(metrics.logged, { outcome: 'written' });
 */
export async function counterValue<T extends string>(counter: Counter<T>, labels: LabelValues<T>): Promise<number> {
  const wanted = Object.entries(labels);
  const found = (await counter.get()).values.find((v) => {
    const have = v.labels as Record<string, string | number | undefined>;
    return Object.keys(have).length === wanted.length && wanted.every(([k, value]) => String(have[k]) === String(value));
  });
  return found?.value ?? 0;
}
