import { columnValue } from '../core/frame/column-ops.js';
import type { Column } from '../core/frame/column.js';
import { AucMetric } from '../models/gbdt/metric/auc-metric.js';
import { BinaryErrorMetric } from '../models/gbdt/metric/binary-error-metric.js';
import { BinaryLoglossMetric } from '../models/gbdt/metric/binary-logloss-metric.js';
import { L1Metric } from '../models/gbdt/metric/l1-metric.js';
import { MultiErrorMetric } from '../models/gbdt/metric/multi-error-metric.js';
import { MultiLoglossMetric } from '../models/gbdt/metric/multi-logloss-metric.js';
import { RmseMetric } from '../models/gbdt/metric/rmse-metric.js';
import type { TaskInfo } from './model-task.js';

/**
 * Held-out metrics of a model's outputs (row-major, as Predictor returns them) against a target column. Rows with a
 * missing target, or (classification) a class the model does not know, are left out and counted in `rows_skipped`.
 * Binary: auc, binary_logloss, accuracy; multiclass: multi_logloss, accuracy; regression: rmse, mae, r2.
 */
export function evaluatePredictions(info: TaskInfo, target: Column, outputs: Float64Array): Record<string, number> {
  const n = target.length;
  const k = info.task === 'multiclass' ? info.classes!.length : 1;
  const keep: number[] = [];
  const label: number[] = [];
  const index = new Map((info.classes ?? []).map((c, i) => [c, i]));
  for (let i = 0; i < n; i++) {
    const v = columnValue(target, i);
    if (v === null) continue;
    if (info.task === 'regression') {
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
