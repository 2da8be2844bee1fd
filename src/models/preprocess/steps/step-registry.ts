import { CROSS_STEP } from './cross-step.js';
import { DATETIME_PARTS_STEP } from './datetime-parts-step.js';
import { DROP_STEP } from './drop-step.js';
import { HASH_STEP } from './hash-step.js';
import { IMPUTE_STEP } from './impute-step.js';
import { ONE_HOT_STEP } from './one-hot-step.js';
import { ORDINAL_STEP } from './ordinal-step.js';
import { RATIO_STEP } from './ratio-step.js';
import { ROBUST_SCALE_STEP } from './robust-scale-step.js';
import type { StepDefinition } from './step-definition.js';
import { STANDARD_SCALE_STEP } from './standard-scale-step.js';
import { TARGET_ENCODE_STEP } from './target-encode-step.js';

/** A step definition with its spec and fitted types erased, as the registry holds it. */
export type AnyStepDefinition = StepDefinition<any, any>;

/** Every preprocessing step kind and its implementation, in docs order. The one place a new kind is registered. */
export const STEP_DEFINITIONS: ReadonlyMap<string, AnyStepDefinition> = new Map<string, AnyStepDefinition>(
  [IMPUTE_STEP, STANDARD_SCALE_STEP, ROBUST_SCALE_STEP, ONE_HOT_STEP, ORDINAL_STEP, TARGET_ENCODE_STEP, HASH_STEP, CROSS_STEP, RATIO_STEP, DATETIME_PARTS_STEP, DROP_STEP].map(
    (d) => [d.kind, d as AnyStepDefinition],
  ),
);
