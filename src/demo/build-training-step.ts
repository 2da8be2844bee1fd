import type { DemoContext, DemoStep } from './demo-step.js';
import { SQL_TRAINING_TABLES } from './sql-training-tables.js';
import { DEMO_TARGET, type TrainingTableBuilder } from './training-table-builder.js';

/**
 * Step 6 (features): builds one labelled row per customer for each period with `builder` (the SQL one by default; a
 * feature-store builder can take its place) and ingests both tables as dataset versions.
 */
export function buildTrainingStep(builder: TrainingTableBuilder = SQL_TRAINING_TABLES): DemoStep {
  return Object.freeze({
    name: 'features',
    title: 'build the churn training tables (labels ⋈ customer features and usage)',
    async run(ctx: DemoContext) {
      const { features, tables } = await builder.build(ctx);
      ctx.report.training = { builder: builder.name, description: builder.description, target: DEMO_TARGET, features, tables };
      ctx.report.datasets = [
        ...ctx.report.datasets,
        ...tables.map((t) => ({ role: `training-${t.period}`, name: t.dataset, version: t.version, rows: t.rows, columns: t.columns, created: t.created })),
      ];
    },
  });
}

/** The features step with the SQL builder. */
export const buildTrainingTablesStep: DemoStep = buildTrainingStep();
