import { buildTrainingStep } from './build-training-step.js';
import { canaryStep } from './canary-step.js';
import type { DemoStep } from './demo-step.js';
import { evaluateModelsStep } from './evaluate-models-step.js';
import { FEATURE_STORE_TRAINING_TABLES } from './feature-store-training-tables.js';
import { generateWorldStep } from './generate-world-step.js';
import { ingestWorldStep } from './ingest-world-step.js';
import { materializeFeaturesStep } from './materialize-features-step.js';
import { profileHighlightsStep } from './profile-highlights-step.js';
import { promoteStep } from './promote-step.js';
import { registerModelsStep } from './register-models-step.js';
import { splitCustomersStep } from './split-customers-step.js';
import { trainModelsStep } from './train-models-step.js';
import { validateDriftStep } from './validate-drift-step.js';

/**
 * The demo's lifecycle, in order. Each capability appends its step here (serve, monitor, retrain next); a step reads
 * what earlier steps put in the report and state.
 */
export const DEMO_STEPS: readonly DemoStep[] = Object.freeze([
  generateWorldStep,
  ingestWorldStep,
  splitCustomersStep,
  profileHighlightsStep,
  validateDriftStep,
  buildTrainingStep(FEATURE_STORE_TRAINING_TABLES),
  trainModelsStep,
  registerModelsStep,
  materializeFeaturesStep,
  evaluateModelsStep,
  promoteStep,
  canaryStep,
]);
