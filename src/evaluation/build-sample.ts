import { LoomError } from '../core/errors/index.js';
import type { Column } from '../core/frame/column.js';
import { columnValue } from '../core/frame/column-ops.js';
import type { MetricSample, EvalTask } from './metrics/metric-sample.js';

/** A metric sample and the frame rows it came from. */
export interface BuiltSample {
  readonly sample: MetricSample;
  /** Frame row of each sample row (rows with a missing or unknown label are left out). */
  readonly rows: Int32Array;
  readonly skipped: number;
}

/**
 * Pairs a target column with a model's row-major outputs (`k` per row). Classification labels become class indices
 * by name (`classes` in output order); rows with a missing target, or a class the model does not know, are left out
 * and counted. Multiclass outputs are turned class-major; ranking needs `query` codes, and the rows are reordered so
 * each query's rows are contiguous (stable within a query).
 *
 * @throws LOOM_ERR_EVAL_EMPTY_DATA when no row is left
 */
export function buildSample(task: EvalTask, classes: readonly string[] | null, target: Column, outputs: Float64Array, k: number, threshold: number, query: Int32Array | null = null): BuiltSample {
  const n = target.length;
  const index = new Map((classes ?? []).map((c, i) => [c, i]));
  const keep: number[] = [];
  const label: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = columnValue(target, i);
    if (v === null) continue;
    if (task === 'regression' || task === 'ranking') {
      const x = Number(v);
      if (!Number.isFinite(x)) continue;
      keep.push(i);
      label.push(x);
      continue;
    }
    const code = index.get(String(v));
    if (code === undefined) continue;
    keep.push(i);
    label.push(code);
  }
  if (keep.length === 0) {
    throw new LoomError('EVAL_EMPTY_DATA', { problem: n === 0 ? 'the data has no rows' : `none of the ${n} rows has a target value in "${target.name}" the model knows${classes ? ` (classes: ${classes.join(', ')})` : ''}` }, { details: { field: target.name } });
  }
  let rows = Int32Array.from(keep);
  let y = Float64Array.from(label);
  if (task === 'ranking' && query !== null) {
    const order = Int32Array.from({ length: rows.length }, (_, j) => j).sort((a, b) => query[rows[a]] - query[rows[b]] || a - b);
    rows = order.map((j) => rows[j]);
    y = Float64Array.from(order, (j) => y[j]);
  }
  const m = rows.length;
  let p: Float64Array;
  if (k === 1) p = Float64Array.from(rows, (i) => outputs[i]);
  else {
    p = new Float64Array(m * k);
    for (let j = 0; j < m; j++) for (let c = 0; c < k; c++) p[c * m + j] = outputs[rows[j] * k + c];
  }
  return { sample: { y, p, k, threshold, query: task === 'ranking' && query !== null ? Int32Array.from(rows, (i) => query[i]) : null }, rows, skipped: n - m };
}

/** Group codes of a column (text of each value; nulls are the group `missing`), names sorted. */
export function groupCodes(column: Column, rows: Int32Array, missing = '(missing)'): { codes: Int32Array; names: string[] } {
  const text = Array.from(rows, (i) => {
    const v = columnValue(column, i);
    return v === null ? missing : String(v);
  });
  const names = [...new Set(text)].sort();
  const at = new Map(names.map((name, g) => [name, g]));
  return { codes: Int32Array.from(text, (t) => at.get(t)!), names };
}
