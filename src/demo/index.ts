// Public API of src/demo: the `loom demo` lifecycle as a list of named steps, and its report.
export { runDemo, DEMO_PII_KEY } from './run-demo.js';
export type { DemoOptions } from './run-demo.js';
export { DEMO_STEPS } from './demo-steps.js';
export type { DemoContext, DemoSettings, DemoState, DemoStep } from './demo-step.js';
export { formatDemoReport } from './demo-report.js';
export type { DemoDataset, DemoFailure, DemoHighlight, DemoReport, DemoReportDraft, DemoValidation, DemoValidationRun, DemoWorld } from './demo-report.js';
export { generateWorldStep, DEMO_WORLD_DIR } from './generate-world-step.js';
export { ingestWorldStep, DEMO_DATASETS } from './ingest-world-step.js';
export { splitCustomersStep, DEMO_PERIODS } from './split-customers-step.js';
export { profileHighlightsStep } from './profile-highlights-step.js';
export { validateDriftStep, DEMO_SUITE } from './validate-drift-step.js';
