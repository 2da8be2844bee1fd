import type { EvalTask, MetricSample } from './metric-sample.js';

/**
 * One evaluation metric: a pure function of a sample, named as in the report (`auc`, `ndcg@10`). `compute` returns
 * NaN when the metric is undefined on that sample (AUC with one class present), never a made-up value.
 */
export interface EvalMetric {
  readonly name: string;
  readonly tasks: readonly EvalTask[];
  readonly higherIsBetter: boolean;
  /** One line for docs and the model card. */
  readonly description: string;
  compute(sample: MetricSample): number;
}
