import { z } from 'zod';
import { LoomError } from '../../core/errors/index.js';
import { deepFreeze } from '../preprocess/pipeline/deep-freeze.js';
import type { ClassLabel } from '../preprocess/model-input/target-input.js';
import type { LinearParams } from './params/linear-param-table.js';
import { resolveLinearParams } from './params/resolve-linear-params.js';
import { firstIssue } from '../../core/zod-issue.js';

/** Version of the linear-model state format written by this code. */
export const LINEAR_FORMAT_VERSION = 1;

/** How a fit ended. */
export interface LinearTrainingReport {
  readonly solver: 'lbfgs' | 'cd';
  /** L-BFGS iterations, coordinate-descent sweeps (squared loss) or reweighting rounds (log losses). */
  readonly iterations: number;
  readonly converged: boolean;
  /** The penalised objective at the solution (see LINEAR_PARAMS). */
  readonly objective: number;
  readonly rows: number;
  /** Σ of sample weights. */
  readonly weightSum: number;
}

/** Fields every fitted linear model has. Arrays are row-major by output: entry k·p + j is output k, feature j. */
interface LinearStateBase {
  readonly version: typeof LINEAR_FORMAT_VERSION;
  /** The target's field name. */
  readonly target: string;
  /** Feature names, in the order X's columns must follow. */
  readonly features: readonly string[];
  /** Scores per row: 1 for linear and logistic regression, the class count for softmax. */
  readonly outputs: number;
  /** Coefficients in original feature units (outputs × features). Predictions use these. */
  readonly coef: readonly number[];
  readonly intercept: readonly number[];
  /** The solution on the standardized scale the penalty acted on: x'_j = (x_j − center_j) / scale_j. */
  readonly standardized: {
    readonly center: readonly number[];
    readonly scale: readonly number[];
    readonly coef: readonly number[];
    readonly intercept: readonly number[];
  };
  readonly params: LinearParams;
  readonly training: LinearTrainingReport;
}

/** Linear regression: prediction = intercept + coef · x. */
export interface LinearRegressionState extends LinearStateBase {
  readonly kind: 'linear_regression';
  readonly classes: null;
}

/** Logistic regression: P(classes[1]) = σ(intercept + coef · x). */
export interface LogisticRegressionState extends LinearStateBase {
  readonly kind: 'logistic_regression';
  readonly classes: readonly [ClassLabel, ClassLabel];
}

/** Softmax regression: P(classes[k]) ∝ exp(intercept_k + coef_k · x). */
export interface SoftmaxRegressionState extends LinearStateBase {
  readonly kind: 'softmax_regression';
  readonly classes: readonly ClassLabel[];
}

/** A fitted linear model as data (JSON-safe, frozen). Discriminate on `kind`. */
export type LinearModelState = LinearRegressionState | LogisticRegressionState | SoftmaxRegressionState;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const label = z.union([z.string(), finite, z.boolean()]);
const schema = z.strictObject({
  kind: z.enum(['linear_regression', 'logistic_regression', 'softmax_regression']),
  version: z.literal(LINEAR_FORMAT_VERSION),
  target: z.string(),
  features: z.array(z.string()).min(1),
  outputs: z.number().int().min(1),
  classes: z.array(label).min(2).nullable(),
  coef: z.array(finite),
  intercept: z.array(finite),
  standardized: z.strictObject({ center: z.array(finite), scale: z.array(finite), coef: z.array(finite), intercept: z.array(finite) }),
  params: z.record(z.string(), z.unknown()),
  training: z.strictObject({
    solver: z.enum(['lbfgs', 'cd']),
    iterations: z.number().int().min(0),
    converged: z.boolean(),
    objective: finite,
    rows: z.number().int().min(1),
    weightSum: finite,
  }),
});

/** Parser and guard for LinearModelState. */
export const LinearModelState = {
  /**
   * Validates a stored linear model (e.g. `JSON.parse` of its file) and returns it deep-frozen.
   * @throws LOOM_ERR_MODEL_STATE_INVALID (details.field = the dotted path), LOOM_ERR_MODEL_PARAM_* for bad params
   */
  parse(json: unknown): LinearModelState {
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const { field, problem } = firstIssue(parsed.error, 'state');
      throw invalid(field, problem);
    }
    const s = parsed.data;
    const params = resolveLinearParams(s.params);
    const p = s.features.length;
    const K = s.outputs;
    const expectedOutputs = s.kind === 'softmax_regression' ? (s.classes?.length ?? 0) : 1;
    if (K !== expectedOutputs) throw invalid('outputs', `a ${s.kind} with these classes has ${expectedOutputs} outputs`);
    if ((s.kind === 'linear_regression') !== (s.classes === null)) throw invalid('classes', s.kind === 'linear_regression' ? 'must be null' : 'must list the classes');
    if (s.kind === 'logistic_regression' && s.classes!.length !== 2) throw invalid('classes', 'logistic regression has exactly two classes');
    for (const [field, values, length] of [
      ['coef', s.coef, K * p],
      ['intercept', s.intercept, K],
      ['standardized.center', s.standardized.center, p],
      ['standardized.scale', s.standardized.scale, p],
      ['standardized.coef', s.standardized.coef, K * p],
      ['standardized.intercept', s.standardized.intercept, K],
    ] as const) {
      if (values.length !== length) throw invalid(field, `has ${values.length} entries, expected ${length}`);
    }
    return deepFreeze({ ...s, params }) as LinearModelState;
  },

  /** True for an object whose kind is a linear model kind. Does not validate; use `parse` for that. */
  is(value: unknown): value is LinearModelState {
    const kind = (value as { kind?: unknown } | null)?.kind;
    return kind === 'linear_regression' || kind === 'logistic_regression' || kind === 'softmax_regression';
  },
};

function invalid(field: string, problem: string): LoomError {
  return new LoomError('MODEL_STATE_INVALID', { what: 'linear model', field, problem }, { details: { field } });
}
