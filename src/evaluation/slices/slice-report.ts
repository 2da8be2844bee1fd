import type { Frame } from '../../core/frame/frame.js';
import { estimateMetrics, resamplerFor, type BootstrapOptions } from '../bootstrap.js';
import type { SliceReport } from '../evaluation-report.js';
import type { EvalMetric } from '../metrics/eval-metric.js';
import { gatherSample, type EvalTask, type MetricSample } from '../metrics/metric-sample.js';
import { sliceRows } from './slice-rows.js';
import type { SliceSpec } from './slice-spec.js';

/**
 * Metrics with bootstrap intervals for every slice of every spec, worst first by `primary` (ascending when higher is
 * better); slices where the primary metric is undefined (one class present) come last, largest first. `frame` rows
 * align with `sample` rows.
 */
export function sliceReports(frame: Frame, sample: MetricSample, task: EvalTask, specs: readonly SliceSpec[], metrics: readonly EvalMetric[], primary: EvalMetric, options: BootstrapOptions): SliceReport[] {
  const out: SliceReport[] = [];
  for (const spec of specs) {
    for (const slice of sliceRows(frame, spec)) {
      const sub = gatherSample(sample, slice.rows);
      out.push({ name: slice.name, column: slice.column, size: slice.rows.length, metrics: slice.rows.length === 0 ? {} : estimateMetrics(sub, metrics, resamplerFor(sub, task).resampler, options) });
    }
  }
  const sign = primary.higherIsBetter ? 1 : -1;
  return out.sort((a, b) => {
    const va = a.metrics[primary.name]?.value;
    const vb = b.metrics[primary.name]?.value;
    if (va === undefined || vb === undefined) return va === undefined && vb === undefined ? b.size - a.size : va === undefined ? 1 : -1;
    return sign * (va - vb) || b.size - a.size;
  });
}
