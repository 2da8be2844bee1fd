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
import { MapMetric, NdcgMetric } from './ranking-metrics.js';
import { RmseMetric } from './rmse-metric.js';

/** Every pointwise metric by name (`ndcg` and `map`, one metric per eval_at position, are made by createMetrics). */
export const METRICS: ReadonlyMap<Exclude<GbdtMetricName, 'ndcg' | 'map'>, (p: GbdtParams) => Metric> = new Map<Exclude<GbdtMetricName, 'ndcg' | 'map'>, (p: GbdtParams) => Metric>([
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
 * for `none`. `ndcg` and `map` become one metric per eval_at position (sorted ascending, duplicates dropped, as
 * LightGBM orders them): `ndcg@1`, `ndcg@2`, ….
 */
export function createMetrics(p: GbdtParams, defaultMetric: GbdtMetricName): Metric[] {
  if (p.metric.includes('none')) return [];
  const names = (p.metric.length === 0 ? [defaultMetric] : p.metric) as readonly GbdtMetricName[];
  const positions = [...new Set(p.eval_at)].sort((a, b) => a - b);
  return names.flatMap((name): Metric[] => {
    if (name === 'ndcg') return positions.map((k) => new NdcgMetric(k, positions[0], p.label_gain));
    if (name === 'map') return positions.map((k) => new MapMetric(k));
    return [METRICS.get(name)!(p)];
  });
}
