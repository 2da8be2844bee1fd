import { z } from 'zod';
import { LoomError } from '../../../core/errors/index.js';
import { LOGICAL_TYPES, type LogicalType } from '../../../core/frame/column.js';
import { parseFittedStep } from '../steps/parse-step.js';
import type { FittedStep } from '../steps/preprocess-step.js';
import type { ColumnSignature } from './column-signature.js';
import { deepFreeze } from './deep-freeze.js';
import { firstIssue } from '../../../core/zod-issue.js';

/** Version of the fitted-pipeline format written by this code. */
export const PIPELINE_FORMAT_VERSION = 1;

/**
 * A fitted pipeline as data: what serving stores and runs. JSON-safe (no functions, no NaN); `canonicalJson` of it is
 * stable and parsing it back gives the same value.
 */
export interface FittedPipelineState {
  readonly kind: 'fitted_pipeline';
  readonly version: typeof PIPELINE_FORMAT_VERSION;
  /** The target column at fit time (excluded from inputs and features), or null. */
  readonly target: string | null;
  /** Input columns transform needs, with their types at fit time. */
  readonly inputs: readonly ColumnSignature[];
  /** Columns transform produces (the target excluded), in order: the feature names of the matrix. */
  readonly outputs: readonly ColumnSignature[];
  readonly steps: readonly FittedStep[];
}

const signature = z.array(z.strictObject({ name: z.string().min(1), type: z.enum(LOGICAL_TYPES as [LogicalType, ...LogicalType[]]) }));
const envelope = z.strictObject({
  kind: z.literal('fitted_pipeline'),
  version: z.literal(PIPELINE_FORMAT_VERSION),
  target: z.string().min(1).nullable(),
  inputs: signature,
  outputs: signature,
  steps: z.array(z.unknown()),
});

/**
 * Validates a stored fitted pipeline (e.g. `JSON.parse` of a manifest member) and returns it deep-frozen.
 * @throws LOOM_ERR_MODEL_STATE_INVALID (an unknown version or step kind, a missing member, inconsistent arrays;
 *   details.field = the dotted path)
 */
export function parseFittedPipelineState(json: unknown): FittedPipelineState {
  const parsed = envelope.safeParse(json);
  if (!parsed.success) {
    const { field, problem } = firstIssue(parsed.error, 'state');
    throw new LoomError('MODEL_STATE_INVALID', { what: 'pipeline', field, problem }, { details: { field } });
  }
  const steps = parsed.data.steps.map((step, i) => parseFittedStep(step, `steps.${i}`));
  return deepFreeze({ ...parsed.data, steps }) as FittedPipelineState;
}
