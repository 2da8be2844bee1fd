import type { DemoTrainingTable } from './demo-report.js';
import type { DemoContext } from './demo-step.js';

/** Dataset names of the churn training tables, by period. */
export const DEMO_TRAINING_DATASETS = Object.freeze({ reference: 'churn-training-reference', current: 'churn-training-current' });

/** The label column of the training tables. */
export const DEMO_TARGET = 'churned';
/** The sensitive column the tables carry for fairness: age in bands, derived from `age` (tagged sensitive by the world). */
export const DEMO_SENSITIVE = 'age_band';

/**
 * How the demo turns the ingested datasets into one labelled row per customer and period. The demo's step calls
 * `build`; a point-in-time feature-store version (feature views plus an ASOF join) can replace the SQL one here
 * without touching the steps after it, as long as it returns the two periods' dataset versions with the same target
 * and sensitive column.
 */
export interface TrainingTableBuilder {
  /** Short name, shown in the report. */
  readonly name: string;
  /** One sentence on how the rows are made. */
  readonly description: string;
  build(ctx: DemoContext): Promise<{ features: readonly string[]; tables: readonly DemoTrainingTable[] }>;
}
