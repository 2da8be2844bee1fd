import type { Frame } from '../../core/frame/frame.js';
import { evaluateGbdtFold, prepareObjective, type GbdtObjectiveSpec } from './gbdt-objective.js';
import { inProcessExecutor, type TrialExecutor } from './trial-executor.js';

/**
 * GBDT trials in this thread, each scored on one stratified train/validation split: the first fold of `spec.folds`
 * (4 folds → train on 75% of the rows, validate on 25%), with the validation score after every iteration feeding the
 * pruner. No worker start-up and one trial at a time, so a study is reproducible for a seed: for small data and quick
 * studies (the demo). `tuneGbdt` cross-validates in worker threads instead.
 *
 * @throws LOOM_ERR_TUNING_INVALID_OPTION for a metric unfit for the target, and cvFolds' errors
 * @example
 * const executor = holdoutGbdtExecutor(frame, { target: 'churned', metric: 'auc', folds: 4, seed: 42 });
 * const result = await runStudy(ws, { study: 'churn-gbdt', space, direction: 'maximize', trials: 10, metric: 'auc' }, executor);
 */
export function holdoutGbdtExecutor(frame: Frame, spec: GbdtObjectiveSpec): TrialExecutor {
  const prepared = prepareObjective(frame, spec);
  return inProcessExecutor((params, report) => {
    const fold = evaluateGbdtFold(prepared, spec, params, 0, report);
    return { value: fold.value, pruned: fold.pruned };
  });
}
