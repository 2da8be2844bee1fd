import type { GbdtMetricName, GbdtParams } from '../params/gbdt-param-table.js';
import { AucMetric } from './auc-metric.js';
import { BinaryErrorMetric } from './binary-error-metric.js';
import { BinaryLoglossMetric } from './binary-logloss-metric.js';
import { HuberMetric } from './huber-metric.js';
import { L1Metric } from './l1-metric.js';
import { L2Metric } from './l2-metric.js';
import type { Metric } from './metric.js';
import { MultiErrorMetric } from './multi-error-metric.js';
import { MultiLoglossMetric } from './multi-logloss-metric.js';
import { PoissonMetric } from './poisson-metric.js';
import { QuantileMetric } from './quantile-metric.js';
import { RmseMetric } from './rmse-metric.js';

/** Every metric by name. */
export const METRICS: ReadonlyMap<GbdtMetricName, (p: GbdtParams) => Metric> = new Map<GbdtMetricName, (p: GbdtParams) => Metric>([
  ['auc', () => new AucMetric()],
  ['binary_logloss', () => new BinaryLoglossMetric()],
  ['binary_error', () => new BinaryErrorMetric()],
  ['multi_logloss', () => new MultiLoglossMetric()],
  ['multi_error', (p) => new MultiErrorMetric(p.num_class, p.multi_error_top_k)],
  ['l2', () => new L2Metric()],
  ['rmse', () => new RmseMetric()],
  ['l1', () => new L1Metric()],
  ['huber', (p) => new HuberMetric(p.alpha)],
  ['quantile', (p) => new QuantileMetric(p.alpha)],
  ['poisson', () => new PoissonMetric()],
]);

/**
 * The metrics the params ask for, in order: the `metric` list, the objective's default when it is empty, or none
 * for `none`.
 */
export function createMetrics(p: GbdtParams, defaultMetric: GbdtMetricName): Metric[] {
  if (p.metric.includes('none')) return [];
  const names = (p.metric.length === 0 ? [defaultMetric] : p.metric) as readonly GbdtMetricName[];
  return names.map((name) => METRICS.get(name)!(p));
}
