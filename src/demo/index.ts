// Public API of src/demo: the `loom demo` lifecycle as a list of named steps, and its report.
export { runDemo, DEMO_PII_KEY } from './run-demo.js';
export type { DemoOptions } from './run-demo.js';
export { DEMO_STEPS } from './demo-steps.js';
export type { DemoContext, DemoSettings, DemoState, DemoStep } from './demo-step.js';
export { formatDemoReport } from './demo-report.js';
export type {
  DemoDataset,
  DemoEstimate,
  DemoEvaluation,
  DemoEvaluationSetup,
  DemoFailure,
  DemoFeatureStore,
  DemoHighlight,
  DemoMaterialization,
  DemoModel,
  DemoPromotion,
  DemoReport,
  DemoReportDraft,
  DemoTraining,
  DemoTrainingTable,
  DemoValidation,
  DemoValidationRun,
  DemoWorld,
} from './demo-report.js';
export { generateWorldStep, DEMO_WORLD_DIR } from './generate-world-step.js';
export { ingestWorldStep, DEMO_DATASETS } from './ingest-world-step.js';
export { splitCustomersStep, DEMO_PERIODS } from './split-customers-step.js';
export { profileHighlightsStep } from './profile-highlights-step.js';
export { validateDriftStep, DEMO_SUITE } from './validate-drift-step.js';
export { buildTrainingStep, buildTrainingTablesStep } from './build-training-step.js';
export { SQL_TRAINING_TABLES, trainingSql } from './sql-training-tables.js';
export { FEATURE_STORE_TRAINING_TABLES, DEMO_FEATURE_REFS, demoFeatureConfig, entityRowsSql } from './feature-store-training-tables.js';
export { materializeFeaturesStep } from './materialize-features-step.js';
export { DEMO_TRAINING_DATASETS, DEMO_TARGET, DEMO_SENSITIVE } from './training-table-builder.js';
export type { TrainingTableBuilder } from './training-table-builder.js';
export { trainModelsStep, DEMO_EXPERIMENT, DEMO_TUNING, DEMO_TUNING_SPACE } from './train-models-step.js';
export { registerModelsStep, DEMO_MODEL } from './register-models-step.js';
export { evaluateModelsStep, DEMO_COST_MATRIX, DEMO_THRESHOLD, DEMO_SLICES, DEMO_RESAMPLES } from './evaluate-models-step.js';
export { promoteStep, DEMO_GATE } from './promote-step.js';
