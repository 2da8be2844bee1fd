import { LoomError } from '../../core/errors/index.js';
import { BINARY_METRICS } from './binary-metrics.js';
import type { EvalMetric } from './eval-metric.js';
import type { EvalTask } from './metric-sample.js';
import { MULTICLASS_METRICS } from './multiclass-metrics.js';
import { rankingMetrics } from './ranking-metrics.js';
import { REGRESSION_METRICS } from './regression-metrics.js';

/** Default ranking cut-off. */
export const DEFAULT_RANKING_K = 10;

/** The primary metric of each task: slices are sorted worst first by it. */
export const PRIMARY_METRIC: Readonly<Record<EvalTask, (k: number) => string>> = {
  binary: () => 'auc',
  multiclass: () => 'accuracy',
  regression: () => 'rmse',
  ranking: (k) => `ndcg@${k}`,
};

/** Every metric of a task, in report order. */
export function taskMetrics(task: EvalTask, k = DEFAULT_RANKING_K): readonly EvalMetric[] {
  if (task === 'binary') return BINARY_METRICS;
  if (task === 'multiclass') return MULTICLASS_METRICS;
  if (task === 'regression') return REGRESSION_METRICS;
  return rankingMetrics(k);
}

/**
 * The named metrics of a task (all of them when `names` is empty). Ranking names take any cut-off (`ndcg@5`).
 *
 * @throws LOOM_ERR_EVAL_METRIC_NOT_APPLICABLE for a name the task does not define (AUC on a regression model), naming
 *   the task's metrics.
 */
export function selectMetrics(task: EvalTask, names: readonly string[] = [], k = DEFAULT_RANKING_K): readonly EvalMetric[] {
  if (names.length === 0) return taskMetrics(task, k);
  return names.map((name) => {
    const at = /^(ndcg|map|recall)@(\d+)$/.exec(name);
    const pool = task === 'ranking' && at !== null ? rankingMetrics(Number(at[2])) : taskMetrics(task, k);
    const found = pool.find((m) => m.name === name);
    if (found !== undefined) return found;
    const owner = (['binary', 'multiclass', 'regression', 'ranking'] as const).filter((t) => taskMetrics(t, k).some((m) => m.name === name));
    throw new LoomError(
      'EVAL_METRIC_NOT_APPLICABLE',
      { field: name, task, problem: `${owner.length > 0 ? `it is a ${owner.join('/')} metric` : 'no task defines it'}; a ${task} model has ${taskMetrics(task, k).map((m) => m.name).join(', ')}` },
      { details: { field: 'metrics', metric: name, task } },
    );
  });
}
