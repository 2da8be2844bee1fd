import { LoomError } from '../../core/errors/index.js';
import { loadDatasetFrame } from '../../data/index.js';
import type { Workspace } from '../../storage/workspace.js';
import { inferTask } from '../model-task.js';
import { defaultTuningMetric, prepareObjective, TUNING_METRICS } from './gbdt-objective.js';
import { runStudy, type StudyRequest, type StudyResult } from './run-study.js';
import { TrialPool } from './trial-pool.js';

/** `loom tune` as a library call: a GBDT study over a dataset version, cross-validated. */
export interface TuneGbdtRequest extends Omit<StudyRequest, 'direction' | 'metric' | 'settings' | 'datasets'> {
  /** Dataset reference (`name` or `name@version`). */
  readonly data: string;
  readonly target: string;
  /** LightGBM metric name (default: auc, multi_logloss or rmse by task). */
  readonly metric?: string;
  /** GBDT objective (default: from the target). */
  readonly objective?: string;
  /** Folds (default 3). */
  readonly cv?: number;
  /** Trials run at once (default 1); each trial runs its folds side by side, one worker thread per fold. */
  readonly parallel?: number;
}

/**
 * Tunes GBDT params on a dataset: every trial cross-validates on the same stratified folds, its folds trained in
 * lockstep on worker threads, with the mean across folds of each iteration's validation score feeding the pruner
 * (see TrialPool).
 *
 * @throws runStudy's errors, LOOM_ERR_TUNING_INVALID_OPTION, and loadDatasetFrame's errors
 * @example
 * const result = await tuneGbdt(ws, { study: 'adult', data: 'adult', target: 'income', space, trials: 40, parallel: 2 });
 */
export async function tuneGbdt(ws: Workspace, request: TuneGbdtRequest): Promise<StudyResult> {
  const parallel = request.parallel ?? 1;
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > 64) throw new LoomError('TUNING_INVALID_OPTION', { field: 'parallel', problem: `${parallel} is not a whole number in 1..64` }, { details: { field: 'parallel' } });
  const folds = request.cv ?? 3;
  if (!Number.isInteger(folds) || folds < 2) throw new LoomError('TUNING_INVALID_OPTION', { field: 'cv', problem: `${folds} folds; give a whole number ≥ 2` }, { details: { field: 'cv' } });
  const { version, frame } = await loadDatasetFrame(ws, request.data);
  const seed = request.seed ?? 42;
  if (!frame.has(request.target)) throw new LoomError('TUNING_INVALID_OPTION', { field: 'target', problem: `"${request.target}" is not a column of ${request.data}` }, { details: { field: 'target' } });
  const task = inferTask(frame.column(request.target), request.objective).task;
  const metric = request.metric ?? defaultTuningMetric(task);
  const spec = { target: request.target, metric, folds, seed, ...(request.objective === undefined ? {} : { objective: request.objective }) };
  prepareObjective(frame, spec); // checks the metric and folds here, before any worker starts
  const pool = new TrialPool(frame, spec, parallel);
  try {
    return await runStudy(
      ws,
      {
        ...request,
        seed,
        direction: TUNING_METRICS.get(metric)!,
        metric,
        settings: { model: 'gbdt', dataset: version.dataset, version: version.id, target: request.target, folds, objective: request.objective ?? null },
        datasets: [{ role: 'train', dataset: version.dataset, version: version.id }],
      },
      pool,
    );
  } finally {
    await pool.close();
  }
}
