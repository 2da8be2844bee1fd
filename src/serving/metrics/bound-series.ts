import type { Counter, LabelValues, MetricValueWithName, Registry } from 'prom-client';

/**
 * Metric series bound once to their label values, for the serving hot path. prom-client's `inc(labels)` and
 * `observe(labels, v)` validate the label names, build a hash string and look the series up on every call (about a
 * microsecond per call, four calls per predict request: bench/RESULTS.md, serving). A bound series does that once;
 * each update is then plain arithmetic. prom-client still owns the registry and renders the exposition text.
 */

/** Label values as prom-client takes them. */
type Labels = Readonly<Record<string, string | number>>;

/** The series key prom-client's hash would give: label values in label-name order. */
function seriesKey(labelNames: readonly string[], labels: Labels): string {
  let key = '';
  // A missing label is not the empty string (prom-client leaves it out of the series).
  for (const name of labelNames) key += labels[name] === undefined ? '\u0001' : `${labels[name]}\u0000`;
  return key;
}

/** Refuses label names the metric does not declare, as prom-client does, naming the metric. */
function checkLabels(metric: string, labelNames: readonly string[], labels: Labels): void {
  for (const name of Object.keys(labels)) {
    if (!labelNames.includes(name)) throw new Error(`Added label "${name}" is not included in initial labelset: ${JSON.stringify(labelNames)} (metric ${metric})`);
  }
}

/**
 * A prom-client Counter series bound to its labels: `add` is a plain addition, moved into the counter when the
 * registry is read (the counter's `collect` calls `flush`), so every reader sees the same totals as with `inc`.
 */
export class BoundCounterSeries {
  readonly labels: Labels;
  #pending = 0;

  constructor(labels: Labels) {
    this.labels = labels;
  }

  add(value: number): void {
    this.#pending += value;
  }

  /** Moves the pending count into `counter`. */
  flush(counter: Counter<string>): void {
    if (this.#pending === 0) return;
    counter.inc(this.labels as LabelValues<string>, this.#pending);
    this.#pending = 0;
  }
}

/**
 * Bound series of one prom-client Counter, by label values. Give `collect` as the counter's `collect` option: prom-client
 * calls it (with the counter as `this`) before every read, and it moves the pending counts in.
 */
export class CounterBindings {
  readonly #name: string;
  readonly #labelNames: readonly string[];
  readonly #series = new Map<string, BoundCounterSeries>();

  constructor(name: string, labelNames: readonly string[]) {
    this.#name = name;
    this.#labelNames = labelNames;
  }

  /** The one bound series for these label values. */
  bind(labels: Labels): BoundCounterSeries {
    const key = seriesKey(this.#labelNames, labels);
    let series = this.#series.get(key);
    if (series === undefined) {
      checkLabels(this.#name, this.#labelNames, labels);
      series = new BoundCounterSeries({ ...labels });
      this.#series.set(key, series);
    }
    return series;
  }

  /** The counter's `collect` option. */
  get collect(): (this: Counter<string>) => void {
    const series = this.#series;
    return function (this: Counter<string>): void {
      for (const s of series.values()) s.flush(this);
    };
  }
}

/** One bound histogram series: per-bucket counts (not cumulative), sum and count. */
export class HistogramSeries {
  readonly labels: Labels;
  readonly #upperBounds: readonly number[];
  readonly #counts: Float64Array;
  #sum = 0;
  #count = 0;

  constructor(labels: Labels, upperBounds: readonly number[]) {
    this.labels = labels;
    this.#upperBounds = upperBounds;
    this.#counts = new Float64Array(upperBounds.length);
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
    const bounds = this.#upperBounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]) {
        this.#counts[i] += 1;
        break;
      }
    }
    this.#sum += value;
    this.#count += 1;
  }

  /** prom-client's histogram values for this series: cumulative buckets with `le` first, +Inf, sum, count. */
  exportTo(name: string, out: MetricValueWithName<string>[]): void {
    let cumulative = 0;
    for (let i = 0; i < this.#upperBounds.length; i++) {
      cumulative += this.#counts[i];
      out.push({ metricName: `${name}_bucket`, labels: { le: this.#upperBounds[i], ...this.labels }, value: cumulative });
    }
    out.push({ metricName: `${name}_bucket`, labels: { le: '+Inf', ...this.labels }, value: this.#count });
    out.push({ metricName: `${name}_sum`, labels: { ...this.labels }, value: this.#sum });
    out.push({ metricName: `${name}_count`, labels: { ...this.labels }, value: this.#count });
  }
}

/** What a BoundHistogram takes: prom-client Histogram's configuration, less exemplars and collect. */
export interface BoundHistogramOptions<T extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly T[];
  readonly buckets: readonly number[];
  readonly registers: readonly Registry[];
}

/**
 * A histogram with bound series, registered in a prom-client Registry and rendered by it exactly as its own
 * Histogram with the same buckets and observations (src/serving/metrics/bound-series.test.ts compares the text).
 * `observe(labels, v)` is kept for occasional callers; the hot path binds once and calls `series.observe(v)`.
 */
export class BoundHistogram<T extends string> {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  readonly labelNames: readonly T[];
  readonly #upperBounds: readonly number[];
  readonly #series = new Map<string, HistogramSeries>();

  constructor(options: BoundHistogramOptions<T>) {
    this.name = options.name;
    this.help = options.help;
    this.labelNames = options.labelNames;
    this.#upperBounds = [...options.buckets].sort((a, b) => a - b);
    // prom-client's Registry renders any metric that has name, help, type and get(); its typings list only its own classes.
    for (const registry of options.registers) registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  /** The one bound series for these label values. */
  bind(labels: LabelValues<T>): HistogramSeries {
    const values = labels as Labels;
    const key = seriesKey(this.labelNames, values);
    let series = this.#series.get(key);
    if (series === undefined) {
      checkLabels(this.name, this.labelNames, values);
      series = new HistogramSeries({ ...values }, this.#upperBounds);
      this.#series.set(key, series);
    }
    return series;
  }

  observe(labels: LabelValues<T>, value: number): void {
    this.bind(labels).observe(value);
  }

  /** Forgets every series (prom-client's Registry.resetMetrics calls it). */
  reset(): void {
    this.#series.clear();
  }

  /** The metric in prom-client's object form, as its Histogram's get() gives it. */
  async get(): Promise<{ name: string; help: string; type: 'histogram'; aggregator: 'sum'; values: MetricValueWithName<string>[] }> {
    const values: MetricValueWithName<string>[] = [];
    for (const series of this.#series.values()) series.exportTo(this.name, values);
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}
