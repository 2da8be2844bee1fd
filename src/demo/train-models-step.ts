import { LoomError } from '../core/errors/index.js';
import { trainModel } from '../training/train-model.js';
import type { DemoModel } from './demo-report.js';
import type { DemoContext, DemoStep } from './demo-step.js';
import { DEMO_TARGET } from './training-table-builder.js';

/** The experiment the demo's training runs are tracked in. */
export const DEMO_EXPERIMENT = 'churn';

/**
 * The GBDT's fixed parameters, not tuned: a slow learning rate with enough rounds, and small trees with at least 50
 * rows per leaf, since a few thousand rows overfit 31-leaf trees (training AUC near 1, worse on the next period).
 */
export const DEMO_GBDT_PARAMS = Object.freeze({ num_iterations: 200, learning_rate: 0.05, num_leaves: 7, min_data_in_leaf: 50, feature_fraction: 0.9 });

/**
 * Step 7 (train): on the reference period's training table, trains the class-prior baseline and the GBDT (fixed
 * parameters, the demo's seed), each tracked as a run of experiment `churn` with its params, per-iteration metric,
 * final metrics, model and dataset lineage.
 */
export const trainModelsStep: DemoStep = Object.freeze({
  name: 'train',
  title: 'train a baseline and a GBDT on the reference period (experiment churn)',
  async run(ctx: DemoContext) {
    const table = ctx.report.training?.tables.find((t) => t.period === 'reference');
    if (table === undefined) throw new LoomError('CORE_INTERNAL', { problem: 'the train step needs the features step before it' });
    const data = `${table.dataset}@${table.version}`;
    const models: DemoModel[] = [];
    for (const [role, flavor, params] of [['baseline', 'baseline', {}], ['gbdt', 'gbdt', DEMO_GBDT_PARAMS]] as const) {
      const result = await trainModel(
        ctx.ws,
        { data, target: DEMO_TARGET, model: flavor, params, seed: ctx.settings.seed, experiment: DEMO_EXPERIMENT, runName: `demo-${role}` },
        ctx.progress(),
      );
      models.push({
        role,
        flavor: result.flavor,
        params: { ...params },
        runId: result.runId ?? null,
        modelDir: result.modelDir,
        trainAuc: Number.isFinite(result.metrics.auc) ? result.metrics.auc : null,
        registry: null,
        evaluation: null,
      });
    }
    ctx.report.models = models;
    ctx.report.next = [...ctx.report.next, `loom runs list --experiment ${DEMO_EXPERIMENT}`];
  },
});
