import { LoomError } from '../core/errors/index.js';
import { loadDatasetFrame } from '../data/index.js';
import { trainModel } from '../training/train-model.js';
import { holdoutGbdtExecutor } from '../training/tuning/holdout-executor.js';
import { runStudy } from '../training/tuning/run-study.js';
import type { DemoModel, DemoTuning } from './demo-report.js';
import type { DemoContext, DemoStep } from './demo-step.js';
import { DEMO_TARGET } from './training-table-builder.js';

/** The experiment the demo's training runs (the baseline, the study and its trials, the final GBDT) are tracked in. */
export const DEMO_EXPERIMENT = 'churn';

/**
 * What the demo's study searches: the learning rate, tree size and rows per leaf, around a slow learner with enough
 * rounds (a few thousand rows overfit 31-leaf trees: training AUC near 1, worse on the next period).
 */
export const DEMO_TUNING_SPACE = Object.freeze({
  num_iterations: 150,
  feature_fraction: 0.9,
  learning_rate: Object.freeze({ kind: 'log_uniform', low: 0.02, high: 0.2 }),
  num_leaves: Object.freeze({ kind: 'int', low: 3, high: 15 }),
  min_data_in_leaf: Object.freeze({ kind: 'int', low: 20, high: 120 }),
});

/** The study's size and validation: TPE, median pruning, one stratified 75/25 split of the reference period. */
export const DEMO_TUNING = Object.freeze({ trials: 10, sampler: 'tpe', pruner: 'median', metric: 'auc', folds: 4 } as const);

/**
 * Step 7 (train): on the reference period's training table, trains the class-prior baseline; runs a TPE study
 * (DEMO_TUNING) over DEMO_TUNING_SPACE, each trial trained on 75% of the rows and scored by validation AUC on the other
 * 25% after every iteration, so the median pruner stops poor trials early; then trains the GBDT on all the rows with
 * the best params. Everything is tracked in experiment `churn`: the baseline and final GBDT runs, the study's parent
 * run and one child run per trial (tag `loom.parent_run_id`). Trials run one at a time in this thread, so the study
 * is the same for a seed; a re-run on the same table resumes the stored study and runs no trial again.
 */
export const trainModelsStep: DemoStep = Object.freeze({
  name: 'train',
  title: 'train a baseline, tune a GBDT (TPE study) and train it with the best params (experiment churn)',
  async run(ctx: DemoContext) {
    const table = ctx.report.training?.tables.find((t) => t.period === 'reference');
    if (table === undefined) throw new LoomError('CORE_INTERNAL', { problem: 'the train step needs the features step before it' });
    const data = `${table.dataset}@${table.version}`;
    const seed = ctx.settings.seed;
    const models: DemoModel[] = [await train(ctx, data, 'baseline', {})];

    const { version, frame } = await loadDatasetFrame(ctx.ws, data);
    const study = `churn-gbdt-${version.id.slice(0, 12)}`;
    const progress = ctx.progress();
    progress?.start(DEMO_TUNING.trials, `tune ${study}`);
    const executor = holdoutGbdtExecutor(frame, { target: DEMO_TARGET, metric: DEMO_TUNING.metric, folds: DEMO_TUNING.folds, seed });
    const result = await runStudy(ctx.ws, {
      study,
      experiment: DEMO_EXPERIMENT,
      space: DEMO_TUNING_SPACE,
      direction: 'maximize',
      trials: DEMO_TUNING.trials,
      sampler: DEMO_TUNING.sampler,
      pruner: DEMO_TUNING.pruner,
      seed,
      metric: DEMO_TUNING.metric,
      settings: { model: 'gbdt', dataset: version.dataset, version: version.id, target: DEMO_TARGET, validation: `stratified holdout: fold 0 of ${DEMO_TUNING.folds}` },
      datasets: [{ role: 'train', dataset: version.dataset, version: version.id }],
      onTrial: (done) => progress?.update(done),
    }, executor).finally(() => progress?.stop());
    if (result.bestParams === null) throw new LoomError('TUNING_TRIAL_FAILED', { study, problem: 'no trial completed' });
    const states: Record<string, number> = {};
    for (const t of result.trials) states[t.state] = (states[t.state] ?? 0) + 1;
    const tuning: DemoTuning = {
      study,
      data,
      experiment: DEMO_EXPERIMENT,
      sampler: DEMO_TUNING.sampler,
      pruner: DEMO_TUNING.pruner,
      validation: `${100 - 100 / DEMO_TUNING.folds}/${100 / DEMO_TUNING.folds} stratified train/validation split of the reference period`,
      metric: DEMO_TUNING.metric,
      trials: result.trials.length,
      ranThisSession: result.ranThisSession,
      resumed: result.resumed,
      states,
      bestTrial: result.bestTrial!,
      bestValue: result.bestValue!,
      bestParams: result.bestParams,
      parentRunId: result.parentRunId,
    };
    models.push(await train(ctx, data, 'gbdt', result.bestParams));
    ctx.report.tuning = tuning;
    ctx.report.models = models;
    ctx.report.next = [...ctx.report.next, `loom runs list --experiment ${DEMO_EXPERIMENT}`, `loom runs list --experiment ${DEMO_EXPERIMENT} --filter "tags.loom.study = '${study}' and tags.loom.trial is not null" --order-by "metrics.${DEMO_TUNING.metric} desc"`];
  },
});

async function train(ctx: DemoContext, data: string, role: 'baseline' | 'gbdt', params: Readonly<Record<string, string | number | boolean>>): Promise<DemoModel> {
  const result = await trainModel(
    ctx.ws,
    { data, target: DEMO_TARGET, model: role, params, seed: ctx.settings.seed, experiment: DEMO_EXPERIMENT, runName: `demo-${role}` },
    ctx.progress(),
  );
  return {
    role,
    flavor: result.flavor,
    params: { ...params },
    runId: result.runId ?? null,
    modelDir: result.modelDir,
    trainAuc: Number.isFinite(result.metrics.auc) ? result.metrics.auc : null,
    registry: null,
    evaluation: null,
  };
}
