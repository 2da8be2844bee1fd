import { LoomError } from '../../core/errors/index.js';
import type { Frame } from '../../core/frame/frame.js';
import { cvFolds, type CvFold } from '../../evaluation/cross-validation/cv-folds.js';
import { trainGbdt } from '../../models/gbdt/index.js';
import { inferTask, type TaskInfo } from '../model-task.js';
import type { TrialParams, TrialValue } from './search-space.js';
import type { Direction } from './trial-record.js';

/** The GBDT metrics a study can optimize (LightGBM names), with their direction. */
export const TUNING_METRICS: ReadonlyMap<string, Direction> = new Map([
  ['auc', 'maximize'],
  ['binary_logloss', 'minimize'],
  ['binary_error', 'minimize'],
  ['multi_logloss', 'minimize'],
  ['multi_error', 'minimize'],
  ['l2', 'minimize'],
  ['rmse', 'minimize'],
  ['l1', 'minimize'],
  ['huber', 'minimize'],
  ['poisson', 'minimize'],
  ['quantile', 'minimize'],
]);

/** The metric a task is tuned on when none is given. */
export function defaultTuningMetric(task: TaskInfo['task']): string {
  return task === 'binary' ? 'auc' : task === 'multiclass' ? 'multi_logloss' : 'rmse';
}

/** What one GBDT trial evaluates: the frame's target, the metric, and how to cut folds. */
export interface GbdtObjectiveSpec {
  readonly target: string;
  readonly metric: string;
  /** GBDT objective (default: from the target, as `loom train` infers it); `binary` makes a 0/1 numeric target a class. */
  readonly objective?: string;
  /** Folds (≥ 2), stratified on the target for classification. */
  readonly folds: number;
  /** Seeds the folds and the learner, so every trial sees the same folds. */
  readonly seed: number;
}

/** One fold of a trial: its validation score after the last iteration (or at the early-stopping best). */
export interface GbdtFoldResult {
  readonly value: number;
  /** True when `report` answered true and training stopped early. */
  readonly pruned: boolean;
  /** The last boosting iteration reported. */
  readonly steps: number;
}

/** Task, folds and the task's GBDT params, computed once per study and shared by its trials. */
export interface PreparedObjective {
  readonly task: TaskInfo;
  readonly folds: readonly CvFold[];
  readonly tagged: Frame;
}

/** @throws LOOM_ERR_TUNING_INVALID_OPTION for a metric unknown or unfit for the task, and cvFolds' errors */
export function prepareObjective(frame: Frame, spec: GbdtObjectiveSpec): PreparedObjective {
  const tagged = frame.withTags(spec.target, [...new Set([...frame.column(spec.target).tags, 'target' as const])]);
  const task = inferTask(tagged.column(spec.target), spec.objective);
  if (task.task === 'ranking') throw new LoomError('TUNING_INVALID_OPTION', { field: 'target', problem: 'ranking targets are not tunable yet' }, { details: { field: 'target' } });
  checkMetric(spec.metric, task.task);
  const cv = task.task === 'regression' ? { kind: 'kfold' as const, k: spec.folds, seed: spec.seed } : { kind: 'stratified' as const, k: spec.folds, column: spec.target, seed: spec.seed };
  return { task, folds: cvFolds(tagged, cv), tagged };
}

/** @throws LOOM_ERR_TUNING_INVALID_OPTION */
export function checkMetric(metric: string, task: TaskInfo['task']): void {
  const fits = TUNING_METRICS.has(metric) && (metric.startsWith('multi_') ? task === 'multiclass' : metric === 'auc' || metric.startsWith('binary_') ? task === 'binary' : task === 'regression');
  if (!fits) {
    const valid = [...TUNING_METRICS.keys()].filter((m) => (m.startsWith('multi_') ? task === 'multiclass' : m === 'auc' || m.startsWith('binary_') ? task === 'binary' : task === 'regression'));
    throw new LoomError('TUNING_INVALID_OPTION', { field: 'metric', problem: `"${metric}" does not fit a ${task} target; use one of ${valid.join(', ')}` }, { details: { field: 'metric' } });
  }
}

/**
 * Trains one fold of a trial: on the fold's training rows, with its test rows as the validation set, reporting the
 * validation score after every iteration (step = iteration, 1-based). When `report` answers true training stops and
 * the fold is pruned. A TrialPool runs a trial's folds side by side in worker threads and feeds the pruner the mean
 * across folds at each step. Single-threaded.
 *
 * @throws the GBDT trainer's errors for params it rejects
 */
export function evaluateGbdtFold(prepared: PreparedObjective, spec: GbdtObjectiveSpec, params: TrialParams, fold: number, report: (step: number, value: number) => boolean): GbdtFoldResult {
  const { task, folds, tagged } = prepared;
  const base: Record<string, TrialValue> = {
    objective: spec.objective ?? task.task,
    ...(task.task === 'multiclass' ? { num_class: task.classes!.length } : {}),
    seed: spec.seed,
    num_threads: 1,
    ...params,
    metric: spec.metric,
  };
  let pruned = false;
  let steps = 0;
  const model = trainGbdt(tagged.take(folds[fold].train), base, {
    label: spec.target,
    validSets: [{ name: 'valid', data: tagged.take(folds[fold].test) }],
    onIteration: (event) => {
      const e = event.evaluations.find((x) => x.dataset === 'valid' && x.metric === spec.metric);
      if (e === undefined) return undefined;
      steps = event.iteration;
      if (report(event.iteration, e.value)) {
        pruned = true;
        return 'stop';
      }
      return undefined;
    },
  });
  const series = model.evalLog.values.valid?.[spec.metric] ?? [];
  const at = model.evalLog.iterations.indexOf(model.bestIteration);
  return { value: pruned || at < 0 ? series[series.length - 1] : series[at], pruned, steps };
}
