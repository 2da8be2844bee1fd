import { LoomError } from '../core/errors/index.js';
import type { Frame } from '../core/frame/frame.js';
import { bootstrapIntervals, checkBootstrapOptions, DEFAULT_LEVEL, DEFAULT_RESAMPLES, estimateMetrics, resamplerFor, type BootstrapOptions } from './bootstrap.js';
import { buildSample, groupCodes } from './build-sample.js';
import { DEFAULT_CALIBRATION_BINS, expectedCalibrationError, maximumCalibrationError, reliabilityCurve, uniformBin } from './calibration/reliability-curve.js';
import { costReport, parseCostMatrix, type CostMatrix } from './costs/cost-matrix.js';
import type { CalibrationReport, ConfusionMatrix, EvaluationReport, FairnessReport } from './evaluation-report.js';
import { DEFAULT_MIN_GROUP_SIZE, fairnessReport } from './fairness/fairness-report.js';
import { confusionCounts } from './metrics/binary-metrics.js';
import { DEFAULT_RANKING_K, PRIMARY_METRIC, selectMetrics, taskMetrics } from './metrics/metric-registry.js';
import type { EvalTask, MetricSample } from './metrics/metric-sample.js';
import { argmaxClasses } from './metrics/multiclass-metrics.js';
import { sliceReports } from './slices/slice-report.js';
import type { SliceSpec } from './slices/slice-spec.js';

/** The default decision threshold of a binary classifier. */
export const DEFAULT_THRESHOLD = 0.5;
/** Groups or slices smaller than this get a note: their intervals are wide and their point values noisy. */
export const SMALL_GROUP = 30;

/** What to evaluate beyond the task's metrics. Every field is optional. */
export interface EvaluateOptions {
  /** The label column (default: the column tagged `target`). */
  readonly target?: string;
  /** Metric names to report (default: all of the task's). */
  readonly metrics?: readonly string[];
  /** Binary decision threshold (default 0.5): ŷ = 1 when p ≥ threshold. */
  readonly threshold?: number;
  readonly sensitive?: readonly string[];
  /** Fairness groups with fewer rows are listed but left out of the gap figures (default 30, DEFAULT_MIN_GROUP_SIZE). */
  readonly minGroupSize?: number;
  readonly slices?: readonly SliceSpec[];
  /** A cost matrix, or its `tn,fp,fn,tp` text. */
  readonly costMatrix?: CostMatrix | string;
  /** Bootstrap settings (default 1000 resamples, seed 42, level 0.95). */
  readonly bootstrap?: Partial<BootstrapOptions>;
  /** Evaluate as a ranker: the query-id column, and the cut-off k (default 10). */
  readonly query?: string;
  readonly k?: number;
  readonly calibrationBins?: number;
}

/** What evaluateOutputs needs about the model's outputs. */
export interface ModelOutputs {
  readonly task: EvalTask;
  readonly classes: readonly string[] | null;
  /** Row-major, `k` per row, aligned with the frame's rows. */
  readonly outputs: Float64Array;
  readonly k: number;
}

/** The report without the model and data identity (evaluateModel adds those). */
export type EvaluationBody = Omit<EvaluationReport, 'format' | 'model' | 'data' | 'created_at'> & { readonly rows: number };

/** Progress callback: called after each stage with its name. */
export type StageCallback = (stage: string) => void;

/**
 * Evaluates a model's outputs on a frame that holds the labels (and any slice or sensitive columns): metrics with
 * percentile-bootstrap intervals, confusion matrix, slices worst first, calibration, fairness per sensitive column
 * and the cost report. Pure: no IO. Stages: metrics, slices, calibration, fairness, costs.
 *
 * @throws LOOM_ERR_EVAL_EMPTY_DATA, LOOM_ERR_EVAL_COLUMN_UNKNOWN, LOOM_ERR_EVAL_METRIC_NOT_APPLICABLE,
 *   LOOM_ERR_EVAL_INVALID_OPTION, LOOM_ERR_EVAL_COST_MATRIX_INVALID, LOOM_ERR_EVAL_SENSITIVE_ONE_GROUP
 */
export function evaluateOutputs(frame: Frame, model: ModelOutputs, options: EvaluateOptions = {}, onStage?: StageCallback): EvaluationBody {
  const task: EvalTask = options.query !== undefined ? 'ranking' : model.task;
  const target = resolveTarget(frame, options.target);
  checkOptions(frame, task, options);
  if (options.query !== undefined && model.k !== 1) throw notApplicable('query', model.task, 'ranking needs one score per row; a multiclass model has one per class');
  const boot = checkBootstrapOptions({ resamples: options.bootstrap?.resamples ?? DEFAULT_RESAMPLES, seed: options.bootstrap?.seed ?? 42, level: options.bootstrap?.level ?? DEFAULT_LEVEL });
  const k = options.k ?? DEFAULT_RANKING_K;
  const metrics = selectMetrics(task, options.metrics ?? [], k);
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const costMatrix = options.costMatrix === undefined ? null : typeof options.costMatrix === 'string' ? parseCostMatrix(options.costMatrix) : options.costMatrix;
  if (frame.length === 0) throw new LoomError('EVAL_EMPTY_DATA', { problem: 'the data has no rows' }, { details: { field: 'data' } });

  const query = options.query === undefined ? null : groupCodes(frame.column(options.query), Int32Array.from({ length: frame.length }, (_, i) => i)).codes;
  const built = buildSample(task, task === 'ranking' ? null : model.classes, frame.column(target), model.outputs, model.k, threshold, query);
  const { sample, rows } = built;
  const evalFrame = frame.take(rows);
  const { resampler, kind } = resamplerFor(sample, task);
  const notes: string[] = [];

  const table = estimateMetrics(sample, metrics, resampler, boot);
  for (const m of metrics) if (table[m.name] === undefined) notes.push(`${m.name} is undefined on these rows (for example, only one class is present) and is left out.`);
  onStage?.('metrics');

  const primaryName = PRIMARY_METRIC[task](k);
  const primary = taskMetrics(task, k).find((m) => m.name === primaryName)!;
  const slices = sliceReports(evalFrame, sample, task, options.slices ?? [], metrics.includes(primary) ? metrics : [primary, ...metrics], primary, boot);
  const small = slices.filter((s) => s.size < SMALL_GROUP).map((s) => s.name);
  if (small.length > 0) notes.push(`Slices with fewer than ${SMALL_GROUP} rows have wide intervals: ${small.slice(0, 8).join('; ')}${small.length > 8 ? '; …' : ''}.`);
  onStage?.('slices');

  let calibration: CalibrationReport | undefined;
  if (task === 'binary') {
    const bins = options.calibrationBins ?? DEFAULT_CALIBRATION_BINS;
    const curve = reliabilityCurve(sample.y, sample.p, bins);
    // Each row's bin is fixed, so a resample only re-adds per-bin sums.
    const bin = Int32Array.from(sample.p, (v) => uniformBin(v, bins));
    const count = new Float64Array(bins);
    const sumP = new Float64Array(bins);
    const sumY = new Float64Array(bins);
    const [eceCi] = bootstrapIntervals(sample.y.length, resampler, (draw) => {
      count.fill(0);
      sumP.fill(0);
      sumY.fill(0);
      for (const i of draw.rows) (count[bin[i]]++, (sumP[bin[i]] += sample.p[i]), (sumY[bin[i]] += sample.y[i]));
      let e = 0;
      for (let b = 0; b < bins; b++) e += Math.abs(sumY[b] - sumP[b]);
      return [e / draw.rows.length];
    }, 1, boot);
    calibration = { bins: curve, ece: { value: expectedCalibrationError(curve), ci: eceCi, level: boot.level }, mce: maximumCalibrationError(curve), strategy: 'uniform' };
  }
  onStage?.('calibration');

  const fairness: FairnessReport[] = [];
  for (const column of options.sensitive ?? []) {
    const groups = groupCodes(evalFrame.column(column), Int32Array.from({ length: evalFrame.length }, (_, i) => i));
    const report = fairnessReport(sample, { column, ...groups }, metrics, boot, options.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE);
    for (const g of report.groups) {
      if (g.below_min_group_size) notes.push(`Group ${column} = ${g.group} has ${g.size} rows, fewer than the minimum group size ${report.min_group_size}: its figures are listed but left out of the ${column} gaps.`);
      if (g.base_rate === 0 || g.base_rate === 1) notes.push(`Group ${column} = ${g.group} has no ${g.base_rate === 0 ? 'positives' : 'negatives'}; its ${g.base_rate === 0 ? 'TPR' : 'FPR'} is reported as 0 (Fairlearn's convention).`);
    }
    fairness.push(report);
  }
  onStage?.('fairness');

  const costs = costMatrix === null ? null : costReport(sample.y, sample.p, costMatrix, threshold);
  onStage?.('costs');

  return {
    task,
    rows: sample.y.length,
    rows_skipped: built.skipped,
    target,
    ...(model.classes !== null && task !== 'ranking' ? { classes: model.classes } : {}),
    ...(task === 'binary' ? { threshold } : {}),
    metrics: table,
    bootstrap: { method: 'percentile', resamples: boot.resamples, seed: boot.seed, level: boot.level, resampling: kind },
    ...(task === 'binary' || task === 'multiclass' ? { confusion_matrix: confusionMatrix(sample, task, model.classes!) } : {}),
    slices,
    fairness,
    costs,
    ...(calibration ? { calibration } : {}),
    notes,
  };
}

function confusionMatrix(sample: MetricSample, task: 'binary' | 'multiclass', classes: readonly string[]): ConfusionMatrix {
  if (task === 'binary') {
    const c = confusionCounts(sample.y, sample.p, sample.threshold);
    return { labels: classes, counts: [[c.tn, c.fp], [c.fn, c.tp]], threshold: sample.threshold };
  }
  const counts = classes.map(() => new Array<number>(classes.length).fill(0));
  const pred = argmaxClasses(sample);
  for (let i = 0; i < pred.length; i++) counts[sample.y[i]][pred[i]]++;
  return { labels: classes, counts };
}

/** The label column: the option, or the single column tagged `target`. @throws LOOM_ERR_EVAL_COLUMN_UNKNOWN, LOOM_ERR_EVAL_INVALID_OPTION */
export function resolveTarget(frame: Frame, target: string | undefined): string {
  if (target !== undefined) {
    if (!frame.has(target)) throw unknownColumn(frame, 'target', target);
    return target;
  }
  const tagged = frame.tagged('target');
  if (tagged.length === 1) return tagged[0];
  throw new LoomError(
    'EVAL_INVALID_OPTION',
    { field: 'target', problem: tagged.length === 0 ? 'no column of the data is tagged `target`; name the label column with --target' : `several columns are tagged target (${tagged.join(', ')}); pick one with --target` },
    { details: { field: 'target' } },
  );
}

function checkOptions(frame: Frame, task: EvalTask, o: EvaluateOptions): void {
  for (const column of o.sensitive ?? []) if (!frame.has(column)) throw unknownColumn(frame, 'sensitive', column);
  for (const spec of o.slices ?? []) if (spec.kind !== 'predicate' && !frame.has(spec.column)) throw unknownColumn(frame, 'slice', spec.column);
  if (o.query !== undefined && !frame.has(o.query)) throw unknownColumn(frame, 'query', o.query);
  if (task !== 'binary') {
    if (o.costMatrix !== undefined) throw notApplicable('cost-matrix', task, 'a cost matrix prices the four outcomes of a binary decision');
    if ((o.sensitive ?? []).length > 0) throw notApplicable('sensitive', task, 'group fairness (selection rate, TPR, FPR) is defined for binary decisions; use --slice for per-group metrics');
    if (o.threshold !== undefined) throw notApplicable('threshold', task, 'a decision threshold applies to a binary classifier');
  }
  if (o.minGroupSize !== undefined && !(Number.isInteger(o.minGroupSize) && o.minGroupSize >= 1)) {
    throw new LoomError('EVAL_INVALID_OPTION', { field: 'minGroupSize', problem: `${o.minGroupSize}; use a whole number of rows ≥ 1` }, { details: { field: 'minGroupSize' } });
  }
  if (o.threshold !== undefined && !(o.threshold >= 0 && o.threshold <= 1)) throw new LoomError('EVAL_INVALID_OPTION', { field: 'threshold', problem: `${o.threshold} is outside [0, 1]` }, { details: { field: 'threshold' } });
  if (o.k !== undefined && !(Number.isInteger(o.k) && o.k >= 1)) throw new LoomError('EVAL_INVALID_OPTION', { field: 'k', problem: `${o.k}; use an integer ≥ 1` }, { details: { field: 'k' } });
  if (o.calibrationBins !== undefined && !(Number.isInteger(o.calibrationBins) && o.calibrationBins >= 2 && o.calibrationBins <= 100)) {
    throw new LoomError('EVAL_INVALID_OPTION', { field: 'calibrationBins', problem: `${o.calibrationBins}; use an integer from 2 to 100` }, { details: { field: 'calibrationBins' } });
  }
}

function unknownColumn(frame: Frame, field: string, column: string): LoomError {
  return new LoomError('EVAL_COLUMN_UNKNOWN', { field, column, available: frame.names.join(', ') }, { details: { field, column } });
}

function notApplicable(field: string, task: string, problem: string): LoomError {
  return new LoomError('EVAL_METRIC_NOT_APPLICABLE', { field, task, problem }, { details: { field, task } });
}
