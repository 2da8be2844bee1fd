import type { Frame } from '../../core/frame/frame.js';
import { findFlavor } from '../../training/flavors/flavor-registry.js';
import { inferTask } from '../../training/model-task.js';
import { checkBootstrapOptions, DEFAULT_LEVEL, DEFAULT_RESAMPLES, estimateMetrics, resamplerFor, type BootstrapOptions } from '../bootstrap.js';
import { buildSample } from '../build-sample.js';
import type { MetricTable } from '../evaluation-report.js';
import { selectMetrics } from '../metrics/metric-registry.js';
import type { EvalTask } from '../metrics/metric-sample.js';
import { cvFolds, type CvSpec } from './cv-folds.js';

/** What crossValidate trains and how it cuts the rows. */
export interface CrossValidateRequest {
  readonly target: string;
  /** Model flavor (default gbdt) and its params, as `loom train` takes them. */
  readonly model?: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly cv: CvSpec;
  readonly seed?: number;
  readonly threshold?: number;
  readonly bootstrap?: Partial<BootstrapOptions>;
}

/** Per-fold metrics, their mean and standard deviation across folds, and the pooled out-of-fold metrics with intervals. */
export interface CrossValidationReport {
  readonly task: EvalTask;
  readonly cv: CvSpec;
  readonly folds: readonly { readonly train_rows: number; readonly test_rows: number; readonly metrics: Readonly<Record<string, number>> }[];
  readonly mean: Readonly<Record<string, number>>;
  /** Sample standard deviation across folds (n − 1). */
  readonly std: Readonly<Record<string, number>>;
  /** Metrics of all out-of-fold predictions pooled, with bootstrap intervals. */
  readonly out_of_fold: MetricTable;
}

/**
 * Cross-validates a flavor on a frame: for each fold, trains on the fold's training rows (the task is inferred from
 * the whole target, so every fold predicts the same classes) and scores its test rows. Time folds make an
 * expanding-window backtest.
 *
 * @throws the errors of cvFolds, inferTask, the flavor's training, and buildSample
 * @example
 * const cv = crossValidate(frame, { target: 'churned', model: 'linear', cv: { kind: 'stratified', k: 5, column: 'churned', seed: 7 } });
 * console.log(cv.mean.auc, cv.out_of_fold.auc.ci);
 */
export function crossValidate(frame: Frame, request: CrossValidateRequest): CrossValidationReport {
  const flavor = findFlavor(request.model ?? 'gbdt');
  const tagged = frame.withTags(request.target, [...new Set([...frame.column(request.target).tags, 'target' as const])]);
  const info = inferTask(tagged.column(request.target), typeof request.params?.objective === 'string' ? request.params.objective : undefined);
  const task: EvalTask = info.task;
  const metrics = selectMetrics(task);
  const threshold = request.threshold ?? 0.5;
  const folds = cvFolds(tagged, request.cv);
  const k = task === 'multiclass' ? info.classes!.length : 1;
  const testRows: number[] = [];
  const pooled: number[] = [];
  let pooledClasses = info.classes;
  const perFold = folds.map((fold) => {
    const trained = flavor.train({ train: tagged.take(fold.train), valid: null, target: request.target, task, classes: info.classes, params: request.params ?? {}, seed: request.seed ?? 42, threads: 1 });
    const classes = trained.classes ?? info.classes;
    // A learner may order classes its own way (a category target's dictionary); every fold orders them alike.
    pooledClasses = classes;
    const test = tagged.take(fold.test);
    const outputs = trained.predictor.predict(test);
    const { sample } = buildSample(task, classes, test.column(request.target), outputs, k, threshold);
    fold.test.forEach((row) => testRows.push(row));
    for (const v of outputs) pooled.push(v);
    return { train_rows: fold.train.length, test_rows: fold.test.length, metrics: Object.fromEntries(metrics.map((m) => [m.name, m.compute(sample)]).filter(([, v]) => Number.isFinite(v as number))) as Record<string, number> };
  });
  const names = metrics.map((m) => m.name).filter((name) => perFold.every((f) => f.metrics[name] !== undefined));
  const mean = Object.fromEntries(names.map((name) => [name, perFold.reduce((a, f) => a + f.metrics[name], 0) / perFold.length]));
  const std = Object.fromEntries(
    names.map((name) => [name, perFold.length < 2 ? 0 : Math.sqrt(perFold.reduce((a, f) => a + (f.metrics[name] - mean[name]) ** 2, 0) / (perFold.length - 1))]),
  );
  const oofFrame = tagged.take(Int32Array.from(testRows));
  const { sample } = buildSample(task, pooledClasses, oofFrame.column(request.target), Float64Array.from(pooled), k, threshold);
  const boot = checkBootstrapOptions({ resamples: request.bootstrap?.resamples ?? DEFAULT_RESAMPLES, seed: request.bootstrap?.seed ?? request.seed ?? 42, level: request.bootstrap?.level ?? DEFAULT_LEVEL });
  return { task, cv: request.cv, folds: perFold, mean, std, out_of_fold: estimateMetrics(sample, metrics, resamplerFor(sample, task).resampler, boot) };
}
