import { z } from 'zod';
import { LoomError } from '../../core/errors/index.js';
import type { ClassLabel } from '../preprocess/model-input/target-input.js';
import { deepFreeze } from '../preprocess/pipeline/deep-freeze.js';
import { resolveModelParams } from '../linear/params/resolve-model-params.js';
import { MEAN_REGRESSOR_PARAMS, PRIOR_CLASSIFIER_PARAMS, type MeanRegressorParams, type PriorClassifierParams } from './baseline-params.js';
import { firstIssue } from '../../core/zod-issue.js';

/** Version of the baseline state format written by this code. */
export const BASELINE_FORMAT_VERSION = 1;

/** Rows and total sample weight a baseline was fitted on. */
export interface BaselineTrainingReport {
  readonly rows: number;
  readonly weightSum: number;
}

/**
 * Predicts the same class probabilities for every row. `outputs` is 1 for two classes (the probability of
 * classes[1]) and the class count otherwise, matching the linear classifiers.
 */
export interface PriorClassifierState {
  readonly kind: 'prior_classifier';
  readonly version: typeof BASELINE_FORMAT_VERSION;
  readonly target: string;
  readonly features: readonly string[];
  readonly classes: readonly ClassLabel[];
  readonly outputs: number;
  /** One probability per class, summing to 1. */
  readonly probabilities: readonly number[];
  readonly params: PriorClassifierParams;
  readonly training: BaselineTrainingReport;
}

/** Predicts the same number for every row. */
export interface MeanRegressorState {
  readonly kind: 'mean_regressor';
  readonly version: typeof BASELINE_FORMAT_VERSION;
  readonly target: string;
  readonly features: readonly string[];
  readonly outputs: 1;
  readonly value: number;
  readonly params: MeanRegressorParams;
  readonly training: BaselineTrainingReport;
}

/** A fitted baseline as data (JSON-safe, frozen). Discriminate on `kind`. */
export type BaselineState = PriorClassifierState | MeanRegressorState;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const common = {
  version: z.literal(BASELINE_FORMAT_VERSION),
  target: z.string(),
  features: z.array(z.string()).min(1),
  params: z.record(z.string(), z.unknown()),
  training: z.strictObject({ rows: z.number().int().min(1), weightSum: finite }),
};
const schema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('prior_classifier'),
    classes: z.array(z.union([z.string(), finite, z.boolean()])).min(2),
    outputs: z.number().int().min(1),
    probabilities: z.array(finite.refine((p) => p >= 0 && p <= 1, 'must be a probability')),
    ...common,
  }),
  z.strictObject({ kind: z.literal('mean_regressor'), outputs: z.literal(1), value: finite, ...common }),
]);

/** Parser and guard for BaselineState. */
export const BaselineState = {
  /**
   * Validates a stored baseline and returns it deep-frozen.
   * @throws LOOM_ERR_MODEL_STATE_INVALID (details.field = the dotted path), LOOM_ERR_MODEL_PARAM_* for bad params
   */
  parse(json: unknown): BaselineState {
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const { field, problem } = firstIssue(parsed.error, 'state');
      throw invalid(field, problem);
    }
    const s = parsed.data;
    if (s.kind === 'mean_regressor') {
      return deepFreeze({ ...s, params: resolveModelParams<MeanRegressorParams>(MEAN_REGRESSOR_PARAMS, s.params, 'mean regressor') });
    }
    if (s.probabilities.length !== s.classes.length) throw invalid('probabilities', `has ${s.probabilities.length} entries for ${s.classes.length} classes`);
    if (s.outputs !== (s.classes.length === 2 ? 1 : s.classes.length)) throw invalid('outputs', 'must be 1 for two classes, else the class count');
    return deepFreeze({ ...s, params: resolveModelParams<PriorClassifierParams>(PRIOR_CLASSIFIER_PARAMS, s.params, 'prior classifier') });
  },

  /** True for an object whose kind is a baseline kind. Does not validate; use `parse` for that. */
  is(value: unknown): value is BaselineState {
    const kind = (value as { kind?: unknown } | null)?.kind;
    return kind === 'prior_classifier' || kind === 'mean_regressor';
  },
};

function invalid(field: string, problem: string): LoomError {
  return new LoomError('MODEL_STATE_INVALID', { what: 'baseline', field, problem }, { details: { field } });
}
