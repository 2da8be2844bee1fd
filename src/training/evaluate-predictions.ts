import { LoomError } from '../core/errors/index.js';
import { columnValue } from '../core/frame/column-ops.js';
import type { Column } from '../core/frame/column.js';
import { AucMetric } from '../models/gbdt/metric/auc-metric.js';
import { BinaryErrorMetric } from '../models/gbdt/metric/binary-error-metric.js';
import { BinaryLoglossMetric } from '../models/gbdt/metric/binary-logloss-metric.js';
import { boundariesFromColumn } from '../models/gbdt/data/query-groups.js';
import { L1Metric } from '../models/gbdt/metric/l1-metric.js';
import { MultiErrorMetric } from '../models/gbdt/metric/multi-error-metric.js';
import { MultiLoglossMetric } from '../models/gbdt/metric/multi-logloss-metric.js';
import { NdcgMetric } from '../models/gbdt/metric/ranking-metrics.js';
import { RmseMetric } from '../models/gbdt/metric/rmse-metric.js';
import type { TaskInfo } from './model-task.js';

/**
 * Held-out metrics of a model's outputs (row-major, as Predictor returns them) against a target column. Rows with a
 * missing target, or (classification) a class the model does not know, are left out and counted in `rows_skipped`.
 * Binary: auc, binary_logloss, accuracy; multiclass: multi_logloss, accuracy; regression: rmse, mae, r2; ranking
 * (which needs the query id column `groups`, rows of a query contiguous): ndcg@1, ndcg@3, ndcg@5, ndcg@10, as
 * LightGBM computes them.
 *
 * @throws LOOM_ERR_GBDT_GROUP_MISSING for ranking without `groups`; LOOM_ERR_GBDT_GROUP_INVALID for non-contiguous
 *   queries; LOOM_ERR_GBDT_LABEL_INVALID for a relevance that is not a grade 0..30.
 */
export function evaluatePredictions(info: TaskInfo, target: Column, outputs: Float64Array, groups: Column | null = null): Record<string, number> {
  const n = target.length;
  const k = info.task === 'multiclass' ? info.classes!.length : 1;
  const keep: number[] = [];
  const label: number[] = [];
  const index = new Map((info.classes ?? []).map((c, i) => [c, i]));
  for (let i = 0; i < n; i++) {
    const v = columnValue(target, i);
    if (v === null) continue;
    if (info.task === 'regression' || info.task === 'ranking') {
      keep.push(i);
      label.push(Number(v));
      continue;
    }
    const code = index.get(String(v));
    if (code === undefined) continue;
    keep.push(i);
    label.push(code);
  }
  const m = keep.length;
  const y = Float64Array.from(label);
  const skipped = n - m;
  if (m === 0) return { rows: 0, rows_skipped: skipped };
  if (info.task === 'multiclass') {
    // The metrics read class-major scores: class c of row j at c·m + j.
    const pred = new Float64Array(m * k);
    for (let j = 0; j < m; j++) for (let c = 0; c < k; c++) pred[c * m + j] = outputs[keep[j] * k + c];
    return { rows: m, rows_skipped: skipped, multi_logloss: new MultiLoglossMetric().evaluate(pred, y, null), accuracy: 1 - new MultiErrorMetric(k, 1).evaluate(pred, y, null) };
  }
  const pred = Float64Array.from(keep, (i) => outputs[i]);
  if (info.task === 'ranking') return { rows: m, rows_skipped: skipped, ...rankingMetrics(pred, y, keep, target.name, groups) };
  if (info.task === 'binary') {
    return {
      rows: m,
      rows_skipped: skipped,
      auc: new AucMetric().evaluate(pred, y, null),
      binary_logloss: new BinaryLoglossMetric().evaluate(pred, y, null),
      accuracy: 1 - new BinaryErrorMetric().evaluate(pred, y, null),
    };
  }
  const rmse = new RmseMetric().evaluate(pred, y, null);
  let mean = 0;
  for (let j = 0; j < m; j++) mean += y[j] / m;
  let total = 0;
  for (let j = 0; j < m; j++) total += (y[j] - mean) ** 2;
  const r2 = total === 0 ? 0 : 1 - (rmse * rmse * m) / total;
  return { rows: m, rows_skipped: skipped, rmse, mae: new L1Metric().evaluate(pred, y, null), r2 };
}

/** NDCG and MAP of the kept rows (`keep`, ascending row numbers) per query of `groups`. */
function rankingMetrics(pred: Float64Array, y: Float64Array, keep: readonly number[], labelName: string, groups: Column | null): Record<string, number> {
  if (groups === null) throw new LoomError('GBDT_GROUP_MISSING', { what: 'Ranking evaluation', dataset: 'evaluated' }, { details: { field: 'group_column' } });
  const all = boundariesFromColumn(groups, 'evaluated');
  // Queries over the kept rows only: count each query's kept rows, dropping queries left empty.
  const sizes: number[] = [];
  let q = 0;
  let j = 0;
  while (j < keep.length) {
    while (keep[j] >= all[q + 1]) q++;
    let size = 0;
    while (j < keep.length && keep[j] < all[q + 1]) {
      size++;
      j++;
    }
    sizes.push(size);
  }
  const bounds = new Int32Array(sizes.length + 1);
  sizes.forEach((size, k) => (bounds[k + 1] = bounds[k] + size));
  const ks = [1, 3, 5, 10];
  const ndcg = ks.map((k) => new NdcgMetric(k, ks[0], []));
  ndcg[0].checkLabels(y, labelName, 'evaluated');
  const out: Record<string, number> = {};
  for (const metric of ndcg) out[metric.name] = metric.evaluate(pred, y, null, bounds);
  return out;
}
